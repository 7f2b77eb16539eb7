//! The Rust side of `bindings/ffi/bench.sh`: the same workload as the Kotlin benchmark
//! (`kotlin/src/bench/kotlin/dev/scrm/bench/Bench.kt`), run without crossing the FFI, so
//! that the Kotlin figures can be split into the core's own cost, the binding's conversion
//! (`scrm_ffi` records into core inputs) and uniffi's serialisation (lifting the batch from
//! the `RustBuffer` the generated Kotlin writes).
//!
//! Run with `cargo run --release -p scrm-ffi --example ffi_baseline [events]`.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant, UNIX_EPOCH};

use uniffi::{Lift, Lower};

const CUSTOMERS: usize = 100_000;
const BATCH: usize = 10_000;
/// 2026-06-01T00:00:00Z, the end of the 180 days of event times.
const END_SECS: u64 = 1_780_272_000;

/// xorshift64*, the generator of the core's benches and of the Kotlin benchmark.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn customer_id(i: u64) -> String {
    format!("c-{i:07}")
}

/// The events of the Kotlin benchmark, in the same order: 50% views, 20% messages (half
/// outbound), 12% comments, 10% shares, 8% purchases with an amount.
fn events(n: usize) -> Vec<scrm_ffi::EventInput> {
    let channels = ["wechat", "weibo", "app"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            let customer = customer_id(rng.below(CUSTOMERS as u64));
            let channel = channels[rng.below(3) as usize].to_string();
            let at = UNIX_EPOCH + Duration::from_secs(END_SECS - rng.below(180 * 24 * 3600));
            let roll = rng.below(100);
            let kind = match roll {
                0..50 => "view",
                50..70 => "message",
                70..82 => "comment",
                82..92 => "share",
                _ => "purchase",
            };
            let amount = (kind == "purchase").then(|| (1 + rng.below(100_000)) as f64 / 100.0);
            let outbound = kind == "message" && roll % 2 == 0;
            scrm_ffi::EventInput {
                customer,
                kind: kind.to_string(),
                channel,
                at,
                direction: outbound.then_some(scrm_ffi::Direction::Outbound),
                amount,
                target: None,
                properties: HashMap::new(),
                idempotency_key: None,
            }
        })
        .collect()
}

fn engine() -> std::sync::Arc<scrm_ffi::Engine> {
    let engine = scrm_ffi::Engine::in_memory();
    let customers: Vec<scrm_ffi::CustomerInput> = (0..CUSTOMERS as u64)
        .map(|i| scrm_ffi::CustomerInput {
            id: customer_id(i),
            anonymous: None,
            attributes: HashMap::new(),
            remove_attributes: Vec::new(),
            identities: Vec::new(),
            at: None,
        })
        .collect();
    for chunk in customers.chunks(BATCH) {
        engine.upsert_customers(chunk.to_vec()).expect("customers");
    }
    engine
}

fn report(what: &str, events: usize, took: Duration) {
    let rate = events as f64 / took.as_secs_f64();
    println!(
        "{what:<58} {:>8.3} s {:>12.0} events/s",
        took.as_secs_f64(),
        rate
    );
}

/// Median nanoseconds per call of `f`, over 25 rounds of `calls` calls.
fn per_call(calls: u32, mut f: impl FnMut()) -> f64 {
    for _ in 0..calls {
        f();
    }
    let mut rounds: Vec<f64> = (0..25)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed().as_nanos() as f64 / calls as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[rounds.len() / 2]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(1_000_000, |s| s.parse().expect("events: a number"));
    let events = events(n);

    // The core alone: record_events on prebuilt core inputs.
    let core_batches: Vec<Vec<scrm::EventInput>> = events
        .chunks(BATCH)
        .enumerate()
        .map(|(b, chunk)| {
            (chunk.iter().cloned().enumerate())
                .map(|(i, e)| e.into_core(b * BATCH + i).expect("valid"))
                .collect()
        })
        .collect();
    let core = scrm::Engine::in_memory();
    let ids: Vec<scrm::CustomerInput> = (0..CUSTOMERS as u64)
        .map(|i| scrm::CustomerInput::new(customer_id(i)))
        .collect();
    for chunk in ids.chunks(BATCH) {
        core.upsert_customers(chunk).expect("customers");
    }
    let start = Instant::now();
    for batch in &core_batches {
        black_box(core.record_events(batch).expect("ingest"));
    }
    report("core record_events (core inputs)", n, start.elapsed());
    drop(core_batches);

    // The binding's Rust layer: scrm_ffi records converted, then the core.
    let ffi = engine();
    let batches: Vec<Vec<scrm_ffi::EventInput>> = events.chunks(BATCH).map(<[_]>::to_vec).collect();
    let start = Instant::now();
    for batch in batches {
        black_box(ffi.record_events(batch).expect("ingest"));
    }
    report(
        "scrm_ffi record_events (conversion + core)",
        n,
        start.elapsed(),
    );

    // uniffi's serialisation of the batch argument, both ways, without the engine.
    let batches: Vec<Vec<scrm_ffi::EventInput>> = events.chunks(BATCH).map(<[_]>::to_vec).collect();
    let start = Instant::now();
    let buffers: Vec<_> = batches
        .into_iter()
        .map(<Vec<scrm_ffi::EventInput> as Lower<scrm_ffi::UniFfiTag>>::lower)
        .collect();
    report(
        "uniffi lower Vec<EventInput> (Rust writer, for scale)",
        n,
        start.elapsed(),
    );
    let start = Instant::now();
    for buffer in buffers {
        let lifted = <Vec<scrm_ffi::EventInput> as Lift<scrm_ffi::UniFfiTag>>::try_lift(buffer);
        black_box(lifted.expect("lift"));
    }
    report(
        "uniffi lift Vec<EventInput> (what the call does first)",
        n,
        start.elapsed(),
    );

    // A trivial method from Rust: what remains of a Kotlin call once the FFI is gone.
    let id = "x".to_string();
    let ns = per_call(200_000, || {
        black_box(ffi.contains(black_box(id.clone())));
    });
    println!(
        "{:<58} {ns:>8.0} ns/call",
        "scrm_ffi Engine::contains(\"x\") from Rust"
    );
    let ns = per_call(200_000, || {
        black_box(ffi.stats());
    });
    println!(
        "{:<58} {ns:>8.0} ns/call",
        "scrm_ffi Engine::stats() from Rust"
    );
}
