//! `score > 50` (any comparison): the customer's engagement score at the engine clock
//! (see `ScoringConfig`).

use std::fmt;

use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Cmp, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct ScorePred {
    cmp: Cmp,
    value: f64,
}

impl ScorePred {
    /// After the head word `score`.
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        let cmp = p.cmp()?;
        Ok(ScorePred {
            cmp,
            value: p.number()?,
        })
    }
}

impl Predicate for ScorePred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "score {} {}", self.cmp, self.value)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.cmp
            .test(ctx.state.scores.score(idx, ctx.now), self.value)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        format!("score {}", ctx.state.scores.score(idx, ctx.now))
    }

    fn deps(&self, deps: &mut Deps) {
        deps.events = true;
        deps.time = true;
        deps.score = true;
    }
}
