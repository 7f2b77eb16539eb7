//! PageRank by power iteration, exactly as networkx's `pagerank` computes it, pulling each
//! node's new rank from its in-edges (no write contention, so large graphs split over
//! threads by node range).
//!
//! With `p` the jump vector (uniform, or uniform over the seeds for personalized PageRank),
//! `d` the damping and `A` the row-normalised weight matrix, each iteration computes
//! `x' = d (x A + (sum of x over dangling nodes) p) + (1 - d) p`, starting from the uniform
//! vector: dangling nodes (no out-edges, or only weight-0 ones) spread their rank like the
//! jump does. It stops when `|x' - x|₁ < n * tol`, and fails after `max_iter` iterations
//! without getting there.

use std::ops::Range;

use super::csr::Csr;
use super::parallel;
use crate::error::{invalid, Result};
use crate::prefetch::prefetch;

/// How to run PageRank; [`Default`] is networkx's defaults, weighted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageRankConfig {
    /// Probability of following an edge rather than jumping (networkx's `alpha`), in (0, 1).
    pub(crate) damping: f64,
    /// Per-node tolerance: iteration stops when the L1 change is below `n * tol`; above 0.
    pub(crate) tol: f64,
    /// Most iterations before giving up; at least 1.
    pub(crate) max_iter: u32,
    /// Whether edge weights count; if not, every distinct edge counts 1.
    pub(crate) weighted: bool,
}

impl Default for PageRankConfig {
    fn default() -> Self {
        PageRankConfig {
            damping: 0.85,
            tol: 1e-6,
            max_iter: 100,
            weighted: true,
        }
    }
}

/// The ranks (summing to 1, indexed by node) and the iterations it took.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageRank {
    /// Rank of each node.
    pub(crate) ranks: Vec<f64>,
    /// Iterations run.
    pub(crate) iterations: u32,
}

/// PageRank of every node of `csr`.
pub(crate) fn pagerank(csr: &Csr, config: &PageRankConfig) -> Result<PageRank> {
    check(config)?;
    let n = csr.node_count();
    iterate(csr, config, &Jump::Uniform(1.0 / n as f64))
}

/// PageRank personalized to `seeds`: jumps (and dangling nodes' rank) go to the seeds, in
/// equal shares; a seed listed twice counts once. Needs at least one seed.
pub(crate) fn personalized_pagerank(
    csr: &Csr,
    config: &PageRankConfig,
    seeds: &[u32],
) -> Result<PageRank> {
    check(config)?;
    if seeds.is_empty() {
        return Err(invalid("seeds", "personalized PageRank needs a seed"));
    }
    let mut jump = vec![0.0; csr.node_count()];
    for (i, &s) in seeds.iter().enumerate() {
        csr.check_node(&format!("seeds[{i}]"), s)?;
        jump[s as usize] = 1.0;
    }
    let share = 1.0 / jump.iter().sum::<f64>();
    jump.iter_mut().for_each(|p| *p *= share);
    iterate(csr, config, &Jump::Seeds(jump))
}

fn check(config: &PageRankConfig) -> Result<()> {
    let PageRankConfig {
        damping,
        tol,
        max_iter,
        ..
    } = *config;
    if !(damping > 0.0 && damping < 1.0) {
        return Err(invalid(
            "damping",
            format!("must be in (0, 1), got {damping}"),
        ));
    }
    if !(tol > 0.0 && tol.is_finite()) {
        return Err(invalid(
            "tol",
            format!("must be above 0 and finite, got {tol}"),
        ));
    }
    if max_iter == 0 {
        return Err(invalid("max_iter", "must be at least 1"));
    }
    Ok(())
}

/// The jump vector `p`.
enum Jump {
    /// Every node gets this share.
    Uniform(f64),
    /// Each node's share.
    Seeds(Vec<f64>),
}

impl Jump {
    fn at(&self, v: usize) -> f64 {
        match self {
            Jump::Uniform(p) => *p,
            Jump::Seeds(p) => p[v],
        }
    }
}

/// How many edges ahead an iteration starts loading the values it will pull.
const AHEAD: usize = 32;

/// What an iteration reads besides the ranks and `y = x / out-weight` (what each node passes
/// along each unit of edge weight) of the iteration before.
struct Step<'a> {
    csr: &'a Csr,
    weights: Option<&'a [f32]>,
    jump: &'a Jump,
    damping: f64,
    /// Rank the dangling nodes held in the previous iteration.
    dangling: f64,
}

