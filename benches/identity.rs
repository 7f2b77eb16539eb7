//! Identity lookup latency: `Engine::lookup_identity` of a random existing identity in an
//! in-memory engine holding 1,000,000 customers with 3 identities each (wechat_openid, phone,
//! email). Lookups cycle through 1,024 prebuilt keys across the three channels.
//!
//! Run with `cargo bench -p scrm --bench identity`. Set `SCRM_BENCH_CUSTOMERS` to change the
//! number of customers (default 1,000,000); the engine is built once, outside the measurement.

mod support;

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use scrm::Engine;
use support::identities::{load, lookup_keys};

const DEFAULT_CUSTOMERS: usize = 1_000_000;
const LOOKUP_KEYS: usize = 1_024;

/// An engine with `n` customers and the keys to look up.
fn build(n: usize) -> (Engine, Vec<(&'static str, String, String)>) {
    let started = Instant::now();
    let engine = Engine::in_memory();
    load(&engine, n);
    let stats = engine.stats();
    assert_eq!(stats.customers, n as u64);
    assert_eq!(stats.identities, 3 * n as u64);
    let keys = lookup_keys(&engine, n, LOOKUP_KEYS);
    eprintln!(
        "identity bench: {n} customers, {} identities built in {:.2?}",
        stats.identities,
        started.elapsed()
    );
    (engine, keys)
}
fn bench_lookup(c: &mut Criterion) {
    let n = support::size(DEFAULT_CUSTOMERS);
    let mut fixture = None;
    let mut next = 0usize;
    let mut group = c.benchmark_group("identity");
    group.bench_function("lookup_identity", |b| {
        let (engine, keys) = fixture.get_or_insert_with(|| build(n));
        b.iter(|| {
            let (channel, value, _) = &keys[next % LOOKUP_KEYS];
            next += 1;
            engine.lookup_identity(black_box(channel), black_box(value))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_lookup);
criterion_main!(benches);
