"""Every figure the issues name, with its target, read from a full run's results."""

from dataclasses import dataclass
from typing import Callable


@dataclass
class Target:
    """A figure of issue `issue`: read from the results of `workload` at size `size` by
    `measure`, which returns (what was measured, met)."""

    issue: int
    figure: str
    target: str
    workload: str
    size: str
    measure: Callable


def at_most(limit: float, unit: str, value: Callable) -> Callable:
    return lambda r: (f"{value(r):,.2f} {unit}", value(r) <= limit)


def at_least(limit: float, unit: str, value: Callable) -> Callable:
    return lambda r: (f"{value(r):,.0f} {unit}", value(r) >= limit)


def faster_than_peers(step: str, factor: float = 1.0) -> Callable:
    """scrm at least `factor` times faster than every peer that ran the step."""
    def measure(r):
        ours = r.ms(step)
        peers = {name: t[step] for name, t in r.times.items() if name != "scrm" and step in t}
        if not peers:
            return "no peer ran", False
        ratios = {name: ms / ours for name, ms in peers.items()}
        text = ", ".join(f"{ratio:.1f}x vs {name}" for name, ratio in ratios.items())
        return text, min(ratios.values()) >= factor
    return measure


def modularity_floor(slack: float) -> Callable:
    def measure(r):
        ours = r.scrm["scrm"]["modularity"]
        best = max((p["modularity"] for p in r.peers.values()), default=None)
        if best is None:
            return f"{ours:.4f}, no peer ran", False
        return f"{ours:.4f} vs best peer {best:.4f}", ours >= best - slack
    return measure


def ms(step: str) -> Callable:
    return lambda r: r.ms(step)


def both(*measures: Callable) -> Callable:
    def measure(r):
        parts = [m(r) for m in measures]
        return "; ".join(text for text, _ in parts), all(ok for _, ok in parts)
    return measure


