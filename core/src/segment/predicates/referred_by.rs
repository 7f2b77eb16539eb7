//! `referred_by(<expr>)`: customers whose referrer matches an expression, e.g.
//! `referred_by(tag:vip)` for the friends our VIPs brought in.

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::relations::analytics::Selection;
use crate::relations::{edge_kinds, EdgeSelection};
use crate::segment::ast::Expr;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{CheckError, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct ReferredBy {
    referrer: Box<Expr>,
}

impl ReferredBy {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        p.symbol("(")?;
        let referrer = Box::new(p.expression()?);
        p.symbol(")")?;
        Ok(ReferredBy { referrer })
    }

    /// Everyone whose referrer matches: the referrers' out-edges in the referral snapshot.
    fn referred(&self, ctx: &Ctx) -> RoaringBitmap {
        let state = ctx.state;
        let referrals = EdgeSelection::kinds(&[edge_kinds::REFERRED]);
        let snapshot = Selection::resolve(state, "referred_by", &referrals)
            .and_then(|sel| state.graph.analytics.snapshot(state, &sel));
        // The selection names a built-in kind and snapshots of the live state always build.
        let Ok(snapshot) = snapshot else {
            return RoaringBitmap::new();
        };
        let referrers = self.referrer.evaluate(ctx, &state.index.live);
        let outs = snapshot.csr.outs();
        let mut found: Vec<u32> = referrers
            .iter()
            .flat_map(|r| outs.list(snapshot.node(r)))
            .map(|&node| snapshot.nodes[node as usize])
            .collect();
        found.sort_unstable();
        found.dedup();
        RoaringBitmap::from_sorted_iter(found).unwrap_or_default()
    }

    fn referrer_of(&self, ctx: &Ctx, idx: u32) -> Option<u32> {
        let kind = ctx.state.symbols.get(edge_kinds::REFERRED)?;
        ctx.state.referrer_of(idx, kind)
    }
}

impl Predicate for ReferredBy {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "referred_by({})", self.referrer)
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        self.referrer.check(ctx).map_err(CheckError::Nested)
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        self.referred(ctx) & within
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        let mut out = within.clone();
        out.and_roaring(&self.referred(ctx));
        out
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.referrer_of(ctx, idx)
            .is_some_and(|r| self.referrer.matches(ctx, r))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.referrer_of(ctx, idx) {
            Some(r) => {
                let id = &ctx.state.customers[r as usize].id;
                let is = if self.referrer.matches(ctx, r) {
                    "matches"
                } else {
                    "does not match"
                };
                format!("referred by {id:?}, who {is}")
            }
            None => "referred by nobody".to_string(),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        // The referrer may be anyone: every change to what the inner expression reads can
        // move anyone, so the graph flag (full re-evaluation) covers it.
        self.referrer.deps(deps);
        deps.graph = true;
    }
}
