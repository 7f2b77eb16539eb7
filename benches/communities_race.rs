//! The scrm side of the communities workload of `scripts/bench.sh`: generates a bench graph, times scrm's
//! community detection (median of several runs) and writes the edges, scrm's membership and
//! its timing to a directory for the peers (NetworKit, igraph) to run on the same graph.
//!
//! `cargo bench -p scrm --bench communities_race -- --nodes 1000000 --edges 10000000
//! --graph planted --runs 3 [--seed 0] --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.

mod communities_support;
mod support;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use communities_support::communities::{detect_communities, Communities, CommunityOptions};
// The engine's module reaches its errors as `crate::error`.
use communities_support::error;
use communities_support::{Csr, Kind};
use support::Flags;

struct Args {
    nodes: usize,
    edges: usize,
    kind: Kind,
    runs: usize,
    seed: u64,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let flags = Flags::parse(&["--nodes", "--edges", "--graph", "--runs", "--seed", "--out"]);
    let kind = flags
        .optional::<String>("--graph")
        .map_or(Kind::Planted, |g| {
            Kind::parse(&g).expect("--graph planted|power_law")
        });
    Args {
        nodes: flags.get("--nodes", 20_000),
        edges: flags.get("--edges", 200_000),
        kind,
        runs: flags.get("--runs", 1),
        seed: flags.get("--seed", 0),
        out: flags.out(),
    }
}

/// Median wall time in seconds of `runs` detections, and the last result.
fn time(runs: usize, seed: u64, csr: &Csr) -> (f64, Communities) {
    let opts = CommunityOptions {
        seed,
        ..CommunityOptions::default()
    };
    let mut times = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let found = detect_communities(csr.adjacency(), &opts).expect("valid bench graph");
        times.push(start.elapsed().as_secs_f64());
        result = Some(found);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], result.expect("at least one run"))
}

/// Writes `values` as raw little-endian u32s.
fn write_u32s(path: PathBuf, values: impl Iterator<Item = u32>) {
    let bytes: Vec<u8> = values.flat_map(u32::to_le_bytes).collect();
    fs::write(path, bytes).expect("write output");
}

fn main() {
    let args = args();
    let edges = args.kind.edges(args.nodes, args.edges);
    let csr = Csr::new(args.nodes, &edges);
    let (seconds, found) = time(args.runs, args.seed, &csr);
    let report = serde_json::json!({
        "graph": args.kind.name(),
        "nodes": args.nodes,
        "edges": edges.len(),
        "runs": args.runs,
        "seed": args.seed,
        "scrm": {
            "median_s": seconds,
            "modularity": found.modularity,
            "communities": found.count,
        },
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        write_u32s(
            dir.join("edges.u32"),
            edges.iter().flat_map(|&(u, v)| [u, v]),
        );
        write_u32s(
            dir.join("scrm_membership.u32"),
            found.membership.into_iter(),
        );
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
