//! `stage = follower`, `stage >= member`, `stage(brand) >= follower`: a customer's stage on
//! a ladder, compared in ladder order. Without a ladder the stage name picks it; a name that
//! several ladders use must name one. Stage rules of a ladder must name the ladders they
//! read.

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{select_dense_by_sets, CheckError, Cmp, Ctx, Deps, Predicate};
use crate::state::State;

#[derive(Debug)]
pub(crate) struct StagePred {
    ladder: Option<String>,
    cmp: Cmp,
    stage: String,
}

impl StagePred {
    /// After the head word `stage`.
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        let ladder = if p.eat_symbol("(") {
            let name = p.word("a ladder name")?.to_ascii_lowercase();
            p.symbol(")")?;
            Some(name)
        } else {
            None
        };
        let cmp = p.cmp()?;
        let stage = p.word("a stage name")?.to_ascii_lowercase();
        Ok(StagePred { ladder, cmp, stage })
    }

    /// The ladder and the stage's position on it.
    fn resolve<'s>(&self, state: &'s State) -> Result<(&'s str, u8), String> {
        let ladders = &state.ladders.list;
        let ladder = match &self.ladder {
            Some(name) => ladders
                .iter()
                .find(|l| &l.name == name)
                .ok_or_else(|| format!("no ladder is named {name}"))?,
            None => {
                let mut having = ladders.iter().filter(|l| l.position(&self.stage).is_some());
                match (having.next(), having.next()) {
                    (Some(l), None) => l,
                    (Some(a), Some(b)) => {
                        return Err(format!(
                            "ladders {} and {} both have a stage {}; write stage({}) {} {}",
                            a.name, b.name, self.stage, a.name, self.cmp, self.stage
                        ))
                    }
                    _ => return Err(format!("no ladder has a stage {}", self.stage)),
                }
            }
        };
        match ladder.position(&self.stage) {
            Some(k) => Ok((&ladder.name, k as u8)),
            None => Err(format!(
                "ladder {} has no stage {}; its stages are {}",
                ladder.name,
                self.stage,
                ladder.stages.join(", ")
            )),
        }
    }

    fn test(&self, state: &State, resolved: Option<(&str, u8)>, idx: u32) -> bool {
        resolved.is_some_and(|(ladder, k)| {
            let s = state.stage_from_nodes(ladder, idx);
            self.cmp.holds(s.cmp(&k))
        })
    }
}

impl Predicate for StagePred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stage")?;
        if let Some(l) = &self.ladder {
            write!(f, "({l})")?;
        }
        write!(f, " {} {}", self.cmp, self.stage)
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        self.resolve(ctx.state).map(drop).map_err(CheckError::Type)
    }

    /// Set operations on the ladder's stage nodes, not a test per customer.
    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        let Ok((ladder, k)) = self.resolve(ctx.state) else {
            return RoaringBitmap::new();
        };
        let sets = ctx
            .state
            .stage_sets(ladder, within)
            .unwrap_or_else(|| vec![within.clone()]);
        (0u8..)
            .zip(sets)
            .filter(|(s, _)| self.cmp.holds(s.cmp(&k)))
            .fold(RoaringBitmap::new(), |all, (_, set)| all | set)
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        select_dense_by_sets(self, ctx, within)
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.test(ctx.state, self.resolve(ctx.state).ok(), idx)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.resolve(ctx.state) {
            Ok((ladder, _)) => {
                let s = ctx.state.stage_from_nodes(ladder, idx);
                let l = ctx.state.ladders.get(ladder);
                let name = l.map_or("?", |l| l.stages[usize::from(s)].as_str());
                format!("stage {name} of {ladder}")
            }
            Err(e) => e,
        }
    }

    fn deps(&self, deps: &mut Deps) {
        match &self.ladder {
            Some(l) if !deps.stages.contains(l) => deps.stages.push(l.clone()),
            Some(_) => {}
            None => deps.any_stage = true,
        }
    }
}
