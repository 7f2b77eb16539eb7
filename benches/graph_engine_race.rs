//! The scrm side of the graph-engine workload of `scripts/bench.sh` (scrm only): loads the
//! power-law bench graph into an in-memory engine as `follows` edges (`add_edges` in batches
//! of 100,000), then times 2-hop reach (both directions, every edge kind) from random
//! customers one call at a time: counted (`Engine::count` of `within 2 hops of "id"`) and
//! listed (`Engine::reach`, the reached customers' ids), and reports the median calls.
//! Prints (and with `--out` writes `scrm.json`) the figures.
//!
//! `cargo bench -p scrm --bench graph_engine_race -- --nodes 1000000 --runs 1000 --out DIR`
//! Without flags (as under `cargo test --benches`) it runs a small smoke round.

mod support;

use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use scrm::EdgeDirection;
use support::graphs::{follows_engine, power_law, SEED};
use support::{id, median, Flags, Rng};

struct Args {
    nodes: usize,
    /// Reach calls timed (each from its own random customer).
    runs: usize,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let flags = Flags::parse(&["--nodes", "--runs", "--out"]);
    Args {
        nodes: flags.get("--nodes", 20_000),
        runs: flags.get("--runs", 100),
        out: flags.out(),
    }
}

fn main() {
    let args = args();
    let n = args.nodes;
    let edges = power_law(n, 10 * n, SEED);
    let (engine, load_secs) = follows_engine(n, &edges);
    let mut rng = Rng(7);
    let starts: Vec<String> = (0..args.runs.max(1))
        .map(|_| id(rng.below(n as u64) as usize))
        .collect();
    // The first call builds the snapshot; it is not one of the timed calls.
    let build = Instant::now();
    engine
        .reach(&starts[0], 2, EdgeDirection::Both, &[])
        .expect("reach");
    let snapshot_ms = build.elapsed().as_secs_f64() * 1e3;
    let (times, sizes): (Vec<f64>, Vec<f64>) = starts
        .iter()
        .map(|start| {
            let began = Instant::now();
            let reached = engine
                .reach(start, 2, EdgeDirection::Both, &[])
                .expect("reach");
            (began.elapsed().as_secs_f64() * 1e3, reached.len() as f64)
        })
        .unzip();
    let mut counts = Vec::with_capacity(starts.len());
    for (start, size) in starts.iter().zip(&sizes) {
        let expression = format!("within 2 hops of \"{start}\"");
        let began = Instant::now();
        let count = engine.count(&expression).expect("reach count");
        counts.push(began.elapsed().as_secs_f64() * 1e3);
        assert_eq!(count as f64, *size, "count and listing of {start}'s reach");
    }
    let report = serde_json::json!({
        "nodes": n,
        "edges": edges.len(),
        "runs": starts.len(),
        "times_ms": {
            "load": load_secs * 1e3,
            "snapshot": snapshot_ms,
            "reach_2_count": median(counts),
            "reach_2_ids": median(times),
        },
        "edges_per_s": edges.len() as f64 / load_secs,
        "reach_2_median_size": median(sizes),
    });
    println!("{report}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
