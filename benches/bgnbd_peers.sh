#!/usr/bin/env bash
# BG/NBD and Gamma-Gamma side by side: scrm and the Python `lifetimes` package fit the same
# simulated customers. Uses benches/.venv (shared with the other peer scripts) and installs
# lifetimes there, runs the scrm side (bgnbd_race: customers, fits, predictions, export),
# then lifetimes, and prints a table of median times and ratios. The script fails unless the
# parameters agree within 0.5%, the log-likelihoods within 1e-6 relative and P(alive) too
# (see bgnbd_peers.py for every check).
#
#   benches/bgnbd_peers.sh [CUSTOMERS] [RUNS]     (defaults: 20000, 3)
#   benches/bgnbd_peers.sh --quick                (2,000 customers, 1 run: well under a
#                                                  minute once the bench is built)
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = "--quick" ]; then
    set -- 2000 1
fi
customers="${1:-20000}"
runs="${2:-3}"
venv=.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# lifetimes 0.11.3 is the last release; it runs on the current numpy, scipy, pandas and
# autograd, so nothing is pinned but lifetimes itself.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check lifetimes==0.11.3
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cargo bench -q -p scrm --bench bgnbd_race -- \
    --customers "$customers" --runs "$runs" --out "$data" >/dev/null
"$venv/bin/python" -W ignore bgnbd_peers.py "$data"
