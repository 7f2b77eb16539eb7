"""The relationship graph through the engine's public API (issue 4): loading edges and 2-hop
reach from one customer. The peers' graph libraries have no customer ids, live edge store or
segment language, so scrm runs alone and the issue's targets are the reference."""

from report.workload import Size

TITLE = "The relationship graph through the engine (scrm only)"
BENCH = "graph_engine_race"
ABOUT = """The power-law graph of the PageRank workload, loaded into an in-memory engine as
`follows` edges between customers (`add_edges` in batches of 100,000, ids in). Then 2-hop
reach, both directions, every edge kind, from random customers, one call at a time:
counted (`count("within 2 hops of \\"c42\\"")`, the segment language's reach predicate) and
listed (`reach`, which returns every reached customer's id). The first read after the load
builds the CSR snapshot and is timed apart. Times are the median call."""
STEPS = {
    "load": "load every edge",
    "snapshot": "first read: build the snapshot",
    "reach_2_count": "count the customers within 2 hops",
    "reach_2_ids": "list the customers within 2 hops (their ids)",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("20k", "20,000 customers, 200,000 edges", ["--nodes", "20000", "--runs", "100"], 100)]
    return [Size("1M", "1,000,000 customers, 10,000,000 edges",
                 ["--nodes", "1000000", "--runs", "1000"], 1000)]


def notes(scrm: dict) -> list:
    return [f"edges load at {scrm['edges_per_s']:,.0f} edges/s; a median 2-hop reach holds "
            f"{scrm['reach_2_median_size']:,.0f} customers (the binary checks that counting and "
            "listing agree for every start)."]
