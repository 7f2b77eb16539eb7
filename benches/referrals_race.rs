//! The scrm side of the referral workload of `scripts/bench.sh` (scrm only: no peer library
//! pays referral rewards): builds the forest of `support::referrals`, pushes purchase
//! trigger events through `record_events` in batches of 10,000 (each pays three levels and
//! the referee after the fraud checks), and times balance lookups. Prints (and with `--out`
//! writes `scrm.json`) the timings, the points paid and the resident memory grown per ledger
//! entry (Linux; the event log of the triggers is included).
//!
//! `cargo bench -p scrm --bench referrals_race -- --customers 1000000 --events 2500000 --runs 5 --out DIR`
//! Without flags (as under `cargo test --benches`) it runs a small smoke round.

mod support;

use std::fs;
use std::hint::black_box;
use std::time::Instant;

use chrono::{TimeZone, Utc};

use support::referrals::{forest, purchases, BATCH, ENTRIES_PER_PURCHASE};
use support::{id, median_ms, resident, Rng, StreamArgs};

/// Balance lookups per timed run.
const LOOKUPS: usize = 100_000;

fn main() {
    let args = StreamArgs::parse(5_000, 20_000);
    let began = Instant::now();
    let engine = forest(args.customers);
    let forest_ms = began.elapsed().as_secs_f64() * 1e3;
    let before = resident();
    let mut rng = Rng(11);
    let mut triggers_ms = 0.0;
    let mut sent = 0;
    while sent < args.events {
        let batch = purchases(args.customers, sent as u64, &mut rng);
        let start = Instant::now();
        engine.record_events(&batch).expect("trigger events");
        triggers_ms += start.elapsed().as_secs_f64() * 1e3;
        sent += BATCH;
    }
    let grown = before.zip(resident()).map(|(b, a)| a.saturating_sub(b));
    let entries = sent as u64 * ENTRIES_PER_PURCHASE;
    let ids: Vec<String> = (0..1_000)
        .map(|_| id(rng.below(args.customers as u64) as usize))
        .collect();
    let (balance_ms, _) = median_ms(args.runs, || {
        for who in ids.iter().cycle().take(LOOKUPS) {
            black_box(engine.balance(who).expect("balance"));
        }
    });
    let year = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
    let paid = engine
        .referral_funnel(year(2026), year(2027))
        .expect("funnel")
        .cost;
    let report = serde_json::json!({
        "customers": args.customers,
        "events": sent,
        "runs": args.runs,
        "ledger_entries": entries,
        "points_paid": paid,
        "times_ms": { "forest": forest_ms, "triggers": triggers_ms },
        "events_per_s": sent as f64 / (triggers_ms / 1e3),
        "balance_us": balance_ms * 1e3 / LOOKUPS as f64,
        "resident_bytes_per_entry": grown.map(|g| g as f64 / entries.max(1) as f64),
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
