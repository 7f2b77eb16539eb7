//! Community detection: Louvain modularity optimisation over the undirected CSR view of the
//! relationship graph, returning a community per customer and the partition's modularity.
//!
//! # Algorithm
//! Louvain (Blondel et al. 2008) with refinement on the way back down, as NetworKit's PLMR:
//! 1. *Coarsen*: local moving from singletons (`local_move`): sweeps over the nodes in a
//!    seeded order move each to the neighbouring community of largest modularity gain, and
//!    after the first sweep visit only nodes whose neighbourhood changed, until a sweep
//!    moves nothing. The partition collapses into a coarse graph, one node per community,
//!    built by counting sort (`aggregate`); repeat until a level merges nothing or
//!    `max_levels` levels ran.
//! 2. *Refine*: from the coarsest level down, project the partition onto the finer level and
//!    run local moving again from it, so single nodes can leave a community that a coarse
//!    move dragged them into. This costs about one sweep per level and gains up to ~0.004
//!    modularity on power-law graphs, where Louvain's coarse moves are least precise.
//!
//! Leiden's refinement (well-connected sub-communities before aggregation) was not needed
//! for the modularity targets and is not implemented. Local moving is sequential: it is
//! memory-latency bound, a sweep reads each list once, and it beats NetworKit's parallel
//! PLM on two threads while staying deterministic. The neighbour-community weights of a
//! node are gathered in a dense array with a list of touched entries, never a hash map.
//!
//! # Modularity convention
//! `Q = 1/(2m) Σ_ij [A_ij − γ k_i k_j / (2m)] δ(c_i, c_j)`, with `k_i = Σ_j A_ij` and
//! `2m = Σ_ij A_ij`, where the CSR lists are the rows of the symmetric matrix `A`. A
//! self-loop's entry (listed once, in its node's list) is its diagonal entry `A_uu`, which
//! counts once. This is the convention of networkx's `modularity` and igraph's when a
//! self-loop of weight `w` is listed with `2w`, as the undirected view `A + Aᵀ` of the
//! snapshot (`graph::symmetric`) does. A graph whose total weight is zero has modularity `0`.
//!
//! # Determinism
//! The result depends only on the input and [`CommunityOptions::seed`]. Community ids are
//! dense, `0..count`, ordered by size descending, ties by smallest member: community `0` is
//! the largest.

mod aggregate;
mod local_move;
mod modularity;
mod validate;

#[cfg(test)]
mod tests;

use crate::error::{invalid, Result};

use aggregate::Coarse;
use local_move::local_move;

/// The undirected symmetric CSR view of a graph: node `u`'s neighbours are
/// `neighbours[offsets[u]..offsets[u + 1]]`, with the same positions in `weights`.
///
/// Each edge `{u, v}` is listed as `v` in `u`'s list and as `u` in `v`'s list, with the same
/// weight; a self-loop is listed once, in its node's list, with its diagonal entry `A_uu`
/// (twice the loop's weight in networkx's terms).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Adjacency<'a, W = f32> {
    /// Start of each node's list in `neighbours`; `n + 1` entries, from 0 to `neighbours.len()`.
    pub offsets: &'a [u64],
    /// Neighbour ids, below `n`.
    pub neighbours: &'a [u32],
    /// Edge weights, finite and non-negative.
    pub weights: &'a [W],
}

impl<W> Adjacency<'_, W> {
    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Positions of node `u`'s list in `neighbours` and `weights`.
    fn range(&self, u: usize) -> std::ops::Range<usize> {
        self.offsets[u] as usize..self.offsets[u + 1] as usize
    }
}

/// Settings of [`detect_communities`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CommunityOptions {
    /// Resolution `γ` of modularity: above 1 favours smaller communities, below 1 larger
    /// ones. Finite and positive; default 1.
    pub resolution: f64,
    /// Seed of the node visiting order; the same seed gives the same result.
    pub seed: u64,
    /// Most coarsening levels to run, at least 1; default 32 (more than any real graph needs).
    pub max_levels: u32,
}

