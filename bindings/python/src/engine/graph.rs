//! The relationship graph: edges in and out, walks, and the analytics (PageRank,
//! communities, components, referral rings).
//!
//! `direction` is "out", "in" or "both"; `kinds` and `reversed` are lists of edge kinds, None
//! for the core's default of each (the defaults of `PageRankOptions`, `CommunityOptions` and
//! `EdgeSelection`), so the binding never restates them.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scrm::{CommunityOptions, EdgeDirection, EdgeSelection, PageRankOptions};

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::frames::{is_table, records, Frame};
use crate::inputs::{batch_in, edge_in, strings_in};
use crate::table::Table;
use crate::values::parse_name;

/// A walk direction from its name.
fn direction_in(direction: &str) -> PyResult<EdgeDirection> {
    parse_name(direction, &|| "direction".to_string())
}

/// A list of str, or `default` when None.
fn names_in(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
    default: Vec<String>,
) -> PyResult<Vec<String>> {
    match value {
        Some(v) if !v.is_none() => strings_in(v, &|| field.to_string()),
        _ => Ok(default),
    }
}

/// Edge kinds to follow: every kind when None.
fn kinds_in(kinds: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    names_in(kinds, "kinds", Vec::new())
}

/// An edge selection: each part given, or taken from `default` when None.
fn selection_in(
    kinds: Option<&Bound<'_, PyAny>>,
    reversed: Option<&Bound<'_, PyAny>>,
    default: EdgeSelection,
) -> PyResult<EdgeSelection> {
    Ok(EdgeSelection {
        kinds: names_in(kinds, "kinds", default.kinds)?,
        reversed: names_in(reversed, "reversed", default.reversed)?,
    })
}

/// PageRank options: the edge selection as [`selection_in`] over the core's default.
fn pagerank_in(
    kinds: Option<&Bound<'_, PyAny>>,
    reversed: Option<&Bound<'_, PyAny>>,
    damping: f64,
    weighted: bool,
    tol: f64,
    max_iter: u32,
) -> PyResult<PageRankOptions> {
    let default = PageRankOptions::default();
    Ok(PageRankOptions {
        edges: selection_in(kinds, reversed, default.edges)?,
        damping,
        weighted,
        tol,
        max_iter,
    })
}

