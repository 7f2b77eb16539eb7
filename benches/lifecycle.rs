//! Lifecycle scoring through the public Engine API, on customers with mixed events and the
//! two built-in ladders enabled:
//! - `lifecycle/recompute_scores`: `set_scoring`, every engagement score rebuilt from the log;
//! - `lifecycle/recompute_stages`: `define_ladder` of a four-stage ladder, every customer
//!   placed from scratch;
//! - `lifecycle/ingest_scored`: `record_events` batches of 10,000 (scores folded in, both
//!   built-in ladders kept current); Criterion reports events/s;
//! - `lifecycle/p_alive`: P(alive) of every buyer under a fitted model (`churn_table`) after
//!   a clock move, summaries included.
//!
//! Customers: `SCRM_BENCH_CUSTOMERS` (default 1,000,000); CI sets it small.
//! Run with `cargo bench -p scrm --bench lifecycle`.

mod support;

use std::hint::black_box;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scrm::{kinds, ChurnOptions, CustomerInput, Engine, EventInput, ScoringConfig};
use support::Rng;

const BATCH: usize = 10_000;
const KINDS: [&str; 5] = [
    kinds::VIEW,
    kinds::COMMENT,
    kinds::SHARE,
    kinds::PURCHASE,
    kinds::FOLLOW,
];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn events(n: usize, customers: usize, rng: &mut Rng) -> Vec<EventInput> {
    (0..n)
        .map(|_| {
            let who = support::id(rng.below(customers as u64) as usize);
            let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
            let at = start() + Duration::minutes(rng.below(180 * 1440) as i64);
            let e = EventInput::new(who, kind, "wechat", at);
            match kind {
                kinds::PURCHASE => e.amount(10.0 + rng.below(200) as f64),
                _ => e,
            }
        })
        .collect()
}

/// An engine of `n` customers with three events each on average.
fn engine(n: usize) -> Engine {
    let engine = Engine::in_memory();
    engine
        .set_clock(Some(start() + Duration::days(180)))
        .unwrap();
    for ladder in ["brand", "commercial"] {
        engine.enable_ladder(ladder).unwrap();
    }
    let ids: Vec<CustomerInput> = (0..n).map(|i| CustomerInput::new(support::id(i))).collect();
    for chunk in ids.chunks(100_000) {
        engine.upsert_customers(chunk).unwrap();
    }
    let mut rng = Rng(7);
    for _ in 0..(3 * n).div_ceil(100_000) {
        engine.record_events(&events(100_000, n, &mut rng)).unwrap();
    }
    engine
}

fn bench(c: &mut Criterion) {
    let n = support::size(1_000_000);
    let engine = engine(n);
    let mut group = c.benchmark_group("lifecycle");
    group.sample_size(10);
    group.bench_function("recompute_scores", |b| {
        b.iter(|| engine.set_scoring(&ScoringConfig::default()).unwrap())
    });
    let stages = [
        ("unaware", ""),
        ("follower", "channel:wechat or events(follow) >= 1"),
        ("interactor", "events(comment) >= 1 or events(share) >= 1"),
        ("advocate", "events(share) >= 3"),
    ];
    let mut flip = false;
    group.bench_function("recompute_stages", |b| {
        b.iter(|| {
            // Alternate the top rule so each call re-places everyone.
            flip = !flip;
            let mut s = stages;
            s[3].1 = if flip {
                "events(share) >= 3"
            } else {
                "events(share) >= 2"
            };
            engine.define_ladder("bench", &s).unwrap()
        })
    });
    let mut rng = Rng(11);
    let batches: Vec<Vec<EventInput>> = (0..8).map(|_| events(BATCH, n, &mut rng)).collect();
    let mut next = 0;
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("ingest_scored", |b| {
        b.iter(|| {
            next = (next + 1) % batches.len();
            engine.record_events(&batches[next]).unwrap()
        })
    });
    let end = start() + Duration::days(180);
    engine
        .fit_churn_model(end, Duration::days(1), &ChurnOptions::default())
        .unwrap();
    group.throughput(Throughput::Elements(n as u64));
    let mut tick = 0;
    group.bench_function("p_alive", |b| {
        b.iter(|| {
            tick += 1;
            engine
                .set_clock(Some(end + Duration::seconds(tick)))
                .unwrap();
            black_box(engine.count("p_alive < 0.3").unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
