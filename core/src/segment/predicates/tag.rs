//! `tag:vip`, `tag:"interest:travel"`: customers carrying a tag.

use std::fmt;
use std::sync::OnceLock;

use roaring::RoaringBitmap;

use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{write_name, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct TagPred {
    name: String,
    /// The tag's symbol once known (symbols never change within a state).
    symbol: OnceLock<u32>,
}

impl TagPred {
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        p.symbol(":")?;
        Ok(TagPred {
            name: p.name("a tag name")?,
            symbol: OnceLock::new(),
        })
    }
}

impl Predicate for TagPred {
    fn members<'a>(&self, ctx: &'a Ctx) -> Option<&'a RoaringBitmap> {
        let symbol = match self.symbol.get() {
            Some(&s) => s,
            None => {
                let s = ctx.state.symbols.get(&self.name)?;
                *self.symbol.get_or_init(|| s)
            }
        };
        ctx.state.tags.by_tag.get(&symbol).map(|e| &e.members)
    }

    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("tag:")?;
        write_name(f, &self.name)
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        match self.members(ctx) {
            Some(members) => members & within,
            None => RoaringBitmap::new(),
        }
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.members(ctx).is_some_and(|m| m.contains(idx))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let has = if self.matches(ctx, idx) {
            "has"
        } else {
            "lacks"
        };
        format!("{has} tag {}", self.name)
    }

    fn deps(&self, deps: &mut Deps) {
        deps.tags.push(self.name.clone());
    }
}
