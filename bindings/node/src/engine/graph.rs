//! The relationship graph: putting and removing edges, a customer's edges, walks (reach,
//! paths, referral trees) and analytics (PageRank, communities, components, rings).
//!
//! `direction` defaults to `'both'` and `kinds` to every kind, as in the core. Walks and
//! analytics over the whole graph run off the main thread; a customer's own edges and its
//! chain of referrers are read synchronously.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::graph::{
    batch_into_core, direction, selection, CommunityOptions, CommunityReport, Edge, EdgeDirection,
    EdgeInput, EdgeReport, EdgeSelection, PageRankOptions, Ranking, Upline,
};
use crate::types::{count, small, whole};

/// A Promise of a core result that crosses as it is (customer ids, lists of them).
type Ids<T> = AsyncTask<Job<T, T>>;

#[napi]
impl Engine {
    /// Puts one edge `source -> target` of `kind`. An existing edge (same ends and kind)
    /// gets the new weight and keeps its creation time; `friend` and `colleague` put both
    /// directions. Refused: an unknown customer, an edge from a customer to itself, a bad
    /// kind or weight, an `interacted` edge (`VALIDATION`, `field` such as
    /// `edges[0].target`); a second referrer for a customer (`CONFLICT`).
    #[napi]
    pub fn add_edge(&self, env: Env, edge: EdgeInput) -> napi::Result<EdgeReport> {
        let engine = self.core(&env)?;
        let result = edge.into_core(0).and_then(|edge| engine.add_edge(&edge));
        check(&env, result).map(Into::into)
    }

    /// Puts a batch of edges atomically (all of them or none), off the main thread; errors
    /// name `edges[i].…`. See `addEdge`.
    #[napi(ts_return_type = "Promise<EdgeReport>")]
    pub fn add_edges(&self, edges: Vec<EdgeInput>) -> AsyncTask<Job<scrm::EdgeReport, EdgeReport>> {
        spawn(
            self.shared(),
            move |e| e.add_edges(&batch_into_core(edges)?),
            Into::into,
        )
    }

    /// Removes the edge `source -> target` of `kind` (both directions for `friend` and
    /// `colleague`); false when there was none. `NOT_FOUND` for an unknown customer;
    /// `interacted` edges come from events and cannot be removed (`VALIDATION`).
    #[napi]
    pub fn remove_edge(
        &self,
        env: Env,
        source: String,
        target: String,
        kind: String,
    ) -> napi::Result<bool> {
        let engine = self.core(&env)?;
        check(&env, engine.remove_edge(&source, &target, &kind))
    }

    /// A customer's edges in `direction` (default `'both'`), of the given `kinds` (all when
    /// left out or empty), both ends by current id: out-edges first, each side by the other
    /// end's creation order, then kind. `NOT_FOUND` for an unknown customer.
    #[napi]
    pub fn edges_of(
        &self,
        env: Env,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Option<Vec<String>>,
    ) -> napi::Result<Vec<Edge>> {
        let engine = self.core(&env)?;
        let result = engine.edges_of(&id, self::direction(direction), &kinds.unwrap_or_default());
        check(&env, result).map(|edges| edges.into_iter().map(Into::into).collect())
    }

    /// The distinct customers joined to `id` by edges of the given `kinds` (all when left
    /// out or empty) in `direction` (default `'both'`), in creation order.
    #[napi]
    pub fn neighbours(
        &self,
        env: Env,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Option<Vec<String>>,
    ) -> napi::Result<Vec<String>> {
        let engine = self.core(&env)?;
        let kinds = kinds.unwrap_or_default();
        check(
            &env,
            engine.neighbours(&id, self::direction(direction), &kinds),
        )
    }

    /// How many distinct customers `neighbours` lists.
    #[napi]
    pub fn degree(
        &self,
        env: Env,
        id: String,
        direction: Option<EdgeDirection>,
        kinds: Option<Vec<String>>,
    ) -> napi::Result<f64> {
        let engine = self.core(&env)?;
        let kinds = kinds.unwrap_or_default();
        check(&env, engine.degree(&id, self::direction(direction), &kinds)).map(count)
    }

    /// The distinct customers within `hops` (1 to 64) of `id` along edges of the given
    /// `kinds` (all when left out or empty) in `direction` (default `'both'`), nearest
    /// first; `id` itself is left out. Off the main thread.
    #[napi(ts_return_type = "Promise<Array<string>>")]
    pub fn reach(
        &self,
        id: String,
        hops: f64,
        direction: Option<EdgeDirection>,
        kinds: Option<Vec<String>>,
    ) -> Ids<Vec<String>> {
        let direction = self::direction(direction);
        spawn(
            self.shared(),
            move |e| {
                e.reach(
                    &id,
                    small("hops", hops)?,
                    direction,
                    &kinds.unwrap_or_default(),
                )
            },
            |ids| ids,
        )
    }

    /// A shortest chain of customers from `from` to `to` (both included) along edges of the
    /// given `kinds` (all when left out or empty) in `direction` (default `'both'`), or
    /// `null` when they are not connected. Off the main thread.
    #[napi(ts_return_type = "Promise<Array<string> | null>")]
    pub fn path(
        &self,
        from: String,
        to: String,
        direction: Option<EdgeDirection>,
        kinds: Option<Vec<String>>,
    ) -> Ids<Option<Vec<String>>> {
        let direction = self::direction(direction);
        spawn(
            self.shared(),
            move |e| e.path(&from, &to, direction, &kinds.unwrap_or_default()),
            |path| path,
        )
    }

