//! RFM: recency, frequency and monetary value of every buyer's purchases, their quantile
//! scores 1..5 over the buyers, and the named segments of RFM practice.
//!
//! A buyer is a live customer with at least one `purchase` event (either direction) at or
//! before the clock; later purchases are not counted. Recency is the days from the last
//! purchase to the clock, frequency the number of purchases, monetary the sum of their
//! amounts (missing amounts count 0).
//!
//! Scores rank each measure among the buyers: a buyer whose value is better than a share
//! `q` of the buyers scores `1 + floor(5 q)` (at most 5), where better is more recent, more
//! frequent or higher; tied buyers share a score. Segments read the `r` and `f` scores:
//!
//! | r \ f | 1           | 2                   | 3                   | 4       | 5           |
//! | ----- | ----------- | ------------------- | ------------------- | ------- | ----------- |
//! | 5     | new         | potential_loyalists | potential_loyalists | champions | champions |
//! | 4     | new         | potential_loyalists | potential_loyalists | loyal   | loyal       |
//! | 3     | hibernating | hibernating         | potential_loyalists | loyal   | loyal       |
//! | 2     | hibernating | hibernating         | at_risk             | at_risk | cannot_lose |
//! | 1     | lost        | lost                | at_risk             | at_risk | cannot_lose |
//!
//! This is the common r/f segment map of RFM practice (champions `5[4-5]`, loyal
//! `[3-4][4-5]`, potential loyalists `[4-5][2-3]`, new `[4-5]1`, at risk `[1-2][3-4]`,
//! cannot lose `[1-2]5`, hibernating `[1-2][1-2]`), with its "about to sleep" cells (`3[1-2]`)
//! folded into hibernating, "need attention" (`33`) into potential loyalists, and `1[1-2]`,
//! the least recent and least frequent, named lost.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::event::kinds;
use crate::state::State;

/// Microseconds per day.
const DAY: f64 = 86_400_000_000.0;

/// A named RFM segment (see the module table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmSegment {
    /// Bought recently and often.
    Champions,
    /// Buy often, fairly recently.
    Loyal,
    /// Recent buyers with a few purchases.
    PotentialLoyalists,
    /// Recent first-time buyers.
    New,
    /// Bought often, but not lately.
    AtRisk,
    /// Bought most often, long ago.
    CannotLose,
    /// Bought rarely, a while ago.
    Hibernating,
    /// Bought rarely, longest ago.
    Lost,
}

impl RfmSegment {
    /// Every segment, in the order above.
    pub const ALL: [RfmSegment; 8] = [
        RfmSegment::Champions,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalists,
        RfmSegment::New,
        RfmSegment::AtRisk,
        RfmSegment::CannotLose,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    /// The segment of a buyer with these recency and frequency scores (1..5).
    pub fn of(r: u8, f: u8) -> RfmSegment {
        use RfmSegment::*;
        /// Rows r = 1..5, columns f = 1..5: the module table.
        const MAP: [[RfmSegment; 5]; 5] = [
            [Lost, Lost, AtRisk, AtRisk, CannotLose],
            [Hibernating, Hibernating, AtRisk, AtRisk, CannotLose],
            [Hibernating, Hibernating, PotentialLoyalists, Loyal, Loyal],
            [New, PotentialLoyalists, PotentialLoyalists, Loyal, Loyal],
            [
                New,
                PotentialLoyalists,
                PotentialLoyalists,
                Champions,
                Champions,
            ],
        ];
        let cell = |s: u8| usize::from(s.clamp(1, 5) - 1);
        MAP[cell(r)][cell(f)]
    }

    /// The snake-case name (`potential_loyalists`).
    pub fn as_str(self) -> &'static str {
        match self {
            RfmSegment::Champions => "champions",
            RfmSegment::Loyal => "loyal",
            RfmSegment::PotentialLoyalists => "potential_loyalists",
            RfmSegment::New => "new",
            RfmSegment::AtRisk => "at_risk",
            RfmSegment::CannotLose => "cannot_lose",
            RfmSegment::Hibernating => "hibernating",
            RfmSegment::Lost => "lost",
        }
    }

