//! Event ingest throughput: `Engine::record_events` on batches of 10,000 mixed events
//! (view, message, comment, share, purchase; wechat, weibo, app; 180 days of timestamps)
//! for 100,000 existing customers, in memory (`ingest/in_memory`) and in file mode
//! (`ingest/file_batches_10k`, one SQLite transaction per batch). Criterion reports events/s.
//!
//! Run with `cargo bench -p scrm --bench ingest`.
//!
//! Only the `record_events` call is timed. Events carry no idempotency key, so ingesting the
//! same prebuilt batches again appends new events. Once an engine holds 1,000,000 events a
//! fresh one (100,000 customers, no events) is built, untimed, so memory and the store file
//! stay bounded: each batch lands on an engine holding 0 to 990,000 events.

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scrm::{Engine, EventInput};
use support::interactions::{add_customers, make_events};
use tempfile::TempDir;

const CUSTOMERS: usize = 100_000;
const EVENTS: usize = 100_000;
const BATCH: usize = 10_000;
/// Events an engine may hold before the bench swaps in a fresh one.
const REBUILD_AT: usize = 1_000_000;

/// An engine (and the temp dir its store lives in, in file mode) plus its event count.
struct Fixture {
    engine: Engine,
    _dir: Option<TempDir>,
    events: usize,
}

impl Fixture {
    fn in_memory() -> Fixture {
        let engine = Engine::in_memory();
        add_customers(&engine, CUSTOMERS);
        Fixture {
            engine,
            _dir: None,
            events: 0,
        }
    }

    fn file() -> Fixture {
        let dir = TempDir::new().expect("cannot create a temp dir");
        let engine = Engine::open(dir.path().join("bench.scrm")).expect("cannot open the store");
        add_customers(&engine, CUSTOMERS);
        Fixture {
            engine,
            _dir: Some(dir),
            events: 0,
        }
    }
}

/// Times `iters` batch ingests, rebuilding the fixture (untimed) when it has grown too big.
fn ingest(
    fixture: &mut Option<Fixture>,
    build: fn() -> Fixture,
    batches: &[&[EventInput]],
    next: &mut usize,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        if !matches!(fixture, Some(f) if f.events < REBUILD_AT) {
            *fixture = None; // drop the old engine before building the new one
            *fixture = Some(build());
        }
        let f = fixture.as_mut().expect("fixture was just built");
        let batch = batches[*next % batches.len()];
        *next += 1;
        let start = Instant::now();
        let report = f.engine.record_events(batch);
        total += start.elapsed();
        let report = report.expect("ingest failed");
        assert_eq!(report.inserted, batch.len() as u64);
        f.events += batch.len();
        black_box(report);
    }
    total
}

fn bench_ingest(c: &mut Criterion) {
    let events = make_events(CUSTOMERS, EVENTS);
    let batches: Vec<&[EventInput]> = events.chunks(BATCH).collect();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(BATCH as u64));

    let (mut fixture, mut next) = (None, 0);
    group.bench_function("in_memory", |b| {
        b.iter_custom(|iters| ingest(&mut fixture, Fixture::in_memory, &batches, &mut next, iters))
    });
    drop(fixture);

    let (mut fixture, mut next) = (None, 0);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("file_batches_10k", |b| {
        b.iter_custom(|iters| ingest(&mut fixture, Fixture::file, &batches, &mut next, iters))
    });
    drop(fixture);
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
