#!/usr/bin/env bash
# Community detection side by side: scrm, NetworKit's PLM (2 threads) and igraph's multilevel
# (Louvain) on the same graphs in one run. Creates benches/.venv with the peers, and for the
# planted-partition and the power-law graph runs the scrm side (communities_race), then the
# peers, and prints times, modularity (one common function for all) and PASS/FAIL against
# the issue's targets. A peer that cannot be installed is reported and left out.
#
#   benches/communities_peers.sh [NODES] [RUNS]     (defaults: 1000000 3; edges are 10 × nodes)
set -euo pipefail
cd "$(dirname "$0")"
nodes="${1:-1000000}"
runs="${2:-3}"
venv=.venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check numpy
for peer in networkit igraph; do
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$peer" ||
        echo "could not install $peer: the comparison goes on without it"
done
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
status=0
for graph in planted power_law; do
    cargo bench -q -p scrm --bench communities_race -- --nodes "$nodes" --edges "$((10 * nodes))" \
        --graph "$graph" --runs "$runs" --out "$data/$graph" >/dev/null
    "$venv/bin/python" communities_peers.py "$data/$graph" || status=1
done
exit "$status"
