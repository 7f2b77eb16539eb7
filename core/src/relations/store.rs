//! The mutable edge store: every typed, directed edge between customers, as recorded, in a
//! petgraph graph whose node `i` is the customer of dense index `i`.
//!
//! Edges stay on the profiles they were recorded on; after a merge, readers map each end to
//! its live profile ([`crate::state::State::canonical`]) and gather the edges of the profiles
//! a survivor absorbed, so merged customers keep their edges and nothing is rewritten. One
//! edge exists per (source, target, kind): putting it again updates its weight.
//! Analytics never walk this structure: they read the CSR snapshots of
//! [`super::analytics::Analytics`], which this store's owner drops on every change.

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction as Side;

use super::analytics::Analytics;

/// What an edge carries besides its ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct EdgeData {
    /// Kind symbol.
    pub kind: u32,
    /// Weight, finite and not negative.
    pub weight: f32,
    /// When the edge was first recorded, in microseconds.
    pub created_at: i64,
}

/// One edge as stored: ends by dense index (as recorded, not mapped through merges).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct StoredEdge {
    pub source: u32,
    pub target: u32,
    pub data: EdgeData,
}

/// All edges, and the analytics computed from them.
#[derive(Default)]
pub(crate) struct EdgeStore {
    graph: DiGraph<(), EdgeData, u32>,
    /// Snapshots and cached results, dropped whenever edges or profiles change.
    pub analytics: Analytics,
}

impl EdgeStore {
    /// Number of stored edges.
    pub fn len(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every stored edge, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = StoredEdge> + '_ {
        self.graph.edge_references().map(|e| StoredEdge {
            source: e.source().index() as u32,
            target: e.target().index() as u32,
            data: *e.weight(),
        })
    }

    /// The edges recorded on profile `idx` in one direction (`out`: leaving it), with the
    /// other end as recorded.
    pub fn around(&self, idx: u32, out: bool) -> impl Iterator<Item = (u32, EdgeData)> + '_ {
        let node = NodeIndex::new(idx as usize);
        let side = if out { Side::Outgoing } else { Side::Incoming };
        let edges = (node.index() < self.graph.node_count())
            .then(|| self.graph.edges_directed(node, side))
            .into_iter()
            .flatten();
        edges.map(move |e| {
            let other = if out { e.target() } else { e.source() };
            (other.index() as u32, *e.weight())
        })
    }

    /// The stored edge `source -> target` of `kind`, if any.
    #[cfg(test)]
    pub fn get(&self, source: u32, target: u32, kind: u32) -> Option<EdgeData> {
        self.find(source, target, kind).map(|e| self.graph[e])
    }

    fn find(&self, source: u32, target: u32, kind: u32) -> Option<EdgeIndex<u32>> {
        let (a, b) = (source as usize, target as usize);
        if a.max(b) >= self.graph.node_count() {
            return None;
        }
        self.graph
            .edges_connecting(NodeIndex::new(a), NodeIndex::new(b))
            .find(|e| e.weight().kind == kind)
            .map(|e| e.id())
    }

    /// Inserts an edge, or replaces the weight of the one with the same ends and kind (its
    /// creation time stays).
    pub fn put(&mut self, edge: StoredEdge) {
        match self.find(edge.source, edge.target, edge.data.kind) {
            Some(e) => self.graph[e].weight = edge.data.weight,
            None => self.insert(edge),
        }
    }

    /// Adds an edge known to be absent (no lookup: O(1) even on a hub).
    pub fn insert(&mut self, edge: StoredEdge) {
        self.grow(edge.source.max(edge.target));
        let (a, b) = (
            NodeIndex::new(edge.source as usize),
            NodeIndex::new(edge.target as usize),
        );
        self.graph.add_edge(a, b, edge.data);
    }

    /// Adds `by` to the weight of an edge, creating it at `at` with weight `by` if absent.
    pub fn bump(&mut self, source: u32, target: u32, kind: u32, by: f32, at: i64) {
        match self.find(source, target, kind) {
            Some(e) => self.graph[e].weight += by,
            None => self.put(StoredEdge {
                source,
                target,
                data: EdgeData {
                    kind,
                    weight: by,
                    created_at: at,
                },
            }),
        }
    }

    /// Removes an edge; false when there was none.
    pub fn remove(&mut self, source: u32, target: u32, kind: u32) -> bool {
        match self.find(source, target, kind) {
            Some(e) => self.graph.remove_edge(e).is_some(),
            None => false,
        }
    }

    /// Makes sure node `idx` exists (nodes are customers; they are only ever added).
    fn grow(&mut self, idx: u32) {
        while self.graph.node_count() <= idx as usize {
            self.graph.add_node(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(source: u32, target: u32, kind: u32, weight: f32) -> StoredEdge {
        StoredEdge {
            source,
            target,
            data: EdgeData {
                kind,
                weight,
                created_at: 7,
            },
        }
    }

    #[test]
    fn one_edge_per_ends_and_kind() {
        let mut store = EdgeStore::default();
        store.put(edge(0, 3, 1, 1.0));
        store.put(edge(0, 3, 2, 1.0));
        store.put(edge(0, 3, 1, 4.0));
        assert_eq!(store.len(), 2);
        assert_eq!(store.get(0, 3, 1).map(|d| d.weight), Some(4.0));
        assert_eq!(store.get(3, 0, 1), None);
        assert_eq!(store.get(9, 0, 1), None);
        let ins: Vec<u32> = store.around(3, false).map(|(o, _)| o).collect();
        assert_eq!(ins, [0, 0]);
        assert_eq!(store.around(42, true).count(), 0);
    }

    #[test]
    fn bump_counts_and_remove_forgets() {
        let mut store = EdgeStore::default();
        store.bump(1, 2, 5, 1.0, 10);
        store.bump(1, 2, 5, 1.0, 20);
        let data = store.get(1, 2, 5).unwrap();
        assert_eq!((data.weight, data.created_at), (2.0, 10));
        assert!(store.remove(1, 2, 5));
        assert!(!store.remove(1, 2, 5));
        assert_eq!(store.len(), 0);
    }
}
