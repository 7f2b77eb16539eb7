//! Graph analytics on the power-law bench graph (1,000,000 nodes and 10,000,000 edges by
//! default; `SCRM_BENCH_GRAPH_NODES` sets the nodes, edges are ten times as many): building
//! the CSR snapshot, PageRank including the build (networkx's defaults), and k-hop reach
//! (k = 2) from random nodes, following out-edges and both ways. Prints the snapshot's bytes
//! per edge and the k-hop medians once.
//!
//! Run with `cargo bench -p scrm --bench graph`. The graph module is crate-private, so the
//! bench compiles it from source (see `graph_error.rs`).

#[path = "graph_error.rs"]
mod error;
#[path = "../core/src/prefetch.rs"]
mod prefetch;
// Under `cargo test --benches` its unit-test modules compile without their tests; the
// bench uses a part of the module.
#[allow(dead_code, unused_imports)]
#[path = "../core/src/graph/mod.rs"]
mod graph;
mod support;

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use graph::csr::Csr;
use graph::pagerank::{pagerank, PageRankConfig};
use graph::traverse::{Direction, Traversal};
use support::graphs::{graph_nodes, power_law, SEED};
use support::Rng;

/// Start nodes of the k-hop queries.
const STARTS: usize = 1_000;

/// Node count and edges of the bench graph, generated once.
fn bench_graph() -> &'static (usize, Vec<(u32, u32)>) {
    static GRAPH: OnceLock<(usize, Vec<(u32, u32)>)> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let n = graph_nodes(1_000_000);
        let edges = power_law(n, 10 * n, SEED);
        eprintln!("graph: {n} nodes, {} edges (power law)", edges.len());
        (n, edges)
    })
}

fn snapshot(c: &mut Criterion) {
    let (n, edges) = bench_graph();
    let mut group = c.benchmark_group("graph");
    group.sample_size(10);
    group.throughput(Throughput::Elements(edges.len() as u64));
    group.bench_function("csr_build", |b| {
        b.iter(|| black_box(Csr::new(*n, edges).expect("valid edges")))
    });
    group.bench_function("pagerank_with_build", |b| {
        b.iter(|| {
            let csr = Csr::new(*n, edges).expect("valid edges");
            black_box(pagerank(&csr, &PageRankConfig::default()).expect("converges"))
        })
    });
    group.finish();
}

fn reach(c: &mut Criterion) {
    let (n, edges) = bench_graph();
    let csr = Csr::new(*n, edges).expect("valid edges");
    let per_edge = |bytes: usize| bytes as f64 / csr.edge_count() as f64;
    let in_side = csr.heap_bytes();
    csr.outs();
    eprintln!(
        "graph: snapshot {:.2} bytes per edge ({} bytes for {} distinct edges; {:.2} before \
         the out-lists that traversals build)",
        per_edge(csr.heap_bytes()),
        csr.heap_bytes(),
        csr.edge_count(),
        per_edge(in_side)
    );
    let mut rng = Rng(7);
    let starts: Vec<u32> = (0..STARTS).map(|_| rng.below(*n as u64) as u32).collect();
    let mut traversal = Traversal::new();
    let mut group = c.benchmark_group("graph");
    for (name, direction) in [
        ("k_hop_2_out", Direction::Out),
        ("k_hop_2_both", Direction::Both),
    ] {
        let (median_us, median_reach) = medians(&csr, &mut traversal, &starts, direction);
        eprintln!("graph: {name} median {median_us:.1} µs, median reach {median_reach} nodes");
        let mut next = starts.iter().cycle();
        group.bench_function(name, |b| {
            b.iter(|| {
                let start = *next.next().expect("cycle never ends");
                black_box(
                    traversal
                        .reach(&csr, start, 2, direction)
                        .expect("valid start")
                        .len(),
                )
            })
        });
    }
    group.finish();
}

/// Median time (µs) and median size of the k = 2 reach from each start node, one by one.
fn medians(
    csr: &Csr,
    traversal: &mut Traversal,
    starts: &[u32],
    direction: Direction,
) -> (f64, usize) {
    let (mut times, mut sizes): (Vec<f64>, Vec<usize>) = starts
        .iter()
        .map(|&s| {
            let start = Instant::now();
            let size = traversal
                .reach(csr, s, 2, direction)
                .expect("valid start")
                .len();
            (start.elapsed().as_secs_f64() * 1e6, size)
        })
        .unzip();
    times.sort_by(f64::total_cmp);
    sizes.sort_unstable();
    (times[times.len() / 2], sizes[sizes.len() / 2])
}

criterion_group!(benches, snapshot, reach);
criterion_main!(benches);
