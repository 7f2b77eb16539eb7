//! Per-customer event aggregates by customer index (one row of totals per customer, and a
//! column per event kind), updated as events arrive and combined on merge, so
//! `events(purchase) >= 2` or `last_seen within 14d` over millions of customers scan memory
//! linearly instead of visiting every profile.
//!
//! Every column covers every customer index (`fit` grows them with the population); a
//! customer without events holds zeros and [`NEVER`]. Counts are `u32`: the event log is
//! indexed by `u32`, so no count can exceed it.

use std::collections::BTreeMap;

use super::Symbols;
use crate::customer::Activity;
use crate::event::{Direction, EventRow};
use crate::time::from_micros;

/// Marks a customer never seen inbound in the `first_seen` and `last_seen` columns.
pub(crate) const NEVER: i64 = i64::MIN;

/// Event aggregates of every customer: the figures every event touches side by side (one
/// cache line per event), and a column per event kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActivityColumns {
    rows: Vec<Totals>,
    /// Per event kind, sorted by kind symbol.
    kinds: Vec<KindColumns>,
}

/// One customer's figures over events of every kind.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Totals {
    /// Time of the first inbound event, or [`NEVER`].
    pub first_seen: i64,
    /// Time of the latest inbound event, or [`NEVER`].
    pub last_seen: i64,
    /// Sum of the amounts of inbound events.
    total_amount: f64,
    inbound: u32,
    outbound: u32,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            first_seen: NEVER,
            last_seen: NEVER,
            total_amount: 0.0,
            inbound: 0,
            outbound: 0,
        }
    }
}

/// The events of one kind, both directions, by customer.
#[derive(Clone, Debug)]
struct KindColumns {
    kind: u32,
    counts: Vec<u32>,
    /// Sums of amounts; empty until an event of the kind carries one.
    amounts: Vec<f64>,
}

impl ActivityColumns {
    /// Grows every column to cover `len` customers (never shrinks).
    pub fn fit(&mut self, len: usize) {
        if len <= self.rows.len() {
            return;
        }
        self.rows.resize(len, Totals::default());
        for k in &mut self.kinds {
            k.counts.resize(len, 0);
            if !k.amounts.is_empty() {
                k.amounts.resize(len, 0.0);
            }
        }
    }

    /// Adds one event to customer `idx`.
    pub fn record(&mut self, idx: u32, row: &EventRow) {
        let i = idx as usize;
        self.fit(i + 1);
        let totals = &mut self.rows[i];
        match row.direction {
            Direction::Inbound => {
                totals.inbound = totals.inbound.saturating_add(1);
                totals.first_seen = earliest(totals.first_seen, row.at);
                totals.last_seen = totals.last_seen.max(row.at);
                totals.total_amount += row.amount.unwrap_or(0.0);
            }
            Direction::Outbound => totals.outbound = totals.outbound.saturating_add(1),
        }
        let len = self.rows.len();
        let k = self.kind_mut(row.kind, len);
        k.counts[i] = k.counts[i].saturating_add(1);
        if let Some(amount) = row.amount.filter(|&a| a != 0.0) {
            if k.amounts.is_empty() {
                k.amounts.resize(len, 0.0);
            }
            k.amounts[i] += amount;
        }
    }

    /// Moves customer `gone`'s aggregates into `survivor`'s (on merge), leaving `gone`'s
    /// empty.
    pub fn absorb(&mut self, survivor: u32, gone: u32) {
        let (keep, gone) = (survivor as usize, gone as usize);
        self.fit(keep.max(gone) + 1);
        let moved = std::mem::take(&mut self.rows[gone]);
        let totals = &mut self.rows[keep];
        totals.first_seen = earliest(totals.first_seen, moved.first_seen);
        totals.last_seen = totals.last_seen.max(moved.last_seen);
        totals.inbound = totals.inbound.saturating_add(moved.inbound);
        totals.outbound = totals.outbound.saturating_add(moved.outbound);
        totals.total_amount += moved.total_amount;
        for k in &mut self.kinds {
            let count = std::mem::take(&mut k.counts[gone]);
            k.counts[keep] = k.counts[keep].saturating_add(count);
            if !k.amounts.is_empty() {
                k.amounts[keep] += std::mem::take(&mut k.amounts[gone]);
            }
        }
    }

    /// Time of customer `idx`'s first inbound event.
    pub fn first_seen(&self, idx: u32) -> Option<i64> {
        self.rows
            .get(idx as usize)
            .map(|t| t.first_seen)
            .filter(|&t| t != NEVER)
    }

    /// Time of customer `idx`'s latest inbound event.
    pub fn last_seen(&self, idx: u32) -> Option<i64> {
        self.rows
            .get(idx as usize)
            .map(|t| t.last_seen)
            .filter(|&t| t != NEVER)
    }

