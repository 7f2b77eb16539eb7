"""Event ingest, segment queries with time windows, and the recompute of every engagement
score and lifecycle stage (issues 2, 3 and 5), on one seeded event stream."""

from pathlib import Path

import numpy as np

from report.measure import each, median_ms
from report.workload import Check, Peer, Size

TITLE = "Events: ingest, time-window segments, score and stage recompute"
BENCH = "events_race"
BATCH = 100_000
DAY_MICROS = 86_400 * 10**6
SCORE_REL = 1e-9
ABOUT = f"""A seeded stream of inbound events (views 40%, comments 20%, shares 15%, purchases 15%
with an amount, follows 10%) over the 180 days before the clock, for customers that exist
beforehand. **Ingest**: scrm's `record_events` in batches of {BATCH:,} into an in-memory
engine (appending to each customer's log and keeping counts, sums, last-seen times, engagement
scores and live segments current); the peers append the same batches to a table and do
nothing else (pandas and polars: a frame per batch, concatenated; DuckDB: an `INSERT` per
batch), so they do less work than scrm here. **Time windows**: scrm's segment language;
the peers filter the event table by time and group by customer on every query.
**Scores**: rebuild every customer's engagement score (per-kind weights, 30-day half-life)
from the log (`set_scoring`); the peers compute the same decayed sums with a group-by.
**Stages**: place every customer on a four-stage ladder (`define_ladder`: the highest of
unaware, follower `events(follow) >= 1`, interactor `events(comment) >= 1 or events(share)
>= 1`, advocate `events(share) >= 3`); the peers count events per kind and customer and
apply the same rules. Counts must be equal and scores within {SCORE_REL:g} (relative)."""
STEPS = {
    "ingest": "ingest every event",
    "ingest_ladders": "ingest more (up to 1,000,000) with both built-in ladders on (scrm only)",
    "purchases_30d": "`events(purchase, 30d) >= 2`",
    "spend_90d_seen_14d": "`amount(purchase, 90d) > 150 and last_seen within 14d`",
    "scores": "recompute every engagement score",
    "stages": "place every customer on a 4-stage ladder",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("20k", "20,000 customers, 100,000 events",
                     ["--customers", "20000", "--events", "100000"], 3)]
    return [
        Size("1M", "1,000,000 customers, 10,000,000 events",
             ["--customers", "1000000", "--events", "10000000"], 5),
        Size("10M", "10,000,000 customers, 30,000,000 events",
             ["--customers", "10000000", "--events", "30000000"], 3),
    ]


def scrm_times(scrm: dict) -> dict:
    return {**scrm["times_ms"], **{name: q["median_ms"] for name, q in scrm["queries"].items()}}


class Data:
    """The exported stream as numpy columns, and what the checks and rules need."""

    def __init__(self, directory: Path, scrm: dict):
        self.customer = np.fromfile(directory / "customer.u32", dtype="<u4")
        self.kind = np.fromfile(directory / "kind.u8", dtype=np.uint8)
        self.at = np.fromfile(directory / "at.i64", dtype="<i8")
        self.amount = np.fromfile(directory / "amount.f64", dtype="<f8")
        self.n = scrm["customers"]
        self.now = scrm["now_micros"]
        self.kinds = {name: i for i, name in enumerate(scrm["kinds"])}
        inbound = {w["kind"]: w["weight"] for w in scrm["scoring"]["weights"]
                   if w.get("direction", "inbound") == "inbound"}
        self.weights = np.array([inbound.get(k, 0.0) for k in scrm["kinds"]])
        self.half_life = scrm["scoring"]["half_life_days"] * DAY_MICROS
        self.scrm_scores = np.fromfile(directory / "scores.f64", dtype="<f8")

    def batches(self):
        """The columns in ingest batches, as dicts of arrays."""
        for start in range(0, len(self.kind), BATCH):
            end = start + BATCH
            yield {"customer": self.customer[start:end], "kind": self.kind[start:end],
                   "ts": self.at[start:end], "amount": self.amount[start:end]}

    def since(self, days: int) -> int:
        """The start of a window of `days` ending at the clock (exclusive, as scrm's)."""
        return self.now - days * DAY_MICROS

    def score_error(self, scores: np.ndarray) -> float:
        """The largest relative difference to scrm's scores (absolute below 1)."""
        return float(np.max(np.abs(scores - self.scrm_scores) / np.maximum(1.0, np.abs(self.scrm_scores))))

    def stage_counts(self, follows: np.ndarray, comments: np.ndarray, shares: np.ndarray) -> dict:
        """Customers per stage, from per-customer counts (length n)."""
        advocate = shares >= 3
        interactor = ~advocate & ((comments >= 1) | (shares >= 1))
        follower = ~advocate & ~interactor & (follows >= 1)
        counts = {s: int(m.sum()) for s, m in
                  [("advocate", advocate), ("interactor", interactor), ("follower", follower)]}
        return {"unaware": self.n - sum(counts.values()), **counts}