impl Default for CommunityOptions {
    fn default() -> Self {
        CommunityOptions {
            resolution: 1.0,
            seed: 0,
            max_levels: 32,
        }
    }
}

impl CommunityOptions {
    /// Rejects a resolution that is not finite and positive, and zero levels.
    fn validate(&self) -> Result<()> {
        validate::resolution(self.resolution)?;
        if self.max_levels == 0 {
            return Err(invalid("max_levels", "must be at least 1"));
        }
        Ok(())
    }
}

/// A partition of the nodes into communities.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Communities {
    /// Community of each node: dense ids `0..count`, ordered by size descending, ties by
    /// smallest member.
    pub membership: Vec<u32>,
    /// Number of communities.
    pub count: u32,
    /// Modularity of `membership` at the requested resolution.
    pub modularity: f64,
}

/// Finds communities of high modularity (see the module doc for the algorithm).
///
/// Fails with a validation error on inconsistent slices, a neighbour id out of range,
/// negative or non-finite weights, an asymmetric list, or bad options.
pub(crate) fn detect_communities(
    adj: Adjacency<'_>,
    opts: &CommunityOptions,
) -> Result<Communities> {
    opts.validate()?;
    let degree = validate::adjacency(adj)?;
    let total: f64 = degree.iter().sum();
    let membership = if total > 0.0 {
        let mut rng = Rng::new(opts.seed);
        let scale = opts.resolution / total;
        let (partitions, coarse) = coarsen(adj, &degree, scale, opts.max_levels, &mut rng);
        refine(adj, &degree, scale, &partitions, &coarse, &mut rng)
    } else {
        (0..adj.nodes() as u32).collect()
    };
    let (membership, count) = by_size(&membership);
    let modularity = modularity::of(adj, &degree, &membership, count, opts.resolution);
    Ok(Communities {
        membership,
        count,
        modularity,
    })
}

/// Modularity of `membership` (one community id per node, each below the number of nodes)
/// on `adj` at `resolution`.
///
/// Fails with a validation error on a bad adjacency (as [`detect_communities`] does), a
/// membership of the wrong length or with an id out of range, or a bad resolution.
// Read by the tests and benches/communities_race.rs (which compiles this module from source).
#[allow(dead_code)]
pub(crate) fn modularity(adj: Adjacency<'_>, membership: &[u32], resolution: f64) -> Result<f64> {
    validate::resolution(resolution)?;
    let degree = validate::adjacency(adj)?;
    let n = degree.len();
    if membership.len() != n {
        return Err(invalid(
            "membership",
            format!("has {} entries for {n} nodes", membership.len()),
        ));
    }
    if let Some(u) = membership.iter().position(|&c| c as usize >= n) {
        return Err(invalid(
            format!("membership[{u}]"),
            format!("community {} is not below n = {n}", membership[u]),
        ));
    }
    Ok(modularity::of(
        adj, &degree, membership, n as u32, resolution,
    ))
}

/// Louvain's levels: local moving from singletons, then the coarse graph of the partition,
/// until a level merges nothing or `max_levels` levels ran. Returns, per level `i`, the
/// partition grouping the nodes of level `i` (the input at 0, `coarse[i - 1]` above) into
/// the nodes of level `i + 1`, and the coarse graphs.
fn coarsen(
    adj: Adjacency<'_>,
    degree: &[f64],
    scale: f64,
    max_levels: u32,
    rng: &mut Rng,
) -> (Vec<Vec<u32>>, Vec<Coarse>) {
    let mut partitions: Vec<Vec<u32>> = Vec::new();
    let mut coarse: Vec<Coarse> = Vec::new();
    while partitions.len() < max_levels as usize {
        let step = match coarse.last() {
            None => level(adj, degree, scale, rng),
            Some(graph) => level(graph.adjacency(), &graph.degree, scale, rng),
        };
        let Some((partition, graph)) = step else {
            break;
        };
        partitions.push(partition);
        coarse.push(graph);
    }
    (partitions, coarse)
}

