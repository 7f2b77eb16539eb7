//! `segment:high_value`: members of a saved segment, from its stored membership.

use std::fmt;

use roaring::RoaringBitmap;

use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{write_name, CheckError, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct SegmentRef {
    name: String,
}

impl SegmentRef {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        p.symbol(":")?;
        Ok(SegmentRef {
            name: p.name("a segment name")?,
        })
    }
}

impl Predicate for SegmentRef {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("segment:")?;
        write_name(f, &self.name)
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        match ctx.state.segments.members(&self.name) {
            Some(_) => Ok(()),
            None => Err(CheckError::UnknownSegment(format!(
                "no saved segment named {:?}",
                self.name
            ))),
        }
    }

    fn members<'a>(&self, ctx: &'a Ctx) -> Option<&'a RoaringBitmap> {
        ctx.state.segments.members(&self.name)
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        self.members(ctx)
            .map_or_else(RoaringBitmap::new, |m| m & within)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        ctx.state
            .segments
            .members(&self.name)
            .is_some_and(|m| m.contains(idx))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let is = if self.matches(ctx, idx) {
            "in"
        } else {
            "not in"
        };
        format!("{is} segment {}", self.name)
    }

    fn deps(&self, deps: &mut Deps) {
        deps.segments.push(self.name.clone());
    }
}
