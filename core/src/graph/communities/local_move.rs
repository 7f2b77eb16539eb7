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
    let mut queue = Queue::new(rng.permutation(n));
    let mut weight_to = vec![0.0f64; n];
    let mut touched: Vec<u32> = Vec::new();
    while let Some(u) = queue.pop() {
        let range = graph.range(u as usize);
        for e in range.clone() {
            let v = graph.neighbours[e];
            let w: f64 = graph.weights[e].into();
            if v != u && w > 0.0 {
                let c = community[v as usize];
                if weight_to[c as usize] == 0.0 {
                    touched.push(c);
                }
                weight_to[c as usize] += w;
            }
        }
        let k = degree[u as usize];
        let own = community[u as usize];
        tot[own as usize] -= k;
        size[own as usize] -= 1;
        let stay = weight_to[own as usize] - scale * k * tot[own as usize];
        let (mut best, mut gain) = (own, stay);
        for &c in &touched {
            let g = weight_to[c as usize] - scale * k * tot[c as usize];
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
        for &c in &touched {
            weight_to[c as usize] = 0.0;
        }
        touched.clear();
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
