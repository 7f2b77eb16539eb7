"""Community detection (issue 4) against NetworKit's PLM and igraph's multilevel (Louvain),
on a graph with planted communities and on a power-law one."""

from pathlib import Path

import numpy as np

from report.measure import median_ms
from report.workload import Check, Peer, Size

TITLE = "Communities (Louvain)"
BENCH = "communities_race"
THREADS = 2
MODULARITY_SLACK = 0.005
ABOUT = f"""Two seeded undirected graphs per size: one with planted communities, one with power-law
degrees. scrm runs its Louvain (`Engine::communities` uses the same code), NetworKit its
PLM on {THREADS} threads, igraph its multilevel. Every partition is scored by one modularity
function (resolution 1, networkx's convention), shown beside the times; the issue asks
scrm for modularity no lower than the best peer's minus {MODULARITY_SLACK}."""
STEPS = {"communities": "find communities"}


def sizes(quick: bool) -> list:
    graphs = [("planted", "planted communities"), ("power_law", "power law")]
    if quick:
        scales = [("2k", "2,000 nodes, 20,000 edges", 2000, 3)]
    else:
        scales = [("100k", "100,000 nodes, 1,000,000 edges", 100_000, 3),
                  ("1M", "1,000,000 nodes, 10,000,000 edges", 1_000_000, 3)]
    return [Size(f"{graph} {key}", f"{label}, {about}",
                 ["--nodes", str(n), "--edges", str(10 * n), "--graph", graph], runs)
            for key, label, n, runs in scales for graph, about in graphs]


def scrm_times(scrm: dict) -> dict:
    return {"communities": scrm["scrm"]["median_s"] * 1e3}


def edges(directory: Path) -> np.ndarray:
    return np.fromfile(directory / "edges.u32", dtype="<u4").astype(np.int64).reshape(-1, 2)


def modularity(e: np.ndarray, membership: np.ndarray) -> float:
    """Modularity (resolution 1) of `membership` on the undirected multigraph `e`, in the
    convention of networkx and igraph: a self-loop adds 2 to its node's degree and to the
    weight inside its community."""
    degree = np.bincount(e.ravel(), minlength=len(membership)).astype(np.float64)
    two_m = degree.sum()
    if two_m == 0:
        return 0.0
    inside = 2.0 * np.count_nonzero(membership[e[:, 0]] == membership[e[:, 1]])
    tot = np.bincount(membership, weights=degree)
    return inside / two_m - float(np.dot(tot, tot)) / (two_m * two_m)


def scored(directory: Path, e: np.ndarray, ms: float, membership) -> dict:
    """The peer's time and modularity, and scrm's partition under the same function."""
    membership = np.asarray(membership, dtype=np.int64)
    ours = np.fromfile(directory / "scrm_membership.u32", dtype="<u4").astype(np.int64)
    q, count = modularity(e, membership), int(len(np.unique(membership)))
    return {"times_ms": {"communities": ms}, "modularity": q, "scrm_modularity": modularity(e, ours),
            "summary": f"modularity {q:.4f}, {count:,} communities"}


def run_networkit(directory: Path, scrm: dict, runs: int) -> dict:
    import networkit as nk

    nk.setNumberOfThreads(THREADS)
    e = edges(directory)
    graph = nk.graph.Graph(scrm["nodes"])
    graph.addEdges((e[:, 0].astype(np.uint64), e[:, 1].astype(np.uint64)))
    ms, plm = median_ms(runs, lambda: nk.community.PLM(graph).run())
    return scored(directory, e, ms, plm.getPartition().getVector())


def run_igraph(directory: Path, scrm: dict, runs: int) -> dict:
    import igraph as ig

    e = edges(directory)
    graph = ig.Graph(n=scrm["nodes"], edges=e.tolist())
    ms, clustering = median_ms(runs, graph.community_multilevel)
    return scored(directory, e, ms, clustering.membership)


PEERS = {
    "networkit": Peer("networkit", run_networkit),
    "igraph": Peer("igraph", run_igraph),
}


def check(scrm: dict, peers: dict) -> list:
    reported = scrm["scrm"]["modularity"]
    return [Check(f"scrm's modularity as {peer}'s process scores it", abs(got["scrm_modularity"] - reported) <= 1e-6,
                  f"{got['scrm_modularity']:.6f} vs scrm's own {reported:.6f}")
            for peer, got in peers.items()]


def notes(scrm: dict) -> list:
    return [f"scrm: modularity {scrm['scrm']['modularity']:.4f}, {scrm['scrm']['communities']:,} communities."]
