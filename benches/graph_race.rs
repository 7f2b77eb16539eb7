//! The scrm side of the PageRank workload of `scripts/bench.sh`: generates the power-law bench graph, times
//! the CSR build and PageRank (networkx's defaults: damping 0.85, tol 1e-6; median of
//! several runs), and PageRank again to an L1 change below 1e-6 (tol 1e-6 / n), and writes
//! the edges, both rank vectors and the timings to a directory for the peers (networkx,
//! igraph, NetworKit, rustworkx) to run on the same graph.
//!
//! `cargo bench -p scrm --bench graph_race -- --nodes 1000000 --edges 10000000 --runs 5 --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.

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

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use graph::csr::Csr;
use graph::pagerank::{pagerank, PageRank, PageRankConfig};
use support::graphs::{power_law, SEED};
use support::Flags;

struct Args {
    nodes: usize,
    edges: Option<usize>,
    runs: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let flags = Flags::parse(&["--nodes", "--edges", "--runs", "--out"]);
    Args {
        nodes: flags.get("--nodes", 20_000),
        edges: flags.optional("--edges"),
        runs: flags.get("--runs", 3),
        out: flags.out(),
    }
}

/// Milliseconds since `start`.
fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

/// Medians of `times`, column by column.
fn medians<const N: usize>(mut times: Vec<[f64; N]>) -> [f64; N] {
    std::array::from_fn(|k| {
        times.sort_by(|a, b| a[k].total_cmp(&b[k]));
        times[times.len() / 2][k]
    })
}

fn main() {
    let args = args();
    let n = args.nodes;
    let edges = power_law(n, args.edges.unwrap_or(10 * n), SEED);
    let config = PageRankConfig::default();
    let rank = |csr: &Csr, config: &PageRankConfig| -> PageRank {
        pagerank(csr, config).expect("PageRank converges")
    };
    let build = || Csr::new(n, &edges).expect("valid edges");
    // A warm-up round, then build and PageRank timed apart in each run.
    let mut csr = build();
    let mut ranked = rank(&csr, &config);
    let mut times = Vec::with_capacity(args.runs);
    for _ in 0..args.runs {
        drop(csr);
        let start = Instant::now();
        csr = build();
        let built = ms(start);
        let start = Instant::now();
        ranked = rank(&csr, &config);
        let ranked_ms = ms(start);
        times.push([built, ranked_ms, built + ranked_ms]);
    }
    let [build_ms, pagerank_ms, total_ms] = medians(times);
    // The same PageRank iterated to a tolerance that does not loosen with n (networkx's
    // rule stops at an L1 change below n * tol, so a single iteration at 1M nodes).
    let tight = PageRankConfig {
        tol: 1e-6 / n as f64,
        max_iter: 1000,
        ..PageRankConfig::default()
    };
    let mut tight_ranked = rank(&csr, &tight);
    let [tight_ms] = medians(
        (0..args.runs)
            .map(|_| {
                let start = Instant::now();
                tight_ranked = rank(&csr, &tight);
                [ms(start)]
            })
            .collect(),
    );
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
        "tight_tol": tight.tol,
        "tight_ms": tight_ms,
        "tight_iterations": tight_ranked.iterations,
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
        let tight: Vec<u8> = tight_ranked
            .ranks
            .iter()
            .flat_map(|r| r.to_le_bytes())
            .collect();
        fs::write(dir.join("ranks_tight.f64"), tight).expect("write tight ranks");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