/// One level: local moving on `graph` from singletons; if any nodes merged, the partition
/// and its coarse graph.
fn level<W: Copy + Into<f64>>(
    graph: Adjacency<'_, W>,
    degree: &[f64],
    scale: f64,
    rng: &mut Rng,
) -> Option<(Vec<u32>, Coarse)> {
    let singletons = (0..graph.nodes() as u32).collect();
    let (partition, count) = local_move(graph, degree, scale, rng, singletons);
    if count as usize == graph.nodes() {
        return None;
    }
    let coarse = Coarse::new(graph, degree, &partition, count);
    Some((partition, coarse))
}

/// The way back down from `coarsen`: the coarsest level's nodes are the communities;
/// projected onto each finer level, they are the start of another local moving there
/// (except on the top partition's level, which found them), so that single nodes can leave
/// a community a coarse move dragged them into. Returns the community of each input node.
fn refine(
    adj: Adjacency<'_>,
    degree: &[f64],
    scale: f64,
    partitions: &[Vec<u32>],
    coarse: &[Coarse],
    rng: &mut Rng,
) -> Vec<u32> {
    let top = coarse
        .last()
        .map_or(adj.nodes(), |graph| graph.degree.len());
    let mut partition: Vec<u32> = (0..top as u32).collect();
    for (i, finer) in partitions.iter().enumerate().rev() {
        partition = finer.iter().map(|&c| partition[c as usize]).collect();
        if i + 1 == partitions.len() {
            continue;
        }
        partition = match i.checked_sub(1) {
            None => local_move(adj, degree, scale, rng, partition).0,
            Some(below) => {
                let graph = &coarse[below];
                local_move(graph.adjacency(), &graph.degree, scale, rng, partition).0
            }
        };
    }
    partition
}

/// Renumbers a partition with ids below `membership.len()` to dense ids ordered by size
/// descending, ties by smallest member; returns it and the number of communities.
fn by_size(membership: &[u32]) -> (Vec<u32>, u32) {
    let n = membership.len();
    let mut size = vec![0u32; n];
    let mut first = vec![u32::MAX; n];
    for (u, &c) in membership.iter().enumerate() {
        size[c as usize] += 1;
        first[c as usize] = first[c as usize].min(u as u32);
    }
    let mut order: Vec<u32> = (0..n as u32).filter(|&c| size[c as usize] > 0).collect();
    order.sort_unstable_by_key(|&c| (std::cmp::Reverse(size[c as usize]), first[c as usize]));
    let mut id = vec![0u32; n];
    for (rank, &c) in order.iter().enumerate() {
        id[c as usize] = rank as u32;
    }
    let dense = membership.iter().map(|&c| id[c as usize]).collect();
    (dense, order.len() as u32)
}

/// Nodes per block of the first visiting order (see `Rng::block_order`).
const BLOCK: usize = 64;

/// splitmix64: the seeded generator of visiting orders.
struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for `n < 2^32`).
    fn below(&mut self, n: u32) -> u32 {
        (((self.next() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// `0..n` as blocks of `BLOCK` consecutive nodes, the blocks in random order
    /// (Fisher–Yates): random enough that the input's numbering does not steer the result,
    /// sequential enough that each block's lists are read as one stream.
    fn block_order(&mut self, n: usize) -> Vec<u32> {
        let mut blocks: Vec<u32> = (0..n.div_ceil(BLOCK) as u32).collect();
        for i in (1..blocks.len()).rev() {
            blocks.swap(i, self.below(i as u32 + 1) as usize);
        }
        let block = BLOCK as u32;
        blocks
            .iter()
            .flat_map(|&b| b * block..(b * block + block).min(n as u32))
            .collect()
    }
}
