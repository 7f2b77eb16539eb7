"""Runs PageRank in networkx, igraph, NetworKit and rustworkx on the graph that
`graph_race` exported, checks scrm's ranks against networkx's (L1 <= 1e-6), and prints
each system's median time and scrm's ratio to it.

Every peer runs with damping 0.85 and networkx's stopping rule where it has one: networkx
and rustworkx stop when the L1 change is below n * 1e-6; NetworKit is given the same rule
(L1 norm, tolerance n * 1e-6) and sink distribution; igraph (PRPACK) solves to machine
precision and takes no tolerance. networkx is skipped above 200,000 nodes (minutes per
run). A peer that is not installed is reported and left out.

scrm's time includes building its CSR snapshot from the edge list; the peers' PageRank
times do not include building their graphs (shown apart, timed once). "L1 vs scrm" compares
with scrm's ranks under networkx's rule, "L1 vs scrm converged" with scrm's ranks iterated
to an L1 change below 1e-6 (networkx's rule stops at n * 1e-6, loose on large graphs).

Called by benches/graph_peers.sh; usage: graph_peers.py DIR
"""

import importlib
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

NETWORKX_MAX_NODES = 200_000
DAMPING = 0.85
TOL = 1e-6


def median_ms(runs: int, f):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = f()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), result


def timed_ms(f):
    start = time.perf_counter()
    result = f()
    return (time.perf_counter() - start) * 1e3, result


def networkx_peer(nx, n, edges):
    def build():
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges.tolist())
        return g

    def rank(g):
        r = nx.pagerank(g, alpha=DAMPING, tol=TOL)
        return np.fromiter((r[i] for i in range(n)), dtype=float, count=n), None

    return build, rank


def igraph_peer(ig, n, edges):
    def build():
        return ig.Graph(n=n, edges=edges, directed=True)

    def rank(g):
        return np.array(g.pagerank(directed=True, damping=DAMPING)), None

    return build, rank


def networkit_peer(nk, n, edges):
    sinks = nk.centrality.SinkHandling.DistributeSinks

    def build():
        g = nk.Graph(n, directed=True)
        g.addEdges((edges[:, 0].astype(np.uint64), edges[:, 1].astype(np.uint64)))
        return g

    def rank(g):
        pr = nk.centrality.PageRank(g, damp=DAMPING, tol=n * TOL, distributeSinks=sinks)
        pr.norm = nk.centrality.Norm.L1_NORM
        pr.run()
        return np.array(pr.scores()), pr.numberOfIterations()

    return build, rank


def rustworkx_peer(rx, n, edges):
    def build():
        g = rx.PyDiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data([tuple(e) for e in edges.tolist()])
        return g

    def rank(g):
        r = rx.pagerank(g, alpha=DAMPING, tol=TOL)
        return np.fromiter((r[i] for i in range(n)), dtype=float, count=n), None

    return build, rank


PEERS = {
    "networkx": ("networkx", networkx_peer),
    "igraph": ("igraph", igraph_peer),
    "networkit": ("networkit", networkit_peer),
    "rustworkx": ("rustworkx", rustworkx_peer),
}


def ratio(scrm_ms: float, peer_ms: float) -> str:
    if scrm_ms <= peer_ms:
        return f"{peer_ms / scrm_ms:.1f}x faster"
    return f"{scrm_ms / peer_ms:.1f}x slower"


def main() -> None:
    directory = Path(sys.argv[1])
    scrm = json.loads((directory / "scrm.json").read_text())
    n, runs = scrm["nodes"], scrm["runs"]
    edges = np.fromfile(directory / "edges.u32", dtype="<u4").reshape(-1, 2)
    ours = np.fromfile(directory / "ranks.f64", dtype="<f8")
    tight = np.fromfile(directory / "ranks_tight.f64", dtype="<f8")
    print(f"\n{n:,} nodes, {len(edges):,} edges (power law), PageRank damping {DAMPING}, "
          f"median of {runs} runs, milliseconds\n")
    print("| system | graph build | PageRank | iterations | L1 vs scrm | L1 vs scrm converged "
          "| scrm (build + PageRank) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| scrm | {scrm['build_ms']:.1f} | {scrm['pagerank_ms']:.1f} (with build: "
          f"{scrm['total_ms']:.1f}) | {scrm['iterations']} | - | - | - |")
    print(f"| scrm converged (tol {scrm['tight_tol']:.0e}) | - | {scrm['tight_ms']:.1f} "
          f"| {scrm['tight_iterations']} | {np.abs(tight - ours).sum():.1e} | - | - |")
    failed = False
    for peer, (module, make) in PEERS.items():
        if peer == "networkx" and n > NETWORKX_MAX_NODES:
            print(f"| {peer} | skipped (over {NETWORKX_MAX_NODES:,} nodes) | | | | | |")
            continue
        try:
            lib = importlib.import_module(module)
        except ImportError as e:
            print(f"| {peer} | not installed ({e}) | | | | | |")
            continue
        build, rank = make(lib, n, edges)
        build_ms, graph = timed_ms(build)
        ms, (ranks, iterations) = median_ms(runs, lambda: rank(graph))
        l1 = float(np.abs(ranks - ours).sum())
        if peer == "networkx" and l1 > 1e-6:
            failed = True
            print(f"MISMATCH: scrm's ranks differ from networkx's by {l1:.2e} in L1 (limit 1e-6)")
        iterations = "-" if iterations is None else iterations
        l1_tight = float(np.abs(ranks - tight).sum())
        print(f"| {peer} | {build_ms:.1f} | {ms:.1f} | {iterations} | {l1:.1e} | {l1_tight:.1e} "
              f"| {ratio(scrm['total_ms'], ms)} |")
        del graph
    print(f"\nscrm snapshot: {scrm['bytes_per_edge']:.2f} bytes per edge "
          f"({scrm['snapshot_bytes']:,} bytes, {scrm['distinct_edges']:,} edges; "
          f"{scrm['pagerank_bytes_per_edge']:.2f} before the out-lists, all PageRank needs); "
          f"{scrm['threads']} threads available")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
