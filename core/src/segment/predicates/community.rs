//! `community = 17`, `community != 0`: the customers' community, found by Louvain over every
//! edge kind taken as undirected (`CommunityOptions::default`). Community `0` is the largest.

use std::fmt;

use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Cmp, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct CommunityPred {
    equal: bool,
    community: u32,
}

impl CommunityPred {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        let span = p.peek().span;
        let equal = match p.cmp()? {
            Cmp::Eq => true,
            Cmp::Ne => false,
            other => {
                return Err(SegmentError::syntax(
                    span,
                    format!("communities are compared with = or !=, not {other}"),
                ))
            }
        };
        let span = p.peek().span;
        let n = p.number()?;
        if n.fract() != 0.0 || !(0.0..f64::from(u32::MAX)).contains(&n) {
            return Err(SegmentError::syntax(
                span,
                format!("a community is a whole number from 0, got {n}"),
            ));
        }
        Ok(CommunityPred {
            equal,
            community: n as u32,
        })
    }

    fn of(&self, ctx: &Ctx, idx: u32) -> Option<u32> {
        let communities = ctx.state.graph.analytics.communities(ctx.state);
        communities.get(idx as usize).copied()
    }
}

impl Predicate for CommunityPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = if self.equal { "=" } else { "!=" };
        write!(f, "community {op} {}", self.community)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.of(ctx, idx)
            .is_some_and(|c| (c == self.community) == self.equal)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.of(ctx, idx) {
            Some(c) => format!("community {c}"),
            None => "no community".to_string(),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.graph = true;
    }
}
