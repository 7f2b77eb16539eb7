//! The compressed sparse row (CSR) snapshot that every graph algorithm reads: for each node,
//! the sources of its in-edges (with weights, unless all are 1.0) for pull-style PageRank,
//! and the targets of its out-edges for traversals, both sorted ascending.
//!
//! Built from an edge list in O(n + m) by counting sorts (edges by source, then by target,
//! then the out-lists from the merged in-lists), each placement split over threads by node
//! range on large graphs. Input rules:
//! - node ids are below the node count `n`, which is at most [`MAX_NODES`];
//! - weights are finite and not negative (0.0 is allowed: such an edge is traversed but
//!   carries no PageRank);
//! - repeated edges `u -> v` become one edge whose weight is the sum of theirs (so repeated
//!   unit edges get a weight: their multiplicity);
//! - self-loops are kept: callers that do not want them leave them out.
//!
//! Memory: 8 bytes per edge (in-sources, out-targets) plus 4 per edge for weights when some
//! weight is not 1.0, plus 16 bytes per node for offsets and, when weighted, 8 for the sum
//! of each node's out-weights.

use std::mem::size_of;
use std::ops::Range;

use super::parallel;
use crate::error::{invalid, Result};

/// Most nodes a snapshot holds: ids are `u32`, and `u32::MAX` stays free as a marker.
pub(crate) const MAX_NODES: usize = u32::MAX as usize;
/// Most input edges a snapshot takes (per-node counters are `u32`).
const MAX_EDGES: usize = u32::MAX as usize;

/// An edge as the snapshot takes it: source, target and weight.
pub(crate) trait Edge: Sync {
    /// True when every edge of the type weighs 1.0 (no weights to check or store).
    const UNIT: bool;
    /// The node the edge leaves.
    fn source(&self) -> u32;
    /// The node the edge enters.
    fn target(&self) -> u32;
    /// The edge's weight.
    fn weight(&self) -> f32;
}

/// An unweighted edge `(source, target)`: weight 1.0.
impl Edge for (u32, u32) {
    const UNIT: bool = true;
    fn source(&self) -> u32 {
        self.0
    }
    fn target(&self) -> u32 {
        self.1
    }
    fn weight(&self) -> f32 {
        1.0
    }
}

/// A weighted edge `(source, target, weight)`.
impl Edge for (u32, u32, f32) {
    const UNIT: bool = false;
    fn source(&self) -> u32 {
        self.0
    }
    fn target(&self) -> u32 {
        self.1
    }
    fn weight(&self) -> f32 {
        self.2
    }
}

/// One direction of the snapshot: node `v` owns `items[offsets[v]..offsets[v + 1]]`
/// (ascending, distinct) and, when present, the same range of `weights`.
#[derive(Debug)]
pub(crate) struct Adjacency {
    /// `n + 1` positions into `items`.
    pub(crate) offsets: Vec<u64>,
    /// The other end of each edge.
    pub(crate) items: Vec<u32>,
    /// The weight of each edge; `None` when all are 1.0.
    pub(crate) weights: Option<Vec<f32>>,
}

impl Adjacency {
    /// Positions of node `v`'s edges in `items` (`v` must be a node).
    pub(crate) fn range(&self, v: u32) -> Range<usize> {
        self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize
    }

    /// Node `v`'s neighbours in this direction, ascending (`v` must be a node).
    pub(crate) fn list(&self, v: u32) -> &[u32] {
        &self.items[self.range(v)]
    }

    /// Node `v`'s edge count in this direction (`v` must be a node).
    pub(crate) fn degree(&self, v: u32) -> usize {
        self.range(v).len()
    }

