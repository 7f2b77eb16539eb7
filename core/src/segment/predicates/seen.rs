//! `last_seen within 14d`, `first_seen within 30d`: recency of a customer's inbound activity,
//! relative to the engine clock.

use std::fmt;

use roaring::RoaringBitmap;

use super::events::write_duration;
use crate::bitset::DenseBits;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Ctx, Deps, Predicate};
use crate::state::{Totals, Values, Within};
use crate::time::from_micros;

/// Which end of the activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    First,
    Last,
}

#[derive(Debug)]
pub(crate) struct SeenWithin {
    which: Which,
    window: i64,
}

impl SeenWithin {
    pub fn parse(p: &mut Parser, which: Which) -> Result<Self, SegmentError> {
        p.keyword("within")?;
        Ok(SeenWithin {
            which,
            window: p.duration()?,
        })
    }

    fn seen(&self, ctx: &Ctx, idx: u32) -> Option<i64> {
        let activity = &ctx.state.activity;
        match self.which {
            Which::First => activity.first_seen(idx),
            Which::Last => activity.last_seen(idx),
        }
    }

    /// The members of `within` seen after the start of the window: a scan of the column.
    fn select_in<S: Within>(&self, ctx: &Ctx, within: &S) -> S {
        let from = ctx.now.saturating_sub(self.window);
        let values = ctx.state.activity.totals();
        // Never-seen customers hold `i64::MIN`, before every start.
        match self.which {
            Which::First => within.scan(&Values {
                values,
                pass: |t: Totals| t.first_seen > from,
            }),
            Which::Last => within.scan(&Values {
                values,
                pass: |t: Totals| t.last_seen > from,
            }),
        }
    }

    fn name(&self) -> &'static str {
        match self.which {
            Which::First => "first_seen",
            Which::Last => "last_seen",
        }
    }
}

impl Predicate for SeenWithin {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} within ", self.name())?;
        write_duration(f, self.window)
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        self.select_in(ctx, within)
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        self.select_in(ctx, within)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.seen(ctx, idx)
            .is_some_and(|t| t > ctx.now.saturating_sub(self.window))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.seen(ctx, idx) {
            Some(t) => format!("{} = {}", self.name(), from_micros(t).to_rfc3339()),
            None => format!("never seen ({} missing)", self.name()),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.time = true;
        deps.events = true;
    }
}