TARGETS = [
    Target(2, "in-memory batch ingest", ">= 1,000,000 events/s", "events", "1M",
           at_least(1e6, "events/s", lambda r: r.scrm["events_per_s"])),
    Target(2, "file-mode ingest, batches of 10,000", ">= 200,000 events/s", "customers", "1M",
           at_least(2e5, "events/s", lambda r: r.scrm["file_events_per_s"])),
    Target(2, "identity lookup, 1,000,000 customers", "<= 1 µs", "customers", "1M",
           at_most(1, "µs", lambda r: r.scrm["lookup_us"])),
    Target(2, "memory, 1,000,000 customers with 3 identities", "reported", "customers", "1M",
           lambda r: (f"{r.peak_bytes['scrm'] / r.scrm['customers']:,.0f} bytes/customer peak RSS; "
                      f"{r.scrm['resident_bytes_per_customer'] or 0:,.0f} grown", True)),
    Target(3, "tag-only query, 10M customers", "<= 5 ms", "segments", "10M",
           at_most(5, "ms", ms("tag_only"))),
    Target(3, "mixed query, 10M customers", "<= 15 ms and 2x faster than polars", "segments", "10M",
           both(at_most(15, "ms", ms("mixed")),
                lambda r: (f"{r.ms('mixed', 'polars') / r.ms('mixed'):.1f}x vs polars",
                           r.ms("mixed", "polars") >= 2 * r.ms("mixed")))),
    Target(3, "single-customer updates, 20 saved segments live, 10M customers", ">= 500,000 updates/s",
           "segments", "10M",
           at_least(5e5, "updates/s (the slower of events and attributes)",
                    lambda r: min(r.scrm["updates"]["event_updates_per_s"],
                                  r.scrm["updates"]["attribute_updates_per_s"]))),
    Target(3, "tag index memory, 64 tags", "<= 16 bytes per customer", "segments", "10M",
           at_most(16, "bytes/customer", lambda r: r.scrm["tag_index_bytes"] / r.scrm["customers"])),
    Target(4, "PageRank 1M/10M with the CSR build", "<= 800 ms, faster than every peer", "pagerank", "1M",
           both(at_most(800, "ms", ms("pagerank")), faster_than_peers("pagerank"))),
    Target(4, "PageRank 100k/1M with the CSR build", "faster than every peer", "pagerank", "100k",
           faster_than_peers("pagerank")),
    Target(4, "k-hop reach (k = 2) from one customer, 1M/10M", "<= 1 ms median", "graph_engine", "1M",
           lambda r: (f"{r.ms('reach_2_count'):,.2f} ms counted; listing the ids takes "
                      f"{r.ms('reach_2_ids'):,.2f} ms", r.ms("reach_2_count") <= 1)),
    Target(4, "CSR snapshot memory", "<= 12 bytes per edge", "pagerank", "1M",
           at_most(12, "bytes/edge", lambda r: r.scrm["bytes_per_edge"])),
    Target(4, "Louvain 1M/10M, planted communities", "faster than every peer, modularity >= best - 0.005",
           "communities", "planted 1M", both(faster_than_peers("communities"), modularity_floor(0.005))),
    Target(4, "Louvain 1M/10M, power law", "faster than every peer, modularity >= best - 0.005",
           "communities", "power_law 1M", both(faster_than_peers("communities"), modularity_floor(0.005))),
    Target(5, "recompute every score and stage, 10M customers", "<= 1,000 ms", "events", "10M",
           at_most(1000, "ms", lambda r: r.ms("scores") + r.ms("stages"))),
    Target(5, "ingest through scoring with two ladders active", ">= 1,000,000 events/s", "events", "1M",
           at_least(1e6, "events/s", lambda r: r.scrm["ladder_events_per_s"])),
    Target(5, "BG/NBD fit, 2,357 customers", "<= 50 ms, faster than lifetimes", "bgnbd", "2357",
           both(at_most(50, "ms", ms("bgnbd_fit")), faster_than_peers("bgnbd_fit"))),
    Target(5, "P(alive), 10M customers", "<= 1,000 ms", "bgnbd", "10M", at_most(1000, "ms", ms("p_alive"))),
    Target(6, "trigger events, 3 levels, caps, fraud checks, 1M forest", ">= 500,000 events/s",
           "referrals", "1M", at_least(5e5, "events/s", lambda r: r.scrm["events_per_s"])),
    Target(6, "balance lookup", "<= 1 µs", "referrals", "1M", at_most(1, "µs", lambda r: r.scrm["balance_us"])),
    Target(6, "ledger of 10,000,000 entries", "<= 40 bytes per entry", "referrals", "1M",
           at_most(40, "bytes/entry (resident growth, event log included)",
                   lambda r: r.scrm["resident_bytes_per_entry"] or float("inf"))),
    Target(7, "Python: ingest 1,000,000 events from a pandas DataFrame", ">= 500,000 events/s", "bindings", "1M",
           at_least(5e5, "events/s", lambda r: r.scrm["python"]["events_per_s"])),
    Target(7, "Python: a 1,000,000-member segment as a pandas DataFrame", "<= 50 ms", "bindings", "1M",
           at_most(50, "ms", lambda r: r.scrm["python"]["segment_to_pandas_ms"])),
    Target(7, "Python: per-call overhead of a trivial method", "<= 1 µs", "bindings", "1M",
           at_most(1, "µs", lambda r: r.scrm["python"]["per_call_us"])),
    Target(8, "Node: ingest 1,000,000 events from a JS array", ">= 300,000 events/s", "bindings", "1M",
           at_least(3e5, "events/s", lambda r: r.scrm["node"]["events_per_s"])),
    Target(8, "Node: per-call overhead of a trivial method", "<= 2 µs", "bindings", "1M",
           at_most(2, "µs", lambda r: r.scrm["node"]["per_call_us"])),
    Target(9, "Kotlin: per-call overhead of a trivial method", "<= 5 µs", "bindings", "1M",
           at_most(5, "µs", lambda r: r.scrm["kotlin"]["per_call_us"])),
    Target(9, "Kotlin: ingest 1,000,000 events in batches", ">= 200,000 events/s", "bindings", "1M",
           at_least(2e5, "events/s", lambda r: r.scrm["kotlin"]["events_per_s"])),
    Target(9, "uniffi library, release (`mobile` profile), stripped", "<= 6 MB", "bindings", "1M",
           at_most(6, "MB", lambda r: r.scrm["kotlin"]["library_bytes"] / 1e6)),
]