    /// Weight of the edge at position `i` of `items`.
    fn weight(&self, i: usize) -> f32 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u64>()
            + self.items.capacity() * size_of::<u32>()
            + self
                .weights
                .as_ref()
                .map_or(0, |w| w.capacity() * size_of::<f32>())
    }

    /// Merges repeated items within each list (lists are sorted, so repeats are adjacent),
    /// adding up their weights; unit lists get weights at the first repeat. Returns whether
    /// anything was merged.
    fn merge_repeats(&mut self) -> Result<bool> {
        let n = self.offsets.len() - 1;
        let (mut read, mut write, mut merged) = (0, 0, false);
        for v in 0..n {
            let end = self.offsets[v + 1] as usize;
            while read < end {
                let item = self.items[read];
                let mut weight = self.weight(read);
                read += 1;
                while read < end && self.items[read] == item {
                    let len = self.items.len();
                    self.weights.get_or_insert_with(|| vec![1.0; len]);
                    weight += self.weight(read);
                    read += 1;
                    merged = true;
                }
                if weight.is_infinite() {
                    return Err(invalid(
                        "edges",
                        format!("repeated edges {item} -> {v} weigh more than f32::MAX together"),
                    ));
                }
                self.items[write] = item;
                if let Some(weights) = &mut self.weights {
                    weights[write] = weight;
                }
                write += 1;
            }
            self.offsets[v + 1] = write as u64;
        }
        if merged {
            self.items.truncate(write);
            self.items.shrink_to_fit();
            if let Some(weights) = &mut self.weights {
                weights.truncate(write);
                weights.shrink_to_fit();
            }
        }
        Ok(merged)
    }
}

/// An immutable snapshot of a directed weighted graph over nodes `0..n`.
#[derive(Debug)]
pub(crate) struct Csr {
    /// In-edges: each node's sources, with weights unless all are 1.0.
    ins: Adjacency,
    /// Out-edges: each node's targets (weights are not kept on this side).
    outs: Adjacency,
    /// Sum of each node's out-edge weights when the graph is weighted (else: out-degree).
    out_weights: Option<Vec<f64>>,
}

impl Csr {
    /// Builds the snapshot of `edges` over `n` nodes (see the module doc for the rules).
    pub(crate) fn new<E: Edge>(n: usize, edges: &[E]) -> Result<Csr> {
        if n > MAX_NODES {
            return Err(invalid("nodes", format!("at most {MAX_NODES}, got {n}")));
        }
        if edges.len() > MAX_EDGES {
            let len = edges.len();
            return Err(invalid("edges", format!("at most {MAX_EDGES}, got {len}")));
        }
        let (out_degrees, in_degrees) = count(n, edges)?;
        let out_offsets = prefix_sums(&out_degrees);
        drop(out_degrees);
        let by_source = scatter(out_offsets, !E::UNIT, &Input(edges));
        let mut ins = scatter(prefix_sums(&in_degrees), !E::UNIT, &Transposed(&by_source));
        drop(in_degrees);
        let out_offsets = if ins.merge_repeats()? {
            let mut degrees = vec![0u32; n];
            for &u in &ins.items {
                degrees[u as usize] += 1;
            }
            prefix_sums(&degrees)
        } else {
            by_source.offsets
        };
        if ins
            .weights
            .as_ref()
            .is_some_and(|w| w.iter().all(|&w| w == 1.0))
        {
            ins.weights = None;
        }
        let mut outs = scatter(out_offsets, ins.weights.is_some(), &Transposed(&ins));
        let out_weights = outs.weights.take().map(|weights| {
            (0..n as u32)
                .map(|u| outs.range(u).map(|i| f64::from(weights[i])).sum())
                .collect()
        });
        Ok(Csr {
            ins,
            outs,
            out_weights,
        })
    }

    /// Number of nodes.
    pub(crate) fn node_count(&self) -> usize {
        self.ins.offsets.len() - 1
    }

    /// Number of distinct edges.
    pub(crate) fn edge_count(&self) -> usize {
        self.ins.items.len()
    }

    /// Whether some edge weighs other than 1.0.
    pub(crate) fn is_weighted(&self) -> bool {
        self.ins.weights.is_some()
    }

    /// In-edges: for each node, its sources (ascending) and their weights.
    pub(crate) fn ins(&self) -> &Adjacency {
        &self.ins
    }

