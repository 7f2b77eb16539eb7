//! `within 2 hops of "c-42"`: customers joined to a customer by a chain of at most that many
//! edges of any kind, either way (the customer itself is not within hops of itself).

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::graph::traverse::{Direction, MAX_DEPTH};
use crate::relations::analytics::Selection;
use crate::relations::EdgeSelection;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{write_quoted, CheckError, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct WithinHops {
    hops: u32,
    of: String,
}

impl WithinHops {
    /// After the head word `within`.
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        let span = p.peek().span;
        let hops = p.number()?;
        if hops.fract() != 0.0 || !(1.0..=f64::from(MAX_DEPTH)).contains(&hops) {
            return Err(SegmentError::syntax(
                span,
                format!("hops must be a whole number from 1 to {MAX_DEPTH}, got {hops}"),
            ));
        }
        if !p.eat_keyword("hop") {
            p.keyword("hops")?;
        }
        p.keyword("of")?;
        let (of, _) = p.string("a customer id in quotes")?;
        Ok(WithinHops {
            hops: hops as u32,
            of,
        })
    }

    /// Everyone within the hops, by customer index.
    fn reach(&self, ctx: &Ctx) -> RoaringBitmap {
        let state = ctx.state;
        let Some(start) = state.resolve(&self.of) else {
            return RoaringBitmap::new();
        };
        let found = Selection::resolve(state, "within", &EdgeSelection::all())
            .and_then(|sel| state.graph.analytics.snapshot(state, &sel))
            .and_then(|snap| {
                let nodes = state.graph.analytics.with_traversal(|t| {
                    t.reach(&snap.csr, snap.node(start), self.hops, Direction::Both)
                        .map(<[u32]>::to_vec)
                })?;
                Ok(nodes.into_iter().map(|n| snap.nodes[n as usize]).collect())
            });
        // Hops are range-checked when parsed and the start is live, so the walk succeeds.
        found.unwrap_or_default()
    }
}

impl Predicate for WithinHops {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "within {} hops of ", self.hops)?;
        write_quoted(f, &self.of)
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        match ctx.state.resolve(&self.of) {
            Some(_) => Ok(()),
            None => Err(CheckError::UnknownCustomer(format!(
                "no customer {:?}",
                self.of
            ))),
        }
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        self.reach(ctx) & within
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        let mut out = within.clone();
        out.and_roaring(&self.reach(ctx));
        out
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.reach(ctx).contains(idx)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let is = if self.matches(ctx, idx) {
            "within"
        } else {
            "not within"
        };
        format!("{is} {} hops of {:?}", self.hops, self.of)
    }

    fn deps(&self, deps: &mut Deps) {
        deps.graph = true;
    }
}
