"""The workloads of the report, in page order (each module is described in workload.py)."""

import importlib
from types import ModuleType

NAMES = ["customers", "events", "segments", "pagerank", "graph_engine", "communities", "bgnbd", "referrals", "bindings"]

# What a workload module may leave out: scrm-only workloads have no peers and nothing to
# check, and most race binaries write their step timings under "times_ms".
DEFAULTS = {
    "PEERS": {},
    "MEMORY": True,
    "scrm_times": lambda scrm: scrm["times_ms"],
    "check": lambda scrm, peers: [],
    "notes": lambda scrm: [],
}


def load(name: str) -> ModuleType:
    """The workload module `name`, with the defaults of what it leaves out."""
    module = importlib.import_module(f"report.workloads.{name}")
    for attribute, default in DEFAULTS.items():
        if not hasattr(module, attribute):
            setattr(module, attribute, default)
    return module
