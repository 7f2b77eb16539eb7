"""PageRank on a power-law graph (issue 4) against networkx, igraph, NetworKit and rustworkx."""

from pathlib import Path

import numpy as np

from report.measure import median_ms, each
from report.workload import Check, Peer, Size

TITLE = "PageRank"
BENCH = "graph_race"
DAMPING = 0.85
TOL = 1e-6
NETWORKX_MAX_NODES = 200_000
L1_LIMIT = 1e-6
ABOUT = f"""A seeded directed graph with power-law degrees (exponent 2.3, about 10 edges per node).
Every system runs PageRank with damping {DAMPING} and networkx's stopping rule where it has
one (L1 change below n x {TOL:g}): networkx and rustworkx by default, NetworKit given the same
rule and sink handling; igraph (PRPACK) solves to machine precision and takes no tolerance.
scrm's time **includes building its CSR snapshot** from the edge list; the peers' PageRank
times do not include building their graphs (shown as its own step). networkx is left out
above {NETWORKX_MAX_NODES:,} nodes (minutes per run). scrm's ranks must be within
{L1_LIMIT:g} of networkx's in L1 norm; the other peers' L1 distances are shown."""
STEPS = {
    "build": "graph build",
    "pagerank": "PageRank (scrm: with its CSR build)",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("2k", "2,000 nodes, 20,000 edges", ["--nodes", "2000", "--edges", "20000"], 3)]
    return [
        Size("100k", "100,000 nodes, 1,000,000 edges", ["--nodes", "100000", "--edges", "1000000"], 5),
        Size("1M", "1,000,000 nodes, 10,000,000 edges", ["--nodes", "1000000", "--edges", "10000000"], 5),
    ]


def scrm_times(scrm: dict) -> dict:
    return {"build": scrm["build_ms"], "pagerank": scrm["total_ms"]}


def edges(directory: Path) -> np.ndarray:
    return np.fromfile(directory / "edges.u32", dtype="<u4").reshape(-1, 2)


def ranked(directory: Path, runs: int, build, rank) -> dict:
    """Times `build` once and `rank` `runs` times; the L1 distance of the ranks to scrm's."""
    build_ms, graph = median_ms(1, build)
    times, results = each(runs, {"pagerank": lambda: rank(graph)})
    ranks = np.asarray(results["pagerank"], dtype=float)
    ours = np.fromfile(directory / "ranks.f64", dtype="<f8")
    return {"times_ms": {"build": build_ms, **times}, "l1": float(np.abs(ranks - ours).sum())}


def run_networkx(directory: Path, scrm: dict, runs: int) -> dict:
    import networkx as nx

    n, e = scrm["nodes"], edges(directory)

    def build():
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(e.tolist())
        return g

    def rank(g):
        r = nx.pagerank(g, alpha=DAMPING, tol=TOL)
        return [r[i] for i in range(n)]

    return ranked(directory, runs, build, rank)


def run_igraph(directory: Path, scrm: dict, runs: int) -> dict:
    import igraph as ig

    e = edges(directory)
    return ranked(directory, runs, lambda: ig.Graph(n=scrm["nodes"], edges=e, directed=True),
                  lambda g: g.pagerank(directed=True, damping=DAMPING))


def run_networkit(directory: Path, scrm: dict, runs: int) -> dict:
    import networkit as nk

    n, e = scrm["nodes"], edges(directory)

    def build():
        g = nk.Graph(n, directed=True)
        g.addEdges((e[:, 0].astype(np.uint64), e[:, 1].astype(np.uint64)))
        return g

    def rank(g):
        pr = nk.centrality.PageRank(g, damp=DAMPING, tol=n * TOL,
                                    distributeSinks=nk.centrality.SinkHandling.DistributeSinks)
        pr.norm = nk.centrality.Norm.L1_NORM
        pr.run()
        return pr.scores()

    return ranked(directory, runs, build, rank)


def run_rustworkx(directory: Path, scrm: dict, runs: int) -> dict:
    import rustworkx as rx

    n, e = scrm["nodes"], edges(directory)

    def build():
        g = rx.PyDiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from_no_data([tuple(pair) for pair in e.tolist()])
        return g

    def rank(g):
        r = rx.pagerank(g, alpha=DAMPING, tol=TOL)
        return [r[i] for i in range(n)]

    return ranked(directory, runs, build, rank)


def too_big_for_networkx(scrm: dict):
    if scrm["nodes"] > NETWORKX_MAX_NODES:
        return f"over {NETWORKX_MAX_NODES:,} nodes (minutes per run)"
    return None


PEERS = {
    "networkx": Peer("networkx", run_networkx, too_big_for_networkx),
    "igraph": Peer("igraph", run_igraph),
    "networkit": Peer("networkit", run_networkit),
    "rustworkx": Peer("rustworkx", run_rustworkx),
}


def check(scrm: dict, peers: dict) -> list:
    checks = [Check(f"L1 distance of {peer}'s ranks to scrm's", peer != "networkx" or got["l1"] <= L1_LIMIT,
                    f"{got['l1']:.1e}" + (f" (limit {L1_LIMIT:g})" if peer == "networkx" else " (shown, no limit)"))
              for peer, got in peers.items()]
    return checks


def notes(scrm: dict) -> list:
    return [f"scrm's CSR snapshot: {scrm['bytes_per_edge']:.2f} bytes per edge "
            f"({scrm['pagerank_bytes_per_edge']:.2f} for the in-lists PageRank reads); "
            f"{scrm['iterations']} iterations; {scrm['threads']} threads available."]
