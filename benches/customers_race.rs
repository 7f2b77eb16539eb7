//! The scrm side of the customers workload of `scripts/bench.sh` (scrm only: the figures of
//! issue 2 that no peer library shares): upserts customers with 3 identities each into an
//! in-memory engine (resident memory grown per customer, Linux), times identity lookups
//! (`Engine::lookup_identity` of random keys across the three channels), and ingests events
//! in batches of 10,000 into a file-backed engine (`Engine::open`, one SQLite transaction per
//! batch) holding 100,000 customers. Prints (and with `--out` writes `scrm.json`) the figures.
//!
//! `cargo bench -p scrm --bench customers_race -- --customers 1000000 --events 1000000 --runs 3 --out DIR`
//! Without flags (as under `cargo test --benches`) it runs a small smoke round.

mod support;

use std::fs;
use std::hint::black_box;
use std::time::Instant;

use scrm::Engine;
use support::identities::{load, lookup_keys};
use support::interactions::{add_customers, make_events};
use support::{median, median_ms, resident, StreamArgs};

/// Identity lookups per timed run, cycling through `KEYS` keys.
const LOOKUPS: usize = 100_000;
const KEYS: usize = 1_024;
/// Events per `record_events` call in file mode, and the customers of the file store.
const FILE_BATCH: usize = 10_000;
const FILE_CUSTOMERS: usize = 100_000;

/// Milliseconds to ingest `events` in batches into a fresh file store of `customers`.
fn file_ingest(customers: usize, events: &[scrm::EventInput]) -> f64 {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let engine = Engine::open(dir.path().join("bench.scrm")).expect("open the store");
    add_customers(&engine, customers);
    let start = Instant::now();
    for batch in events.chunks(FILE_BATCH) {
        engine.record_events(batch).expect("file-mode ingest");
    }
    start.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let args = StreamArgs::parse(20_000, 20_000);
    let n = args.customers;
    let before = resident();
    let start = Instant::now();
    let engine = Engine::in_memory();
    load(&engine, n);
    let customers_ms = start.elapsed().as_secs_f64() * 1e3;
    let grown = before.zip(resident()).map(|(b, a)| a.saturating_sub(b));
    let stats = engine.stats();
    assert_eq!(stats.identities, 3 * n as u64);
    let keys = lookup_keys(&engine, n, KEYS);
    let (lookup_ms, _) = median_ms(args.runs, || {
        for (channel, value, _) in keys.iter().cycle().take(LOOKUPS) {
            black_box(engine.lookup_identity(channel, value).expect("lookup"));
        }
    });
    drop(engine);
    let file_customers = FILE_CUSTOMERS.min(n);
    let events = make_events(file_customers, args.events);
    // The store setup is not timed: the median of the ingest times alone.
    let file_times = (0..args.runs.max(1))
        .map(|_| file_ingest(file_customers, &events))
        .collect();
    let file_ms = median(file_times).max(f64::MIN_POSITIVE);
    let report = serde_json::json!({
        "customers": n,
        "identities": stats.identities,
        "runs": args.runs,
        "times_ms": { "customers": customers_ms, "file_ingest": file_ms },
        "resident_bytes_per_customer": grown.map(|g| g as f64 / n as f64),
        "lookup_us": lookup_ms * 1e3 / LOOKUPS as f64,
        "file_customers": file_customers,
        "file_events": events.len(),
        "file_events_per_s": events.len() as f64 / (file_ms / 1e3),
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
