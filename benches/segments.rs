//! Segment evaluation on the issue-3 dataset (10,000,000 customers by default; set
//! `SCRM_BENCH_CUSTOMERS` to change): a tag-only query, a mixed tag/attribute query, and
//! single-customer updates without and then with 20 saved segments live. Prints the tag index size per
//! customer once.
//!
//! Run with `cargo bench -p scrm --bench segments`.

mod support;

use std::hint::black_box;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use scrm::{CustomerInput, Engine, EventInput};
use support::{save_segments, segment_data, segment_engine, size, MIXED, TAG_ONLY};

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let n = size(10_000_000);
        let engine = segment_engine(&segment_data(n));
        let stats = engine.stats();
        eprintln!(
            "segments: {n} customers, tag index {:.2} bytes per customer ({} bytes for 64 tags)",
            stats.tag_index_bytes as f64 / n as f64,
            stats.tag_index_bytes
        );
        engine
    })
}

fn queries(c: &mut Criterion) {
    let engine = engine();
    let mut group = c.benchmark_group("segments");
    group.bench_function("tag_only", |b| {
        b.iter(|| black_box(engine.count(TAG_ONLY).unwrap()))
    });
    group.bench_function("mixed", |b| {
        b.iter(|| black_box(engine.count(MIXED).unwrap()))
    });
    group.finish();
}

fn updates(c: &mut Criterion) {
    let engine = engine();
    let now = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    engine.set_clock(Some(now)).unwrap();
    // The same writes without and then with the saved segments: the difference is what
    // keeping 20 segments current costs per write.
    single_updates(c, engine, now, "no_saved_segments");
    save_segments(engine);
    single_updates(c, engine, now, "saved_segments_20");
}

fn single_updates(c: &mut Criterion, engine: &Engine, now: DateTime<Utc>, group: &str) {
    let n = size(10_000_000) as u64;
    let mut rng = support::Rng(7);
    let mut group = c.benchmark_group(group);
    group.throughput(Throughput::Elements(1));
    group.bench_function("record_event", |b| {
        b.iter_batched(
            || {
                let i = rng.below(n) as usize;
                EventInput::new(support::id(i), "purchase", "app", now - Duration::days(3))
                    .amount(99.0)
            },
            |event| engine.record_event(&event).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("upsert_attribute", |b| {
        b.iter_batched(
            || {
                let i = rng.below(n) as usize;
                CustomerInput::new(support::id(i))
                    .at(now)
                    .attribute("level", rng.below(10) as i64)
            },
            |input| engine.upsert_customer(&input).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, queries, updates);
criterion_main!(benches);
