//! The compressed sparse row (CSR) snapshot that every graph algorithm reads: for each node,
//! the sources of its in-edges (with weights, unless all are 1.0) for pull-style PageRank,
//! its out-degree (and out-weight), and the targets of its out-edges for traversals, built
//! at the first traversal that needs them. Lists are sorted ascending.
//!
//! Built from an edge list in O(n + m) passes, on several threads for large graphs: one pass
//! validates the edges and counts them per bucket of targets (and each source's out-degree);
//! a radix pass copies each edge's source into its bucket's range of the in-lists, so that
//! memory is written in order rather than at random, with the target's offset in the bucket
//! beside it; each bucket, small enough for the cache, is then placed by target and its lists
//! sorted (most are short or already sorted), and repeats are merged if the sort met any. The
//! out-lists come from the in-lists by the same counting sort, which leaves them sorted. The
//! build's scratch space is 2 bytes per edge and 4 per node and thread. Input rules:
//! - node ids are below the node count `n`, which is at most [`MAX_NODES`];
//! - weights are finite and not negative (0.0 is allowed: such an edge is traversed but
//!   carries no PageRank);
//! - repeated edges `u -> v` become one edge whose weight is the sum of theirs (so repeated
//!   unit edges get a weight: their multiplicity);
//! - self-loops are kept: callers that do not want them leave them out.
//!
//! Memory: 4 bytes per edge for in-sources, 4 more for out-targets once built, 4 for weights
//! when some weight is not 1.0; per node, 12 bytes (in-offsets, out-degree), 8 more for
//! out-offsets once built and, when weighted, 8 for the node's out-weight.

use std::mem::size_of;
use std::ops::Range;
use std::sync::OnceLock;

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
    #[cfg(test)]
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
    /// adding up their weights; unit lists get weights at the first repeat.
    fn merge_repeats(&mut self) -> Result<()> {
        let n = self.offsets.len() - 1;
        let (mut read, mut write) = (0, 0);
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
        self.items.truncate(write);
        self.items.shrink_to_fit();
        if let Some(weights) = &mut self.weights {
            weights.truncate(write);
            weights.shrink_to_fit();
        }
        Ok(())
    }
}

