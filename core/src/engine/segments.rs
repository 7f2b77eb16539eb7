//! Segment queries: counts, paged members and explanations.

use super::Engine;
use crate::error::{unknown_customer, Result};
use crate::segment::{self, Ctx, Explanation, Members, PackedPage, SegmentPage};
use crate::state::State;

/// A page of `members`: `limit` of them (all when `None`) from position `offset`.
pub(super) fn page(
    state: &State,
    members: impl Iterator<Item = u32>,
    total: u64,
    offset: u64,
    limit: Option<u64>,
) -> SegmentPage {
    let ids = window(members, offset, limit)
        .map(|idx| state.external_id(idx))
        .collect();
    SegmentPage { total, ids }
}

/// The same page as [`page`], its ids packed into one string.
pub(super) fn packed_page(
    state: &State,
    members: impl Iterator<Item = u32>,
    total: u64,
    offset: u64,
    limit: Option<u64>,
) -> PackedPage {
    let members = window(members, offset, limit);
    let mut offsets = Vec::with_capacity(members.size_hint().0 + 1);
    let mut text = String::new();
    offsets.push(0);
    for idx in members {
        text.push_str(state.external_id_str(idx));
        offsets.push(text.len() as i64);
    }
    PackedPage {
        total,
        offsets,
        text,
    }
}

/// `limit` of `members` (all when `None`) from position `offset`.
fn window(
    members: impl Iterator<Item = u32>,
    offset: u64,
    limit: Option<u64>,
) -> impl Iterator<Item = u32> {
    members
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.unwrap_or(u64::MAX)).unwrap_or(usize::MAX))
}

impl Engine {
    /// Number of customers matching a segment expression.
    pub fn count(&self, expression: &str) -> Result<u64> {
        let expr = segment::parse(expression)?;
        let now = self.clock_micros();
        self.read(|state| {
            let ctx = Ctx { state, now };
            expr.check(&ctx)?;
            Ok(expr.evaluate(&ctx, &state.index.live).len())
        })
    }

    /// Members of a segment, `limit` of them (all when `None`) from position `offset`, in
    /// creation order, with the total count. There is no cap on the page size.
    pub fn query(&self, expression: &str, offset: u64, limit: Option<u64>) -> Result<SegmentPage> {
        self.query_with(expression, |s, m| page(s, m.iter(), m.len(), offset, limit))
    }

    /// The page [`query`](Self::query) gives, its ids packed into one string.
    pub fn query_packed(
        &self,
        expression: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<PackedPage> {
        self.query_with(expression, |s, m| {
            packed_page(s, m.iter(), m.len(), offset, limit)
        })
    }

    /// The members of `expression`, made into a page by `pager`.
    fn query_with<P>(
        &self,
        expression: &str,
        pager: impl FnOnce(&State, &Members) -> P,
    ) -> Result<P> {
        let expr = segment::parse(expression)?;
        let now = self.clock_micros();
        self.read(|state| {
            let ctx = Ctx { state, now };
            expr.check(&ctx)?;
            let members = expr.evaluate(&ctx, &state.index.live);
            Ok(pager(state, &members))
        })
    }

    /// Why a customer is or is not in a segment, predicate by predicate.
    pub fn explain(&self, id: &str, expression: &str) -> Result<Explanation> {
        let expr = segment::parse(expression)?;
        let now = self.clock_micros();
        self.read(|state| {
            let ctx = Ctx { state, now };
            expr.check(&ctx)?;
            let idx = state.resolve(id).ok_or_else(|| unknown_customer(id))?;
            let mut steps = Vec::new();
            let matched = expr.explain(&ctx, idx, 0, &mut steps);
            Ok(Explanation {
                customer: state.external_id(idx),
                expression: expr.to_string(),
                matched,
                steps,
            })
        })
    }
}
