//! The relationship graph: putting and removing edges, a customer's edges, walks (reach,
//! paths, referral trees) and analytics (PageRank, influencers and brand advocates,
//! communities, components, rings).
//!
//! `direction` defaults to `Both` and `kinds` to every kind (empty list), as in the core.
//! Walks and analytics read a snapshot of the selected edges built at the first call after
//! a change; PageRank, communities and components go over the whole graph: they are the
//! blocking calls to run off the main thread (`Dispatchers.IO`, a Swift `Task`).

use super::Engine;
use crate::errors::Result;
use crate::graph::{
    batch_into_core, direction, CommunityOptions, CommunityReport, Edge, EdgeDirection, EdgeInput,
    EdgeReport, EdgeSelection, PageRankOptions, Ranking, Upline,
};

#[uniffi::export]
impl Engine {
    /// Puts one edge `source -> target` of `kind`. An existing edge (same ends and kind)
    /// gets the new weight and keeps its creation time; `friend` and `colleague` put both
    /// directions. Refused: an unknown customer, an edge from a customer to itself, a bad
    /// kind or weight, an `interacted` edge (`Validation`, `field` such as
    /// `edges[0].target`); a second referrer for a customer (`Conflict`).
    pub fn add_edge(&self, edge: EdgeInput) -> Result<EdgeReport> {
        let edge = edge.into_core(0)?;
        Ok(self.inner.add_edge(&edge)?.into())
    }

    /// Puts a batch of edges atomically (all of them or none); errors name `edges[i].…`.
    /// See `addEdge`. Blocking; the call to use for imports.
    pub fn add_edges(&self, edges: Vec<EdgeInput>) -> Result<EdgeReport> {
        let edges = batch_into_core(edges)?;
        Ok(self.inner.add_edges(&edges)?.into())
    }

    /// Removes the edge `source -> target` of `kind` (both directions for `friend` and
    /// `colleague`); false when there was none. `NotFound` for an unknown customer;
    /// `interacted` edges come from events and cannot be removed (`Validation`).
    pub fn remove_edge(&self, source: String, target: String, kind: String) -> Result<bool> {
        Ok(self.inner.remove_edge(&source, &target, &kind)?)
    }

    /// A customer's edges in `direction` (default `Both`), of the given `kinds` (all when
    /// empty), both ends by current id: out-edges first, each side by the other end's
    /// creation order, then kind. `NotFound` for an unknown customer.
    #[uniffi::method(default(direction = None, kinds = []))]
    pub fn edges_of(
        &self,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Vec<String>,
    ) -> Result<Vec<Edge>> {
        let edges = self
            .inner
            .edges_of(&id, self::direction(direction), &kinds)?;
        Ok(edges.into_iter().map(Into::into).collect())
    }

    /// The distinct customers joined to `id` by edges of the given `kinds` (all when empty)
    /// in `direction` (default `Both`), in creation order.
    #[uniffi::method(default(direction = None, kinds = []))]
    pub fn neighbours(
        &self,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Vec<String>,
    ) -> Result<Vec<String>> {
        Ok(self
            .inner
            .neighbours(&id, self::direction(direction), &kinds)?)
    }

    /// How many distinct customers `neighbours` lists.
    #[uniffi::method(default(direction = None, kinds = []))]
    pub fn degree(
        &self,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Vec<String>,
    ) -> Result<u64> {
        Ok(self.inner.degree(&id, self::direction(direction), &kinds)?)
    }

    /// The distinct customers within `hops` (1 to 64) of `id` along edges of the given
    /// `kinds` (all when empty) in `direction` (default `Both`), nearest first; `id` itself
    /// is left out. Blocking: proportional to what it reaches.
    #[uniffi::method(default(direction = None, kinds = []))]
    pub fn reach(
        &self,
        id: String,
        hops: u32,
        direction: Option<EdgeDirection>,
        kinds: Vec<String>,
    ) -> Result<Vec<String>> {
        Ok(self
            .inner
            .reach(&id, hops, self::direction(direction), &kinds)?)
    }