/// An immutable snapshot of a directed weighted graph over nodes `0..n`.
#[derive(Debug)]
pub(crate) struct Csr {
    /// In-edges: each node's sources, with weights unless all are 1.0.
    ins: Adjacency,
    /// Out-degree of each node.
    out_degrees: Vec<u32>,
    /// Sum of each node's out-edge weights when the graph is weighted.
    out_weights: Option<Vec<f64>>,
    /// Out-edges: each node's targets (no weights), built at first use.
    outs: OnceLock<Adjacency>,
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
        let input = Input(edges);
        let parts = input.parts(parallel::workers(edges.len() + n));
        let (mut out_degrees, counts) = count_input(n, edges, &parts)?;
        let (mut ins, repeats) = scatter(n, !E::UNIT, &input, parts, counts);
        if repeats {
            ins.merge_repeats()?;
            out_degrees.fill(0);
            for &u in &ins.items {
                out_degrees[u as usize] += 1;
            }
        }
        if ins
            .weights
            .as_ref()
            .is_some_and(|w| w.iter().all(|&w| w == 1.0))
        {
            ins.weights = None;
        }
        // Summed from the merged weights, so that each node's edges weigh exactly its sum.
        let out_weights = ins.weights.as_ref().map(|weights| {
            let mut sums = vec![0.0; n];
            for (&u, &w) in ins.items.iter().zip(weights) {
                sums[u as usize] += f64::from(w);
            }
            sums
        });
        Ok(Csr {
            ins,
            out_degrees,
            out_weights,
            outs: OnceLock::new(),
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
    #[cfg(test)]
    pub(crate) fn is_weighted(&self) -> bool {
        self.ins.weights.is_some()
    }

    /// In-edges: for each node, its sources (ascending) and their weights.
    pub(crate) fn ins(&self) -> &Adjacency {
        &self.ins
    }

    /// Out-edges: for each node, its targets (ascending); no weights. Built in O(n + m) at
    /// the first call.
    pub(crate) fn outs(&self) -> &Adjacency {
        self.outs.get_or_init(|| self.transposed(false))
    }

    /// Number of node `u`'s out-edges (`u` must be a node).
    pub(crate) fn out_degree(&self, u: u32) -> usize {
        self.out_degrees[u as usize] as usize
    }

    /// Sum of the weights of node `u`'s out-edges (`u` must be a node).
    pub(crate) fn out_weight(&self, u: u32) -> f64 {
        match &self.out_weights {
            Some(w) => w[u as usize],
            None => f64::from(self.out_degrees[u as usize]),
        }
    }

    /// The weight of each out-edge, aligned with `outs().items`; `None` when all are 1.0.
    /// Computed on demand in O(n + m): the snapshot does not keep them.
    pub(crate) fn out_edge_weights(&self) -> Option<Vec<f32>> {
        self.ins.weights.as_ref()?;
        self.transposed(true).weights
    }

    /// The in-lists turned into out-lists, with weights when `weighted`.
    fn transposed(&self, weighted: bool) -> Adjacency {
        let n = self.node_count();
        let triples = Transposed(&self.ins);
        let parts = triples.parts(parallel::workers(n + self.edge_count()));
        let counts = bucket_counts(n, &triples, &parts);
        scatter(n, weighted, &triples, parts, counts).0
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
    #[cfg(test)]
    pub(crate) fn edges(&self) -> impl Iterator<Item = (u32, u32, f32)> + '_ {
        (0..self.node_count() as u32).flat_map(move |v| {
            self.ins
                .range(v)
                .map(move |i| (self.ins.items[i], v, self.ins.weight(i)))
        })
    }

    /// Bytes of heap the snapshot holds (the out-lists count once built).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ins.heap_bytes()
            + self.outs.get().map_or(0, Adjacency::heap_bytes)
            + self.out_degrees.capacity() * size_of::<u32>()
            + self
                .out_weights
                .as_ref()
                .map_or(0, |w| w.capacity() * size_of::<f64>())
    }
}

/// Validates the edges and counts, part by part, each bucket's edges (by target, for
/// [`scatter`]) and each node's out-degree (with repeats, summed over the parts); on several
/// threads for large inputs. Reports the first bad edge in input order.
fn count_input<E: Edge>(
    n: usize,
    edges: &[E],
    parts: &[Range<usize>],
) -> Result<(Vec<u32>, Vec<Vec<u32>>)> {
    let counted = parallel::run(parts.to_vec(), |part| count_part(n, edges, part));
    let mut degrees: Option<Vec<u32>> = None;
    let mut buckets = Vec::with_capacity(parts.len());
    for counted in counted {
        let (part_degrees, part_buckets) = counted?;
        buckets.push(part_buckets);
        match &mut degrees {
            None => degrees = Some(part_degrees),
            Some(all) => all.iter_mut().zip(part_degrees).for_each(|(a, b)| *a += b),
        }
    }
    Ok((degrees.unwrap_or_else(|| vec![0; n]), buckets))
}

/// [`count_input`] over the edges at positions `part`: out-degrees and edges per bucket.
fn count_part<E: Edge>(n: usize, edges: &[E], part: Range<usize>) -> Result<(Vec<u32>, Vec<u32>)> {
    let mut degrees = vec![0u32; n];
    let mut buckets = vec![0u32; n.div_ceil(BUCKET)];
    for (i, e) in part.clone().zip(&edges[part]) {
        let (s, t) = (e.source() as usize, e.target() as usize);
        if s >= n || t >= n {
            let (end, v) = if s >= n { ("source", s) } else { ("target", t) };
            return Err(invalid(
                format!("edges[{i}].{end}"),
                format!("node {v} is not below the node count {n}"),
            ));
        }
        if !E::UNIT {
            let w = e.weight();
            if !(w.is_finite() && w >= 0.0) {
                return Err(invalid(
                    format!("edges[{i}].weight"),
                    format!("weights are finite and not negative, got {w}"),
                ));
            }
        }
        degrees[s] += 1;
        buckets[t / BUCKET] += 1;
    }
    Ok((degrees, buckets))
}

/// Triples per bucket of [`BUCKET`] consecutive keys, part by part (keys must be below `n`).
fn bucket_counts(n: usize, triples: &impl Triples, parts: &[Range<usize>]) -> Vec<Vec<u32>> {
    parallel::run(parts.to_vec(), |part| {
        let mut counts = vec![0u32; n.div_ceil(BUCKET)];
        triples.each(part, |key, _, _| counts[key as usize / BUCKET] += 1);
        counts
    })
}

/// Triples `(key, item, weight)` in consecutive parts that threads can walk apart.
trait Triples: Sync {
    /// True when the triples of each key come by ascending item, with no item twice.
    const ORDERED: bool;
    /// About `parts` consecutive parts covering every triple (some may be empty).
    fn parts(&self, parts: usize) -> Vec<Range<usize>>;
    /// Calls `f` on every triple of `part`, in a fixed order.
    fn each(&self, part: Range<usize>, f: impl FnMut(u32, u32, f32));
}

/// Input edges as `(target, source, weight)`; parts are ranges of positions.
struct Input<'a, E>(&'a [E]);

