#!/usr/bin/env bash
# Segment queries side by side: scrm, polars and DuckDB on the same data in one run.
# Creates benches/.venv with the peers, runs the scrm side (segments_race), then the peers,
# and prints a table of median times and ratios. Counts must agree or the script fails.
#
#   benches/segments_peers.sh [CUSTOMERS] [RUNS]     (defaults: 10000000 15)
set -euo pipefail
cd "$(dirname "$0")"
customers="${1:-10000000}"
runs="${2:-15}"
venv=.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check polars duckdb numpy pyarrow
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cargo bench -q -p scrm --bench segments_race -- --customers "$customers" --runs "$runs" --out "$data" >/dev/null
"$venv/bin/python" segments_peers.py "$data"
