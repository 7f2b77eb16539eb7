//! Community detection on the two bench graphs of the relationship-graph issue, a planted
//! partition and a power-law graph, with 10 edges per node: 1,000,000 nodes by default; set
//! `SCRM_BENCH_GRAPH_NODES` (or, as CI does, `SCRM_BENCH_CUSTOMERS`) to change (see
//! `support::graphs::graph_nodes`). Prints each graph's community count and modularity once.
//!
//! Run with `cargo bench -p scrm --bench communities`; for the peers side by side, see
//! `scripts/bench.sh --only communities`.

mod communities_support;
mod support;

use std::hint::black_box;
use std::time::Duration;

use communities_support::communities::{detect_communities, CommunityOptions};
// The engine's module reaches its errors as `crate::error`.
use communities_support::error;
use communities_support::{Csr, Kind};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use support::graphs::graph_nodes;

fn detect(c: &mut Criterion) {
    let nodes = graph_nodes(1_000_000);
    let mut group = c.benchmark_group("communities");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for kind in Kind::ALL {
        let edges = kind.edges(nodes, 10 * nodes);
        let csr = Csr::new(nodes, &edges);
        let opts = CommunityOptions::default();
        let found = detect_communities(csr.adjacency(), &opts).expect("valid bench graph");
        eprintln!(
            "communities/{}: {nodes} nodes, {} edges, {} communities, modularity {:.4}",
            kind.name(),
            edges.len(),
            found.count,
            found.modularity
        );
        group.throughput(Throughput::Elements(edges.len() as u64));
        group.bench_function(kind.name(), |b| {
            b.iter(|| black_box(detect_communities(csr.adjacency(), &opts).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, detect);
criterion_main!(benches);