impl<E: Edge> Triples for Input<'_, E> {
    const ORDERED: bool = false;

    fn parts(&self, parts: usize) -> Vec<Range<usize>> {
        let m = self.0.len();
        let chunk = m.div_ceil(parts.max(1)).max(1);
        (0..parts.max(1))
            .map(|p| (p * chunk).min(m)..((p + 1) * chunk).min(m))
            .collect()
    }

    fn each(&self, part: Range<usize>, mut f: impl FnMut(u32, u32, f32)) {
        for e in &self.0[part] {
            f(e.target(), e.source(), e.weight());
        }
    }
}

/// Lists turned around: `(item, node, weight)` for every node's items, by node; parts are
/// ranges of nodes.
struct Transposed<'a>(&'a Adjacency);

impl Triples for Transposed<'_> {
    // Nodes are walked in order and appear once in each other node's list.
    const ORDERED: bool = true;

    fn parts(&self, parts: usize) -> Vec<Range<usize>> {
        parallel::node_ranges(&self.0.offsets, parts.max(1))
    }

    fn each(&self, part: Range<usize>, mut f: impl FnMut(u32, u32, f32)) {
        let lists = self.0;
        for v in part.start as u32..part.end as u32 {
            for i in lists.range(v) {
                f(lists.items[i], v, lists.weight(i));
            }
        }
    }
}

/// Keys per bucket of [`scatter`] (a power of two; keys within a bucket fit in a `u16`).
const BUCKET: usize = 1 << 12;
const _: () = assert!(BUCKET <= 1 << 16);

