//! The scrm side of `benches/graph_peers.sh`: generates the power-law bench graph, times
//! PageRank including the CSR build (networkx's defaults: damping 0.85, tol 1e-6, median of
//! several runs), and writes the edges, the ranks and the timings to a directory for the
//! peers (networkx, igraph, NetworKit, rustworkx) to run on the same graph.
//!
//! `cargo bench -p scrm --bench graph_race -- --nodes 1000000 --edges 10000000 --runs 5 --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.

#[path = "graph_error.rs"]
mod error;
// Under `cargo test --benches` its unit-test modules compile without their tests.
#[allow(unused_imports)]
#[path = "../core/src/graph/mod.rs"]
mod graph;
mod support;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use graph::csr::Csr;
use graph::pagerank::{pagerank, PageRank, PageRankConfig};
use support::graphs::{power_law, SEED};

struct Args {
    nodes: usize,
    edges: Option<usize>,
    runs: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let mut args = Args {
        nodes: 20_000,
        edges: None,
        runs: 3,
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("flag needs a value");
        match flag.as_str() {
            "--nodes" => args.nodes = value().parse().expect("--nodes N"),
            "--edges" => args.edges = Some(value().parse().expect("--edges M")),
            "--runs" => args.runs = value().parse().expect("--runs N"),
            "--out" => args.out = Some(PathBuf::from(value())),
            _ => {} // cargo passes --bench
        }
    }
    args
}

/// Median wall time in milliseconds of `runs` calls, and the last call's result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs);
    let mut result = f();
    for _ in 1..runs {
        let start = Instant::now();
        result = f();
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    if times.is_empty() {
        // One run: time it again rather than report a cold first call.
        let start = Instant::now();
        result = f();
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], result)
}

fn main() {
    let args = args();
    let n = args.nodes;
    let edges = power_law(n, args.edges.unwrap_or(10 * n), SEED);
    let config = PageRankConfig::default();
    let rank = |csr: &Csr| -> PageRank { pagerank(csr, &config).expect("PageRank converges") };
    let build = || Csr::new(n, &edges).expect("valid edges");
    // The first call of each is a warm-up and is not timed.
    let (total_ms, ranked) = time(args.runs, || rank(&build()));
    let (build_ms, csr) = time(args.runs, build);
    let (pagerank_ms, _) = time(args.runs, || rank(&csr));
    let in_side_bytes = csr.heap_bytes();
    csr.outs(); // the snapshot in full, as traversals use it
    let report = serde_json::json!({
        "nodes": n,
        "edges": edges.len(),
        "distinct_edges": csr.edge_count(),
        "runs": args.runs,
        "total_ms": total_ms,
        "build_ms": build_ms,
        "pagerank_ms": pagerank_ms,
        "iterations": ranked.iterations,
        "snapshot_bytes": csr.heap_bytes(),
        "bytes_per_edge": csr.heap_bytes() as f64 / csr.edge_count().max(1) as f64,
        "pagerank_bytes_per_edge": in_side_bytes as f64 / csr.edge_count().max(1) as f64,
        "threads": std::thread::available_parallelism().map_or(1, |t| t.get()),
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        let pairs: Vec<u8> = edges
            .iter()
            .flat_map(|&(u, v)| [u.to_le_bytes(), v.to_le_bytes()])
            .flatten()
            .collect();
        fs::write(dir.join("edges.u32"), pairs).expect("write edges");
        let ranks: Vec<u8> = ranked.ranks.iter().flat_map(|r| r.to_le_bytes()).collect();
        fs::write(dir.join("ranks.f64"), ranks).expect("write ranks");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
