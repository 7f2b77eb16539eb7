//! The public vocabulary of the relationship graph: edge kinds, edges in and out, walk
//! directions, and the options and results of the analytics.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// Built-in edge kinds. Any other kind name (same rules as event kinds) is a custom,
/// directed kind.
pub mod edge_kinds {
    /// `referrer -> referred customer`. A customer has at most one referrer.
    pub const REFERRED: &str = "referred";
    /// `follower -> followed`.
    pub const FOLLOWS: &str = "follows";
    /// Mutual: putting or removing `a -> b` does the same to `b -> a`.
    pub const FRIEND: &str = "friend";
    /// `customer -> target` of events that name a target customer, weighted by their
    /// number. Derived from the event log: it cannot be put or removed by hand.
    pub const INTERACTED: &str = "interacted";
    /// Mutual, between internal customers (staff serving customers, teams).
    pub const COLLEAGUE: &str = "colleague";
    /// Every kind above, in this order.
    pub const ALL: [&str; 5] = [REFERRED, FOLLOWS, FRIEND, INTERACTED, COLLEAGUE];

    /// Kinds whose edges always come in both directions.
    pub(crate) fn is_mutual(kind: &str) -> bool {
        kind == FRIEND || kind == COLLEAGUE
    }
}

/// An edge to put: `source -> target` of `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeInput {
    /// External id of the customer the edge leaves.
    pub source: String,
    /// External id of the customer the edge enters.
    pub target: String,
    /// Edge kind (see [`edge_kinds`]); folded to lower case.
    pub kind: String,
    /// Weight, finite, from 0 to `f32::MAX`; default 1.
    #[serde(default = "unit")]
    pub weight: f64,
    /// When the relationship started (defaults to the engine clock).
    #[serde(default)]
    pub at: Option<Timestamp>,
}

fn unit() -> f64 {
    1.0
}

impl EdgeInput {
    /// An edge of weight 1 starting now.
    pub fn new(source: impl Into<String>, target: impl Into<String>, kind: &str) -> Self {
        EdgeInput {
            source: source.into(),
            target: target.into(),
            kind: kind.to_string(),
            weight: 1.0,
            at: None,
        }
    }

    /// Sets the weight.
    pub fn weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }

    /// Sets when the relationship started.
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }
}

/// An edge as the engine holds it, ends named by their current (survivor) ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    pub created_at: Timestamp,
}

/// What a batch of edges did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeReport {
    /// Edges that did not exist before (a mutual edge counts its two directions).
    pub inserted: u64,
    /// Existing edges whose weight was replaced.
    pub updated: u64,
}

/// Which edges a walk follows from a customer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeDirection {
    /// Edges leaving the customer.
    Out,
    /// Edges entering the customer.
    In,
    /// Both, as if undirected.
    #[default]
    Both,
}

/// The edges an analysis reads: some kinds (all when empty), some counted backwards.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EdgeSelection {
    /// Kinds to read; empty reads every kind.
    pub kinds: Vec<String>,
    /// Kinds whose edges count from target to source (e.g. `referred`, so that a referral
    /// endorses the referrer).
    pub reversed: Vec<String>,
}

impl EdgeSelection {
    /// Every kind, as stored.
    pub fn all() -> Self {
        EdgeSelection::default()
    }

    /// These kinds, as stored.
    pub fn kinds(kinds: &[&str]) -> Self {
        EdgeSelection {
            kinds: kinds.iter().map(|k| k.to_string()).collect(),
            reversed: Vec::new(),
        }
    }

    /// The edges influence flows along: every kind, referrals counted from the referred
    /// customer to the referrer (a follow endorses the followed, a referral the referrer).
    pub fn influence() -> Self {
        EdgeSelection {
            kinds: Vec::new(),
            reversed: vec![edge_kinds::REFERRED.to_string()],
        }
    }
}

/// Settings of PageRank; [`Default`] is networkx's defaults over [`EdgeSelection::influence`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageRankOptions {
    /// The edges to rank over.
    pub edges: EdgeSelection,
    /// Probability of following an edge rather than jumping, in (0, 1); default 0.85.
    pub damping: f64,
    /// Whether edge weights count (parallel edges, of several kinds or from merged
    /// profiles, add their weights); if not, every connected pair counts once.
    pub weighted: bool,
    /// Per-node tolerance: stops when the L1 change is below `customers * tol`; default 1e-6.
    pub tol: f64,
    /// Most iterations; default 100.
    pub max_iter: u32,
}

impl Default for PageRankOptions {
    fn default() -> Self {
        PageRankOptions {
            edges: EdgeSelection::influence(),
            damping: 0.85,
            weighted: true,
            tol: 1e-6,
            max_iter: 100,
        }
    }
}

/// Scores per customer, highest first (ties by creation order), as two aligned columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    /// Customer ids.
    pub ids: Vec<String>,
    /// Their scores.
    pub scores: Vec<f64>,
    /// Power iterations run.
    pub iterations: u32,
}

/// Settings of community detection (Louvain with refinement).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommunityOptions {
    /// The edges to read, as undirected (`a -> b` and `b -> a` add up).
    pub edges: EdgeSelection,
    /// Modularity resolution: above 1 favours smaller communities; finite, above 0.
    pub resolution: f64,
    /// Seed of the visiting order: the same seed on the same graph gives the same result.
    pub seed: u64,
}

impl Default for CommunityOptions {
    fn default() -> Self {
        CommunityOptions {
            edges: EdgeSelection::all(),
            resolution: 1.0,
            seed: 0,
        }
    }
}

/// A community per customer and the partition's modularity, as aligned columns in
/// creation order. Community `0` is the largest; a customer without edges is alone in one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CommunityReport {
    /// Customer ids.
    pub ids: Vec<String>,
    /// The community of each.
    pub communities: Vec<u32>,
    /// Number of communities.
    pub count: u32,
    /// Modularity of the partition.
    pub modularity: f64,
}

/// A customer's chain of referrers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upline {
    /// The referrer, the referrer's referrer, and so on up to the root.
    pub chain: Vec<String>,
    /// True when the chain came back on itself (a referral ring) instead of reaching a root.
    pub cycle: bool,
}
