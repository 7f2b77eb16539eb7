#!/usr/bin/env bash
# The benchmark report: scrm against the libraries people would use instead (pandas, polars,
# DuckDB, networkx, igraph, NetworKit, rustworkx, lifetimes), on the same seeded data, on this
# machine, in one run. Creates benches/.venv with the peers, builds the race binaries under
# benches/, runs every workload (each system in a process of its own), checks that the
# answers agree and writes BENCHMARKS.md with a bar chart per workload in docs/benchmarks/.
#
#   ./scripts/bench.sh                  full run (about an hour on 2 cores): BENCHMARKS.md
#   ./scripts/bench.sh --quick          small sizes (under two minutes once built); the test
#                                       command runs it, writing target/bench-quick/
#   ./scripts/bench.sh --only pagerank  some workloads (comma-separated; see
#                                       benches/report/workloads/__init__.py)
# Exits non-zero if a system failed or an answer disagreed; a missed target does not fail
# the run (the page says so).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/benches"
out="$root/BENCHMARKS.md"
for arg in "$@"; do
    [ "$arg" = "--quick" ] && out="${CARGO_TARGET_DIR:-$root/target}/bench-quick/BENCHMARKS.md"
done
venv=.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r report/requirements.txt
exec "$venv/bin/python" -m report --out "$out" "$@"
