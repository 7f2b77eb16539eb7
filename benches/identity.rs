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
use scrm::{CustomerInput, Engine};

const DEFAULT_CUSTOMERS: usize = 1_000_000;
const UPSERT_CHUNK: usize = 10_000;
const LOOKUP_KEYS: usize = 1_024;

/// SplitMix64 step: a tiny deterministic generator, so runs are comparable without `rand`.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Customer `i`: its id and its (channel, value) identities, 28-character openid included.
fn customer(i: usize) -> (String, [(&'static str, String); 3]) {
    let openid = format!("o6_{:018x}{i:07}", mix(i as u64));
    (
        format!("c-{i:07}"),
        [
            ("wechat_openid", openid),
            ("phone", format!("+86138{i:08}")),
            ("email", format!("user{i}@example.com")),
        ],
    )
}

/// An engine with `n` customers, upserted in chunks, and the keys to look up.
fn build(n: usize) -> (Engine, Vec<(&'static str, String, String)>) {
    let started = Instant::now();
    let engine = Engine::in_memory();
    let mut chunk = Vec::with_capacity(UPSERT_CHUNK);
    for start in (0..n).step_by(UPSERT_CHUNK) {
        chunk.clear();
        chunk.extend((start..n.min(start + UPSERT_CHUNK)).map(|i| {
            let (id, identities) = customer(i);
            identities
                .into_iter()
                .fold(CustomerInput::new(id), |c, (ch, v)| c.identity(ch, v))
        }));
        engine
            .upsert_customers(&chunk)
            .expect("customer setup failed");
    }
    let stats = engine.stats();
    assert_eq!(stats.customers, n as u64);
    assert_eq!(stats.identities, 3 * n as u64);
    let keys: Vec<_> = (0..LOOKUP_KEYS as u64)
        .map(|k| {
            let r = mix(k ^ 0x5EED);
            let (id, identities) = customer((r % n as u64) as usize);
            let (channel, value) = identities[(r >> 32) as usize % 3].clone();
            (channel, value, id)
        })
        .collect();
    for (channel, value, id) in &keys {
        let found = engine
            .lookup_identity(channel, value)
            .expect("lookup failed");
        assert_eq!(found.as_deref(), Some(id.as_str()), "{channel} {value}");
    }
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
