//! Shared by the community benches: the engine's community detection compiled into the
//! bench (it is crate-private until the graph-store step wires it into the public API), the
//! two bench graphs, and the symmetric CSR view the engine's snapshot will hand it.

#![allow(dead_code)] // each bench binary uses its own part of this module

use crate::support::graphs::{planted, power_law, SEED};

/// The engine's `graph::communities` module, compiled from its source. Cargo builds benches
/// with `cfg(test)`, so the module's test code comes along, without its `#[test]` functions.
#[allow(dead_code, unused_imports)]
#[path = "../core/src/graph/communities/mod.rs"]
pub mod communities;

/// What `crate::error` is to the engine's module: its error type and validation shorthand.
pub mod error {
    pub use scrm::{Error, Result};

    /// Shorthand for a validation error, as in the engine.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> scrm::Error {
        scrm::Error::Validation {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Mean community size of the planted graph.
pub const PLANTED_SIZE: usize = 100;

/// Share of the planted graph's edges that leave their community.
pub const PLANTED_MIXING: f64 = 0.3;

/// The two bench graphs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Communities of `PLANTED_SIZE` nodes, `PLANTED_MIXING` of the edges between them.
    Planted,
    /// A power-law degree distribution and no planted structure.
    PowerLaw,
}

impl Kind {
    /// Both kinds.
    pub const ALL: [Kind; 2] = [Kind::Planted, Kind::PowerLaw];

    /// The kind named `planted` or `power_law`.
    pub fn parse(name: &str) -> Option<Kind> {
        match name {
            "planted" => Some(Kind::Planted),
            "power_law" => Some(Kind::PowerLaw),
            _ => None,
        }
    }

    /// The kind's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Planted => "planted",
            Kind::PowerLaw => "power_law",
        }
    }

    /// The graph's undirected edges, deterministically.
    pub fn edges(self, nodes: usize, edges: usize) -> Vec<(u32, u32)> {
        match self {
            Kind::Planted => {
                let communities = (nodes / PLANTED_SIZE).max(1);
                planted(nodes, communities, edges, PLANTED_MIXING, SEED).0
            }
            Kind::PowerLaw => power_law(nodes, edges, SEED),
        }
    }
}

/// An owned symmetric CSR with unit weights.
pub struct Csr {
    pub offsets: Vec<u64>,
    pub neighbours: Vec<u32>,
    pub weights: Vec<f32>,
}

impl Csr {
    /// Lists each edge `{u, v}` at both ends, by counting sort; a self-loop once, as the
    /// diagonal entry 2 (how igraph and NetworKit count a loop read from the edge list).
    pub fn new(nodes: usize, edges: &[(u32, u32)]) -> Csr {
        let mut offsets = vec![0u64; nodes + 1];
        for &(u, v) in edges {
            offsets[u as usize + 1] += 1;
            if u != v {
                offsets[v as usize + 1] += 1;
            }
        }
        for u in 0..nodes {
            offsets[u + 1] += offsets[u];
        }
        let mut next: Vec<u64> = offsets[..nodes].to_vec();
        let mut neighbours = vec![0u32; offsets[nodes] as usize];
        let mut weights = vec![1.0f32; neighbours.len()];
        let mut put = |u: u32, v: u32, w: f32| {
            let at = next[u as usize] as usize;
            (neighbours[at], weights[at]) = (v, w);
            next[u as usize] += 1;
        };
        for &(u, v) in edges {
            if u == v {
                put(u, u, 2.0);
            } else {
                put(u, v, 1.0);
                put(v, u, 1.0);
            }
        }
        Csr {
            offsets,
            neighbours,
            weights,
        }
    }

    /// The view `detect_communities` takes.
    pub fn adjacency(&self) -> communities::Adjacency<'_> {
        communities::Adjacency {
            offsets: &self.offsets,
            neighbours: &self.neighbours,
            weights: &self.weights,
        }
    }
}
