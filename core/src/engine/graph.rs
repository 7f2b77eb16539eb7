//! The relationship graph: putting and removing edges, reading a customer's edges, walks
//! (reach, paths, referral trees) and analytics (PageRank, communities, rings).
//!
//! Walks and analytics read a CSR snapshot of the selected edges, built at the first call
//! after a change and reused until the next one; a customer's own edges are read from the
//! edge store directly. Heavy calls (PageRank, communities) hold a read lock while they
//! run: other reads go on, writes wait.

use std::sync::Arc;

use super::Engine;
use crate::error::{unknown_customer, Result};
use crate::graph::communities::CommunityOptions as Louvain;
use crate::graph::pagerank::personalized_pagerank;
use crate::graph::scc;
use crate::graph::traverse::Direction;
use crate::relations::analytics::{self, by_score, Selection, Snapshot};
use crate::relations::Seen;
use crate::relations::{
    edge_kinds, CommunityOptions, CommunityReport, Edge, EdgeDirection, EdgeInput, EdgeReport,
    EdgeSelection, PageRankOptions, Ranking, Upline,
};
use crate::state::State;
use crate::time::from_micros;
use crate::writes::{kind_name, plan_edges, plan_removal};

impl From<EdgeDirection> for Direction {
    fn from(d: EdgeDirection) -> Direction {
        match d {
            EdgeDirection::Out => Direction::Out,
            EdgeDirection::In => Direction::In,
            EdgeDirection::Both => Direction::Both,
        }
    }
}

impl Engine {
    /// Puts one edge (see [`Engine::add_edges`]).
    pub fn add_edge(&self, edge: &EdgeInput) -> Result<EdgeReport> {
        self.add_edges(std::slice::from_ref(edge))
    }

    /// Puts a batch of edges atomically. An edge that exists (same ends and kind) gets the
    /// new weight and keeps its creation time; mutual kinds (`friend`, `colleague`) put both
    /// directions. Refused: unknown customers, an edge from a customer to itself, a second
    /// referrer for a customer (`CONFLICT`), and `interacted` edges, which events make.
    pub fn add_edges(&self, edges: &[EdgeInput]) -> Result<EdgeReport> {
        let now = self.write_time();
        self.write(|state| plan_edges(state, edges, now))
    }

    /// Removes the edge `source -> target` of `kind` (both directions for mutual kinds);
    /// false when there was none.
    pub fn remove_edge(&self, source: &str, target: &str, kind: &str) -> Result<bool> {
        self.write(|state| plan_removal(state, source, target, kind))
            .map(|removed| removed > 0)
    }

