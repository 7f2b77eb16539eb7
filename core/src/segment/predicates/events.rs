//! `events(purchase) >= 2`, `events(purchase, 30d) >= 2`, `amount(purchase, 90d) > 500`:
//! counts and amount sums of a customer's events of one kind, over all time or a window
//! ending at the engine clock.

use std::fmt;
use std::sync::OnceLock;

use roaring::RoaringBitmap;

use crate::bitset::DenseBits;
use crate::names::normalize_name;
use crate::segment::error::SegmentError;
use crate::segment::lexer::Span;
use crate::segment::parser::Parser;
use crate::segment::predicate::{Cmp, Ctx, Deps, Predicate};
use crate::state::Within;

/// What is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Measure {
    Count,
    Amount,
}

#[derive(Debug)]
pub(crate) struct EventsPred {
    measure: Measure,
    kind: String,
    /// The kind's symbol once known (symbols never change within a state).
    symbol: OnceLock<u32>,
    window: Option<i64>,
    cmp: Cmp,
    value: f64,
}

const MICROS_PER_HOUR: i64 = 3_600_000_000;

/// Writes a duration in the largest whole unit.
pub(crate) fn write_duration(f: &mut fmt::Formatter<'_>, micros: i64) -> fmt::Result {
    let hours = micros / MICROS_PER_HOUR;
    match hours {
        h if h % (24 * 7) == 0 => write!(f, "{}w", h / (24 * 7)),
        h if h % 24 == 0 => write!(f, "{}d", h / 24),
        h => write!(f, "{h}h"),
    }
}

impl EventsPred {
    pub fn parse(p: &mut Parser, measure: Measure) -> Result<Self, SegmentError> {
        p.symbol("(")?;
        let span: Span = p.peek().span;
        let kind = p.word("an event kind")?;
        let kind = normalize_name(|| "kind".into(), &kind)
            .map_err(|e| SegmentError::syntax(span, e.to_string()))?
            .into_owned();
        let window = if p.eat_symbol(",") {
            Some(p.duration()?)
        } else {
            None
        };
        p.symbol(")")?;
        let cmp = p.cmp()?;
        let value = p.number()?;
        Ok(EventsPred {
            measure,
            kind,
            symbol: OnceLock::new(),
            window,
            cmp,
            value,
        })
    }

    /// The kind's symbol, once the kind was ever seen.
    fn symbol(&self, ctx: &Ctx) -> Option<u32> {
        if let Some(&s) = self.symbol.get() {
            return Some(s);
        }
        let s = ctx.state.symbols.get(&self.kind)?;
        Some(*self.symbol.get_or_init(|| s))
    }

    /// The count or sum for customer `idx`. A count stops once it passes `enough`: past the
    /// compared value every comparison is decided, as counts only grow.
    fn measure(&self, ctx: &Ctx, idx: u32, enough: f64) -> f64 {
        let Some(kind) = self.symbol(ctx) else {
            return 0.0;
        };
        let activity = &ctx.state.activity;
        let Some(window) = self.window else {
            return match self.measure {
                Measure::Count => activity.count(idx, kind) as f64,
                Measure::Amount => activity.amount(idx, kind),
            };
        };
        let slot = &ctx.state.customers[idx as usize];
        let from = ctx.now.saturating_sub(window);
        let end = slot.events.partition_point(|e| e.at <= ctx.now);
        let recent = slot.events[..end].iter().rev().take_while(|e| e.at > from);
        let mut total = 0.0;
        for e in recent.filter(|e| e.kind() == kind) {
            total += match self.measure {
                Measure::Count if total > enough => break,
                Measure::Count => 1.0,
                Measure::Amount => ctx.state.events.row(e.seq).amount.unwrap_or(0.0),
            };
        }
        total
    }

    /// The members of `within` that match: over all time a scan of the kind's column,
    /// within a window customer by customer.
    fn select_in<S: Within + Clone>(&self, ctx: &Ctx, within: &S, none: S) -> S {
        if self.window.is_some() {
            return within.keep(|idx| self.matches(ctx, idx));
        }
        let activity = &ctx.state.activity;
        let kind = self.symbol(ctx);
        let test = self.cmp.num_test(self.value);
        let found = match self.measure {
            Measure::Count => kind
                .and_then(|k| activity.counts(k))
                .map(|counts| test.select_counts(within, counts)),
            Measure::Amount => kind
                .and_then(|k| activity.amounts(k))
                .map(|sums| test.select_sums(within, sums)),
        };
        // No column: every customer measures 0.
        found.unwrap_or_else(|| match self.cmp.test(0.0, self.value) {
            true => within.clone(),
            false => none,
        })
    }
}

impl Predicate for EventsPred {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = match self.measure {
            Measure::Count => "events",
            Measure::Amount => "amount",
        };
        write!(f, "{head}({}", self.kind)?;
        if let Some(w) = self.window {
            f.write_str(", ")?;
            write_duration(f, w)?;
        }
        write!(f, ") {} {}", self.cmp, self.value)
    }

    fn select(&self, ctx: &Ctx, within: &RoaringBitmap) -> RoaringBitmap {
        self.select_in(ctx, within, RoaringBitmap::new())
    }

    fn select_dense(&self, ctx: &Ctx, within: &DenseBits) -> DenseBits {
        self.select_in(ctx, within, DenseBits::empty(within.universe()))
    }

    fn matches(&self, ctx: &Ctx, idx: u32) -> bool {
        self.cmp
            .test(self.measure(ctx, idx, self.value), self.value)
    }

    fn observe(&self, ctx: &Ctx, idx: u32) -> String {
        let what = match self.measure {
            Measure::Count => "events",
            Measure::Amount => "amount",
        };
        format!(
            "{what} of {} = {}",
            self.kind,
            self.measure(ctx, idx, f64::INFINITY)
        )
    }

    fn deps(&self, deps: &mut Deps) {
        deps.time |= self.window.is_some();
        deps.events = true;
    }
}
