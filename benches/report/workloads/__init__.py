"""The workloads of the report, in page order (each module is described in workload.py)."""

NAMES = ["customers", "events", "segments", "pagerank", "graph_engine", "communities", "bgnbd", "referrals", "bindings"]
