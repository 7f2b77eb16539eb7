"""Runs NetworKit's PLM (2 threads) and igraph's multilevel community detection on the graph
that `communities_race` exported, scores every system's partition with one modularity
function, and prints a table with scrm's ratios and PASS/FAIL against the issue's targets:
scrm faster than every peer, and its modularity at least the best peer's minus 0.005.

Called by benches/communities_peers.sh; usage: communities_peers.py DIR
Exits 1 if a target fails.
"""

import importlib
import json
import sys
from pathlib import Path

import numpy as np

from peers import median_ms

MODULARITY_SLACK = 0.005
THREADS = 2


def modularity(edges: np.ndarray, membership: np.ndarray) -> float:
    """Modularity (resolution 1) of `membership` on the undirected multigraph `edges`, in
    the convention of networkx and igraph: a self-loop adds 2 to its node's degree and to
    the weight inside its community."""
    n = len(membership)
    degree = np.bincount(edges.ravel(), minlength=n).astype(np.float64)
    two_m = degree.sum()
    if two_m == 0:
        return 0.0
    inside = 2.0 * np.count_nonzero(membership[edges[:, 0]] == membership[edges[:, 1]])
    tot = np.bincount(membership, weights=degree)
    return inside / two_m - float(np.dot(tot, tot)) / (two_m * two_m)


def networkit_plm(n: int, edges: np.ndarray, runs: int):
    nk = importlib.import_module("networkit")
    nk.setNumberOfThreads(THREADS)
    graph = nk.graph.Graph(n)
    graph.addEdges((edges[:, 0].astype(np.uint64), edges[:, 1].astype(np.uint64)))
    ms, plm = median_ms(runs, lambda: nk.community.PLM(graph).run())
    seconds = ms / 1e3
    return seconds, np.asarray(plm.getPartition().getVector(), dtype=np.int64)


def igraph_multilevel(n: int, edges: np.ndarray, runs: int):
    ig = importlib.import_module("igraph")
    graph = ig.Graph(n=n, edges=edges.tolist())
    ms, clustering = median_ms(runs, graph.community_multilevel)
    seconds = ms / 1e3
    return seconds, np.asarray(clustering.membership, dtype=np.int64)


PEERS = {
    f"NetworKit PLM ({THREADS} threads)": ("networkit", networkit_plm),
    "igraph multilevel": ("igraph", igraph_multilevel),
}


def main() -> None:
    directory = Path(sys.argv[1])
    report = json.loads((directory / "scrm.json").read_text())
    n, runs = report["nodes"], report["runs"]
    edges = np.fromfile(directory / "edges.u32", dtype="<u4").astype(np.int64).reshape(-1, 2)
    scrm_membership = np.fromfile(directory / "scrm_membership.u32", dtype="<u4").astype(np.int64)
    scrm_q = modularity(edges, scrm_membership)
    if abs(scrm_q - report["scrm"]["modularity"]) > 1e-6:
        print(f"MISMATCH: scrm reports modularity {report['scrm']['modularity']}, the common function {scrm_q}")
        sys.exit(1)
    rows = [("scrm", report["scrm"]["median_s"], scrm_q, report["scrm"]["communities"])]
    for name, (module, run) in PEERS.items():
        try:
            seconds, membership = run(n, edges, runs)
        except ImportError:
            print(f"{name}: {module} is not installed, left out")
            continue
        rows.append((name, seconds, modularity(edges, membership), len(np.unique(membership))))

    print(f"\n{report['graph']}: {n:,} nodes, {report['edges']:,} edges, median of {runs} runs\n")
    print("| system | seconds | modularity | communities | scrm is |")
    print("| --- | --- | --- | --- | --- |")
    scrm_s = rows[0][1]
    for name, seconds, q, count in rows:
        versus = "" if name == "scrm" else (
            f"{seconds / scrm_s:.1f}x faster" if scrm_s <= seconds else f"{scrm_s / seconds:.1f}x slower"
        )
        print(f"| {name} | {seconds:.2f} | {q:.4f} | {count:,} | {versus} |")
    peers = rows[1:]
    if not peers:
        print("\nno peer ran: nothing to compare")
        return
    faster = all(scrm_s < seconds for _, seconds, _, _ in peers)
    floor = max(q for _, _, q, _ in peers) - MODULARITY_SLACK
    good = scrm_q >= floor
    print(f"\n{'PASS' if faster else 'FAIL'}: scrm faster than every peer")
    print(f"{'PASS' if good else 'FAIL'}: scrm modularity {scrm_q:.4f} >= best peer - {MODULARITY_SLACK} = {floor:.4f}")
    sys.exit(0 if faster and good else 1)


if __name__ == "__main__":
    main()
