//! The scrm side of the event workloads of `scripts/bench.sh`: ingests a seeded event
//! stream into an in-memory engine (batches of 100,000, only `record_events` timed), then
//! times two segment queries with time windows, the rebuild of every engagement score
//! (`set_scoring`) and the placement of every customer on a four-stage ladder
//! (`define_ladder`), each the median of several runs; then turns on both built-in ladders
//! and times the ingest of up to 1,000,000 more events. With `--out` it also writes the
//! events and every customer's score, so the peers (pandas, polars, DuckDB) run the same
//! workloads on the same data and the harness checks that the answers agree.
//!
//! `cargo bench -p scrm --bench events_race -- --customers 1000000 --events 10000000 --runs 5 --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.
//!
//! Files written: `customer.u32`, `kind.u8` (index into `kinds` of `scrm.json`), `at.i64`
//! (microseconds since the epoch), `amount.f64` (0 for events without an amount),
//! `scores.f64` (score of customer `i`), and `scrm.json` (sizes, clock, timings, answers).

mod support;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use scrm::{kinds, CustomerInput, Engine, EventInput, ScoringConfig};
use support::{id, median_ms, Rng, StreamArgs};

/// Event kinds and their share of the stream, in percent.
const KINDS: [(&str, u64); 5] = [
    (kinds::VIEW, 40),
    (kinds::COMMENT, 20),
    (kinds::SHARE, 15),
    (kinds::PURCHASE, 15),
    (kinds::FOLLOW, 10),
];
/// Events per `record_events` call.
const BATCH: usize = 100_000;
/// Days of history before the clock.
const DAYS: i64 = 180;
/// Events ingested at the end with both built-in ladders on (at most).
const LADDER_EVENTS: usize = 1_000_000;
/// The windowed segment queries, by name.
const QUERIES: [(&str, &str); 2] = [
    ("purchases_30d", "events(purchase, 30d) >= 2"),
    (
        "spend_90d_seen_14d",
        "amount(purchase, 90d) > 150 and last_seen within 14d",
    ),
];
/// The ladder placed from scratch, lowest stage first; the last rule alternates between
/// runs so that each run moves customers.
const STAGES: [(&str, &str); 4] = [
    ("unaware", ""),
    ("follower", "events(follow) >= 1"),
    ("interactor", "events(comment) >= 1 or events(share) >= 1"),
    ("advocate", "events(share) >= 3"),
];
const ALTERNATE_TOP: &str = "events(share) >= 2";

/// The clock of the run: every event happens in the `DAYS` before it.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}

/// One generated event, as the columns the peers read.
struct Row {
    customer: u32,
    kind: u8,
    at: DateTime<Utc>,
    amount: f64,
}

fn row(rng: &mut Rng, customers: usize) -> Row {
    let customer = rng.below(customers as u64) as u32;
    let mut roll = rng.below(100);
    let kind = KINDS
        .iter()
        .position(|&(_, share)| {
            let here = roll < share;
            roll = roll.saturating_sub(share);
            here
        })
        .expect("shares add up to 100");
    let at = now() - Duration::seconds(rng.below((DAYS * 86_400) as u64) as i64);
    let amount = if KINDS[kind].0 == kinds::PURCHASE {
        (10 + rng.below(200)) as f64
    } else {
        0.0
    };
    Row {
        customer,
        kind: kind as u8,
        at,
        amount,
    }
}

/// The column files of `--out`, appended batch by batch so the run never holds them all.
struct Columns {
    customer: BufWriter<File>,
    kind: BufWriter<File>,
    at: BufWriter<File>,
    amount: BufWriter<File>,
}

impl Columns {
    fn create(dir: &Path) -> Columns {
        fs::create_dir_all(dir).expect("output directory");
        let open = |name: &str| BufWriter::new(File::create(dir.join(name)).expect("create"));
        Columns {
            customer: open("customer.u32"),
            kind: open("kind.u8"),
            at: open("at.i64"),
            amount: open("amount.f64"),
        }
    }

    fn push(&mut self, row: &Row) {
        let micros = row.at.timestamp_micros();
        self.customer
            .write_all(&row.customer.to_le_bytes())
            .expect("write");
        self.kind.write_all(&[row.kind]).expect("write");
        self.at.write_all(&micros.to_le_bytes()).expect("write");
        self.amount
            .write_all(&row.amount.to_le_bytes())
            .expect("write");
    }
}

