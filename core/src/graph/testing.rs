//! Shared by the graph tests: random small graphs for property tests and plain reference
//! implementations to compare against.

use std::collections::{BTreeMap, VecDeque};

use proptest::prelude::*;

use super::traverse::Direction;

/// A random graph: `n` nodes and weighted edges, repeats and self-loops included.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub(crate) n: usize,
    pub(crate) edges: Vec<(u32, u32, f32)>,
}

impl Graph {
    /// The edges without their weights.
    pub(crate) fn pairs(&self) -> Vec<(u32, u32)> {
        self.edges.iter().map(|&(u, v, _)| (u, v)).collect()
    }
}

/// Graphs of 1 to `max_n` nodes and up to `max_m` edges; weights are small multiples of 0.5
/// (0 included), so sums are exact.
pub(crate) fn graph(max_n: usize, max_m: usize) -> impl Strategy<Value = Graph> {
    (1..=max_n).prop_flat_map(move |n| {
        let edge =
            (0..n as u32, 0..n as u32, 0..5u8).prop_map(|(u, v, w)| (u, v, f32::from(w) / 2.0));
        prop::collection::vec(edge, 0..=max_m).prop_map(move |edges| Graph { n, edges })
    })
}

/// The edges as the snapshot keeps them: repeats merged (weights added), by target then
/// source.
pub(crate) fn merged(edges: &[(u32, u32, f32)]) -> Vec<(u32, u32, f32)> {
    let mut sums: BTreeMap<(u32, u32), f32> = BTreeMap::new();
    for &(u, v, w) in edges {
        *sums.entry((v, u)).or_default() += w;
    }
    sums.into_iter().map(|((v, u), w)| (u, v, w)).collect()
}

/// Neighbour lists following `direction` (repeats kept).
pub(crate) fn adjacency(
    n: usize,
    edges: &[(u32, u32, f32)],
    direction: Direction,
) -> Vec<Vec<u32>> {
    let mut lists = vec![Vec::new(); n];
    for &(u, v, _) in edges {
        if direction != Direction::In {
            lists[u as usize].push(v);
        }
        if direction != Direction::Out {
            lists[v as usize].push(u);
        }
    }
    lists
}

/// Breadth-first distances from `start` (None: unreachable).
pub(crate) fn distances(lists: &[Vec<u32>], start: u32) -> Vec<Option<u32>> {
    let mut dist = vec![None; lists.len()];
    dist[start as usize] = Some(0);
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        let d = dist[u as usize].unwrap_or_default();
        for &v in &lists[u as usize] {
            if dist[v as usize].is_none() {
                dist[v as usize] = Some(d + 1);
                queue.push_back(v);
            }
        }
    }
    dist
}
