//! Deterministic directed graphs for the graph benches: a power-law graph (Chung–Lu) and a
//! planted-partition graph with known communities, both built in O(nodes + edges), and the
//! graph size knob.
//!
//! Both generators return distinct directed edges without self-loops, in shuffled order (as
//! an edge store would hand them over, not grouped by source). They return exactly `edges`
//! edges unless the request is too dense for its graph (a source that keeps drawing targets
//! it already has gives up after a bounded number of draws), which only tiny graphs meet.

use std::time::Instant;

use scrm::edge_kinds::FOLLOWS;
use scrm::{CustomerInput, EdgeInput, Engine};

use super::{id, Rng};

/// Draws per edge before a source gives up the edges it still lacks (see the module doc).
const TRIES: usize = 64;
/// Draws made at once (see `distinct_edges`).
const BATCH: usize = 256;

/// Seed of the graph the graph benches run on.
pub const SEED: u64 = 42;

/// Exponent of the degree distributions of [`power_law`]: P(degree = k) ∝ k^-2.3.
pub const POWER_LAW_EXPONENT: f64 = 2.3;

/// Customers and edges per call while loading an engine.
const LOAD_BATCH: usize = 100_000;

/// An in-memory engine holding customers `0..n` and `edges` as `follows` edges, loaded in
/// batches through `upsert_customers` and `add_edges`, and the seconds the edges took.
pub fn follows_engine(n: usize, edges: &[(u32, u32)]) -> (Engine, f64) {
    let engine = Engine::in_memory();
    let customers: Vec<_> = (0..n).map(|i| CustomerInput::new(id(i))).collect();
    for chunk in customers.chunks(LOAD_BATCH) {
        engine.upsert_customers(chunk).expect("customers load");
    }
    let start = Instant::now();
    for chunk in edges.chunks(LOAD_BATCH) {
        let batch: Vec<_> = chunk
            .iter()
            .map(|&(s, t)| EdgeInput::new(id(s as usize), id(t as usize), FOLLOWS))
            .collect();
        engine.add_edges(&batch).expect("edges load");
    }
    (engine, start.elapsed().as_secs_f64())
}

/// Nodes of the graph benches: `SCRM_BENCH_GRAPH_NODES`, else `SCRM_BENCH_CUSTOMERS` (which
/// CI sets small when it runs the benches once as tests), else `default`; edges are ten
/// times the nodes.
pub fn graph_nodes(default: usize) -> usize {
    match std::env::var("SCRM_BENCH_GRAPH_NODES") {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|&n| n > 1)
            .expect("SCRM_BENCH_GRAPH_NODES must be an integer above 1"),
        Err(_) => super::size(default),
    }
}

/// A directed graph of `nodes` nodes and `edges` edges whose out- and in-degrees both follow
/// a power law of exponent [`POWER_LAW_EXPONENT`], independently of each other.
///
/// Chung–Lu: each edge draws its source and its target with probability proportional to a
/// node weight `rank^-1/(γ-1)`; sources and targets rank the nodes by two unrelated
/// permutations, so hubs are spread over the id range and big out-degree does not imply big
/// in-degree.
pub fn power_law(nodes: usize, edges: usize, seed: u64) -> Vec<(u32, u32)> {
    let n = check_nodes(nodes);
    let mut rng = rng(seed);
    let ranks = PowerLaw::new(n, 1.0 / (POWER_LAW_EXPONENT - 1.0));
    let sources = Affine::new(n, &mut rng);
    let targets = Affine::new(n, &mut rng);
    // Draws and duplicate checks work on ranks, which the power law keeps cache-local;
    // only the emitted edges go through the permutations.
    let ids = Ids {
        source: |rank| sources.map(rank),
        target: |rank| targets.map(rank),
    };
    let source = |rng: &mut Rng| ranks.draw(rng);
    let target = |_, rng: &mut Rng| Some(ranks.draw(rng));
    distinct_edges(n, edges, &mut rng, source, target, ids)
}

/// A planted-partition graph: `nodes` nodes in `communities` communities of varied sizes
/// (proportional to weights drawn uniformly in [1, 4]), `edges` edges of which a fraction `mixing`
/// join two communities and the rest stay inside one. Sources are uniform; an edge inside
/// a community picks its target uniformly among the source's community, an edge between
/// communities uniformly among the other nodes.
///
/// Returns the edges and the truth: the community of each node, numbered from 0. Node ids
/// are shuffled, so communities are not id ranges.
pub fn planted(
    nodes: usize,
    communities: usize,
    edges: usize,
    mixing: f64,
    seed: u64,
) -> (Vec<(u32, u32)>, Vec<u32>) {
    let n = check_nodes(nodes);
    assert!(
        (1..=nodes).contains(&communities),
        "planted: communities must be in 1..=nodes"
    );
    assert!(
        (0.0..=1.0).contains(&mixing),
        "planted: mixing must be in [0, 1]"
    );
    let mut rng = rng(seed);
    let sizes = community_sizes(nodes, communities, &mut rng);
    // Members of each community, grouped: community c holds members[starts[c]..starts[c + 1]].
    let mut members: Vec<u32> = (0..n).collect();
    shuffle(&mut members, &mut rng);
    let mut starts = Vec::with_capacity(communities + 1);
    starts.push(0usize);
    let mut truth = vec![0u32; nodes];
    for (c, &size) in sizes.iter().enumerate() {
        let start = *starts.last().expect("starts is never empty");
        for &v in &members[start..start + size] {
            truth[v as usize] = c as u32;
        }
        starts.push(start + size);
    }
    let ids = Ids {
        source: |v| v as u32,
        target: |v| v as u32,
    };
    let edges = distinct_edges(
        n,
        edges,
        &mut rng,
        |rng| rng.below(u64::from(n)),
        |src, rng| {
            let c = truth[src as usize] as usize;
            let (lo, hi) = (starts[c], starts[c + 1]);
            if rng.unit() >= mixing {
                return Some(u64::from(
                    members[lo + rng.below((hi - lo) as u64) as usize],
                ));
            }
            // A uniform node outside the community: skip over the community's slice.
            let outside = (nodes - (hi - lo)) as u64;
            if outside == 0 {
                return None;
            }
            let k = rng.below(outside) as usize;
            Some(u64::from(members[if k < lo { k } else { k + (hi - lo) }]))
        },
        ids,
    );
    (edges, truth)
}

