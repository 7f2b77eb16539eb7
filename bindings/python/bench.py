"""Timings of the Python binding (not a test): run with the package installed, e.g.
``bindings/python/.venv/bin/python bindings/python/bench.py [customers]``.

1. A segment of every customer (1,000,000 tagged ``vip`` by default) as a pandas DataFrame:
   ``segment_members`` (the core's page of ids, turned into an Arrow column with the GIL
   released) then ``Table.to_pandas()``; the median of several runs (target <= 50 ms).
2. The per-call overhead of trivial methods (target <= 1 µs): a getter, and ``contains``
   (which takes the engine lock and releases the GIL).
3. DataFrame ingest: ``record_events_frame`` of one event per customer from a pandas
   DataFrame, in events per second (target >= 500,000/s).

The last line printed is the figures as JSON, for the benchmark report (`scripts/bench.sh`).
"""

import datetime as dt
import json
import statistics
import sys
import time
import timeit

import pandas as pd

import scrm

RUNS = 7


def median_seconds(action, runs=RUNS):
    """The median wall time of `action()` over `runs` runs (after one warm-up run)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_call_ns(statement, engine, number=1_000_000):
    """The best of five `timeit` rounds of `statement`, per call, in nanoseconds."""
    rounds = timeit.repeat(statement, globals={"engine": engine}, number=number, repeat=5)
    return min(rounds) / number * 1e9


def main(customers):
    utc = dt.timezone.utc
    t0 = dt.datetime(2026, 1, 1, tzinfo=utc)
    ids = [f"c{i:07d}" for i in range(customers)]
    with scrm.Engine() as engine:
        engine.set_clock(t0 + dt.timedelta(days=30))
        start = time.perf_counter()
        engine.upsert_customers_frame({"id": ids, "at": [t0] * customers})
        engine.tag_customers(ids, ["vip"])
        engine.save_segment("vips", "tag:vip")
        print(f"setup: {customers:,} customers tagged vip in {time.perf_counter() - start:.1f} s")

        count = median_seconds(lambda: engine.count("tag:vip"))
        as_dict = median_seconds(lambda: engine.segment_members("vips").to_dict())
        print(f"for comparison: count() {count * 1e3:.1f} ms (the core's scan, no ids); "
              f"fetch + to_dict() {as_dict * 1e3:.1f} ms (a Python str per member)")
        last = {}  # only the latest frame stays alive between runs
        fetch = median_seconds(lambda: engine.segment_members("vips"))
        both = median_seconds(lambda: last.update(frame=engine.segment_members("vips").to_pandas()))
        frame = last["frame"]
        assert len(frame) == customers and frame["ids"].iloc[-1] == ids[-1]
        print(f"segment of {customers:,} members: fetch {fetch * 1e3:.1f} ms, "
              f"fetch + to_pandas() {both * 1e3:.1f} ms (median of {RUNS}; target <= 50 ms; "
              f"ids dtype {frame['ids'].dtype})")

        per_call = {}
        for statement in ('engine.closed', 'engine.contains("c0000001")'):
            per_call[statement] = per_call_ns(statement, engine, 200_000)
            print(f"per call: {statement}: {per_call[statement]:.0f} ns (target <= 1000 ns)")

        events = pd.DataFrame({
            "customer": ids,
            "kind": "view",
            "channel": "app",
            "at": pd.Series([t0 + dt.timedelta(days=1)] * customers, dtype="datetime64[us, UTC]"),
        })
        start = time.perf_counter()
        report = engine.record_events_frame(events)
        took = time.perf_counter() - start
        assert report["inserted"] == customers
        print(f"record_events_frame: {customers:,} events in {took:.2f} s = "
              f"{customers / took:,.0f} events/s (target >= 500,000/s)")
        # Last line: the figures for the benchmark report (benches/report/bindings.py); the
        # trivial call is `contains`, as in the Node and Kotlin benchmarks.
        print(json.dumps({
            "segment_to_pandas_ms": both * 1e3,
            "per_call_us": per_call['engine.contains("c0000001")'] / 1e3,
            "events_per_s": customers / took,
        }))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