def result(data: Data, ingest_ms: float, times: dict, answers: dict) -> dict:
    scores, stages = answers.pop("scores"), answers.pop("stages")
    return {
        "times_ms": {"ingest": ingest_ms, **times},
        "counts": answers,
        "score_error": data.score_error(scores),
        "stage_counts": stages,
    }


def run_polars(directory: Path, scrm: dict, runs: int) -> dict:
    import polars as pl

    data = Data(directory, scrm)
    ingest_ms, ev = median_ms(1, lambda: pl.concat([pl.DataFrame(b) for b in data.batches()]))
    purchase = pl.col("kind") == data.kinds["purchase"]
    now = pl.col("ts") <= data.now

    def window_count():
        hits = ev.filter(purchase & now & (pl.col("ts") > data.since(30))).group_by("customer").len()
        return hits.filter(pl.col("len") >= 2).height

    def spend_seen():
        spend = (ev.filter(purchase & now & (pl.col("ts") > data.since(90)))
                 .group_by("customer").agg(pl.col("amount").sum()).filter(pl.col("amount") > 150))
        seen = ev.group_by("customer").agg(pl.col("ts").max()).filter(pl.col("ts") > data.since(14))
        return spend.join(seen, on="customer").height

    def scores():
        per = (ev.with_columns(
            (pl.col("kind").replace_strict(list(range(len(data.weights))), list(data.weights),
                                           return_dtype=pl.Float64)
             * (2.0 ** (-(data.now - pl.col("ts")) / data.half_life))).alias("v"))
            .group_by("customer").agg(pl.col("v").sum()))
        out = np.zeros(data.n)
        out[per["customer"].to_numpy()] = per["v"].to_numpy()
        return out

    def stages():
        per = ev.group_by("customer").agg(
            [(pl.col("kind") == data.kinds[k]).sum().alias(k) for k in ("follow", "comment", "share")])
        full = {k: np.zeros(data.n, dtype=np.int64) for k in ("follow", "comment", "share")}
        for k in full:
            full[k][per["customer"].to_numpy()] = per[k].to_numpy()
        return data.stage_counts(full["follow"], full["comment"], full["share"])

    times, answers = each(runs, {"purchases_30d": window_count, "spend_90d_seen_14d": spend_seen,
                                 "scores": scores, "stages": stages})
    return result(data, ingest_ms, times, answers)


