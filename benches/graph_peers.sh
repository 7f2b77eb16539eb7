#!/usr/bin/env bash
# PageRank side by side: scrm, networkx, igraph, NetworKit and rustworkx on the same
# power-law graph in one run. Uses benches/.venv (shared with segments_peers.sh) and installs
# the peers there (a peer pip cannot install is reported and left out), runs the scrm side
# (graph_race: graph, timings, export), then the peers, and prints a table of median times
# and ratios. scrm's ranks must match networkx's (L1 <= 1e-6, up to 200,000 nodes) or the
# script fails.
#
#   benches/graph_peers.sh [NODES] [EDGES] [RUNS]     (defaults: 1000000, 10 x NODES, 5)
set -euo pipefail
cd "$(dirname "$0")"
nodes="${1:-1000000}"
edges="${2:-$((10 * nodes))}"
runs="${3:-5}"
venv=.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# scipy: networkx's pagerank needs it.
for package in numpy scipy networkx igraph networkit rustworkx; do
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$package" ||
        echo "pip could not install $package; going on without it" >&2
done
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
cargo bench -q -p scrm --bench graph_race -- \
    --nodes "$nodes" --edges "$edges" --runs "$runs" --out "$data" >/dev/null
"$venv/bin/python" graph_peers.py "$data"