/// Ingests `events` events of the stream `rng` draws; returns the milliseconds spent in
/// `record_events`.
fn ingest(
    engine: &Engine,
    events: usize,
    customers: usize,
    rng: &mut Rng,
    mut columns: Option<Columns>,
) -> f64 {
    let mut timed = 0.0;
    let mut left = events;
    while left > 0 {
        let rows: Vec<Row> = (0..left.min(BATCH)).map(|_| row(rng, customers)).collect();
        left -= rows.len();
        let batch: Vec<EventInput> = rows
            .iter()
            .map(|r| {
                let e = EventInput::new(
                    id(r.customer as usize),
                    KINDS[r.kind as usize].0,
                    "wechat",
                    r.at,
                );
                if r.amount > 0.0 {
                    e.amount(r.amount)
                } else {
                    e
                }
            })
            .collect();
        let start = Instant::now();
        engine.record_events(&batch).expect("events ingest");
        timed += start.elapsed().as_secs_f64() * 1e3;
        if let Some(columns) = columns.as_mut() {
            rows.iter().for_each(|r| columns.push(r));
        }
    }
    timed
}

fn main() {
    let args = StreamArgs::parse(5_000, 25_000);
    let engine = Engine::in_memory();
    engine.set_clock(Some(now())).expect("clock");
    let customers: Vec<CustomerInput> = (0..args.customers)
        .map(|i| CustomerInput::new(id(i)))
        .collect();
    for chunk in customers.chunks(BATCH) {
        engine.upsert_customers(chunk).expect("customers load");
    }
    drop(customers);
    let mut rng = Rng(0xE7E7_5EED);
    let columns = args.out.as_deref().map(Columns::create);
    let ingest_ms = ingest(&engine, args.events, args.customers, &mut rng, columns);

    let mut queries = serde_json::Map::new();
    for (name, expression) in QUERIES {
        let (ms, count) = median_ms(args.runs, || engine.count(expression).expect("query"));
        queries.insert(
            name.into(),
            serde_json::json!({ "expression": expression, "median_ms": ms, "count": count }),
        );
    }
    let scoring = ScoringConfig::default();
    let (scores_ms, ()) = median_ms(args.runs, || engine.set_scoring(&scoring).expect("scoring"));
    let mut run = 0;
    let (stages_ms, _) = median_ms(args.runs, || {
        run += 1;
        let mut stages = STAGES;
        if run % 2 == 1 {
            stages[3].1 = ALTERNATE_TOP;
        }
        engine.define_ladder("bench", &stages).expect("ladder")
    });
    engine.define_ladder("bench", &STAGES).expect("ladder");
    let stage_counts: serde_json::Map<String, serde_json::Value> = STAGES
        .iter()
        .map(|(stage, _)| {
            let count = engine
                .count(&format!("stage(bench) = {stage}"))
                .expect("stage query");
            ((*stage).into(), count.into())
        })
        .collect();
    let scores = engine.scores().scores;
    // Last, as it changes the engine: more of the stream with both built-in ladders on.
    for ladder in ["brand", "commercial"] {
        engine.enable_ladder(ladder).expect("built-in ladder");
    }
    let ladder_events = args.events.min(LADDER_EVENTS);
    let ladder_ms = ingest(&engine, ladder_events, args.customers, &mut rng, None);

    let report = serde_json::json!({
        "customers": args.customers,
        "events": args.events,
        "runs": args.runs,
        "now_micros": now().timestamp_micros(),
        "kinds": KINDS.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        "scoring": scoring,
        "stages": STAGES.iter().map(|(s, rule)| serde_json::json!({ "stage": s, "rule": rule })).collect::<Vec<_>>(),
        "times_ms": {
            "ingest": ingest_ms,
            "scores": scores_ms,
            "stages": stages_ms,
            "ingest_ladders": ladder_ms,
        },
        "events_per_s": args.events as f64 / (ingest_ms / 1e3),
        "ladder_events": ladder_events,
        "ladder_events_per_s": ladder_events as f64 / (ladder_ms / 1e3),
        "queries": queries,
        "stage_counts": stage_counts,
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        let scores: Vec<u8> = scores.iter().flat_map(|s| s.to_le_bytes()).collect();
        fs::write(dir.join("scores.f64"), scores).expect("write scores");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