impl Step<'_> {
    /// Computes the nodes of `range` from the previous `last_y`: their ranks into `x`, which
    /// holds their previous ranks, and their `y`; returns their L1 change and the rank of the
    /// dangling nodes among them.
    fn run(&self, range: Range<usize>, last_y: &[f64], x: &mut [f64], y: &mut [f64]) -> (f64, f64) {
        let ins = self.csr.ins();
        let (mut change, mut dangling) = (0.0, 0.0);
        for ((v, x), y) in range.zip(x).zip(y) {
            let edges = ins.range(v as u32);
            let sources = &ins.items[edges.clone()];
            let len = ins.items.len();
            for &u in &ins.items[(edges.start + AHEAD).min(len)..(edges.end + AHEAD).min(len)] {
                prefetch(last_y, u as usize);
            }
            let pulled: f64 = match self.weights {
                Some(w) => sources
                    .iter()
                    .zip(&w[edges])
                    .map(|(&u, &w)| last_y[u as usize] * f64::from(w))
                    .sum(),
                None => sources.iter().map(|&u| last_y[u as usize]).sum(),
            };
            let p = self.jump.at(v);
            let rank = self.damping * (pulled + self.dangling * p) + (1.0 - self.damping) * p;
            let inverse = inverse(self.csr, self.weights.is_some(), v as u32);
            change += (rank - *x).abs();
            (*x, *y) = (rank, rank * inverse);
            if inverse == 0.0 {
                dangling += rank;
            }
        }
        (change, dangling)
    }
}

/// `1 / out-weight` of node `u` (its out-degree when weights do not count), 0 when it is
/// dangling.
fn inverse(csr: &Csr, weighted: bool, u: u32) -> f64 {
    let out = if weighted {
        csr.out_weight(u)
    } else {
        csr.out_degree(u) as f64
    };
    if out > 0.0 {
        1.0 / out
    } else {
        0.0
    }
}

/// Each node range with its pieces of the rank vector `x` and of a `y` vector.
fn pieces<'a>(
    ranges: &[Range<usize>],
    x: &'a mut [f64],
    y: &'a mut [f64],
) -> Vec<(Range<usize>, &'a mut [f64], &'a mut [f64])> {
    let lengths = || ranges.iter().map(|r| r.len());
    let (xs, ys) = (
        parallel::split_lengths(x, lengths()),
        parallel::split_lengths(y, lengths()),
    );
    ranges
        .iter()
        .cloned()
        .zip(xs)
        .zip(ys)
        .map(|((range, x), y)| (range, x, y))
        .collect()
}