/// Panics unless the node count is usable as `u32` ids with room for an edge.
fn check_nodes(nodes: usize) -> u32 {
    assert!(nodes >= 2, "graph generators need at least 2 nodes");
    u32::try_from(nodes).expect("graph generators take at most u32::MAX nodes")
}

/// The generator for `seed` (xorshift must not start at 0).
fn rng(seed: u64) -> Rng {
    Rng((seed ^ 0x9E37_79B9_7F4A_7C15).max(1))
}

/// Sizes of `k` communities over `nodes` nodes: weights uniform in [1, 4], every community
/// at least one node, the sizes adding up to `nodes`.
fn community_sizes(nodes: usize, k: usize, rng: &mut Rng) -> Vec<usize> {
    let weights: Vec<f64> = (0..k).map(|_| 1.0 + 3.0 * rng.unit()).collect();
    let total: f64 = weights.iter().sum();
    let spare = (nodes - k) as f64;
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| 1 + (spare * w / total) as usize)
        .collect();
    // Rounding down lost less than one node per community.
    let left = nodes - sizes.iter().sum::<usize>();
    for size in &mut sizes[..left] {
        *size += 1;
    }
    sizes
}

/// How the slots that a generator draws become node ids: one bijection of `0..n` for
/// sources, one for targets.
struct Ids<S, T> {
    source: S,
    target: T,
}

/// Draws `edges` source slots with `source`, then for each source as many distinct target
/// slots with `target` (None, a self-loop or a repeat is a failed draw), maps the slots to
/// ids with `ids`, and shuffles the edges.
fn distinct_edges(
    n: u32,
    edges: usize,
    rng: &mut Rng,
    mut source: impl FnMut(&mut Rng) -> u64,
    mut target: impl FnMut(u32, &mut Rng) -> Option<u64>,
    ids: Ids<impl Fn(u64) -> u32, impl Fn(u64) -> u32>,
) -> Vec<(u32, u32)> {
    // Draws go to a small buffer before the counters and stamps are touched, so that the
    // cache misses of a batch overlap instead of waiting for each draw.
    let mut batch = Vec::with_capacity(BATCH);
    let mut degree = vec![0u32; n as usize];
    for start in (0..edges).step_by(BATCH) {
        batch.clear();
        batch.extend((start..edges.min(start + BATCH)).map(|_| source(rng)));
        for &s in &batch {
            degree[s as usize] += 1;
        }
    }
    // stamp[t] == s + 1 when source slot s already has an edge to target slot t.
    let mut stamp = vec![0u32; n as usize];
    let mut out = Vec::with_capacity(edges);
    for (s, &d) in (0..n).zip(&degree) {
        let src = (ids.source)(u64::from(s));
        let mut missing = d as usize;
        let mut tries = missing * TRIES;
        while missing > 0 && tries > 0 {
            let draws = missing.min(BATCH).min(tries);
            tries -= draws;
            batch.clear();
            batch.extend((0..draws).filter_map(|_| target(src, rng)));
            for &t in &batch {
                let dst = (ids.target)(t);
                if dst != src && stamp[t as usize] != s + 1 {
                    stamp[t as usize] = s + 1;
                    out.push((src, dst));
                    missing -= 1;
                }
            }
        }
    }
    shuffle(&mut out, rng);
    out
}

/// Fisher–Yates.
fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

/// Draws ranks `0..n` with probability about proportional to `(rank + 1)^-beta`, by inverting
/// the distribution function of the continuous density `x^-beta` on `[1, n + 1)`.
struct PowerLaw {
    last: u64,
    /// `1 - beta`.
    a: f64,
    /// `(n + 1)^a - 1`.
    span: f64,
}

impl PowerLaw {
    fn new(n: u32, beta: f64) -> Self {
        let a = 1.0 - beta;
        PowerLaw {
            last: u64::from(n) - 1,
            a,
            span: (f64::from(n) + 1.0).powf(a) - 1.0,
        }
    }

    fn draw(&self, rng: &mut Rng) -> u64 {
        let x = (1.0 + rng.unit() * self.span).powf(1.0 / self.a);
        (x as u64).saturating_sub(1).min(self.last)
    }
}

/// The permutation `i -> (a * i + b) mod n` of `0..n`, with `a` coprime to `n`.
struct Affine {
    n: u64,
    a: u64,
    b: u64,
}

impl Affine {
    fn new(n: u32, rng: &mut Rng) -> Self {
        let n = u64::from(n);
        let mut a = (n / 2 + rng.below(n / 2 + 1)) | 1;
        while gcd(a, n) != 1 {
            a += 2;
        }
        Affine {
            n,
            a: a % n,
            b: rng.below(n),
        }
    }

    fn map(&self, i: u64) -> u32 {
        ((self.a * i + self.b) % self.n) as u32
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
