//! The relationship graph: edges in and out, walk directions, and the options and results
//! of the analytics. Options left `null` take the core's defaults (`PageRankOptions`,
//! `CommunityOptions`, the edge selection of each call), so the binding never restates them:
//! `PageRankOptions()` in Kotlin is the core's default PageRank.

use std::time::SystemTime;

use crate::errors::Result;
use crate::time;

/// Which edges a walk follows from a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum EdgeDirection {
    /// Edges leaving the customer.
    Out,
    /// Edges entering the customer.
    In,
    /// Both, as if undirected (the default of every call taking a direction).
    Both,
}

impl From<EdgeDirection> for scrm::EdgeDirection {
    fn from(d: EdgeDirection) -> Self {
        match d {
            EdgeDirection::Out => scrm::EdgeDirection::Out,
            EdgeDirection::In => scrm::EdgeDirection::In,
            EdgeDirection::Both => scrm::EdgeDirection::Both,
        }
    }
}

/// The core direction; the core's default (`Both`) when not given.
pub fn direction(direction: Option<EdgeDirection>) -> scrm::EdgeDirection {
    direction.map(Into::into).unwrap_or_default()
}

/// An edge to put: `source -> target` of `kind`.
///
/// Built-in kinds: `referred` (referrer -> referred customer; a customer has at most one
/// referrer), `follows` (follower -> followed), `friend` and `colleague` (mutual: both
/// directions are put and removed together). `interacted` edges come from events with a
/// `target` and cannot be put by hand. Any other name is a custom, directed kind.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EdgeInput {
    /// Id of the customer the edge leaves.
    pub source: String,
    /// Id of the customer the edge enters.
    pub target: String,
    /// Edge kind; folded to lower case.
    pub kind: String,
    /// Weight, finite, from 0 to the largest 32-bit float; default 1.
    #[uniffi(default = 1.0)]
    pub weight: f64,
    /// When the relationship started (`null`: the engine clock).
    #[uniffi(default)]
    pub at: Option<SystemTime>,
}

impl EdgeInput {
    /// The core input at position `i` of a batch (0 alone); errors name `edges[i].…` like
    /// the core does.
    pub fn into_core(self, i: usize) -> Result<scrm::EdgeInput> {
        let mut edge =
            scrm::EdgeInput::new(self.source, self.target, &self.kind).weight(self.weight);
        edge.at = time::optional(|| format!("edges[{i}].at"), self.at)?;
        Ok(edge)
    }
}

/// Converts a batch of edges.
pub fn batch_into_core(edges: Vec<EdgeInput>) -> Result<Vec<scrm::EdgeInput>> {
    edges
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.into_core(i))
        .collect()
}

/// An edge as the engine holds it, both ends named by their current (survivor) ids.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Edge {
    /// Customer the edge leaves.
    pub source: String,
    /// Customer the edge enters.
    pub target: String,
    /// Edge kind.
    pub kind: String,
    /// Weight (for `interacted`, the number of events).
    pub weight: f64,
    /// When it was first recorded.
    pub created_at: SystemTime,
}

impl From<scrm::Edge> for Edge {
    fn from(e: scrm::Edge) -> Self {
        Edge {
            source: e.source,
            target: e.target,
            kind: e.kind,
            weight: e.weight,
            created_at: time::from_core(e.created_at),
        }
    }
}

/// What putting edges did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct EdgeReport {
    /// Edges that did not exist before (a mutual edge counts its two directions).
    pub inserted: u64,
    /// Existing edges whose weight was replaced.
    pub updated: u64,
}

impl From<scrm::EdgeReport> for EdgeReport {
    fn from(r: scrm::EdgeReport) -> Self {
        EdgeReport {
            inserted: r.inserted,
            updated: r.updated,
        }
    }
}

/// The edges an analysis reads. `EdgeSelection()` is the call's default: for `pagerank` and
/// `personalizedPagerank` every kind with `referred` reversed (a follow endorses the
/// followed, a referral the referrer); for the others every kind as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct EdgeSelection {
    /// Kinds to read; empty (the default) reads every kind.
    #[uniffi(default)]
    pub kinds: Vec<String>,
    /// Kinds whose edges count from target to source; `null` for the call's default, an
    /// empty list to read every kind as stored.
    #[uniffi(default)]
    pub reversed: Option<Vec<String>>,
}

