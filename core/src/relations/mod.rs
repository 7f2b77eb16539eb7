//! The relationship graph as the engine holds it: the public vocabulary ([`model`]), the
//! mutable edge store ([`store`]) and the snapshots and cached analytics built from it
//! ([`analytics`]). The algorithms themselves live in [`crate::graph`].

pub(crate) mod analytics;
mod model;
pub(crate) mod store;
mod view;

pub use model::{
    edge_kinds, CommunityOptions, CommunityReport, Edge, EdgeDirection, EdgeInput, EdgeReport,
    EdgeSelection, PageRankOptions, Ranking, Upline,
};
pub(crate) use store::{EdgeData, EdgeStore, StoredEdge};
pub(crate) use view::Seen;
