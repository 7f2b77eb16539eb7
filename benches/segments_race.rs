//! The scrm side of the segment workload of `scripts/bench.sh`: builds the issue-3 dataset, times the
//! tag-only and mixed queries (median of several runs), and writes the dataset and the
//! timings to a directory for the peers (polars, DuckDB) to run on the same data. Then, with
//! the 20 saved segments of `support::save_segments` live, times single-customer updates
//! (`record_event` of a purchase, `upsert_customer` of an attribute; scrm only).
//!
//! `cargo bench -p scrm --bench segments_race -- --customers 10000000 --runs 15 --updates 200000 --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.

mod support;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use scrm::{CustomerInput, Engine, EventInput};
use support::{
    id, median_ms, save_segments, segment_data, segment_engine, Flags, Rng, SegmentData, MIXED,
    TAG_ONLY,
};

struct Args {
    customers: usize,
    runs: usize,
    updates: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let flags = Flags::parse(&["--customers", "--runs", "--updates", "--out"]);
    Args {
        customers: flags.get("--customers", 20_000),
        runs: flags.get("--runs", 3),
        updates: flags.get("--updates", 20_000),
        out: flags.out(),
    }
}

/// Writes the columns as raw little-endian files: `level.i8`, `score.f64`, and the tags as
/// one LSB-first bit array per tag (`tags.bits`, tag after tag).
fn export(data: &SegmentData, dir: &PathBuf) {
    fs::create_dir_all(dir).expect("output directory");
    let level: Vec<u8> = data.level.iter().map(|&l| l as u8).collect();
    fs::write(dir.join("level.i8"), level).expect("write level");
    let score: Vec<u8> = data.score.iter().flat_map(|s| s.to_le_bytes()).collect();
    fs::write(dir.join("score.f64"), score).expect("write score");
    let bytes_per_tag = data.level.len().div_ceil(8);
    let mut bits = vec![0u8; bytes_per_tag * data.tags.len()];
    for (k, members) in data.tags.iter().enumerate() {
        for &i in members {
            bits[k * bytes_per_tag + i as usize / 8] |= 1 << (i % 8);
        }
    }
    fs::write(dir.join("tags.bits"), bits).expect("write tags");
}

/// Milliseconds of `updates` single-customer writes of each kind on random customers, with
/// the 20 saved segments live: (purchase events, attribute upserts).
fn timed_updates(engine: &Engine, customers: usize, updates: usize) -> (f64, f64) {
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    engine.set_clock(Some(now)).expect("clock");
    save_segments(engine);
    let mut rng = Rng(7);
    let mut who = || id(rng.below(customers as u64) as usize);
    let events: Vec<EventInput> = (0..updates)
        .map(|_| EventInput::new(who(), "purchase", "app", now - Duration::days(3)).amount(99.0))
        .collect();
    let inputs: Vec<CustomerInput> = (0..updates)
        .map(|k| {
            CustomerInput::new(who())
                .at(now)
                .attribute("level", (k % 10) as i64)
        })
        .collect();
    let start = Instant::now();
    for event in &events {
        engine.record_event(event).expect("update by event");
    }
    let events_ms = start.elapsed().as_secs_f64() * 1e3;
    let start = Instant::now();
    for input in &inputs {
        engine.upsert_customer(input).expect("update by attribute");
    }
    (events_ms, start.elapsed().as_secs_f64() * 1e3)
}

fn main() {
    let args = args();
    let data = segment_data(args.customers);
    let engine = segment_engine(&data);
    let (tag_ms, tag_count) = median_ms(args.runs, || {
        engine.count(TAG_ONLY).expect("tag-only query")
    });
    let (mixed_ms, mixed_count) =
        median_ms(args.runs, || engine.count(MIXED).expect("mixed query"));
    let (events_ms, attributes_ms) = timed_updates(&engine, args.customers, args.updates);
    let per_s = |ms: f64| args.updates as f64 / (ms.max(f64::MIN_POSITIVE) / 1e3);
    let report = serde_json::json!({
        "customers": args.customers,
        "runs": args.runs,
        "updates": {
            "saved_segments": 20,
            "count": args.updates,
            "event_updates_per_s": per_s(events_ms),
            "attribute_updates_per_s": per_s(attributes_ms),
        },
        "tag_index_bytes": engine.stats().tag_index_bytes,
        "queries": {
            "tag_only": { "expression": TAG_ONLY, "median_ms": tag_ms, "count": tag_count },
            "mixed": { "expression": MIXED, "median_ms": mixed_ms, "count": mixed_count },
        },
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        export(&data, dir);
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