#[pymethods]
impl PyEngine {
    /// Puts one edge `source -> target` of `kind` ("referred", "follows", "friend",
    /// "colleague" or a custom kind; see scrm.edge_kinds). `weight` is finite and
    /// non-negative (default 1); `at` (an aware datetime) is when the relationship started
    /// (default now). An existing edge (same ends and kind) gets the new weight and keeps its
    /// creation time; "friend" and "colleague" put both directions. Returns {"inserted",
    /// "updated"}. An unknown customer, an edge to oneself, a bad kind or weight raise
    /// ValidationError (`field` such as "edges[0].target"); a second referrer for a customer
    /// raises ConflictError; "interacted" edges come from events and cannot be put.
    #[pyo3(signature = (source, target, kind, *, weight=None, at=None))]
    fn add_edge<'py>(
        &self,
        py: Python<'py>,
        source: &Bound<'py, PyAny>,
        target: &Bound<'py, PyAny>,
        kind: &Bound<'py, PyAny>,
        weight: Option<&Bound<'py, PyAny>>,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = PyDict::new(py);
        record.set_item("source", source)?;
        record.set_item("target", target)?;
        record.set_item("kind", kind)?;
        record.set_item("weight", weight)?;
        record.set_item("at", at)?;
        let input = edge_in(&record, &|| "edges[0]".to_string())?;
        out(py, self.call(py, |e| e.add_edge(&input))?)
    }

    /// Puts a batch of edges atomically: all of them or none.
    ///
    /// `edges` is a list of dicts with the keys of add_edge's arguments (`source`, `target`,
    /// `kind`, `weight`, `at`) or of `(source, target, kind[, weight[, at]])` tuples; or a
    /// table: a pandas or polars DataFrame, a pyarrow Table or a dict of equal-length lists,
    /// with columns
    /// `source`, `target`, `kind` and optionally `weight` and `at` (aware datetimes), where a
    /// None, NaN or NaT cell takes the default. Returns {"inserted", "updated"}.
    fn add_edges<'py>(
        &self,
        py: Python<'py>,
        edges: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let inputs = if is_table(edges)? {
            records::edges(&Frame::read(edges, "edges")?)?
        } else {
            batch_in(edges, "edges", edge_in)?
        };
        out(py, self.call(py, |e| e.add_edges(&inputs))?)
    }

    /// Removes the edge `source -> target` of `kind` (both directions for "friend" and
    /// "colleague"). Returns False when there was none. "interacted" edges come from events
    /// and cannot be removed (ValidationError).
    fn remove_edge(
        &self,
        py: Python<'_>,
        source: &str,
        target: &str,
        kind: &str,
    ) -> PyResult<bool> {
        self.call(py, |e| e.remove_edge(source, target, kind))?.py()
    }

    /// A customer's edges in `direction` ("out", "in" or "both"), of the given `kinds` (all
    /// when None): out-edges first, then by the other end's creation order and kind. Each is
    /// {"source", "target", "kind", "weight", "created_at"}, both ends by current id.
    #[pyo3(signature = (id, direction="both", kinds=None))]
    fn edges_of<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        direction: &str,
        kinds: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let direction = direction_in(direction)?;
        let kinds = kinds_in(kinds)?;
        out(py, self.call(py, |e| e.edges_of(id, direction, &kinds))?)
    }

    /// The distinct customers joined to `id` by edges of the given `kinds` (all when None)
    /// in `direction` ("out", "in" or "both"), in creation order.
    #[pyo3(signature = (id, direction="both", kinds=None))]
    fn neighbours(
        &self,
        py: Python<'_>,
        id: &str,
        direction: &str,
        kinds: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<String>> {
        let direction = direction_in(direction)?;
        let kinds = kinds_in(kinds)?;
        self.call(py, |e| e.neighbours(id, direction, &kinds))?.py()
    }

    /// How many distinct customers neighbours() lists.
    #[pyo3(signature = (id, direction="both", kinds=None))]
    fn degree(
        &self,
        py: Python<'_>,
        id: &str,
        direction: &str,
        kinds: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let direction = direction_in(direction)?;
        let kinds = kinds_in(kinds)?;
        self.call(py, |e| e.degree(id, direction, &kinds))?.py()
    }

    /// The distinct customers within `hops` (1 to 64) of `id` along edges of the given
    /// `kinds` (all when None) in `direction`, nearest first; `id` itself is left out.
    #[pyo3(signature = (id, hops, direction="both", kinds=None))]
    fn reach(
        &self,
        py: Python<'_>,
        id: &str,
        hops: u32,
        direction: &str,
        kinds: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<String>> {
        let direction = direction_in(direction)?;
        let kinds = kinds_in(kinds)?;
        self.call(py, |e| e.reach(id, hops, direction, &kinds))?
            .py()
    }

    /// A shortest chain of customers from `source` to `target` (both included) along edges
    /// of the given `kinds` (all when None) in `direction`, or None when they are not
    /// connected. (The core's `path`: the name `path` is the store file's property here.)
    #[pyo3(signature = (source, target, direction="both", kinds=None))]
    fn shortest_path(
        &self,
        py: Python<'_>,
        source: &str,
        target: &str,
        direction: &str,
        kinds: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<Vec<String>>> {
        let direction = direction_in(direction)?;
        let kinds = kinds_in(kinds)?;
        self.call(py, |e| e.path(source, target, direction, &kinds))?
            .py()
    }

    /// The customers `id` referred, down to `depth` levels (1 to 64): element `i` lists those
    /// `i + 1` referrals away, in creation order.
    fn downline(&self, py: Python<'_>, id: &str, depth: u32) -> PyResult<Vec<Vec<String>>> {
        self.call(py, |e| e.downline(id, depth))?.py()
    }

    /// The chain of referrers above `id` up to the customer nobody referred: {"chain",
    /// "cycle"}; `cycle` is True when the chain came back on itself (a referral ring).
    fn upline<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.upline(id))?)
    }

    /// PageRank of every live customer, highest first (ties by creation order). Agrees with
    /// networkx's `pagerank(G, alpha=damping, tol=tol, weight="weight" or None)` on the same
    /// graph.
    ///
    /// The edges are those of `kinds` (every kind when None), with the kinds in `reversed`
    /// counted from target to source; `reversed=None` is ["referred"], so by default (the
    /// core's PageRankOptions default, the influence selection) a follow endorses the
    /// followed and a referral the referrer. Pass `reversed=[]` to read referrals as stored.
    /// `weighted=False` counts every connected pair once; otherwise parallel edges (several
    /// kinds) add their weights. Stops when the L1 change is below `customers * tol`; not
    /// converging in `max_iter` iterations raises ValidationError (`field` "max_iter").
    ///
    /// Returns a Table with columns "ids" and "scores", one row per customer, and the scalar
    /// `result["iterations"]`.
    #[pyo3(signature = (
        kinds=None, reversed=None, damping=0.85, weighted=true, tol=1e-6, max_iter=100
    ))]
    #[allow(clippy::too_many_arguments)]
    fn pagerank<'py>(
        &self,
        py: Python<'py>,
        kinds: Option<&Bound<'py, PyAny>>,
        reversed: Option<&Bound<'py, PyAny>>,
        damping: f64,
        weighted: bool,
        tol: f64,
        max_iter: u32,
    ) -> PyResult<Table> {
        let options = pagerank_in(kinds, reversed, damping, weighted, tol, max_iter)?;
        self.call(py, |e| e.pagerank(&options).map(Table::from))?
            .py()
    }

    /// PageRank personalized to `seeds` (a list of customer ids): jumps go to the seeds
    /// instead of to everyone, ranking who is close to them. Same options and result as
    /// pagerank(); agrees with networkx's `pagerank(..., personalization={seed: 1, ...})`.
    #[pyo3(signature = (
        seeds, kinds=None, reversed=None, damping=0.85, weighted=true, tol=1e-6, max_iter=100
    ))]
    #[allow(clippy::too_many_arguments)]
    fn personalized_pagerank<'py>(
        &self,
        py: Python<'py>,
        seeds: &Bound<'py, PyAny>,
        kinds: Option<&Bound<'py, PyAny>>,
        reversed: Option<&Bound<'py, PyAny>>,
        damping: f64,
        weighted: bool,
        tol: f64,
        max_iter: u32,
    ) -> PyResult<Table> {
        let seeds = strings_in(seeds, &|| "seeds".to_string())?;
        let options = pagerank_in(kinds, reversed, damping, weighted, tol, max_iter)?;
        self.call(py, |e| {
            e.personalized_pagerank(&seeds, &options).map(Table::from)
        })?
        .py()
    }

    /// The `n` most influential customers by the default PageRank (the one the segment
    /// predicates `influence` and `influence_top` read), highest first: a Table
    /// like pagerank()'s (`iterations` is always 0 here).
    fn influencers(&self, py: Python<'_>, n: usize) -> PyResult<Table> {
        self.call(py, |e| Table::from(e.influencers(n)))
    }

    /// The `n` brand advocates: influence (the default PageRank scaled so the average
    /// customer has 1) times engagement score, highest first: a Table
    /// like pagerank()'s (`iterations` is always 0 here).
    fn advocates(&self, py: Python<'_>, n: usize) -> PyResult<Table> {
        self.call(py, |e| Table::from(e.advocates(n)))
    }

    /// Communities (Louvain with refinement) of the edges of `kinds` (every kind when None)
    /// taken as undirected; `reversed` (default none) changes nothing here but is part of the
    /// selection. `resolution` above 1 favours smaller communities; the same `seed` on the
    /// same graph gives the same result.
    ///
    /// Returns a Table with columns "ids" and "communities", a community per customer in
    /// creation order (0 is the largest; a customer without edges is alone in one), and the
    /// scalars `result["count"]` and `result["modularity"]` (the partition's).
    #[pyo3(signature = (kinds=None, reversed=None, resolution=1.0, seed=0))]
    fn communities<'py>(
        &self,
        py: Python<'py>,
        kinds: Option<&Bound<'py, PyAny>>,
        reversed: Option<&Bound<'py, PyAny>>,
        resolution: f64,
        seed: u64,
    ) -> PyResult<Table> {
        let default = CommunityOptions::default();
        let options = CommunityOptions {
            edges: selection_in(kinds, reversed, default.edges)?,
            resolution,
            seed,
        };
        self.call(py, |e| e.communities(&options).map(Table::from))?
            .py()
    }

    /// Strongly connected components of the edges of `kinds` (every kind when None; the
    /// kinds in `reversed`, default none, counted backwards): a Table like
    /// communities()'s, with a component per customer in creation order; `modularity` is 0.
    #[pyo3(signature = (kinds=None, reversed=None))]
    fn strongly_connected_components<'py>(
        &self,
        py: Python<'py>,
        kinds: Option<&Bound<'py, PyAny>>,
        reversed: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Table> {
        let edges = selection_in(kinds, reversed, EdgeSelection::all())?;
        self.call(py, |e| {
            e.strongly_connected_components(&edges).map(Table::from)
        })?
        .py()
    }

    /// The referral rings: every set of customers whose "referred" edges form a cycle, each
    /// in creation order, rings by their first member.
    fn referral_rings(&self, py: Python<'_>) -> PyResult<Vec<Vec<String>>> {
        self.call(py, |e| e.referral_rings())?.py()
    }
}
