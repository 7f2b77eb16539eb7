//! CSR snapshots of the edge store and the analytics the segment language reads, computed
//! on first use and cached until the next change of edges or profiles.
//!
//! A snapshot's nodes are the live customers in creation order (so merged-away profiles
//! are not nodes and take no PageRank), and its edges are the stored edges of the selected
//! kinds with both ends mapped to their live profiles: an edge that a merge turned into a
//! loop is left out, and parallel edges (several kinds, or profiles merged) add their
//! weights.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::model::{EdgeSelection, PageRankOptions};
use crate::error::Result;
use crate::graph::communities::{
    detect_communities, Adjacency, Communities, CommunityOptions as Louvain,
};
use crate::graph::csr::Csr;
use crate::graph::pagerank::{pagerank, PageRank, PageRankConfig};
use crate::graph::symmetric::Symmetric;
use crate::graph::traverse::Traversal;
use crate::names::normalize_name;
use crate::state::State;

/// No node: the customer is merged away, or has no rank.
pub(crate) const NONE: u32 = u32::MAX;

/// An [`EdgeSelection`] with its kinds resolved to symbols.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Selection {
    /// Kinds read, ascending; `None` reads every kind.
    kinds: Option<Vec<u32>>,
    /// Kinds counted backwards, ascending.
    reversed: Vec<u32>,
}

impl Selection {
    /// Checks the kind names and resolves them; a kind the engine never saw has no edges.
    /// `field` names the selection in errors (empty when its lists are arguments).
    pub fn resolve(state: &State, field: &str, selection: &EdgeSelection) -> Result<Selection> {
        let symbols = |list: &[String], name: &str| -> Result<Vec<u32>> {
            let mut ids = Vec::with_capacity(list.len());
            for (i, kind) in list.iter().enumerate() {
                let path = || match field {
                    "" => format!("{name}[{i}]"),
                    _ => format!("{field}.{name}[{i}]"),
                };
                let kind = normalize_name(path, kind)?;
                ids.extend(state.symbols.get(&kind));
            }
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        };
        let kinds = symbols(&selection.kinds, "kinds")?;
        Ok(Selection {
            kinds: (!selection.kinds.is_empty()).then_some(kinds),
            reversed: symbols(&selection.reversed, "reversed")?,
        })
    }

    fn reads(&self, kind: u32) -> bool {
        self.kinds
            .as_ref()
            .is_none_or(|k| k.binary_search(&kind).is_ok())
    }
}

/// A CSR snapshot over the live customers.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub csr: Csr,
    /// Customer index of each node.
    pub nodes: Vec<u32>,
    /// Node of each customer index, [`NONE`] for merged-away profiles.
    pub node_of: Vec<u32>,
}

impl Snapshot {
    /// Builds the snapshot of `selection`'s edges.
    fn build(state: &State, selection: &Selection) -> Result<Snapshot> {
        let n = state.customers.len();
        let nodes: Vec<u32> = state.index.live.iter().collect();
        let mut node_of = vec![NONE; n];
        for (node, &idx) in nodes.iter().enumerate() {
            node_of[idx as usize] = node as u32;
        }
        // Without merges every profile is live and its own node: no mapping to do.
        let merged = !state.merges.is_empty();
        let node = |idx: u32| match merged {
            true => node_of[state.canonical(idx) as usize],
            false => idx,
        };
        let mut edges = Vec::with_capacity(state.graph.len());
        for edge in state.graph.iter() {
            if !selection.reads(edge.data.kind) {
                continue;
            }
            let (s, t) = (node(edge.source), node(edge.target));
            if s == t {
                continue;
            }
            let backwards = selection.reversed.binary_search(&edge.data.kind).is_ok();
            let (s, t) = if backwards { (t, s) } else { (s, t) };
            edges.push((s, t, edge.data.weight));
        }
        Ok(Snapshot {
            csr: Csr::new(nodes.len(), &edges)?,
            nodes,
            node_of,
        })
    }

    fn heap_bytes(&self) -> usize {
        self.csr.heap_bytes() + 4 * (self.nodes.capacity() + self.node_of.capacity())
    }

    /// The node of a live customer.
    pub fn node(&self, idx: u32) -> u32 {
        self.node_of.get(idx as usize).copied().unwrap_or(NONE)
    }
}

/// The default influence scores, by customer index, and each live customer's place in
/// their order (0 = most influential; ties by creation order).
#[derive(Debug, Default)]
pub(crate) struct Influence {
    /// PageRank of each customer (0 for merged-away profiles).
    pub scores: Vec<f64>,
    /// Place of each customer in the ranking, [`NONE`] for merged-away profiles.
    pub place: Vec<u32>,
}