/// Counting sort: lists over keys `0..n` holding each triple's item (and weight, if
/// `weighted`) under its key, each list sorted by item (repeats kept, next to each other).
/// `parts` are the triples' parts and `counts` each part's triples per bucket of [`BUCKET`]
/// keys. Returns the lists and whether some list holds an item more than once.
///
/// A radix pass first, so that memory is walked in order rather than at random: each part
/// copies its triples into its stretch of their bucket's range of the lists (a few hundred
/// write streams), with each key's offset within its bucket beside them; each bucket is then
/// placed by key within its own range, in cache, and its lists sorted. Large inputs run both
/// steps on several threads, by part and then by range of buckets.
fn scatter<T: Triples>(
    n: usize,
    weighted: bool,
    triples: &T,
    parts: Vec<Range<usize>>,
    counts: Vec<Vec<u32>>,
) -> (Adjacency, bool) {
    let buckets = n.div_ceil(BUCKET);
    // Where each bucket starts, and the length of each (bucket, part) stretch.
    let mut stretch_lengths = Vec::with_capacity(buckets * parts.len());
    let mut bucket_offsets = Vec::with_capacity(buckets + 1);
    bucket_offsets.push(0u64);
    for b in 0..buckets {
        stretch_lengths.extend(counts.iter().map(|c| c[b] as usize));
        let total: u64 = counts.iter().map(|c| u64::from(c[b])).sum();
        bucket_offsets.push(bucket_offsets[b] + total);
    }
    let m = bucket_offsets[buckets] as usize;
    let mut items = vec![0u32; m];
    let mut keys = vec![0u16; m];
    let mut weights = weighted.then(|| vec![0f32; m]);
    let workers = parts.len();
    let staged_items = deal(&mut items, &stretch_lengths, workers);
    let staged_keys = deal(&mut keys, &stretch_lengths, workers);
    let mut staged_weights = weights
        .as_deref_mut()
        .map(|w| {
            deal(w, &stretch_lengths, workers)
                .into_iter()
                .map(Some)
                .collect()
        })
        .unwrap_or_else(|| (0..workers).map(|_| None).collect::<Vec<_>>());
    let jobs: Vec<_> = parts
        .into_iter()
        .zip(staged_items)
        .zip(staged_keys)
        .zip(staged_weights.drain(..))
        .collect();
    parallel::run(jobs, |(((part, mut items), mut keys), mut weights)| {
        let mut fill = vec![0usize; buckets];
        triples.each(part, |key, item, weight| {
            let b = key as usize / BUCKET;
            let at = fill[b];
            items[b][at] = item;
            keys[b][at] = (key as usize % BUCKET) as u16;
            if let Some(weights) = &mut weights {
                weights[b][at] = weight;
            }
            fill[b] = at + 1;
        });
    });
    // Placement, by ranges of buckets of about equal size.
    let mut offsets = vec![0u64; n + 1];
    let ranges = parallel::node_ranges(&bucket_offsets, parallel::workers(m + n));
    let node_lengths = ranges
        .iter()
        .map(|r| (r.end * BUCKET).min(n) - (r.start * BUCKET).min(n));
    let jobs: Vec<_> = ranges
        .iter()
        .cloned()
        .zip(parallel::split_ranges(&mut items, &bucket_offsets, &ranges))
        .zip(split_weights(&mut weights, &bucket_offsets, &ranges))
        .zip(parallel::split_lengths(&mut offsets[..n], node_lengths))
        .collect();
    let (keys, bucket_offsets) = (&keys, &bucket_offsets);
    let repeats = parallel::run(jobs, |(((range, items), mut weights), offsets)| {
        let base = bucket_offsets[range.start];
        let mut bucket = Bucket::default();
        let mut repeats = false;
        for (b, node_offsets) in range.zip(offsets.chunks_mut(BUCKET)) {
            let (start, end) = (bucket_offsets[b], bucket_offsets[b + 1]);
            let span = (start - base) as usize..(end - base) as usize;
            let keys = &keys[start as usize..end as usize];
            let (items, mut weights) = (
                &mut items[span.clone()],
                weights.as_deref_mut().map(|w| &mut w[span]),
            );
            bucket.place(keys, items, weights.as_deref_mut());
            for (offset, &list_start) in node_offsets.iter_mut().zip(&bucket.starts) {
                *offset = start + u64::from(list_start);
            }
            if !T::ORDERED {
                repeats |= bucket.sort_lists(node_offsets.len(), items, weights);
            }
        }
        repeats
    });
    offsets[n] = m as u64;
    let lists = Adjacency {
        offsets,
        items,
        weights,
    };
    (lists, repeats.into_iter().any(|r| r))
}

/// Cuts `items` into consecutive stretches of the given lengths (bucket-major, part-minor)
/// and deals them out: part `p` of `parts` gets every `parts`-th one, one per bucket.
fn deal<'a, T>(items: &'a mut [T], lengths: &[usize], parts: usize) -> Vec<Vec<&'a mut [T]>> {
    let mut dealt: Vec<Vec<&mut [T]>> = (0..parts).map(|_| Vec::new()).collect();
    for (k, piece) in parallel::split_lengths(items, lengths.iter().copied())
        .into_iter()
        .enumerate()
    {
        dealt[k % parts].push(piece);
    }
    dealt
}