    /// Every customer's totals (first and last seen), by index.
    pub fn totals(&self) -> &[Totals] {
        &self.rows
    }

    /// Number of customer `idx`'s events of a kind, both directions.
    pub fn count(&self, idx: u32, kind: u32) -> u64 {
        self.counts(kind)
            .and_then(|c| c.get(idx as usize))
            .map_or(0, |&c| c.into())
    }

    /// Sum of the amounts of customer `idx`'s events of a kind, both directions.
    pub fn amount(&self, idx: u32, kind: u32) -> f64 {
        self.amounts(kind)
            .and_then(|a| a.get(idx as usize))
            .copied()
            .unwrap_or(0.0)
    }

    /// Every customer's count of a kind; `None` when no event of the kind was recorded.
    pub fn counts(&self, kind: u32) -> Option<&[u32]> {
        self.kind(kind).map(|k| &k.counts[..])
    }

    /// Every customer's sum of amounts of a kind; `None` when no event of the kind carried
    /// an amount.
    pub fn amounts(&self, kind: u32) -> Option<&[f64]> {
        self.kind(kind)
            .filter(|k| !k.amounts.is_empty())
            .map(|k| &k.amounts[..])
    }

    fn kind(&self, kind: u32) -> Option<&KindColumns> {
        let i = self.kinds.binary_search_by_key(&kind, |k| k.kind).ok()?;
        Some(&self.kinds[i])
    }

    fn kind_mut(&mut self, kind: u32, len: usize) -> &mut KindColumns {
        let i = match self.kinds.binary_search_by_key(&kind, |k| k.kind) {
            Ok(i) => i,
            Err(i) => {
                let counts = vec![0; len];
                let column = KindColumns {
                    kind,
                    counts,
                    amounts: Vec::new(),
                };
                self.kinds.insert(i, column);
                i
            }
        };
        &mut self.kinds[i]
    }

    /// The public view of customer `idx`'s aggregates, with kind names resolved.
    pub fn render(&self, idx: u32, symbols: &Symbols) -> Activity {
        let i = idx as usize;
        let totals = self.rows.get(i).copied().unwrap_or_default();
        let count = |k: &KindColumns| k.counts.get(i).map_or(0, |&c| u64::from(c));
        Activity {
            first_seen: self.first_seen(idx).map(from_micros),
            last_seen: self.last_seen(idx).map(from_micros),
            inbound: totals.inbound.into(),
            outbound: totals.outbound.into(),
            counts: self
                .kinds
                .iter()
                .filter(|k| count(k) > 0)
                .map(|k| (symbols.name(k.kind).to_string(), count(k)))
                .collect::<BTreeMap<_, _>>(),
            total_amount: totals.total_amount,
        }
    }
}

/// The earlier of two first-seen times, [`NEVER`] counting as no time at all.
fn earliest(a: i64, b: i64) -> i64 {
    match (a, b) {
        (NEVER, t) | (t, NEVER) => t,
        (a, b) => a.min(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: u32, direction: Direction, at: i64, amount: Option<f64>) -> EventRow {
        EventRow {
            customer: 0,
            kind,
            channel: 0,
            direction,
            at,
            amount,
            target: None,
        }
    }

    #[test]
    fn records_and_absorbs() {
        let mut a = ActivityColumns::default();
        a.fit(3);
        a.record(0, &row(7, Direction::Inbound, 50, Some(10.0)));
        a.record(0, &row(7, Direction::Outbound, 10, None));
        a.record(2, &row(7, Direction::Inbound, 20, Some(5.0)));
        a.record(2, &row(3, Direction::Inbound, 90, None));
        assert_eq!((a.count(0, 7), a.count(2, 3), a.count(1, 7)), (2, 1, 0));
        assert_eq!(a.first_seen(0), Some(50));
        assert_eq!(a.last_seen(1), None);
        assert!(a.amounts(3).is_none());
        a.absorb(0, 2);
        assert_eq!((a.count(0, 7), a.count(0, 3), a.count(2, 7)), (3, 1, 0));
        assert_eq!((a.first_seen(0), a.last_seen(0)), (Some(20), Some(90)));
        assert_eq!((a.amount(0, 7), a.amount(2, 7)), (15.0, 0.0));
        assert_eq!((a.first_seen(2), a.last_seen(2)), (None, None));
        assert_eq!(a.count(9, 7), 0, "past the columns reads as nothing");
        a.fit(10);
        assert_eq!(a.counts(7).map(<[u32]>::len), Some(10));
        assert_eq!(a.totals().len(), 10);
    }
}
