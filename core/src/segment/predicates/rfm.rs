//! `rfm = champions`, `rfm != lost`, `rfm.r >= 4`, `rfm.f`, `rfm.m`: a buyer's RFM segment
//! or quantile scores at the engine clock. Customers without purchases match none of them.

use std::fmt;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::lifecycle::RfmSegment;
use crate::segment::error::SegmentError;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Cmp, Ctx, Deps, Predicate};

#[derive(Debug)]
pub(crate) enum RfmPred {
    /// In (`true`) or out of a named segment, among buyers.
    Segment(bool, RfmSegment),
    /// A score (`r`, `f` or `m`) compared with a number.
    Score(char, Cmp, f64),
}

impl RfmPred {
    /// After the head word `rfm`.
    pub fn parse(p: &mut Parser) -> Result<Self, SegmentError> {
        if p.eat_symbol(".") {
            let span = p.peek().span;
            let which = p.word("r, f or m")?.to_ascii_lowercase();
            let which = match which.as_str() {
                "r" => 'r',
                "f" => 'f',
                "m" => 'm',
                _ => {
                    return Err(SegmentError::syntax(
                        span,
                        format!("rfm has the scores r, f and m, not {which}"),
                    ))
                }
            };
            let cmp = p.cmp()?;
            return Ok(RfmPred::Score(which, cmp, p.number()?));
        }
        let span = p.peek().span;
        let equal = match p.cmp()? {
            Cmp::Eq => true,
            Cmp::Ne => false,
            other => {
                return Err(SegmentError::syntax(
                    span,
                    format!("rfm segments are compared with = or !=, not {other}"),
                ))
            }
        };
        let span = p.peek().span;
        let name = p.word("an RFM segment such as champions")?;
        let segment = RfmSegment::parse(&name.to_ascii_lowercase()).ok_or_else(|| {
            let names: Vec<&str> = RfmSegment::ALL.iter().map(|s| s.as_str()).collect();
            SegmentError::syntax(
                span,
                format!(
                    "unknown RFM segment {name}; expected one of {}",
                    names.join(", ")
                ),
            )
        })?;
        Ok(RfmPred::Segment(equal, segment))
    }

    fn test(&self, rfm: &crate::lifecycle::Rfm, idx: u32) -> bool {
        let i = idx as usize;
        match *self {
            RfmPred::Segment(equal, want) => rfm.segment(idx).is_some_and(|s| (s == want) == equal),
            RfmPred::Score(which, cmp, value) => {
                let scores = match which {
                    'r' => &rfm.r,
                    'f' => &rfm.f,
                    _ => &rfm.m,
                };
                scores
                    .get(i)
                    .is_some_and(|&s| s > 0 && cmp.test(f64::from(s), value))
            }
        }
    }
}

impl Predicate for RfmPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RfmPred::Segment(true, s) => write!(f, "rfm = {s}"),
            RfmPred::Segment(false, s) => write!(f, "rfm != {s}"),
            RfmPred::Score(which, cmp, value) => write!(f, "rfm.{which} {cmp} {value}"),
        }
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        let rfm = ctx.state.rfm.get(ctx.state, ctx.now);
        within.iter().filter(|&idx| self.test(&rfm, idx)).collect()
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        let rfm = ctx.state.rfm.get(ctx.state, ctx.now);
        within.filter(|idx| self.test(&rfm, idx))
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.test(&ctx.state.rfm.get(ctx.state, ctx.now), idx)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let rfm = ctx.state.rfm.get(ctx.state, ctx.now);
        let i = idx as usize;
        match rfm.segment(idx) {
            Some(s) => format!("rfm {s} (r {}, f {}, m {})", rfm.r[i], rfm.f[i], rfm.m[i]),
            None => "no purchases".to_string(),
        }
    }

    fn deps(&self, deps: &mut Deps) {
        deps.events = true;
        deps.time = true;
        deps.population = true;
    }
}
