//! Referral programmes through the public engine API on the referral forest of
//! `support::referrals` (1,000,000 members; `SCRM_BENCH_CUSTOMERS` sets it): trigger events
//! through `record_events` in batches of 10,000 (each purchase pays three levels after the
//! fraud checks of its referral), and a balance lookup; prints the resident memory the
//! ledger grew by per entry once (Linux).
//!
//! Run with `cargo bench -p scrm --bench referrals`.

mod support;

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scrm::Engine;
use support::referrals::{forest, purchases, BATCH, ENTRIES_PER_PURCHASE};
use support::{id, resident, size, Rng};

/// The engine with the forest and the programme, built once, its size and the next event
/// number.
fn bench_engine() -> &'static (Engine, usize, AtomicU64) {
    static ENGINE: OnceLock<(Engine, usize, AtomicU64)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let n = size(1_000_000);
        (forest(n), n, AtomicU64::new(0))
    })
}

fn triggers(c: &mut Criterion) {
    let (engine, n, next) = bench_engine();
    let mut rng = Rng(11);
    let before = resident();
    let mut group = c.benchmark_group("referrals");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BATCH as u64));
    group.bench_function("trigger_events_3_levels", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let first = next.fetch_add(BATCH as u64, Ordering::Relaxed);
                let batch = purchases(*n, first, &mut rng);
                let start = Instant::now();
                black_box(engine.record_events(&batch).expect("events"));
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
    let events = next.load(Ordering::Relaxed);
    if let (Some(start), Some(end)) = (before, resident()) {
        let entries = events * ENTRIES_PER_PURCHASE;
        eprintln!(
            "referrals: {events} trigger events, about {entries} ledger entries; resident \
             memory grew {:.1} bytes per entry (event log included)",
            end.saturating_sub(start) as f64 / entries.max(1) as f64
        );
    }
}

fn balance(c: &mut Criterion) {
    let (engine, n, _) = bench_engine();
    let mut rng = Rng(5);
    let ids: Vec<String> = (0..1_000)
        .map(|_| id(rng.below(*n as u64) as usize))
        .collect();
    let mut next = ids.iter().cycle();
    c.bench_function("referrals/balance", |b| {
        b.iter(|| {
            black_box(
                engine
                    .balance(next.next().expect("cycle"))
                    .expect("balance"),
            )
        })
    });
}

criterion_group!(benches, triggers, balance);
criterion_main!(benches);