    /// The customers `id` referred, directly and down to `depth` levels (1 to 64): element
    /// `i` lists those `i + 1` referrals away, in creation order. Off the main thread.
    #[napi(ts_return_type = "Promise<Array<Array<string>>>")]
    pub fn downline(&self, id: String, depth: f64) -> Ids<Vec<Vec<String>>> {
        spawn(
            self.shared(),
            move |e| e.downline(&id, small("depth", depth)?),
            |levels| levels,
        )
    }

    /// The chain of referrers above `id`, up to the customer nobody referred.
    #[napi]
    pub fn upline(&self, env: Env, id: String) -> napi::Result<Upline> {
        let engine = self.core(&env)?;
        check(&env, engine.upline(&id)).map(Into::into)
    }

    /// PageRank of every live customer, highest first (ties by creation order), off the
    /// main thread. Agrees with networkx's `pagerank` on the same graph and options. By
    /// default (every option left out) it reads every kind with `referred` reversed, so a
    /// follow endorses the followed and a referral the referrer. Bad options are
    /// `VALIDATION` errors (`field` `damping`, `tol`, `max_iter`, `options.edges.kinds[0]`);
    /// not converging within `maxIter` iterations too.
    #[napi(ts_return_type = "Promise<Ranking>")]
    pub fn pagerank(
        &self,
        options: Option<PageRankOptions>,
    ) -> AsyncTask<Job<scrm::Ranking, Ranking>> {
        spawn(
            self.shared(),
            move |e| e.pagerank(&PageRankOptions::into_core(options)?),
            Into::into,
        )
    }

    /// PageRank personalized to `seeds` (customer ids): jumps go to the seeds instead of to
    /// everyone, ranking who is close to them. Same options and result as `pagerank`; an
    /// unknown seed is `NOT_FOUND`, no seed `VALIDATION`. Off the main thread.
    #[napi(ts_return_type = "Promise<Ranking>")]
    pub fn personalized_pagerank(
        &self,
        seeds: Vec<String>,
        options: Option<PageRankOptions>,
    ) -> AsyncTask<Job<scrm::Ranking, Ranking>> {
        spawn(
            self.shared(),
            move |e| e.personalized_pagerank(&seeds, &PageRankOptions::into_core(options)?),
            Into::into,
        )
    }

    /// The `n` most influential customers by the default PageRank (the one the segment
    /// predicates `influence` and `influence_top` read), highest first; `iterations` is 0.
    /// Off the main thread: the first call after a change ranks the whole graph.
    #[napi(ts_return_type = "Promise<Ranking>")]
    pub fn influencers(&self, n: f64) -> AsyncTask<Job<scrm::Ranking, Ranking>> {
        spawn(
            self.shared(),
            move |e| {
                let n = whole("n", n)?;
                Ok(e.influencers(usize::try_from(n).unwrap_or(usize::MAX)))
            },
            Into::into,
        )
    }

    /// The `n` brand advocates: influence (the default PageRank scaled so the average
    /// customer has 1) times engagement score, highest first; `iterations` is 0. Off the
    /// main thread, like `influencers`.
    #[napi(ts_return_type = "Promise<Ranking>")]
    pub fn advocates(&self, n: f64) -> AsyncTask<Job<scrm::Ranking, Ranking>> {
        spawn(
            self.shared(),
            move |e| {
                let n = whole("n", n)?;
                Ok(e.advocates(usize::try_from(n).unwrap_or(usize::MAX)))
            },
            Into::into,
        )
    }

    /// Communities (Louvain with refinement) of the selected edges taken as undirected
    /// (default every kind), with the partition's modularity. Off the main thread.
    #[napi(ts_return_type = "Promise<CommunityReport>")]
    pub fn communities(
        &self,
        options: Option<CommunityOptions>,
    ) -> AsyncTask<Job<scrm::CommunityReport, CommunityReport>> {
        spawn(
            self.shared(),
            move |e| e.communities(&CommunityOptions::into_core(options)?),
            Into::into,
        )
    }

    /// Strongly connected components of the selected edges (default every kind as stored):
    /// a component per customer in creation order and their number; `modularity` is 0.
    /// Off the main thread.
    #[napi(ts_return_type = "Promise<CommunityReport>")]
    pub fn strongly_connected_components(
        &self,
        edges: Option<EdgeSelection>,
    ) -> AsyncTask<Job<scrm::CommunityReport, CommunityReport>> {
        let edges = selection(edges, scrm::EdgeSelection::all());
        spawn(
            self.shared(),
            move |e| e.strongly_connected_components(&edges),
            Into::into,
        )
    }

    /// The referral rings: every set of customers whose `referred` edges form a cycle, each
    /// in creation order, rings by their first member. Off the main thread.
    #[napi(ts_return_type = "Promise<Array<Array<string>>>")]
    pub fn referral_rings(&self) -> Ids<Vec<Vec<String>>> {
        spawn(self.shared(), |e| e.referral_rings(), |rings| rings)
    }
}
