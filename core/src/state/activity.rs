//! Per-customer event aggregates, updated as events arrive and combined on merge.

use std::collections::BTreeMap;

use super::Symbols;
use crate::customer::Activity;
use crate::event::{Direction, EventRow};
use crate::time::from_micros;

/// Running aggregates over one customer's events.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActivityAgg {
    first_seen: Option<i64>,
    last_seen: Option<i64>,
    inbound: u64,
    outbound: u64,
    total_amount: f64,
    /// Count and amount per kind symbol, sorted by symbol.
    per_kind: Vec<KindAgg>,
}

impl ActivityAgg {
    /// Adds one event.
    pub fn record(&mut self, row: &EventRow) {
        match row.direction {
            Direction::Inbound => {
                self.inbound += 1;
                self.first_seen = Some(self.first_seen.map_or(row.at, |t| t.min(row.at)));
                self.last_seen = Some(self.last_seen.map_or(row.at, |t| t.max(row.at)));
                self.total_amount += row.amount.unwrap_or(0.0);
            }
            Direction::Outbound => self.outbound += 1,
        }
        self.add_kind(KindAgg {
            kind: row.kind,
            count: 1,
            amount: row.amount.unwrap_or(0.0),
        });
    }

    /// Adds another customer's aggregates (on merge).
    pub fn absorb(&mut self, other: &ActivityAgg) {
        self.first_seen = min_opt(self.first_seen, other.first_seen);
        self.last_seen = self.last_seen.max(other.last_seen);
        self.inbound += other.inbound;
        self.outbound += other.outbound;
        self.total_amount += other.total_amount;
        for &agg in &other.per_kind {
            self.add_kind(agg);
        }
    }

    /// Time of the first inbound event.
    pub fn first_seen(&self) -> Option<i64> {
        self.first_seen
    }

    /// Time of the latest inbound event.
    pub fn last_seen(&self) -> Option<i64> {
        self.last_seen
    }

    /// Number of events of a kind, both directions.
    pub fn count(&self, kind: u32) -> u64 {
        self.of_kind(kind).map_or(0, |k| k.count)
    }

    /// Sum of the amounts of events of a kind, both directions.
    pub fn amount(&self, kind: u32) -> f64 {
        self.of_kind(kind).map_or(0.0, |k| k.amount)
    }

    fn of_kind(&self, kind: u32) -> Option<&KindAgg> {
        let i = self.per_kind.binary_search_by_key(&kind, |k| k.kind).ok()?;
        Some(&self.per_kind[i])
    }

    fn add_kind(&mut self, agg: KindAgg) {
        match self.per_kind.binary_search_by_key(&agg.kind, |k| k.kind) {
            Ok(i) => {
                self.per_kind[i].count += agg.count;
                self.per_kind[i].amount += agg.amount;
            }
            Err(i) => self.per_kind.insert(i, agg),
        }
    }

    /// The public view, with kind names resolved.
    pub fn render(&self, symbols: &Symbols) -> Activity {
        Activity {
            first_seen: self.first_seen.map(from_micros),
            last_seen: self.last_seen.map(from_micros),
            inbound: self.inbound,
            outbound: self.outbound,
            counts: self
                .per_kind
                .iter()
                .map(|k| (symbols.name(k.kind).to_string(), k.count))
                .collect::<BTreeMap<_, _>>(),
            total_amount: self.total_amount,
        }
    }
}

/// Events of one kind.
#[derive(Clone, Copy, Debug)]
struct KindAgg {
    kind: u32,
    count: u64,
    amount: f64,
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
