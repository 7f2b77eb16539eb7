"""Runs the issue-3 segment queries in polars and DuckDB on the dataset that
`segments_race` exported, checks that every system counts the same members, and prints
each system's median time and scrm's ratio to the best peer.

Called by benches/segments_peers.sh; usage: segments_peers.py DIR
"""

import json
import sys
from pathlib import Path

import duckdb
import numpy as np

import polars as pl

from peers import median_ms

TAGS = 64


def load(directory: Path) -> pl.DataFrame:
    level = np.fromfile(directory / "level.i8", dtype=np.int8)
    score = np.fromfile(directory / "score.f64", dtype="<f8")
    n = len(level)
    bits = np.fromfile(directory / "tags.bits", dtype=np.uint8).reshape(TAGS, -1)
    columns = {f"t{k}": np.unpackbits(bits[k], bitorder="little")[:n].astype(bool) for k in range(TAGS)}
    return pl.DataFrame({**columns, "level": level, "score": score})


def main() -> None:
    directory = Path(sys.argv[1])
    scrm = json.loads((directory / "scrm.json").read_text())
    runs = scrm["runs"]
    df = load(directory)
    tag_only = pl.col("t10") & pl.col("t40") & ~pl.col("t3")
    mixed = (tag_only | (pl.col("level") >= 4)) & (pl.col("score") > 50)
    sql = {
        "tag_only": "t10 AND t40 AND NOT t3",
        "mixed": "((t10 AND t40 AND NOT t3) OR level >= 4) AND score > 50",
    }
    con = duckdb.connect()
    con.register("customers", df.to_arrow())
    con.execute("CREATE TABLE c AS SELECT * FROM customers")
    peers = {
        "polars": {
            "tag_only": lambda: df.select(tag_only.sum()).item(),
            "mixed": lambda: df.select(mixed.sum()).item(),
        },
        "duckdb": {
            name: (lambda where=where: con.execute(f"SELECT count(*) FROM c WHERE {where}").fetchone()[0])
            for name, where in sql.items()
        },
    }
    print(f"\n{scrm['customers']:,} customers, median of {runs} runs, milliseconds\n")
    print("| query | scrm | polars | duckdb | scrm vs best peer |")
    print("| --- | --- | --- | --- | --- |")
    failed = False
    for query, spec in scrm["queries"].items():
        row = {"scrm": spec["median_ms"]}
        for peer, queries in peers.items():
            ms, count = median_ms(runs, queries[query])
            if count != spec["count"]:
                print(f"MISMATCH: {peer} counts {count} for {query}, scrm {spec['count']}")
                failed = True
            row[peer] = ms
        best = min(row["polars"], row["duckdb"])
        print(
            f"| {query} | {row['scrm']:.2f} | {row['polars']:.2f} | {row['duckdb']:.2f} "
            f"| {best / row['scrm']:.1f}x faster |"
            if row["scrm"] <= best
            else f"| {query} | {row['scrm']:.2f} | {row['polars']:.2f} | {row['duckdb']:.2f} "
            f"| {row['scrm'] / best:.1f}x slower |"
        )
    print(f"\ntag index: {scrm['tag_index_bytes'] / scrm['customers']:.2f} bytes per customer for {TAGS} tags")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
