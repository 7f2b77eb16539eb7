//! `influence_top 100`, `influence >= 0.001`: the customers' influence, their PageRank over
//! the relationship graph with the default options (`PageRankOptions::default`: networkx's
//! settings, every edge kind, referrals counted towards the referrer).

use std::fmt;

use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Cmp, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) enum Influence {
    /// The `n` most influential customers.
    Top(u32),
    /// Customers whose score compares so with the value.
    Score(Cmp, f64),
}

impl Influence {
    /// After the head word `influence_top`.
    pub fn parse_top(p: &mut Parser) -> Result<Self, SegmentError> {
        let span = p.peek().span;
        let n = p.number()?;
        if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
            return Err(SegmentError::syntax(
                span,
                format!("influence_top takes a whole number of customers, got {n}"),
            ));
        }
        Ok(Influence::Top(n as u32))
    }

    /// After the head word `influence`.
    pub fn parse_score(p: &mut Parser) -> Result<Self, SegmentError> {
        let cmp = p.cmp()?;
        Ok(Influence::Score(cmp, p.number()?))
    }
}

impl Predicate for Influence {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Influence::Top(n) => write!(f, "influence_top {n}"),
            Influence::Score(cmp, value) => write!(f, "influence {cmp} {value}"),
        }
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        let influence = ctx.state.graph.analytics.influence(ctx.state);
        match self {
            Influence::Top(n) => influence.place.get(idx as usize).is_some_and(|p| p < n),
            Influence::Score(cmp, value) => influence
                .scores
                .get(idx as usize)
                .is_some_and(|&s| cmp.test(s, *value)),
        }
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let influence = ctx.state.graph.analytics.influence(ctx.state);
        let (score, place) = (
            influence.scores.get(idx as usize),
            influence.place.get(idx as usize),
        );
        match (score, place) {
            (Some(score), Some(place)) => format!("influence {score} (rank {})", place + 1),
            _ => "no influence computed".to_string(),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.graph = true;
    }
}