impl EdgeSelection {
    /// The core selection, `default`'s reversed kinds when not given.
    pub fn into_core(self, default: scrm::EdgeSelection) -> scrm::EdgeSelection {
        scrm::EdgeSelection {
            kinds: self.kinds,
            reversed: self.reversed.unwrap_or(default.reversed),
        }
    }
}

/// Settings of PageRank. Every field left `null` takes the core's default (networkx's):
/// `PageRankOptions()` ranks every kind with `referred` reversed, damping 0.85, weighted,
/// tolerance 1e-6, at most 100 iterations.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct PageRankOptions {
    /// The edges to rank over; default every kind with `referred` reversed.
    #[uniffi(default)]
    pub edges: EdgeSelection,
    /// Probability of following an edge rather than jumping, in (0, 1); default 0.85.
    #[uniffi(default)]
    pub damping: Option<f64>,
    /// Whether edge weights count (parallel edges add their weights); if not, every
    /// connected pair counts once. Default true.
    #[uniffi(default)]
    pub weighted: Option<bool>,
    /// Per-customer tolerance: stops when the L1 change is below `customers * tol`;
    /// default 1e-6.
    #[uniffi(default)]
    pub tol: Option<f64>,
    /// Most iterations (not converging in them is a `Validation` error); default 100.
    #[uniffi(default)]
    pub max_iter: Option<u32>,
}

impl PageRankOptions {
    /// The core options, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::PageRankOptions {
        let default = scrm::PageRankOptions::default();
        scrm::PageRankOptions {
            edges: self.edges.into_core(default.edges),
            damping: self.damping.unwrap_or(default.damping),
            weighted: self.weighted.unwrap_or(default.weighted),
            tol: self.tol.unwrap_or(default.tol),
            max_iter: self.max_iter.unwrap_or(default.max_iter),
        }
    }
}

/// Settings of community detection (Louvain with refinement). Every field left `null` takes
/// the core's default: `CommunityOptions()` reads every kind, resolution 1, seed 0.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct CommunityOptions {
    /// The edges to read, taken as undirected; default every kind.
    #[uniffi(default)]
    pub edges: EdgeSelection,
    /// Modularity resolution, finite and above 0: above 1 favours smaller communities.
    /// Default 1.
    #[uniffi(default)]
    pub resolution: Option<f64>,
    /// Seed of the visiting order: the same seed on the same graph gives the same result.
    /// Default 0.
    #[uniffi(default)]
    pub seed: Option<u64>,
}

impl CommunityOptions {
    /// The core options, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::CommunityOptions {
        let default = scrm::CommunityOptions::default();
        scrm::CommunityOptions {
            edges: self.edges.into_core(default.edges),
            resolution: self.resolution.unwrap_or(default.resolution),
            seed: self.seed.unwrap_or(default.seed),
        }
    }
}

/// Scores per customer, highest first (ties by creation order), as two aligned columns.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Ranking {
    /// Customer ids.
    pub ids: Vec<String>,
    /// Their scores (PageRank: they sum to 1 over every live customer).
    pub scores: Vec<f64>,
    /// Power iterations run (0 for `influencers`, which reads the cached ranking).
    pub iterations: u32,
}

impl From<scrm::Ranking> for Ranking {
    fn from(r: scrm::Ranking) -> Self {
        Ranking {
            ids: r.ids,
            scores: r.scores,
            iterations: r.iterations,
        }
    }
}

/// A community (or component) per customer, as aligned columns in creation order, with
/// the partition's modularity. Community `0` is the largest; a customer without edges is
/// alone in one.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CommunityReport {
    /// Customer ids, in creation order.
    pub ids: Vec<String>,
    /// The community of each.
    pub communities: Vec<u32>,
    /// Number of communities.
    pub count: u32,
    /// Modularity of the partition (0 for strongly connected components).
    pub modularity: f64,
}

impl From<scrm::CommunityReport> for CommunityReport {
    fn from(r: scrm::CommunityReport) -> Self {
        CommunityReport {
            ids: r.ids,
            communities: r.communities,
            count: r.count,
            modularity: r.modularity,
        }
    }
}

/// A customer's chain of referrers.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Upline {
    /// The referrer, the referrer's referrer, and so on up to the customer nobody referred.
    pub chain: Vec<String>,
    /// True when the chain came back on itself (a referral ring) instead of reaching a root.
    pub cycle: bool,
}

impl From<scrm::Upline> for Upline {
    fn from(u: scrm::Upline) -> Self {
        Upline {
            chain: u.chain,
            cycle: u.cycle,
        }
    }
}
