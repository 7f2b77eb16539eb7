//! The relationship graph through the public engine API, on the power-law bench graph
//! (1,000,000 customers and 10,000,000 `follows` edges by default; `SCRM_BENCH_GRAPH_NODES`
//! sets the customers): loading the edges in batches, PageRank with the snapshot rebuilt
//! (the first call after a write) and with it cached, k-hop reach (k = 2, both ways) from
//! random customers, and one customer's neighbours. Prints the load rate and the snapshot's
//! bytes per edge once.
//!
//! Run with `cargo bench -p scrm --bench graph_engine`. `benches/graph.rs` measures the
//! compute layer alone on the same graph.

mod support;

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use scrm::edge_kinds::FOLLOWS;
use scrm::{EdgeDirection, EdgeInput, EdgeSelection, Engine, PageRankOptions};
use support::graphs::{follows_engine, graph_nodes, power_law, SEED};
use support::{id, Rng};

/// Start customers of the reach and neighbour queries.
const STARTS: usize = 1_000;

/// The engine holding the bench graph, loaded once.
fn bench_engine() -> &'static (Engine, usize, usize) {
    static ENGINE: OnceLock<(Engine, usize, usize)> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let n = graph_nodes(1_000_000);
        let edges = power_law(n, 10 * n, SEED);
        let (engine, secs) = follows_engine(n, &edges);
        eprintln!(
            "graph_engine: {n} customers, {} edges loaded at {:.0} edges/s",
            edges.len(),
            edges.len() as f64 / secs
        );
        (engine, n, edges.len())
    })
}

/// Makes the next read rebuild the snapshot: puts, then removes, one extra edge.
fn touch(engine: &Engine) {
    let extra = EdgeInput::new(id(0), id(1), "bench");
    engine.add_edge(&extra).expect("edge");
    engine
        .remove_edge(&extra.source, &extra.target, "bench")
        .expect("edge");
}

fn pagerank(c: &mut Criterion) {
    let (engine, _, m) = bench_engine();
    let options = PageRankOptions {
        edges: EdgeSelection::kinds(&[FOLLOWS]),
        ..PageRankOptions::default()
    };
    let mut group = c.benchmark_group("graph_engine");
    group.sample_size(10);
    group.bench_function("pagerank_with_snapshot_build", |b| {
        b.iter_batched(
            || touch(engine),
            |()| black_box(engine.pagerank(&options).expect("converges")),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("pagerank_cached_snapshot", |b| {
        b.iter(|| black_box(engine.pagerank(&options).expect("converges")))
    });
    group.finish();
    let bytes = engine.stats().graph_snapshot_bytes;
    eprintln!(
        "graph_engine: cached snapshots {bytes} bytes, {:.2} bytes per edge",
        bytes as f64 / *m as f64
    );
}

fn walks(c: &mut Criterion) {
    let (engine, n, _) = bench_engine();
    let mut rng = Rng(7);
    let starts: Vec<String> = (0..STARTS)
        .map(|_| id(rng.below(*n as u64) as usize))
        .collect();
    let all: Vec<String> = Vec::new();
    let mut group = c.benchmark_group("graph_engine");
    let mut next = starts.iter().cycle();
    group.bench_function("reach_2_both", |b| {
        b.iter(|| {
            let start = next.next().expect("cycle never ends");
            black_box(
                engine
                    .reach(start, 2, EdgeDirection::Both, &all)
                    .expect("reach"),
            )
        })
    });
    group.bench_function("neighbours_both", |b| {
        b.iter(|| {
            let start = next.next().expect("cycle never ends");
            black_box(
                engine
                    .neighbours(start, EdgeDirection::Both, &all)
                    .expect("ids"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, pagerank, walks);
criterion_main!(benches);
