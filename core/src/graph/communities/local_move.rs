//! The local moving phase: nodes move, one at a time, to the neighbouring community that
//! raises modularity most, until no move raises it.

use super::{Adjacency, Rng};

/// Most sweeps of one local moving: a bound on the work whatever rounding does to the
/// gains; the bench graphs converge within 20.
const MAX_SWEEPS: usize = 64;

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
/// when one moves nothing, or after `MAX_SWEEPS`. A node may also move into an empty
/// community when every neighbouring one has a negative gain.
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
    for _ in 0..MAX_SWEEPS {
        if !moved {
            break;
        }
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

/// Per-community numbers, side by side so that the cache miss that fetches one fetches both.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// Weight from the node being visited into the community; zero unless touched.
    weight: f64,
    /// Degree sum of the community.
    tot: f64,
}

/// The state of local moving: the partition, what the gains need of it, and scratch space
/// for one node's neighbour-community weights (a dense array with a list of touched ids).
struct Moves<'d> {
    /// Community of each node.
    community: Vec<u32>,
    /// Weight and degree sum of each community.
    slots: Vec<Slot>,
    /// Members of each community.
    size: Vec<u32>,
    /// Communities without members, to move into.
    empty: Vec<u32>,
    /// Communities with a weight, first `len` entries; sized for the longest list.
    touched: Vec<u32>,
    /// Number of touched communities.
    len: usize,
    /// Community of each neighbour of the node being visited.
    around: Vec<u32>,
    /// Weighted degree of each node.
    degree: &'d [f64],
    /// `γ / 2m`.
    scale: f64,
}

impl<'d> Moves<'d> {
    /// The nodes of `graph` in the communities `start` (ids below the number of nodes).
    fn new<W>(graph: Adjacency<'_, W>, degree: &'d [f64], scale: f64, start: Vec<u32>) -> Self {
        let n = graph.nodes();
        let mut slots = vec![Slot::default(); n];
        let mut size = vec![0; n];
        for (&c, &k) in start.iter().zip(degree) {
            slots[c as usize].tot += k;
            size[c as usize] += 1;
        }
        let empty = (0..n as u32)
            .rev()
            .filter(|&c| size[c as usize] == 0)
            .collect();
        let longest = (0..n).map(|u| graph.range(u).len()).max();
        Moves {
            community: start,
            slots,
            size,
            empty,
            touched: vec![0; longest.unwrap_or(0)],
            len: 0,
            around: Vec::new(),
            degree,
            scale,
        }
    }

    /// Moves `u` to the community of largest gain if that beats staying by a clear margin
    /// (so rounding cannot make nodes swap back and forth); returns the new community.
    fn visit<W: Copy + Into<f64>>(&mut self, graph: Adjacency<'_, W>, u: u32) -> Option<u32> {
        let (k, scale) = (self.degree[u as usize], self.scale);
        let own = self.community[u as usize];
        self.gather(graph, u);
        self.slots[own as usize].tot -= k;
        self.size[own as usize] -= 1;
        let gain = |slot: Slot| slot.weight - scale * k * slot.tot;
        let stay = gain(self.slots[own as usize]);
        let (mut best, mut most) = (own, stay);
        for &c in &self.touched[..self.len] {
            let g = gain(self.slots[c as usize]);
            if g > most {
                (best, most) = (c, g);
            }
        }
        for &c in &self.touched[..self.len] {
            self.slots[c as usize].weight = 0.0;
        }
        self.len = 0;
        if most < 0.0 && self.size[own as usize] > 0 {
            // Alone is better than anywhere near; an empty community exists since `own` is
            // not one and the other n − 1 nodes fill at most n − 1 communities.
            if let Some(&e) = self.empty.last() {
                (best, most) = (e, 0.0);
            }
        }
        if best == own || most - stay <= 1e-12 * k {
            best = own;
        }
        self.slots[best as usize].tot += k;
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

    /// Sums the weights from `u` into each neighbouring community, self-loops excluded,
    /// listing the communities in `touched`. The communities are read first, then summed,
    /// both free of data-dependent branches, so the processor overlaps the cache misses of
    /// consecutive neighbours; a zero weight may list a community twice, which is harmless.
    fn gather<W: Copy + Into<f64>>(&mut self, graph: Adjacency<'_, W>, u: u32) {
        let range = graph.range(u as usize);
        let list = &graph.neighbours[range.clone()];
        let community = &self.community;
        self.around.clear();
        self.around
            .extend(list.iter().map(|&v| community[v as usize]));
        for ((&c, &v), &w) in self.around.iter().zip(list).zip(&graph.weights[range]) {
            let slot = &mut self.slots[c as usize];
            self.touched[self.len] = c;
            self.len += usize::from(slot.weight == 0.0);
            slot.weight += if v == u { 0.0 } else { w.into() };
        }
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

#[cfg(test)]
mod tests {
    use super::super::tests::csr;
    use super::*;

    #[test]
    fn starts_from_the_given_partition() {
        // Two 4-cliques 0..4 and 4..8 joined by 3-4.
        let mut edges = Vec::new();
        for base in [0, 4] {
            for u in base..base + 4 {
                for v in u + 1..base + 4 {
                    edges.push((u, v, 1.0));
                }
            }
        }
        edges.push((3, 4, 1.0));
        let (offsets, neighbours, weights) = csr(8, &edges);
        let graph = Adjacency {
            offsets: &offsets,
            neighbours: &neighbours,
            weights: &weights,
        };
        let degree: Vec<f64> = (0..8).map(|u| graph.range(u).len() as f64).collect();
        let scale = 1.0 / degree.iter().sum::<f64>();
        let run = |start| local_move(graph, &degree, scale, &mut Rng::new(1), start);
        // Node 3 starts with the second clique and goes home.
        let misplaced = run(vec![0, 0, 0, 1, 1, 1, 1, 1]);
        assert_eq!(misplaced, (vec![0, 0, 0, 0, 1, 1, 1, 1], 2));
        // All in one: leaving alone loses (3 − 3·23/26 > 0 for a clique node), so nothing
        // moves, unlike from singletons.
        assert_eq!(run(vec![0; 8]), (vec![0; 8], 1));
        assert_eq!(run((0..8).collect()), (vec![0, 0, 0, 0, 1, 1, 1, 1], 2));
    }
}
