"""Helpers shared by the peer-comparison scripts (segments_peers.py, graph_peers.py, ...)."""

import statistics
import time


def median_ms(runs: int, f):
    """Median wall time of `runs` calls of `f` in milliseconds, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = f()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), result
