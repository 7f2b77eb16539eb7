"""Segment queries over tags and columns (issue 3): 64 tags of popularity 1% to 50%, a float
`score` and a small-int `level` per customer."""

from pathlib import Path

import numpy as np

from report.measure import each
from report.workload import Check, Peer, Size

TITLE = "Segment queries: tags and columns"
BENCH = "segments_race"
TAGS = 64
ABOUT = f"""Customers carry {TAGS} tags of popularity 1% to 50%, a float `score` and a small-int
`level` (seeded). scrm answers with its segment language over roaring tag bitmaps and
columns (`Engine::count`); the peers hold the same data as {TAGS} boolean columns plus the two
value columns and count the rows of the same filter: polars expressions, DuckDB SQL on a
table, pandas/numpy boolean masks. Counts must be equal. Then, with 20 saved segments live
(tags, attributes, activity windows and references to each other), scrm takes
single-customer updates one call at a time: a purchase through `record_event`, an attribute
through `upsert_customer` (scrm only: the peers keep no live audiences)."""
STEPS = {
    "tag_only": "tag-only `tag:t10 and tag:t40 and not tag:t3`",
    "mixed": "mixed `((tag:t10 and tag:t40 and not tag:t3) or attr.level >= 4) and attr.score > 50`",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("20k", "20,000 customers", ["--customers", "20000"], 3)]
    return [
        Size("1M", "1,000,000 customers", ["--customers", "1000000", "--updates", "200000"], 15),
        Size("10M", "10,000,000 customers", ["--customers", "10000000", "--updates", "200000"], 15),
    ]


def scrm_times(scrm: dict) -> dict:
    return {name: q["median_ms"] for name, q in scrm["queries"].items()}


def columns(directory: Path) -> dict:
    """The exported dataset as numpy columns: t0..t63 (bool), level, score."""
    level = np.fromfile(directory / "level.i8", dtype=np.int8)
    score = np.fromfile(directory / "score.f64", dtype="<f8")
    n = len(level)
    bits = np.fromfile(directory / "tags.bits", dtype=np.uint8).reshape(TAGS, -1)
    tags = {f"t{k}": np.unpackbits(bits[k], bitorder="little")[:n].astype(bool) for k in range(TAGS)}
    return {**tags, "level": level, "score": score}


def run_polars(directory: Path, scrm: dict, runs: int) -> dict:
    import polars as pl

    df = pl.DataFrame(columns(directory))
    tag_only = pl.col("t10") & pl.col("t40") & ~pl.col("t3")
    mixed = (tag_only | (pl.col("level") >= 4)) & (pl.col("score") > 50)
    times, counts = each(runs, {
        "tag_only": lambda: df.select(tag_only.sum()).item(),
        "mixed": lambda: df.select(mixed.sum()).item(),
    })
    return {"times_ms": times, "counts": counts}


def run_duckdb(directory: Path, scrm: dict, runs: int) -> dict:
    import duckdb
    import pyarrow as pa

    con = duckdb.connect()
    con.register("customers", pa.table(columns(directory)))
    con.execute("CREATE TABLE c AS SELECT * FROM customers")
    con.unregister("customers")
    sql = {
        "tag_only": "t10 AND t40 AND NOT t3",
        "mixed": "((t10 AND t40 AND NOT t3) OR level >= 4) AND score > 50",
    }
    times, counts = each(runs, {
        name: (lambda where=where: con.execute(f"SELECT count(*) FROM c WHERE {where}").fetchone()[0])
        for name, where in sql.items()
    })
    return {"times_ms": times, "counts": counts}


def run_pandas(directory: Path, scrm: dict, runs: int) -> dict:
    import pandas as pd

    df = pd.DataFrame(columns(directory))
    times, counts = each(runs, {
        "tag_only": lambda: int((df["t10"] & df["t40"] & ~df["t3"]).sum()),
        "mixed": lambda: int((((df["t10"] & df["t40"] & ~df["t3"]) | (df["level"] >= 4))
                              & (df["score"] > 50)).sum()),
    })
    return {"times_ms": times, "counts": counts}


PEERS = {
    "polars": Peer("polars", run_polars),
    "duckdb": Peer("duckdb", run_duckdb),
    "pandas": Peer("pandas", run_pandas),
}


def check(scrm: dict, peers: dict) -> list:
    return [
        Check(f"{peer} counts {query}", result["counts"][query] == spec["count"],
              f"{result['counts'][query]:,} vs scrm {spec['count']:,}")
        for peer, result in peers.items()
        for query, spec in scrm["queries"].items()
    ]


def notes(scrm: dict) -> list:
    per = scrm["tag_index_bytes"] / scrm["customers"]
    updates = scrm["updates"]
    return [f"scrm's tag index: {per:.2f} bytes per customer for the {TAGS} tag bitmaps.",
            f"with {updates['saved_segments']} saved segments live, scrm takes "
            f"{updates['event_updates_per_s']:,.0f} purchase events/s and "
            f"{updates['attribute_updates_per_s']:,.0f} attribute updates/s, one customer per call."]
