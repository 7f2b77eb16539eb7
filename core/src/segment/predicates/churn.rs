//! `p_alive < 0.3`, `clv > 1000`: a buyer's probability of being alive and lifetime value
//! under the engine's fitted churn model (`Engine::fit_churn_model`), from their purchases
//! up to the engine clock. Checking an expression fails (`SEGMENT_TYPE`) while no model is
//! fitted; customers without purchases match neither.

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{CheckError, Cmp, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) struct ChurnPred {
    clv: bool,
    cmp: Cmp,
    value: f64,
}

impl ChurnPred {
    /// After the head word `p_alive` (`clv = false`) or `clv`.
    pub fn parse(p: &mut Parser, clv: bool) -> Result<Self, SegmentError> {
        let cmp = p.cmp()?;
        Ok(ChurnPred {
            clv,
            cmp,
            value: p.number()?,
        })
    }

    /// Every customer's value by index (NaN for non-buyers), or `None` without a model.
    fn values(&self, ctx: &Ctx) -> Option<Vec<f64>> {
        let model = ctx.state.churn.model.as_ref()?;
        let scores = ctx.state.churn.scores(ctx.state, ctx.now)?;
        Some(match self.clv {
            true => scores.clv(model).to_vec(),
            false => scores.p_alive.clone(),
        })
    }

    fn value_of(&self, ctx: &Ctx, idx: u32) -> Option<f64> {
        let model = ctx.state.churn.model.as_ref()?;
        let scores = ctx.state.churn.scores(ctx.state, ctx.now)?;
        let v = match self.clv {
            true => scores.clv(model).get(idx as usize).copied(),
            false => scores.p_alive.get(idx as usize).copied(),
        }?;
        (!v.is_nan()).then_some(v)
    }

    fn name(&self) -> &'static str {
        if self.clv {
            "clv"
        } else {
            "p_alive"
        }
    }
}

impl Predicate for ChurnPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.name(), self.cmp, self.value)
    }

    fn check(&self, ctx: &Ctx) -> Result<(), CheckError> {
        match ctx.state.churn.model {
            Some(_) => Ok(()),
            None => Err(CheckError::Type(format!(
                "{} needs a fitted churn model; call Engine::fit_churn_model first",
                self.name()
            ))),
        }
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        let Some(values) = self.values(ctx) else {
            return RoaringBitmap::new();
        };
        within
            .iter()
            .filter(|&i| self.cmp.test(values[i as usize], self.value))
            .collect()
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        let values = self.values(ctx).unwrap_or_default();
        within.filter(|i| {
            values
                .get(i as usize)
                .is_some_and(|&v| self.cmp.test(v, self.value))
        })
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.value_of(ctx, idx)
            .is_some_and(|v| self.cmp.test(v, self.value))
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        match self.value_of(ctx, idx) {
            Some(v) => format!("{} {v}", self.name()),
            None => format!("no {} (no model or no purchases)", self.name()),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.events = true;
        deps.time = true;
        deps.churn = true;
    }
}