/// Cached snapshots and results; dropped (replaced by a fresh value) on every change.
#[derive(Default)]
pub(crate) struct Analytics {
    snapshots: Mutex<Vec<(Selection, Arc<Snapshot>)>>,
    influence: OnceLock<Arc<Influence>>,
    communities: OnceLock<Arc<Vec<u32>>>,
    traversal: Mutex<Traversal>,
}

impl Analytics {
    /// The snapshot of a selection, built at first use.
    pub fn snapshot(&self, state: &State, selection: &Selection) -> Result<Arc<Snapshot>> {
        let lock = || {
            self.snapshots
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some((_, s)) = lock().iter().find(|(sel, _)| sel == selection) {
            return Ok(Arc::clone(s));
        }
        // Built outside the lock: readers of other selections go on meanwhile.
        let built = Arc::new(Snapshot::build(state, selection)?);
        let mut cached = lock();
        match cached.iter().find(|(sel, _)| sel == selection) {
            Some((_, s)) => Ok(Arc::clone(s)),
            None => {
                cached.push((selection.clone(), Arc::clone(&built)));
                Ok(built)
            }
        }
    }

    /// Bytes of heap the cached snapshots hold.
    pub fn snapshot_bytes(&self) -> usize {
        let cached = self
            .snapshots
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        cached.iter().map(|(_, s)| s.heap_bytes()).sum()
    }

    /// Runs `f` with a traversal sized for reuse (a fresh one if another reader holds it).
    pub fn with_traversal<T>(&self, f: impl FnOnce(&mut Traversal) -> T) -> T {
        match self.traversal.try_lock() {
            Ok(mut t) => f(&mut t),
            Err(_) => f(&mut Traversal::new()),
        }
    }

    /// The influence scores the segment language reads: PageRank with
    /// [`PageRankOptions::default`].
    pub fn influence(&self, state: &State) -> Arc<Influence> {
        let compute = || -> Result<Influence> {
            let options = PageRankOptions::default();
            let selection = Selection::resolve(state, "edges", &options.edges)?;
            let snapshot = self.snapshot(state, &selection)?;
            let ranks = rank(&snapshot, &options)?;
            let mut scores = vec![0.0; state.customers.len()];
            let mut place = vec![NONE; state.customers.len()];
            for (node, &idx) in snapshot.nodes.iter().enumerate() {
                scores[idx as usize] = ranks.ranks[node];
            }
            for (i, node) in by_score(&ranks.ranks).into_iter().enumerate() {
                place[snapshot.nodes[node as usize] as usize] = i as u32;
            }
            Ok(Influence { scores, place })
        };
        // The defaults always converge (0.85^100 is far below the tolerance), so the empty
        // fallback is never taken; it keeps a read from failing.
        let influence = self
            .influence
            .get_or_init(|| Arc::new(compute().unwrap_or_default()));
        Arc::clone(influence)
    }

    /// The community of each customer under the default options, [`NONE`] for merged-away
    /// profiles.
    pub fn communities(&self, state: &State) -> Arc<Vec<u32>> {
        let compute = || -> Result<Vec<u32>> {
            let snapshot = self.snapshot(
                state,
                &Selection::resolve(state, "edges", &EdgeSelection::all())?,
            )?;
            let found = communities(&snapshot, &Louvain::default())?;
            let mut of = vec![NONE; state.customers.len()];
            for (node, &idx) in snapshot.nodes.iter().enumerate() {
                of[idx as usize] = found.membership[node];
            }
            Ok(of)
        };
        // The default options are valid and snapshots are well formed, so this never fails.
        let found = self
            .communities
            .get_or_init(|| Arc::new(compute().unwrap_or_default()));
        Arc::clone(found)
    }
}

/// PageRank of a snapshot's nodes.
pub(crate) fn rank(snapshot: &Snapshot, options: &PageRankOptions) -> Result<PageRank> {
    pagerank(&snapshot.csr, &config(options))
}

/// The compute layer's settings for `options`.
pub(crate) fn config(options: &PageRankOptions) -> PageRankConfig {
    PageRankConfig {
        damping: options.damping,
        tol: options.tol,
        max_iter: options.max_iter,
        weighted: options.weighted,
    }
}

/// Louvain communities of a snapshot's undirected view.
pub(crate) fn communities(snapshot: &Snapshot, options: &Louvain) -> Result<Communities> {
    let view = Symmetric::new(&snapshot.csr);
    let adj = Adjacency {
        offsets: &view.offsets,
        neighbours: &view.neighbours,
        weights: &view.weights,
    };
    detect_communities(adj, options)
}

/// Nodes by score, highest first, ties by node (creation order).
pub(crate) fn by_score(scores: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| {
        scores[b as usize]
            .total_cmp(&scores[a as usize])
            .then(a.cmp(&b))
    });
    order
}
