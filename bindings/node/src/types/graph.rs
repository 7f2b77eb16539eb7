//! The relationship graph: edges in and out, walk directions, and the options and results
//! of the analytics. Options left out take the core's defaults (`PageRankOptions`,
//! `CommunityOptions`, `EdgeSelection`), so the binding never restates them.

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::time::{optional, DateInput};
use super::{count, small, whole};

/// Which edges a walk follows from a customer: `out` (edges leaving it), `in` (edges
/// entering it) or `both` (as if undirected, the default).
#[napi(string_enum = "snake_case")]
pub enum EdgeDirection {
    /// Edges leaving the customer.
    Out,
    /// Edges entering the customer.
    In,
    /// Both, as if undirected.
    Both,
}

/// The core direction; the core's default (`both`) when not given.
pub fn direction(direction: Option<EdgeDirection>) -> scrm::EdgeDirection {
    match direction {
        Some(EdgeDirection::Out) => scrm::EdgeDirection::Out,
        Some(EdgeDirection::In) => scrm::EdgeDirection::In,
        Some(EdgeDirection::Both) => scrm::EdgeDirection::Both,
        None => scrm::EdgeDirection::default(),
    }
}

/// An edge to put: `source -> target` of `kind`.
///
/// Built-in kinds: `referred` (referrer -> referred customer; a customer has at most one
/// referrer), `follows` (follower -> followed), `friend` and `colleague` (mutual: both
/// directions are put and removed together). `interacted` edges come from events with a
/// `target` and cannot be put by hand. Any other name is a custom, directed kind.
#[napi(object, object_to_js = false)]
pub struct EdgeInput {
    /// Id of the customer the edge leaves.
    pub source: String,
    /// Id of the customer the edge enters.
    pub target: String,
    /// Edge kind; folded to lower case.
    pub kind: String,
    /// Weight, finite, from 0 to the largest 32-bit float; default 1.
    pub weight: Option<f64>,
    /// When the relationship started (default: the engine clock).
    pub at: Option<DateInput>,
}

impl EdgeInput {
    /// The core input at position `i` of a batch (0 alone); errors name `edges[i].…` like
    /// the core does.
    pub fn into_core(self, i: usize) -> scrm::Result<scrm::EdgeInput> {
        let mut edge = scrm::EdgeInput::new(self.source, self.target, &self.kind);
        if let Some(weight) = self.weight {
            edge = edge.weight(weight);
        }
        edge.at = optional(&self.at, || format!("edges[{i}].at"))?;
        Ok(edge)
    }
}

/// Converts a batch of edges.
pub fn batch_into_core(edges: Vec<EdgeInput>) -> scrm::Result<Vec<scrm::EdgeInput>> {
    edges
        .into_iter()
        .enumerate()
        .map(|(i, e)| e.into_core(i))
        .collect()
}

/// An edge as the engine holds it, both ends named by their current (survivor) ids.
#[napi(object, object_from_js = false)]
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
    pub created_at: DateTime<Utc>,
}

impl From<scrm::Edge> for Edge {
    fn from(e: scrm::Edge) -> Self {
        Edge {
            source: e.source,
            target: e.target,
            kind: e.kind,
            weight: e.weight,
            created_at: e.created_at,
        }
    }
}

/// What putting edges did.
#[napi(object, object_from_js = false)]
pub struct EdgeReport {
    /// Edges that did not exist before (a mutual edge counts its two directions).
    pub inserted: f64,
    /// Existing edges whose weight was replaced.
    pub updated: f64,
}

impl From<scrm::EdgeReport> for EdgeReport {
    fn from(r: scrm::EdgeReport) -> Self {
        EdgeReport {
            inserted: count(r.inserted),
            updated: count(r.updated),
        }
    }
}

/// The edges an analysis reads. Each part left out takes the default of the call's options:
/// for `pagerank` and `personalizedPagerank` every kind with `referred` reversed (a follow
/// endorses the followed, a referral the referrer); for the others every kind, none reversed.
#[napi(object, object_to_js = false)]
pub struct EdgeSelection {
    /// Kinds to read; empty (or left out) reads every kind.
    pub kinds: Option<Vec<String>>,
    /// Kinds whose edges count from target to source. `[]` reads every kind as stored.
    pub reversed: Option<Vec<String>>,
}

/// The core selection: each part given, or taken from `default`.
pub fn selection(
    edges: Option<EdgeSelection>,
    default: scrm::EdgeSelection,
) -> scrm::EdgeSelection {
    match edges {
        Some(e) => scrm::EdgeSelection {
            kinds: e.kinds.unwrap_or(default.kinds),
            reversed: e.reversed.unwrap_or(default.reversed),
        },
        None => default,
    }
}

/// Settings of PageRank; each one left out takes networkx's default (as the core does).
#[napi(object, object_to_js = false)]
pub struct PageRankOptions {
    /// The edges to rank over; default every kind with `referred` reversed.
    pub edges: Option<EdgeSelection>,
    /// Probability of following an edge rather than jumping, in (0, 1); default 0.85.
    pub damping: Option<f64>,
    /// Whether edge weights count (parallel edges add their weights); if not, every
    /// connected pair counts once. Default true.
    pub weighted: Option<bool>,
    /// Per-customer tolerance: stops when the L1 change is below `customers * tol`;
    /// default 1e-6.
    pub tol: Option<f64>,
    /// Most iterations (not converging in them is a `VALIDATION` error); default 100.
    pub max_iter: Option<f64>,
}

impl PageRankOptions {
    /// The core options, the core's defaults for what is left out.
    pub fn into_core(options: Option<PageRankOptions>) -> scrm::Result<scrm::PageRankOptions> {
        let default = scrm::PageRankOptions::default();
        let Some(o) = options else {
            return Ok(default);
        };
        Ok(scrm::PageRankOptions {
            edges: selection(o.edges, default.edges),
            damping: o.damping.unwrap_or(default.damping),
            weighted: o.weighted.unwrap_or(default.weighted),
            tol: o.tol.unwrap_or(default.tol),
            max_iter: match o.max_iter {
                Some(n) => small("max_iter", n)?,
                None => default.max_iter,
            },
        })
    }
}

/// Settings of community detection (Louvain with refinement); each one left out takes the
/// core's default.
#[napi(object, object_to_js = false)]
pub struct CommunityOptions {
    /// The edges to read, taken as undirected; default every kind.
    pub edges: Option<EdgeSelection>,
    /// Modularity resolution, finite and above 0: above 1 favours smaller communities.
    /// Default 1.
    pub resolution: Option<f64>,
    /// Seed of the visiting order (an integer from 0 to 2^53 − 1): the same seed on the
    /// same graph gives the same result. Default 0.
    pub seed: Option<f64>,
}

impl CommunityOptions {
    /// The core options, the core's defaults for what is left out.
    pub fn into_core(options: Option<CommunityOptions>) -> scrm::Result<scrm::CommunityOptions> {
        let default = scrm::CommunityOptions::default();
        let Some(o) = options else {
            return Ok(default);
        };
        Ok(scrm::CommunityOptions {
            edges: selection(o.edges, default.edges),
            resolution: o.resolution.unwrap_or(default.resolution),
            seed: match o.seed {
                Some(n) => whole("seed", n)?,
                None => default.seed,
            },
        })
    }
}

/// Scores per customer, highest first (ties by creation order), as two aligned columns.
#[napi(object, object_from_js = false)]
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
#[napi(object, object_from_js = false)]
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
#[napi(object, object_from_js = false)]
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