    /// A customer's edges in `direction`, of the given kinds (all when empty), with both
    /// ends named by current ids: out-edges first, each side by the other end's creation
    /// order, then kind.
    pub fn edges_of(
        &self,
        id: &str,
        direction: EdgeDirection,
        kinds: &[String],
    ) -> Result<Vec<Edge>> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            let wanted = kind_symbols(s, kinds)?;
            let name = |i: u32| s.external_id(i);
            let mut found: Vec<(bool, Seen)> = sides(direction)
                .iter()
                .flat_map(|&out| s.edges_at(idx, out).map(move |seen| (out, seen)))
                .filter(|(_, seen)| wanted.as_ref().is_none_or(|w| w.contains(&seen.data.kind)))
                .collect();
            let kind = |seen: &Seen| s.symbols.name(seen.data.kind);
            found.sort_by(|(a_out, a), (b_out, b)| {
                (!a_out, a.other, kind(a)).cmp(&(!b_out, b.other, kind(b)))
            });
            Ok(found
                .into_iter()
                .map(|(out, seen)| {
                    let (source, target) = if out {
                        (idx, seen.other)
                    } else {
                        (seen.other, idx)
                    };
                    Edge {
                        source: name(source),
                        target: name(target),
                        kind: s.symbols.name(seen.data.kind).to_string(),
                        weight: f64::from(seen.data.weight),
                        created_at: from_micros(seen.data.created_at),
                    }
                })
                .collect())
        })
    }

    /// The distinct customers joined to `id` by edges of the given kinds (all when empty)
    /// in `direction`, in creation order.
    pub fn neighbours(
        &self,
        id: &str,
        direction: EdgeDirection,
        kinds: &[String],
    ) -> Result<Vec<String>> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(ids(s, neighbour_set(s, idx, direction, kinds)?))
        })
    }

    /// How many distinct customers [`Engine::neighbours`] lists.
    pub fn degree(&self, id: &str, direction: EdgeDirection, kinds: &[String]) -> Result<u64> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(neighbour_set(s, idx, direction, kinds)?.len() as u64)
        })
    }

    /// The distinct customers within `hops` (1 to 64) of `id` along edges of the given kinds
    /// (all when empty) in `direction`, nearest first; `id` itself is left out.
    pub fn reach(
        &self,
        id: &str,
        hops: u32,
        direction: EdgeDirection,
        kinds: &[String],
    ) -> Result<Vec<String>> {
        self.on_snapshot(id, &EdgeSelection::kinds_of(kinds), |s, snap, node| {
            let nodes = s.graph.analytics.with_traversal(|t| {
                t.reach(&snap.csr, node, hops, direction.into())
                    .map(<[u32]>::to_vec)
            })?;
            Ok(node_ids(s, snap, nodes))
        })
    }

    /// A shortest chain of customers from `from` to `to` (both included) along edges of the
    /// given kinds (all when empty) in `direction`, or `None` when they are not connected.
    pub fn path(
        &self,
        from: &str,
        to: &str,
        direction: EdgeDirection,
        kinds: &[String],
    ) -> Result<Option<Vec<String>>> {
        self.on_snapshot(from, &EdgeSelection::kinds_of(kinds), |s, snap, start| {
            let end = snap.node(s.resolve(to).ok_or_else(|| unknown_customer(to))?);
            let path = s
                .graph
                .analytics
                .with_traversal(|t| t.path(&snap.csr, start, end, direction.into()))?;
            Ok(path.map(|p| node_ids(s, snap, p)))
        })
    }

    /// The customers `id` referred, directly and down to `depth` levels (1 to 64): element
    /// `i` holds those `i + 1` referrals away, in creation order.
    pub fn downline(&self, id: &str, depth: u32) -> Result<Vec<Vec<String>>> {
        let referrals = EdgeSelection::kinds(&[edge_kinds::REFERRED]);
        self.on_snapshot(id, &referrals, |s, snap, node| {
            let levels = s
                .graph
                .analytics
                .with_traversal(|t| t.downline(&snap.csr, node, depth))?;
            Ok(levels
                .into_iter()
                .map(|level| node_ids(s, snap, level))
                .collect())
        })
    }

    /// The chain of referrers above `id`, up to the customer nobody referred.
    pub fn upline(&self, id: &str) -> Result<Upline> {
        let referrals = EdgeSelection::kinds(&[edge_kinds::REFERRED]);
        self.on_snapshot(id, &referrals, |s, snap, node| {
            let up = s
                .graph
                .analytics
                .with_traversal(|t| t.upline(&snap.csr, node))?;
            Ok(Upline {
                chain: node_ids(s, snap, up.chain),
                cycle: up.cycle,
            })
        })
    }

    /// PageRank of every live customer, highest first. Agrees with networkx's `pagerank`
    /// on the same graph (customers as nodes, the selected edges, the same options).
    pub fn pagerank(&self, options: &PageRankOptions) -> Result<Ranking> {
        self.read(|s| {
            let snap = snapshot(s, "edges", &options.edges)?;
            let ranks = analytics::rank(&snap, options)?;
            Ok(ranking(s, &snap, &ranks.ranks, ranks.iterations))
        })
    }

    /// PageRank personalized to `seeds` (who is close to these customers): jumps go to the
    /// seeds instead of everyone. Highest first.
    pub fn personalized_pagerank(
        &self,
        seeds: &[String],
        options: &PageRankOptions,
    ) -> Result<Ranking> {
        self.read(|s| {
            let snap = snapshot(s, "edges", &options.edges)?;
            let nodes = seeds
                .iter()
                .map(|id| {
                    s.resolve(id)
                        .map(|i| snap.node(i))
                        .ok_or_else(|| unknown_customer(id))
                })
                .collect::<Result<Vec<u32>>>()?;
            let ranks = personalized_pagerank(&snap.csr, &analytics::config(options), &nodes)?;
            Ok(ranking(s, &snap, &ranks.ranks, ranks.iterations))
        })
    }

    /// The `n` most influential customers: the default PageRank ([`PageRankOptions::default`],
    /// which the segment language's `influence` reads), highest first.
    pub fn influencers(&self, n: usize) -> Ranking {
        self.read(|s| {
            let influence = s.graph.analytics.influence(s);
            let mut top: Vec<u32> = s.index.live.iter().collect();
            top.sort_by_key(|&i| influence.place[i as usize]);
            top.truncate(n);
            Ranking {
                ids: top.iter().map(|&i| s.external_id(i)).collect(),
                scores: top.iter().map(|&i| influence.scores[i as usize]).collect(),
                iterations: 0,
            }
        })
    }

    /// The `n` brand advocates: customers ranked by influence times engagement, that is the
    /// default PageRank (as [`Engine::influencers`]) scaled so the average customer has 1,
    /// times the engagement score at the engine clock. An advocate both reaches people and
    /// acts: a customer without recent activity scores 0, and one without edges keeps only
    /// the base share PageRank gives every customer (teleport, plus the rank of customers
    /// without out-edges spread over all). Highest first, ties by creation order.
    pub fn advocates(&self, n: usize) -> Ranking {
        let now = self.clock_micros();
        self.read(|s| {
            let influence = s.graph.analytics.influence(s);
            let live: Vec<u32> = s.index.live.iter().collect();
            let scale = live.len() as f64;
            let scores: Vec<f64> = live
                .iter()
                .map(|&i| influence.scores[i as usize] * scale * s.scores.score(i, now))
                .collect();
            let mut order = by_score(&scores);
            order.truncate(n);
            Ranking {
                ids: order
                    .iter()
                    .map(|&k| s.external_id(live[k as usize]))
                    .collect(),
                scores: order.iter().map(|&k| scores[k as usize]).collect(),
                iterations: 0,
            }
        })
    }

    /// Communities of the selected edges taken as undirected (Louvain with refinement),
    /// with the modularity of the partition.
    pub fn communities(&self, options: &CommunityOptions) -> Result<CommunityReport> {
        self.read(|s| {
            let snap = snapshot(s, "edges", &options.edges)?;
            let louvain = Louvain {
                resolution: options.resolution,
                seed: options.seed,
                ..Louvain::default()
            };
            let found = analytics::communities(&snap, &louvain)?;
            Ok(CommunityReport {
                ids: node_ids(s, &snap, 0..snap.nodes.len() as u32),
                communities: found.membership,
                count: found.count,
                modularity: found.modularity,
            })
        })
    }

    /// Strongly connected components of the selected edges: a component id per customer
    /// (in creation order) and their number, as a [`CommunityReport`] whose modularity is 0.
    pub fn strongly_connected_components(&self, edges: &EdgeSelection) -> Result<CommunityReport> {
        self.read(|s| {
            let snap = snapshot(s, "edges", edges)?;
            let found = scc::components(&snap.csr);
            Ok(CommunityReport {
                ids: node_ids(s, &snap, 0..snap.nodes.len() as u32),
                communities: found.component,
                count: found.count,
                modularity: 0.0,
            })
        })
    }

    /// The referral rings: every set of customers whose `referred` edges form a cycle, each
    /// in creation order, rings by their first member.
    pub fn referral_rings(&self) -> Result<Vec<Vec<String>>> {
        self.read(|s| {
            let snap = snapshot(s, "edges", &EdgeSelection::kinds(&[edge_kinds::REFERRED]))?;
            Ok(scc::rings(&snap.csr)
                .into_iter()
                .map(|ring| node_ids(s, &snap, ring))
                .collect())
        })
    }

    /// Runs `f` on the snapshot of `edges` with `id`'s node.
    fn on_snapshot<T>(
        &self,
        id: &str,
        edges: &EdgeSelection,
        f: impl FnOnce(&State, &Snapshot, u32) -> Result<T>,
    ) -> Result<T> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            let snap = snapshot(s, "", edges)?;
            f(s, &snap, snap.node(idx))
        })
    }
}