    /// The segment with this name, if any.
    pub fn parse(name: &str) -> Option<RfmSegment> {
        RfmSegment::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for RfmSegment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every buyer's RFM at the engine clock, as columns (row `i` of each is one buyer).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RfmTable {
    /// External ids of the buyers, in creation order.
    pub ids: Vec<String>,
    /// Days from the last purchase to the clock.
    pub recency_days: Vec<f64>,
    /// Number of purchases.
    pub frequency: Vec<u64>,
    /// Sum of the purchase amounts.
    pub monetary: Vec<f64>,
    /// Recency score, 1..5 (5 = most recent).
    pub r: Vec<u8>,
    /// Frequency score, 1..5.
    pub f: Vec<u8>,
    /// Monetary score, 1..5.
    pub m: Vec<u8>,
    /// Named segment.
    pub segment: Vec<RfmSegment>,
}

/// RFM of every customer at one instant, by customer index; `r == 0` for non-buyers.
#[derive(Debug, Default)]
pub(crate) struct Rfm {
    pub last: Vec<i64>,
    pub frequency: Vec<u64>,
    pub monetary: Vec<f64>,
    pub r: Vec<u8>,
    pub f: Vec<u8>,
    pub m: Vec<u8>,
}

impl Rfm {
    /// Computes every live customer's RFM at `now`.
    pub fn compute(state: &State, now: i64) -> Rfm {
        let n = state.customers.len();
        let mut rfm = Rfm {
            last: vec![i64::MIN; n],
            frequency: vec![0; n],
            monetary: vec![0.0; n],
            r: vec![0; n],
            f: vec![0; n],
            m: vec![0; n],
        };
        let Some(kind) = state.symbols.get(kinds::PURCHASE) else {
            return rfm;
        };
        let mut buyers: Vec<u32> = Vec::new();
        for idx in &state.index.live {
            let slot = &state.customers[idx as usize];
            if state.activity.count(idx, kind) == 0 {
                continue;
            }
            let i = idx as usize;
            let end = slot.events.partition_point(|e| e.at <= now);
            for e in slot.events[..end].iter().filter(|e| e.kind() == kind) {
                rfm.frequency[i] += 1;
                rfm.monetary[i] += state.events.row(e.seq).amount.unwrap_or(0.0);
                rfm.last[i] = e.at;
            }
            if rfm.frequency[i] > 0 {
                buyers.push(idx);
            }
        }
        let last: Vec<f64> = buyers
            .iter()
            .map(|&i| rfm.last[i as usize] as f64)
            .collect();
        let freq: Vec<f64> = buyers
            .iter()
            .map(|&i| rfm.frequency[i as usize] as f64)
            .collect();
        let money: Vec<f64> = buyers.iter().map(|&i| rfm.monetary[i as usize]).collect();
        for (values, out) in [(last, &mut rfm.r), (freq, &mut rfm.f), (money, &mut rfm.m)] {
            let scores = quintiles(&values);
            for (&idx, s) in buyers.iter().zip(scores) {
                out[idx as usize] = s;
            }
        }
        rfm
    }

    /// The segment of customer `idx`, if a buyer.
    pub fn segment(&self, idx: u32) -> Option<RfmSegment> {
        let i = idx as usize;
        match self.r.get(i) {
            Some(&r) if r > 0 => Some(RfmSegment::of(r, self.f[i])),
            _ => None,
        }
    }

    /// The table of the buyers, at `now`.
    pub fn table(&self, state: &State, now: i64) -> RfmTable {
        let mut t = RfmTable::default();
        for idx in &state.index.live {
            let i = idx as usize;
            let Some(segment) = self.segment(idx) else {
                continue;
            };
            t.ids.push(state.external_id(i as u32));
            t.recency_days.push((now - self.last[i]) as f64 / DAY);
            t.frequency.push(self.frequency[i]);
            t.monetary.push(self.monetary[i]);
            t.r.push(self.r[i]);
            t.f.push(self.f[i]);
            t.m.push(self.m[i]);
            t.segment.push(segment);
        }
        t
    }
}

/// Scores 1..5 of `values` (larger is better): `1 + floor(5 q)` where `q` is the share of
/// values strictly below, capped at 5.
fn quintiles(values: &[f64]) -> Vec<u8> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let n = values.len() as u64;
    values
        .iter()
        .map(|&v| {
            let below = sorted.partition_point(|&x| x < v) as u64;
            (1 + 5 * below / n).min(5) as u8
        })
        .collect()
}

/// The RFM computed at one clock value, reused until the next event or profile change.
#[derive(Debug, Default)]
pub(crate) struct RfmCache {
    cached: Mutex<Option<(i64, Arc<Rfm>)>>,
}

impl RfmCache {
    /// The RFM at `now`, computed on first use.
    pub fn get(&self, state: &State, now: i64) -> Arc<Rfm> {
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        match &*cached {
            Some((at, rfm)) if *at == now => rfm.clone(),
            _ => {
                let rfm = Arc::new(Rfm::compute(state, now));
                *cached = Some((now, rfm.clone()));
                rfm
            }
        }
    }

    /// Drops the cached RFM (after events or profile changes).
    pub fn clear(&mut self) {
        *self
            .cached
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_is_reachable_and_scores_clamp() {
        let cells: Vec<RfmSegment> = (1..=5)
            .flat_map(|r| (1..=5).map(move |f| RfmSegment::of(r, f)))
            .collect();
        for s in RfmSegment::ALL {
            assert!(cells.contains(&s), "{s:?} is in no cell");
            assert_eq!(RfmSegment::parse(s.as_str()), Some(s));
        }
        assert_eq!(RfmSegment::of(5, 5), RfmSegment::Champions);
        assert_eq!(RfmSegment::of(1, 1), RfmSegment::Lost);
        assert_eq!(RfmSegment::of(0, 9), RfmSegment::of(1, 5));
        // Lost and champions sit at the two ends of recency only.
        for f in 1..=5 {
            for r in 2..=5 {
                assert_ne!(RfmSegment::of(r, f), RfmSegment::Lost);
            }
            for r in 1..=4 {
                assert_ne!(RfmSegment::of(r, f), RfmSegment::Champions);
            }
        }
    }

    #[test]
    fn quintiles_rank_with_ties() {
        let values: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(quintiles(&values), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
        assert_eq!(quintiles(&[3.0, 3.0, 3.0]), [1, 1, 1]);
        assert_eq!(quintiles(&[1.0, 2.0]), [1, 3]);
    }
}