    /// Out-edges: for each node, its targets (ascending); no weights.
    pub(crate) fn outs(&self) -> &Adjacency {
        &self.outs
    }

    /// Sum of the weights of node `u`'s out-edges (`u` must be a node).
    pub(crate) fn out_weight(&self, u: u32) -> f64 {
        match &self.out_weights {
            Some(w) => w[u as usize],
            None => self.outs.degree(u) as f64,
        }
    }

    /// The weight of each out-edge, aligned with `outs().items`; `None` when all are 1.0.
    /// Computed on demand in O(n + m): the snapshot does not keep them.
    pub(crate) fn out_edge_weights(&self) -> Option<Vec<f32>> {
        self.ins.weights.as_ref()?;
        scatter(self.outs.offsets.clone(), true, &Transposed(&self.ins)).weights
    }

    /// Checks that `v` is a node; `field` names the argument in the error.
    pub(crate) fn check_node(&self, field: &str, v: u32) -> Result<()> {
        let n = self.node_count();
        if (v as usize) < n {
            Ok(())
        } else {
            Err(invalid(
                field,
                format!("node {v} is not below the node count {n}"),
            ))
        }
    }

    /// Every edge `(source, target, weight)`, by target then source.
    pub(crate) fn edges(&self) -> impl Iterator<Item = (u32, u32, f32)> + '_ {
        (0..self.node_count() as u32).flat_map(move |v| {
            self.ins
                .range(v)
                .map(move |i| (self.ins.items[i], v, self.ins.weight(i)))
        })
    }

    /// Bytes of heap the snapshot holds.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ins.heap_bytes()
            + self.outs.heap_bytes()
            + self
                .out_weights
                .as_ref()
                .map_or(0, |w| w.capacity() * size_of::<f64>())
    }
}

/// Validates the edges and counts each node's out- and in-degree (with repeats), on several
/// threads for large inputs. Reports the first bad edge in input order.
fn count<E: Edge>(n: usize, edges: &[E]) -> Result<(Vec<u32>, Vec<u32>)> {
    let workers = parallel::workers(edges.len() + n);
    let chunk = edges.len().div_ceil(workers).max(1);
    let parts: Vec<_> = edges.chunks(chunk).enumerate().collect();
    let counted = parallel::run(parts, |(c, part)| count_part(n, part, c * chunk));
    let mut total: Option<(Vec<u32>, Vec<u32>)> = None;
    for counts in counted {
        let (outs, ins) = counts?;
        match &mut total {
            None => total = Some((outs, ins)),
            Some((all_outs, all_ins)) => {
                all_outs.iter_mut().zip(outs).for_each(|(a, b)| *a += b);
                all_ins.iter_mut().zip(ins).for_each(|(a, b)| *a += b);
            }
        }
    }
    Ok(total.unwrap_or_else(|| (vec![0; n], vec![0; n])))
}

/// [`count`] over the edges from position `first` on.
fn count_part<E: Edge>(n: usize, edges: &[E], first: usize) -> Result<(Vec<u32>, Vec<u32>)> {
    let (mut outs, mut ins) = (vec![0u32; n], vec![0u32; n]);
    for (i, e) in edges.iter().enumerate() {
        let (s, t) = (e.source() as usize, e.target() as usize);
        if s >= n || t >= n {
            let (end, v) = if s >= n { ("source", s) } else { ("target", t) };
            return Err(invalid(
                format!("edges[{}].{end}", first + i),
                format!("node {v} is not below the node count {n}"),
            ));
        }
        if !E::UNIT {
            let w = e.weight();
            if !(w.is_finite() && w >= 0.0) {
                return Err(invalid(
                    format!("edges[{}].weight", first + i),
                    format!("weights are finite and not negative, got {w}"),
                ));
            }
        }
        outs[s] += 1;
        ins[t] += 1;
    }
    Ok((outs, ins))
}

/// CSR offsets (`n + 1` of them) from degrees.
fn prefix_sums(degrees: &[u32]) -> Vec<u64> {
    let mut offsets = Vec::with_capacity(degrees.len() + 1);
    let mut total = 0u64;
    offsets.push(0);
    for &d in degrees {
        total += u64::from(d);
        offsets.push(total);
    }
    offsets
}

