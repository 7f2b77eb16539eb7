//! Referral programmes through the public engine API on a referral forest of 1,000,000
//! members (`SCRM_BENCH_CUSTOMERS` sets it): every member but the roots redeemed a code of
//! its parent (a ternary forest, so chains run 12 deep), and a 3-level programme (100%,
//! 20%, 5%) with a per-referrer daily cap and a budget pays on every purchase. Measures
//! trigger events through `record_events` in batches of 10,000 (each event pays three
//! levels after the fraud checks of its referral), and a balance lookup; prints the
//! resident memory the ledger grew by per entry once (Linux).
//!
//! Run with `cargo bench -p scrm --bench referrals`.

mod support;

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scrm::{kinds, Caps, CustomerInput, Engine, EventInput, Programme, Trigger};
use support::{id, size, Rng};

/// Events per `record_events` call.
const BATCH: usize = 10_000;
/// Children per member in the forest.
const FAN_OUT: usize = 3;
/// Roots of the forest (the rest hang below them).
const ROOTS: usize = 1_000;

/// The engine with the forest and the programme, built once, and the next event number.
fn bench_engine() -> &'static (Engine, usize, AtomicU64) {
    static ENGINE: OnceLock<(Engine, usize, AtomicU64)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let n = size(1_000_000).max(ROOTS + 1);
        let engine = Engine::in_memory();
        let start = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        engine.set_clock(Some(start)).expect("clock");
        let customers: Vec<_> = (0..n).map(|i| CustomerInput::new(id(i))).collect();
        for chunk in customers.chunks(100_000) {
            engine.upsert_customers(chunk).expect("customers");
        }
        let mut programme = Programme::new("buy", Trigger::Purchase { min_amount: 1.0 }, 100);
        programme.referee_points = 10;
        programme.level_percents = vec![100, 20, 5];
        programme.caps = Caps {
            per_referrer_day: Some(1_000_000),
            per_referrer_month: None,
            budget: Some(scrm::MAX_POINTS),
        };
        programme.expiry_days = Some(365);
        engine.define_programme(&programme).expect("programme");
        let began = Instant::now();
        for child in ROOTS..n {
            let parent = (child - ROOTS) / FAN_OUT;
            let code = engine.issue_code(&id(parent), None).expect("code").code;
            engine.redeem_code(&code, &id(child)).expect("redeem");
        }
        eprintln!(
            "referrals: forest of {n} members, {} redemptions in {:.1} s",
            n - ROOTS,
            began.elapsed().as_secs_f64()
        );
        (engine, n, AtomicU64::new(0))
    })
}

/// A batch of purchases by random referred members, each with a fresh key.
fn purchases(n: usize, next: &AtomicU64, rng: &mut Rng) -> Vec<EventInput> {
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    (0..BATCH)
        .map(|_| {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let who = ROOTS + rng.below((n - ROOTS) as u64) as usize;
            EventInput::new(id(who), kinds::PURCHASE, "app", at)
                .amount(20.0)
                .idempotency_key(format!("order-{k}"))
        })
        .collect()
}

/// Resident memory in bytes (Linux), for the per-entry figure.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
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
                let batch = purchases(*n, next, &mut rng);
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
        // Each purchase writes a referee entry and three referrer entries.
        let entries = events * 4;
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
