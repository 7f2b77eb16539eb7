"""The workloads of the report, in page order (each module is described in workload.py)."""

NAMES = ["events", "segments", "pagerank", "communities", "bgnbd", "referrals", "bindings"]