/// Triples `(key, item, weight)` that can be walked several times, from several threads.
trait Triples: Sync {
    /// Calls `f` on every triple, in a fixed order.
    fn each(&self, f: impl FnMut(u32, u32, f32));
}

/// Input edges as `(source, target, weight)`.
struct Input<'a, E>(&'a [E]);

impl<E: Edge> Triples for Input<'_, E> {
    fn each(&self, mut f: impl FnMut(u32, u32, f32)) {
        for e in self.0 {
            f(e.source(), e.target(), e.weight());
        }
    }
}

/// Lists turned around: `(item, node, weight)` for every node's items, by node.
struct Transposed<'a>(&'a Adjacency);

impl Triples for Transposed<'_> {
    fn each(&self, mut f: impl FnMut(u32, u32, f32)) {
        let lists = self.0;
        for v in 0..(lists.offsets.len() - 1) as u32 {
            for i in lists.range(v) {
                f(lists.items[i], v, lists.weight(i));
            }
        }
    }
}

/// Counting-sort placement: appends each triple's item (and weight, if `weighted`) to the
/// list of its key, keeping the triples' order within a list. `offsets` are the lists'
/// final positions. Large inputs are split by key range, one thread per range, each walking
/// all triples and placing those of its range.
fn scatter(offsets: Vec<u64>, weighted: bool, triples: &impl Triples) -> Adjacency {
    let n = offsets.len() - 1;
    let m = offsets[n] as usize;
    let mut items = vec![0u32; m];
    let mut weights = weighted.then(|| vec![0f32; m]);
    let mut cursors: Vec<u64> = offsets[..n].to_vec();
    let ranges = parallel::node_ranges(&offsets, parallel::workers(m + n));
    let item_parts = parallel::split_ranges(&mut items, &offsets, &ranges);
    let mut weight_parts: Vec<Option<&mut [f32]>> = match &mut weights {
        Some(w) => parallel::split_ranges(w, &offsets, &ranges)
            .into_iter()
            .map(Some)
            .collect(),
        None => ranges.iter().map(|_| None).collect(),
    };
    let cursor_parts = parallel::split_lengths(&mut cursors, ranges.iter().map(|r| r.len()));
    let parts: Vec<_> = ranges
        .iter()
        .zip(item_parts)
        .zip(weight_parts.drain(..))
        .zip(cursor_parts)
        .map(|(((range, items), weights), cursors)| (range.clone(), items, weights, cursors))
        .collect();
    parallel::run(parts, |(range, items, mut weights, cursors)| {
        let base = offsets[range.start];
        let (first, len) = (range.start as u32, range.len() as u32);
        triples.each(|key, item, weight| {
            let k = key.wrapping_sub(first);
            if k < len {
                let cursor = &mut cursors[k as usize];
                let at = (*cursor - base) as usize;
                items[at] = item;
                if let Some(weights) = weights.as_deref_mut() {
                    weights[at] = weight;
                }
                *cursor += 1;
            }
        });
    });
    Adjacency {
        offsets,
        items,
        weights,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::{graph, merged};

    fn field(err: crate::Error) -> String {
        err.field().unwrap_or_default().to_string()
    }

    #[test]
    fn lists_are_sorted_and_merged_both_ways() {
        let edges = [
            (2, 0, 1.0),
            (1, 0, 2.0),
            (0, 2, 0.5),
            (1, 0, 3.0),
            (2, 2, 1.0),
        ];
        let csr = Csr::new(4, &edges).unwrap();
        assert_eq!((csr.node_count(), csr.edge_count()), (4, 4));
        assert_eq!(csr.ins().list(0), [1, 2]);
        assert_eq!(csr.ins().list(2), [0, 2]);
        assert_eq!(csr.ins().list(3), [] as [u32; 0]);
        assert_eq!(csr.outs().list(1), [0]);
        assert_eq!(csr.outs().list(2), [0, 2]);
        let ws = csr.ins().weights.as_ref().unwrap();
        assert_eq!(ws[csr.ins().range(0)], [5.0, 1.0]);
        assert_eq!(csr.out_weight(1), 5.0);
        assert_eq!(csr.out_weight(2), 2.0);
        assert_eq!(csr.out_weight(3), 0.0);
    }

    #[test]
    fn unit_weights_are_not_stored_until_edges_repeat() {
        let csr = Csr::new(3, &[(0, 1), (1, 2), (2, 0)]).unwrap();
        assert!(!csr.is_weighted());
        let csr = Csr::new(3, &[(0, 1, 1.0), (1, 2, 1.0)]).unwrap();
        assert!(!csr.is_weighted());
        let csr = Csr::new(3, &[(0, 1), (1, 2), (0, 1)]).unwrap();
        assert!(csr.is_weighted());
        let edges: Vec<_> = csr.edges().collect();
        assert_eq!(edges, [(0, 1, 2.0), (1, 2, 1.0)]);
        assert_eq!(csr.out_weight(0), 2.0);
    }

    #[test]
    fn bad_edges_are_named() {
        let err = Csr::new(3, &[(0, 1), (1, 3)]).unwrap_err();
        assert_eq!(field(err), "edges[1].target");
        let err = Csr::new(3, &[(5, 1)]).unwrap_err();
        assert_eq!(field(err), "edges[0].source");
        for w in [f32::NAN, -1.0, f32::INFINITY] {
            let err = Csr::new(3, &[(0, 1, 1.0), (1, 2, w)]).unwrap_err();
            assert_eq!(field(err), "edges[1].weight");
        }
        let err = Csr::new(2, &[(0, 1, f32::MAX), (0, 1, f32::MAX)]).unwrap_err();
        assert_eq!(field(err), "edges");
        assert_eq!(
            field(Csr::new::<(u32, u32)>(MAX_NODES + 1, &[]).unwrap_err()),
            "nodes"
        );
    }

    #[test]
    fn empty_graphs() {
        let csr = Csr::new::<(u32, u32)>(0, &[]).unwrap();
        assert_eq!((csr.node_count(), csr.edge_count()), (0, 0));
        assert!(csr.check_node("node", 0).is_err());
        let csr = Csr::new::<(u32, u32)>(5, &[]).unwrap();
        assert_eq!(csr.outs().degree(4), 0);
        assert!(csr.check_node("node", 4).is_ok());
    }

    #[test]
    fn large_graphs_match_the_reference() {
        // Large enough to be split over threads where there are several cores.
        let n = 50_000u32;
        let edges: Vec<(u32, u32, f32)> = (0..300_000u32)
            .map(|i| {
                let h = i.wrapping_mul(2_654_435_761);
                (h % n, (h >> 7) % n, (i % 3) as f32)
            })
            .collect();
        let csr = Csr::new(n as usize, &edges).unwrap();
        let got: Vec<_> = csr.edges().collect();
        assert_eq!(got, merged(&edges));
        assert!(csr.heap_bytes() >= csr.edge_count() * 12);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn edges_round_trip(g in graph(12, 40)) {
            let csr = Csr::new(g.n, &g.edges).unwrap();
            let expected = merged(&g.edges);
            let got: Vec<_> = csr.edges().collect();
            prop_assert_eq!(&got, &expected);
            let mut outs: Vec<(u32, u32)> = (0..g.n as u32)
                .flat_map(|u| csr.outs().list(u).iter().map(move |&v| (u, v)))
                .collect();
            outs.sort_unstable_by_key(|&(u, v)| (v, u));
            let ins: Vec<(u32, u32)> = expected.iter().map(|&(u, v, _)| (u, v)).collect();
            prop_assert_eq!(outs, ins);
            for u in 0..g.n as u32 {
                let sum: f64 = expected.iter().filter(|e| e.0 == u).map(|e| f64::from(e.2)).sum();
                prop_assert_eq!(csr.out_weight(u), sum);
            }
        }
    }
}
