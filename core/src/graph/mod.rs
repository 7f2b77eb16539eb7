//! The relationship graph's compute layer: algorithms over a compact, immutable CSR snapshot
//! of typed edges between customers, identified by their dense index `u32`.
//!
//! The engine keeps the mutable edge store (`crate::relations`); for analytics it hands the edges it wants (one
//! kind, several, weighted or not) to [`csr::Csr::new`] and runs:
//! - [`pagerank`]: networkx's PageRank power iteration, plain or personalized, pull-style;
//! - [`traverse`]: neighbours and degrees, k-hop reach, shortest connection paths, and a
//!   referral tree's downline and upline;
//! - [`scc`]: strongly connected components and the cycles among them, for referral-ring
//!   checks;
//! - [`symmetric`]: the undirected view that community detection consumes;
//! - [`communities`]: Louvain communities of that view and the modularity of a partition.
//!
//! Bad input (unknown node ids, weights, parameters) is a [`crate::Error::Validation`];
//! nothing here panics on input.

pub(crate) mod communities;
pub(crate) mod csr;
pub(crate) mod pagerank;
mod parallel;
pub(crate) mod scc;
pub(crate) mod symmetric;
#[cfg(test)]
mod testing;
pub(crate) mod traverse;