def run_duckdb(directory: Path, scrm: dict, runs: int) -> dict:
    import duckdb
    import pyarrow as pa

    data = Data(directory, scrm)
    con = duckdb.connect()

    def ingest():
        con.execute("CREATE OR REPLACE TABLE ev (customer UINTEGER, kind UTINYINT, ts BIGINT, amount DOUBLE)")
        for b in data.batches():
            con.register("batch", pa.table(b))
            con.execute("INSERT INTO ev SELECT * FROM batch")
            con.unregister("batch")

    ingest_ms, _ = median_ms(1, ingest)
    p, now = data.kinds["purchase"], data.now
    weights = " ".join(f"WHEN {i} THEN {float(w)!r}" for i, w in enumerate(data.weights))

    def one(sql: str):
        return con.execute(sql).fetchone()[0]

    def scores():
        table = con.execute(
            f"SELECT customer, sum((CASE kind {weights} ELSE 0 END) * pow(2.0, -({now}- ts) / {data.half_life!r})) "
            "FROM ev GROUP BY customer").fetchnumpy()
        out = np.zeros(data.n)
        keys = list(table)
        out[table[keys[0]].astype(np.int64)] = table[keys[1]]
        return out

    def stages():
        table = con.execute(
            "SELECT customer, "
            + ", ".join(f"count(*) FILTER (WHERE kind = {data.kinds[k]})" for k in ("follow", "comment", "share"))
            + " FROM ev GROUP BY customer").fetchnumpy()
        keys = list(table)
        index = table[keys[0]].astype(np.int64)
        full = []
        for key in keys[1:]:
            column = np.zeros(data.n, dtype=np.int64)
            column[index] = table[key]
            full.append(column)
        return data.stage_counts(*full)

    times, answers = each(runs, {
        "purchases_30d": lambda: one(
            f"SELECT count(*) FROM (SELECT customer FROM ev WHERE kind = {p} AND ts <= {now} "
            f"AND ts > {data.since(30)} GROUP BY customer HAVING count(*) >= 2)"),
        "spend_90d_seen_14d": lambda: one(
            f"SELECT count(*) FROM (SELECT customer FROM ev WHERE kind = {p} AND ts <= {now} "
            f"AND ts > {data.since(90)} GROUP BY customer HAVING sum(amount) > 150) s "
            f"JOIN (SELECT customer FROM ev GROUP BY customer HAVING max(ts) > {data.since(14)}) r "
            "USING (customer)"),
        "scores": scores,
        "stages": stages,
    })
    return result(data, ingest_ms, times, answers)


def run_pandas(directory: Path, scrm: dict, runs: int) -> dict:
    import pandas as pd

    data = Data(directory, scrm)
    ingest_ms, ev = median_ms(1, lambda: pd.concat([pd.DataFrame(b) for b in data.batches()],
                                                   ignore_index=True))
    purchase = ev["kind"] == data.kinds["purchase"]
    now = ev["ts"] <= data.now

    def window_count():
        hits = ev[purchase & now & (ev["ts"] > data.since(30))].groupby("customer").size()
        return int((hits >= 2).sum())

    def spend_seen():
        spend = ev[purchase & now & (ev["ts"] > data.since(90))].groupby("customer")["amount"].sum()
        seen = ev.groupby("customer")["ts"].max()
        both = spend[spend > 150].index.intersection(seen[seen > data.since(14)].index)
        return len(both)

    def scores():
        value = data.weights[ev["kind"].to_numpy()] * np.exp2(-(data.now - ev["ts"].to_numpy()) / data.half_life)
        per = pd.Series(value).groupby(ev["customer"].to_numpy()).sum()
        out = np.zeros(data.n)
        out[per.index.to_numpy()] = per.to_numpy()
        return out

    def stages():
        per = ev.groupby(["customer", "kind"]).size().unstack(fill_value=0)
        full = []
        for k in ("follow", "comment", "share"):
            column = np.zeros(data.n, dtype=np.int64)
            if data.kinds[k] in per.columns:
                column[per.index.to_numpy()] = per[data.kinds[k]].to_numpy()
            full.append(column)
        return data.stage_counts(*full)

    times, answers = each(runs, {"purchases_30d": window_count, "spend_90d_seen_14d": spend_seen,
                                 "scores": scores, "stages": stages})
    return result(data, ingest_ms, times, answers)


PEERS = {
    "polars": Peer("polars", run_polars),
    "duckdb": Peer("duckdb", run_duckdb),
    "pandas": Peer("pandas", run_pandas),
}


def check(scrm: dict, peers: dict) -> list:
    checks = []
    for peer, got in peers.items():
        for query, spec in scrm["queries"].items():
            checks.append(Check(f"{peer} counts {query}", got["counts"][query] == spec["count"],
                                f"{got['counts'][query]:,} vs scrm {spec['count']:,}"))
        checks.append(Check(f"{peer} scores, largest relative difference", got["score_error"] <= SCORE_REL,
                            f"{got['score_error']:.1e} (limit {SCORE_REL:g})"))
        checks.append(Check(f"{peer} customers per stage", got["stage_counts"] == scrm["stage_counts"],
                            f"{sorted(got['stage_counts'].items())} vs scrm {sorted(scrm['stage_counts'].items())}"))
    return checks


def notes(scrm: dict) -> list:
    return [f"scrm ingests {scrm['events_per_s']:,.0f} events/s."]