/// Scratch space for placing one bucket's items by key, reused from bucket to bucket.
#[derive(Default)]
struct Bucket {
    /// Where each key's list starts within the bucket.
    starts: Vec<u32>,
    /// Where the next item of each key goes.
    cursors: Vec<u32>,
    /// The bucket's items in staging order.
    items: Vec<u32>,
    /// The bucket's weights in staging order.
    weights: Vec<f32>,
    /// A weighted list being sorted.
    pairs: Vec<(u32, f32)>,
}

impl Bucket {
    /// Reorders `items` (and `weights`) by their `keys`, stably; records where each key's
    /// list starts in `starts`.
    fn place(&mut self, keys: &[u16], items: &mut [u32], weights: Option<&mut [f32]>) {
        self.starts.clear();
        self.starts.resize(BUCKET, 0);
        for &k in keys {
            self.starts[k as usize] += 1;
        }
        let mut at = 0u32;
        for start in &mut self.starts {
            (*start, at) = (at, at + *start);
        }
        place_by_key(
            &self.starts,
            &mut self.cursors,
            keys,
            items,
            &mut self.items,
        );
        if let Some(weights) = weights {
            place_by_key(
                &self.starts,
                &mut self.cursors,
                keys,
                weights,
                &mut self.weights,
            );
        }
    }

    /// Sorts the first `lists` lists of the placed bucket by item, weights following their
    /// items; returns whether some list holds an item twice.
    fn sort_lists(
        &mut self,
        lists: usize,
        items: &mut [u32],
        mut weights: Option<&mut [f32]>,
    ) -> bool {
        let mut repeats = false;
        for k in 0..lists {
            let start = self.starts[k] as usize;
            let end = self.starts.get(k + 1).map_or(items.len(), |&e| e as usize);
            let list = &mut items[start..end];
            if list.windows(2).all(|w| w[0] < w[1]) {
                continue;
            }
            match weights.as_deref_mut() {
                None => list.sort_unstable(),
                Some(weights) => {
                    let weights = &mut weights[start..end];
                    self.pairs.clear();
                    self.pairs
                        .extend(list.iter().copied().zip(weights.iter().copied()));
                    self.pairs.sort_unstable_by_key(|p| p.0);
                    for ((item, weight), &(i, w)) in list.iter_mut().zip(weights).zip(&self.pairs) {
                        (*item, *weight) = (i, w);
                    }
                }
            }
            repeats |= list.windows(2).any(|w| w[0] == w[1]);
        }
        repeats
    }
}

/// Moves each of `values` to the next free place of its key, the places of key `k` starting
/// at `starts[k]`; `cursors` and `staged` are scratch space.
fn place_by_key<V: Copy>(
    starts: &[u32],
    cursors: &mut Vec<u32>,
    keys: &[u16],
    values: &mut [V],
    staged: &mut Vec<V>,
) {
    staged.clear();
    staged.extend_from_slice(values);
    cursors.clear();
    cursors.extend_from_slice(starts);
    for (&k, &value) in keys.iter().zip(staged.iter()) {
        let cursor = &mut cursors[k as usize];
        values[*cursor as usize] = value;
        *cursor += 1;
    }
}

/// Cuts optional weights like [`parallel::split_ranges`]: one piece per range, or none.
fn split_weights<'a>(
    weights: &'a mut Option<Vec<f32>>,
    offsets: &[u64],
    ranges: &[Range<usize>],
) -> Vec<Option<&'a mut [f32]>> {
    match weights {
        Some(w) => parallel::split_ranges(w, offsets, ranges)
            .into_iter()
            .map(Some)
            .collect(),
        None => ranges.iter().map(|_| None).collect(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::{graph, merged};

    fn field(err: crate::error::Error) -> String {
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
        // Sources and weights, then out-targets and out-offsets once built.
        let before = csr.heap_bytes();
        assert!(before >= csr.edge_count() * 8);
        assert_eq!(csr.outs().degree(7), csr.out_degree(7));
        let outs = csr.edge_count() * 4 + (n as usize + 1) * 8;
        assert_eq!(csr.heap_bytes(), before + outs);
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
