#!/usr/bin/env bash
# Builds the Python binding and runs its pytest suite, including the shared parity scenarios
# in tests/scenarios/. Needs only Rust and Python 3.9+: it creates bindings/python/.venv and
# installs maturin and pytest there itself. Works from any directory, e.g. from the repository
# root as `bindings/python/test.sh`. Extra arguments go to pytest. PYTHON picks the interpreter.
# pandas, pyarrow and polars are installed for the DataFrame and Arrow tests (the DuckDB ones
# run only if duckdb is there); networkx and scipy for the graph tests that check PageRank and
# modularity against networkx; nbclient, nbformat and ipykernel to execute
# examples/notebook.ipynb headless (tests/test_notebook.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"

if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
py="$venv/bin/python"
export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" # the maturin build backend runs `maturin`
"$py" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4,<2" "pytest>=7" pandas \
    pyarrow polars networkx scipy nbclient nbformat ipykernel

# The same build a user's `pip install ./bindings/python` runs (maturin, release profile,
# abi3 wheel), without build isolation so the venv's maturin is reused.
"$py" -m pip install --quiet --disable-pip-version-check --no-build-isolation \
    --force-reinstall --no-deps "$here"

cd "$here"
"$py" -m pytest tests "$@"