impl EdgeSelection {
    /// These kinds (all when empty), as stored.
    fn kinds_of(kinds: &[String]) -> EdgeSelection {
        EdgeSelection {
            kinds: kinds.to_vec(),
            reversed: Vec::new(),
        }
    }
}

/// The snapshot of a selection; `field` names the selection in errors.
fn snapshot(s: &State, field: &str, edges: &EdgeSelection) -> Result<Arc<Snapshot>> {
    s.graph
        .analytics
        .snapshot(s, &Selection::resolve(s, field, edges)?)
}

/// The symbols of `kinds`, `None` for all kinds; unknown kinds match nothing.
fn kind_symbols(s: &State, kinds: &[String]) -> Result<Option<Vec<u32>>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let mut symbols = Vec::with_capacity(kinds.len());
    for (i, kind) in kinds.iter().enumerate() {
        let kind = kind_name(|| format!("kinds[{i}]"), kind)?;
        symbols.extend(s.symbols.get(&kind));
    }
    Ok(Some(symbols))
}

/// Which sides of a customer a direction reads (`true`: out-edges).
fn sides(direction: EdgeDirection) -> &'static [bool] {
    match direction {
        EdgeDirection::Out => &[true],
        EdgeDirection::In => &[false],
        EdgeDirection::Both => &[true, false],
    }
}

/// The distinct live customers joined to `idx`, ascending.
fn neighbour_set(
    s: &State,
    idx: u32,
    direction: EdgeDirection,
    kinds: &[String],
) -> Result<Vec<u32>> {
    let wanted = kind_symbols(s, kinds)?;
    let mut found: Vec<u32> = sides(direction)
        .iter()
        .flat_map(|&out| s.edges_at(idx, out))
        .filter(|seen| wanted.as_ref().is_none_or(|w| w.contains(&seen.data.kind)))
        .map(|seen| seen.other)
        .collect();
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// External ids of customer indexes.
fn ids(s: &State, customers: impl IntoIterator<Item = u32>) -> Vec<String> {
    customers.into_iter().map(|i| s.external_id(i)).collect()
}

/// External ids of snapshot nodes.
fn node_ids(s: &State, snap: &Snapshot, nodes: impl IntoIterator<Item = u32>) -> Vec<String> {
    ids(s, nodes.into_iter().map(|n| snap.nodes[n as usize]))
}

/// Scores by node as a ranking, highest first.
fn ranking(s: &State, snap: &Snapshot, scores: &[f64], iterations: u32) -> Ranking {
    let order = by_score(scores);
    Ranking {
        ids: node_ids(s, snap, order.iter().copied()),
        scores: order.iter().map(|&n| scores[n as usize]).collect(),
        iterations,
    }
}
