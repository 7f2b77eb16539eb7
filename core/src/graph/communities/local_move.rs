//! The local moving phase: nodes move, one at a time, to the neighbouring community that
//! raises modularity most, until no move raises it.

use super::{Adjacency, Rng};

/// Moves each node of `graph` to its best community, starting from the partition `start`
/// (ids below the number of nodes), and returns the partition with dense ids `0..count` (in
/// order of first appearance) and `count`.
///
/// `degree` holds each node's weighted degree and `scale` is `γ / 2m`. The gain of moving
/// node `u` (taken out of its community) into community `c` is, up to a positive factor,
/// `k_u,c − scale · k_u · tot_c`, where `k_u,c` is the weight from `u` into `c` and `tot_c`
/// the degree sum of `c`. Sweeps visit the nodes in one seeded order (`Rng::block_order`),
/// skipping nodes that are not active: all are at first, and a move activates the mover's
/// neighbours outside its new community (the pruning of Leiden's fast local moving, in
/// sweeps, which read the lists in order and so beat a queue's random order). Sweeps end
/// when one moves nothing. A node may also move into an empty community when every
/// neighbouring one has a negative gain.
pub(super) fn local_move<W: Copy + Into<f64>>(
    graph: Adjacency<'_, W>,
    degree: &[f64],
    scale: f64,
    rng: &mut Rng,
    start: Vec<u32>,
) -> (Vec<u32>, u32) {
    let n = graph.nodes();
    let mut state = Moves::new(graph, degree, scale, start);
    let order = rng.block_order(n);
    let mut active = vec![true; n];
    let mut moved = true;
    while moved {
        moved = false;
        for &u in &order {
            if !std::mem::replace(&mut active[u as usize], false) {
                continue;
            }
            if let Some(best) = state.visit(graph, u) {
                moved = true;
                for e in graph.range(u as usize) {
                    let v = graph.neighbours[e];
                    if state.community[v as usize] != best {
                        active[v as usize] = true;
                    }
                }
            }
        }
    }
    dense(state.community)
}

/// The state of local moving: the partition and what the gains need of it.
struct Moves<'d> {
    /// Community of each node.
    community: Vec<u32>,
    /// Degree sum of each community.
    tot: Vec<f64>,
    /// Members of each community.
    size: Vec<u32>,
    /// Communities without members, to move into.
    empty: Vec<u32>,
    /// Weighted degree of each node.
    degree: &'d [f64],
    /// `γ / 2m`.
    scale: f64,
    /// Scratch space for one node's neighbour-community weights.
    weights: Gather,
}

impl<'d> Moves<'d> {
    /// The nodes of `graph` in the communities `start` (ids below the number of nodes).
    fn new<W>(graph: Adjacency<'_, W>, degree: &'d [f64], scale: f64, start: Vec<u32>) -> Self {
        let n = graph.nodes();
        let mut tot = vec![0.0; n];
        let mut size = vec![0; n];
        for (&c, &k) in start.iter().zip(degree) {
            tot[c as usize] += k;
            size[c as usize] += 1;
        }
        let empty = (0..n as u32)
            .rev()
            .filter(|&c| size[c as usize] == 0)
            .collect();
        Moves {
            community: start,
            tot,
            size,
            empty,
            degree,
            scale,
            weights: Gather::new(graph),
        }
    }

    /// Moves `u` to the community of largest gain if that beats staying by a clear margin
    /// (so rounding cannot make nodes swap back and forth); returns the new community.
    fn visit<W: Copy + Into<f64>>(&mut self, graph: Adjacency<'_, W>, u: u32) -> Option<u32> {
        let (k, scale) = (self.degree[u as usize], self.scale);
        let own = self.community[u as usize];
        self.weights
            .gather(graph, u, graph.range(u as usize), &self.community);
        self.tot[own as usize] -= k;
        self.size[own as usize] -= 1;
        let stay = self.weights.to(own) - scale * k * self.tot[own as usize];
        let (mut best, mut gain) = (own, stay);
        for &c in self.weights.touched() {
            let g = self.weights.to(c) - scale * k * self.tot[c as usize];
            if g > gain {
                (best, gain) = (c, g);
            }
        }
        self.weights.clear();
        if gain < 0.0 && self.size[own as usize] > 0 {
            // Alone is better than anywhere near; an empty community exists since `own` is
            // not one and the other n − 1 nodes fill at most n − 1 communities.
            if let Some(&e) = self.empty.last() {
                (best, gain) = (e, 0.0);
            }
        }
        if best == own || gain - stay <= 1e-12 * k {
            best = own;
        }
        self.tot[best as usize] += k;
        self.size[best as usize] += 1;
        if best == own {
            return None;
        }
        if self.size[best as usize] == 1 {
            self.empty.pop();
        }
        if self.size[own as usize] == 0 {
            self.empty.push(own);
        }
        self.community[u as usize] = best;
        Some(best)
    }
}

/// Renumbers community ids in order of first appearance; returns the partition and the count.
fn dense(mut community: Vec<u32>) -> (Vec<u32>, u32) {
    let mut id = vec![u32::MAX; community.len()];
    let mut count = 0u32;
    for c in &mut community {
        if id[*c as usize] == u32::MAX {
            id[*c as usize] = count;
            count += 1;
        }
        *c = id[*c as usize];
    }
    (community, count)
}

/// The weight from one node into each neighbouring community: a dense array indexed by
/// community and the list of communities touched, cleared after each node.
struct Gather {
    /// Weight into each community; zero for every community not in `touched`.
    weight_to: Vec<f64>,
    /// Communities with a weight, first `len` slots; sized for the longest list.
    touched: Vec<u32>,
    /// Number of touched communities.
    len: usize,
    /// Community of each neighbour of the current node.
    cs: Vec<u32>,
}

impl Gather {
    /// Room for the communities of `graph`'s nodes and its longest list.
    fn new<W>(graph: Adjacency<'_, W>) -> Self {
        let longest = (0..graph.nodes()).map(|u| graph.range(u).len()).max();
        Gather {
            weight_to: vec![0.0; graph.nodes()],
            touched: vec![0; longest.unwrap_or(0)],
            len: 0,
            cs: Vec::new(),
        }
    }

    /// Sums the weights from `u` (whose list is `range`) into each neighbouring community,
    /// self-loops excluded. Free of data-dependent
    /// branches, so the processor overlaps the cache misses of consecutive neighbours; a
    /// zero weight may list a community twice, which is harmless.
    fn gather<W: Copy + Into<f64>>(
        &mut self,
        graph: Adjacency<'_, W>,
        u: u32,
        range: std::ops::Range<usize>,
        community: &[u32],
    ) {
        let list = &graph.neighbours[range.clone()];
        let ws = &graph.weights[range];
        self.cs.clear();
        self.cs.extend(list.iter().map(|&v| community[v as usize]));
        for ((&c, &v), &w) in self.cs.iter().zip(list).zip(ws) {
            let w: f64 = w.into();
            let slot = &mut self.weight_to[c as usize];
            self.touched[self.len] = c;
            self.len += usize::from(*slot == 0.0);
            *slot += if v == u { 0.0 } else { w };
        }
    }

    /// The communities gathered since the last `clear`.
    fn touched(&self) -> &[u32] {
        &self.touched[..self.len]
    }

    /// The gathered weight into community `c`.
    fn to(&self, c: u32) -> f64 {
        self.weight_to[c as usize]
    }

    /// Zeroes the touched entries.
    fn clear(&mut self) {
        for &c in &self.touched[..self.len] {
            self.weight_to[c as usize] = 0.0;
        }
        self.len = 0;
    }
}