    /// A shortest chain of customers from `from` to `to` (both included) along edges of the
    /// given `kinds` (all when empty) in `direction` (default `Both`), or `null` when they
    /// are not connected. Blocking: may visit the whole graph.
    #[uniffi::method(default(direction = None, kinds = []))]
    pub fn path(
        &self,
        from: String,
        to: String,
        direction: Option<EdgeDirection>,
        kinds: Vec<String>,
    ) -> Result<Option<Vec<String>>> {
        Ok(self
            .inner
            .path(&from, &to, self::direction(direction), &kinds)?)
    }

    /// The customers `id` referred, directly and down to `depth` levels (1 to 64): element
    /// `i` lists those `i + 1` referrals away, in creation order.
    pub fn downline(&self, id: String, depth: u32) -> Result<Vec<Vec<String>>> {
        Ok(self.inner.downline(&id, depth)?)
    }

    /// The chain of referrers above `id`, up to the customer nobody referred.
    pub fn upline(&self, id: String) -> Result<Upline> {
        Ok(self.inner.upline(&id)?.into())
    }

    /// PageRank of every live customer, highest first (ties by creation order). Agrees with
    /// networkx's `pagerank` on the same graph and options; `PageRankOptions()` (the
    /// default) reads every kind with `referred` reversed. Bad options are `Validation`
    /// errors (`field` `damping`, `tol`, `max_iter`, `edges.kinds[0]`); not converging
    /// within `maxIter` iterations too. Blocking: ranks the whole graph.
    #[uniffi::method(default(options))]
    pub fn pagerank(&self, options: PageRankOptions) -> Result<Ranking> {
        Ok(self.inner.pagerank(&options.into_core())?.into())
    }

    /// PageRank personalized to `seeds` (customer ids): jumps go to the seeds instead of to
    /// everyone, ranking who is close to them. Same options and result as `pagerank`; an
    /// unknown seed is `NotFound`, no seed `Validation`. Blocking: ranks the whole graph.
    #[uniffi::method(default(options))]
    pub fn personalized_pagerank(
        &self,
        seeds: Vec<String>,
        options: PageRankOptions,
    ) -> Result<Ranking> {
        let ranking = self
            .inner
            .personalized_pagerank(&seeds, &options.into_core())?;
        Ok(ranking.into())
    }

    /// The `n` most influential customers by the default PageRank (the one the segment
    /// predicates `influence` and `influence_top` read), highest first; `iterations` is 0.
    /// Blocking: the first call after a change ranks the whole graph.
    pub fn influencers(&self, n: u64) -> Ranking {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.inner.influencers(n).into()
    }

    /// The `n` brand advocates: customers ranked by influence times engagement, that is the
    /// default PageRank (as `influencers`) scaled so the average customer has 1, times the
    /// engagement score at the engine clock: a customer without recent activity scores 0.
    /// Highest first (ties by creation order); `iterations` is 0.
    /// Blocking: the first call after a change ranks the whole graph.
    pub fn advocates(&self, n: u64) -> Ranking {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        self.inner.advocates(n).into()
    }

    /// Communities (Louvain with refinement) of the selected edges taken as undirected
    /// (default every kind), with the partition's modularity. `Validation` for a bad
    /// `resolution`. Blocking: goes over the whole graph.
    #[uniffi::method(default(options))]
    pub fn communities(&self, options: CommunityOptions) -> Result<CommunityReport> {
        Ok(self.inner.communities(&options.into_core())?.into())
    }

    /// Strongly connected components of the selected edges (default every kind as stored):
    /// a component per customer in creation order and their number; `modularity` is 0.
    /// Blocking: goes over the whole graph.
    #[uniffi::method(default(edges))]
    pub fn strongly_connected_components(&self, edges: EdgeSelection) -> Result<CommunityReport> {
        let edges = edges.into_core(scrm::EdgeSelection::all());
        Ok(self.inner.strongly_connected_components(&edges)?.into())
    }

    /// The referral rings: every set of customers whose `referred` edges form a cycle, each
    /// in creation order, rings by their first member. Blocking: goes over every referral.
    pub fn referral_rings(&self) -> Result<Vec<Vec<String>>> {
        Ok(self.inner.referral_rings()?)
    }
}
