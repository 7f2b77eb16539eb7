//! The local moving phase: nodes move, one at a time, to the neighbouring community that
//! raises modularity most, until no move raises it.

use super::{Adjacency, Rng};

/// Moves each node of `graph` to its best community, starting from singletons, and returns
/// the partition with dense ids `0..count` (in order of first appearance) and `count`.
///
/// `degree` holds each node's weighted degree and `scale` is `γ / 2m`. The gain of moving
/// node `u` (taken out of its community) into community `c` is, up to a positive factor,
/// `k_u,c − scale · k_u · tot_c`, where `k_u,c` is the weight from `u` into `c` and `tot_c`
/// the degree sum of `c`. Nodes are visited from a queue: first all in random order, then
/// only those whose neighbour changed community, the fast local moving of Leiden. A node may
/// also move into an empty community when every neighbouring one has a negative gain.
pub(super) fn local_move<W: Copy + Into<f64>>(
    graph: Adjacency<'_, W>,
    degree: &[f64],
    scale: f64,
    rng: &mut Rng,
) -> (Vec<u32>, u32) {
    let n = graph.nodes();
    let mut community: Vec<u32> = (0..n as u32).collect();
    let mut tot = degree.to_vec();
    let mut size = vec![1u32; n];
    let mut empty: Vec<u32> = Vec::new();
    let mut queue = Queue::new(rng.block_order(n));
    let mut weights = Gather::new(graph);
    while let Some(u) = queue.pop() {
        let range = graph.range(u as usize);
        weights.gather(graph, u, range.clone(), &community);
        let k = degree[u as usize];
        let own = community[u as usize];
        tot[own as usize] -= k;
        size[own as usize] -= 1;
        let stay = weights.to(own) - scale * k * tot[own as usize];
        let (mut best, mut gain) = (own, stay);
        for &c in weights.touched() {
            let g = weights.to(c) - scale * k * tot[c as usize];
            if g > gain {
                (best, gain) = (c, g);
            }
        }
        if gain < 0.0 && size[own as usize] > 0 {
            // Alone is better than anywhere near; an empty community exists since `own` is
            // not one and the other n − 1 nodes fill at most n − 1 communities.
            if let Some(&e) = empty.last() {
                (best, gain) = (e, 0.0);
            }
        }
        weights.clear();
        // Move only on a clear gain, so rounding cannot make nodes swap back and forth.
        if best == own || gain - stay <= 1e-12 * k {
            best = own;
        }
        tot[best as usize] += k;
        size[best as usize] += 1;
        if best == own {
            continue;
        }
        if size[best as usize] == 1 {
            empty.pop();
        }
        if size[own as usize] == 0 {
            empty.push(own);
        }
        community[u as usize] = best;
        for e in range {
            let v = graph.neighbours[e];
            if community[v as usize] != best {
                queue.push(v);
            }
        }
    }
    dense(community)
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

/// A FIFO of node ids holding each node at most once.
struct Queue {
    /// Ring buffer; it never needs more slots than there are nodes.
    ring: Vec<u32>,
    /// Position of the front in `ring`.
    head: usize,
    /// Number of queued nodes.
    len: usize,
    /// Whether each node is queued.
    queued: Vec<bool>,
}

impl Queue {
    /// A queue holding every node, in the given order.
    fn new(order: Vec<u32>) -> Self {
        let n = order.len();
        Queue {
            ring: order,
            head: 0,
            len: n,
            queued: vec![true; n],
        }
    }

    /// Takes the front node.
    fn pop(&mut self) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let u = self.ring[self.head];
        self.head = (self.head + 1) % self.ring.len();
        self.len -= 1;
        self.queued[u as usize] = false;
        Some(u)
    }

    /// Appends `u` unless it is already queued.
    fn push(&mut self, u: u32) {
        if !std::mem::replace(&mut self.queued[u as usize], true) {
            let tail = (self.head + self.len) % self.ring.len();
            self.ring[tail] = u;
            self.len += 1;
        }
    }
}