fn iterate(csr: &Csr, config: &PageRankConfig, jump: &Jump) -> Result<PageRank> {
    let n = csr.node_count();
    if n == 0 {
        return Ok(PageRank {
            ranks: Vec::new(),
            iterations: 0,
        });
    }
    let weights = csr.ins().weights.as_deref().filter(|_| config.weighted);
    let ranges = parallel::node_ranges(&csr.ins().offsets, parallel::workers(n + csr.edge_count()));
    // Ranks are updated in place; `y` needs the previous iteration's while it is computed.
    // The first vectors are filled on the threads too (their memory is new, so first
    // touches cost).
    let start = 1.0 / n as f64;
    let (mut x, mut last_y, mut next_y) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let dangling_nodes = parallel::run(pieces(&ranges, &mut x, &mut last_y), |(range, x, y)| {
        let mut dangling = 0usize;
        for ((u, x), y) in range.zip(x).zip(y) {
            let inverse = inverse(csr, weights.is_some(), u as u32);
            (*x, *y) = (start, start * inverse);
            dangling += usize::from(inverse == 0.0);
        }
        dangling
    });
    let mut dangling = dangling_nodes.iter().sum::<usize>() as f64 * start;
    let mut change = f64::INFINITY;
    for iteration in 1..=config.max_iter {
        let step = Step {
            csr,
            weights,
            jump,
            damping: config.damping,
            dangling,
        };
        let parts = pieces(&ranges, &mut x, &mut next_y);
        let sums = parallel::run(parts, |(range, x, y)| step.run(range, &last_y, x, y));
        change = sums.iter().map(|s| s.0).sum();
        dangling = sums.iter().map(|s| s.1).sum();
        std::mem::swap(&mut last_y, &mut next_y);
        if change < n as f64 * config.tol {
            return Ok(PageRank {
                ranks: x,
                iterations: iteration,
            });
        }
    }
    Err(invalid(
        "max_iter",
        format!(
            "PageRank did not converge in {} iterations (L1 change {change:e}, needs < {:e})",
            config.max_iter,
            n as f64 * config.tol
        ),
    ))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::graph;

    /// networkx's iteration on a dense matrix, written independently of the CSR kernel.
    fn dense(n: usize, edges: &[(u32, u32, f32)], config: &PageRankConfig, p: &[f64]) -> Vec<f64> {
        let mut a = vec![vec![0.0f64; n]; n];
        for &(u, v, w) in edges {
            a[u as usize][v as usize] += if config.weighted { f64::from(w) } else { 1.0 };
        }
        if !config.weighted {
            // Repeated edges count once when weights do not count.
            a.iter_mut().flatten().for_each(|w| *w = w.min(1.0));
        }
        for row in &mut a {
            let s: f64 = row.iter().sum();
            if s > 0.0 {
                row.iter_mut().for_each(|w| *w /= s);
            }
        }
        let dangling: Vec<bool> = a.iter().map(|row| row.iter().all(|&w| w == 0.0)).collect();
        let d = config.damping;
        let mut x = vec![1.0 / n as f64; n];
        for _ in 0..config.max_iter {
            let dsum: f64 = (0..n).filter(|&u| dangling[u]).map(|u| x[u]).sum();
            let next: Vec<f64> = (0..n)
                .map(|v| {
                    let pulled: f64 = (0..n).map(|u| x[u] * a[u][v]).sum();
                    d * (pulled + dsum * p[v]) + (1.0 - d) * p[v]
                })
                .collect();
            let err: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
            x = next;
            if err < n as f64 * config.tol {
                break;
            }
        }
        x
    }

    fn l1(a: &[f64], b: &[f64]) -> f64 {
        a.iter().zip(b).map(|(a, b)| (a - b).abs()).sum()
    }

    /// Converged far beyond networkx's default, to compare with exact solutions.
    fn tight() -> PageRankConfig {
        PageRankConfig {
            tol: 1e-15,
            max_iter: 1000,
            ..PageRankConfig::default()
        }
    }

    #[test]
    fn a_cycle_is_uniform() {
        let csr = Csr::new(3, &[(0, 1), (1, 2), (2, 0)]).unwrap();
        let r = pagerank(&csr, &PageRankConfig::default()).unwrap();
        assert!(l1(&r.ranks, &[1.0 / 3.0; 3]) < 1e-12, "{r:?}");
        assert_eq!(r.iterations, 1);
    }

    #[test]
    fn a_star_ranks_its_centre() {
        // Leaves 1..=4 point at the dangling centre 0. A leaf gets only jumps and the
        // centre's dangling share: l = 0.85 c / 5 + 0.15 / 5; with c + 4 l = 1 that gives
        // c = 0.88 / 1.68.
        let csr = Csr::new(5, &[(1, 0), (2, 0), (3, 0), (4, 0)]).unwrap();
        let r = pagerank(&csr, &tight()).unwrap().ranks;
        let c = 0.88 / 1.68;
        let l = (1.0 - c) / 4.0;
        assert!(l1(&r, &[c, l, l, l, l]) < 1e-12, "{r:?}");
    }

    #[test]
    fn dangling_rank_follows_the_personalization() {
        // 0 -> 1, 1 dangling, 2 isolated; seeds {0}: all jumps land on 0.
        let csr = Csr::new(3, &[(0, 1)]).unwrap();
        let got = personalized_pagerank(&csr, &tight(), &[0, 0])
            .unwrap()
            .ranks;
        // x0 = 0.15 + 0.85 x1 (x1's dangling rank goes to the seed) and x1 = 0.85 x0.
        let x0 = 0.15 / (1.0 - 0.85 * 0.85);
        assert!(l1(&got, &[x0, 0.85 * x0, 0.0]) < 1e-12, "{got:?}");
        let config = PageRankConfig::default();
        let got = personalized_pagerank(&csr, &config, &[0, 0]).unwrap().ranks;
        let expected = dense(3, &[(0, 1, 1.0)], &config, &[1.0, 0.0, 0.0]);
        assert!(l1(&got, &expected) < 1e-12);
    }

    #[test]
    fn weights_count_unless_told_not_to() {
        let edges = [
            (0, 1, 3.0),
            (0, 2, 1.0),
            (1, 0, 1.0),
            (2, 0, 1.0),
            (0, 1, 1.0),
        ];
        let csr = Csr::new(3, &edges).unwrap();
        for weighted in [true, false] {
            let config = PageRankConfig {
                weighted,
                ..PageRankConfig::default()
            };
            let got = pagerank(&csr, &config).unwrap().ranks;
            let expected = dense(3, &edges, &config, &[1.0 / 3.0; 3]);
            assert!(
                l1(&got, &expected) < 1e-12,
                "{weighted}: {got:?} {expected:?}"
            );
        }
        let weighted = pagerank(&csr, &PageRankConfig::default()).unwrap().ranks;
        assert!(weighted[1] > weighted[2]);
    }

    #[test]
    fn bad_parameters_are_refused() {
        let csr = Csr::new(2, &[(0, 1)]).unwrap();
        let field = |config: PageRankConfig| {
            pagerank(&csr, &config)
                .unwrap_err()
                .field()
                .map(String::from)
        };
        for damping in [0.0, 1.0, -0.5, f64::NAN] {
            let config = PageRankConfig {
                damping,
                ..PageRankConfig::default()
            };
            assert_eq!(field(config).as_deref(), Some("damping"));
        }
        for tol in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let config = PageRankConfig {
                tol,
                ..PageRankConfig::default()
            };
            assert_eq!(field(config).as_deref(), Some("tol"));
        }
        let config = PageRankConfig {
            max_iter: 0,
            ..PageRankConfig::default()
        };
        assert_eq!(field(config).as_deref(), Some("max_iter"));
        let config = PageRankConfig::default();
        let err = personalized_pagerank(&csr, &config, &[]).unwrap_err();
        assert_eq!(err.field(), Some("seeds"));
        let err = personalized_pagerank(&csr, &config, &[1, 2]).unwrap_err();
        assert_eq!(err.field(), Some("seeds[1]"));
    }

    #[test]
    fn not_converging_is_an_error() {
        let csr = Csr::new(4, &[(0, 1), (1, 2), (2, 0), (3, 0)]).unwrap();
        let config = PageRankConfig {
            max_iter: 2,
            tol: 1e-12,
            ..PageRankConfig::default()
        };
        let err = pagerank(&csr, &config).unwrap_err();
        assert_eq!(err.field(), Some("max_iter"));
    }

    #[test]
    fn empty_graphs_have_no_ranks() {
        let csr = Csr::new::<(u32, u32)>(0, &[]).unwrap();
        assert!(pagerank(&csr, &PageRankConfig::default())
            .unwrap()
            .ranks
            .is_empty());
    }

    #[test]
    fn large_graphs_agree_with_the_sequential_kernel() {
        // Big enough to be split over threads where there are several cores; compared with a
        // plain sequential loop over the same CSR.
        let n = 40_000u32;
        let edges: Vec<(u32, u32)> = (0..200_000u32)
            .map(|i| {
                let h = i.wrapping_mul(2_654_435_761);
                ((h >> 3) % n, (h >> 13) % (n / 4 + i % (3 * n / 4)))
            })
            .collect();
        let csr = Csr::new(n as usize, &edges).unwrap();
        assert!(csr.is_weighted(), "some edges repeat, so weights count");
        let config = PageRankConfig {
            tol: 1e-10,
            ..PageRankConfig::default()
        };
        let got = pagerank(&csr, &config).unwrap();
        let jump = Jump::Uniform(1.0 / f64::from(n));
        let mut x = vec![1.0 / f64::from(n); n as usize];
        let mut y: Vec<f64> = (0..n).map(|u| x[0] * inverse(&csr, true, u)).collect();
        let mut dangling: f64 = (0..n)
            .filter(|&u| csr.out_weight(u) == 0.0)
            .map(|u| x[u as usize])
            .sum();
        for _ in 0..got.iterations {
            let step = Step {
                csr: &csr,
                weights: csr.ins().weights.as_deref(),
                jump: &jump,
                damping: 0.85,
                dangling,
            };
            let mut next_y = vec![0.0; n as usize];
            dangling = step.run(0..n as usize, &y, &mut x, &mut next_y).1;
            y = next_y;
        }
        assert!(l1(&got.ranks, &x) < 1e-12);
        assert!((got.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn matches_the_dense_reference(g in graph(9, 30), weighted in any::<bool>(), seed in 0..9u32) {
            let csr = Csr::new(g.n, &g.edges).unwrap();
            let config = PageRankConfig { weighted, ..PageRankConfig::default() };
            let got = pagerank(&csr, &config).unwrap();
            prop_assert!((got.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            let expected = dense(g.n, &g.edges, &config, &vec![1.0 / g.n as f64; g.n]);
            prop_assert!(l1(&got.ranks, &expected) < 1e-12, "{:?} {:?}", got.ranks, expected);

            let seed = seed % g.n as u32;
            let got = personalized_pagerank(&csr, &config, &[seed]).unwrap();
            prop_assert!((got.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            let mut p = vec![0.0; g.n];
            p[seed as usize] = 1.0;
            let expected = dense(g.n, &g.edges, &config, &p);
            prop_assert!(l1(&got.ranks, &expected) < 1e-12, "{:?} {:?}", got.ranks, expected);
        }
    }
}
