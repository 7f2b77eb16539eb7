//! Lifecycle measurement: ladder funnels, segment activity rates, stage entries per month
//! and retention by monthly cohort.

use std::collections::BTreeMap;

use super::Engine;
use crate::error::{invalid, Result};
use crate::event::Direction;
use crate::lifecycle::{
    month_name, month_of, ActivityRate, CohortRetention, Funnel, MonthlyCounts,
};
use crate::time::{to_micros, Timestamp};

impl Engine {
    /// A ladder's funnel for the period `[since, until)`: each live customer's stage at
    /// `until` (from the recorded moves), how many reached each stage or a higher one, the
    /// moves into each stage during the period, and the conversion between consecutive
    /// stages.
    pub fn funnel(&self, ladder: &str, since: Timestamp, until: Timestamp) -> Result<Funnel> {
        let since = to_micros(|| "since".into(), since)?;
        let until = to_micros(|| "until".into(), until)?;
        self.read(|s| {
            let l = super::ladders::ladder(s, ladder)?;
            let n = l.stages.len();
            let mut at_end = vec![0u8; s.customers.len()];
            let mut entered = vec![0u64; n];
            for m in &l.moves {
                let to = l.position(s.symbols.name(m.to));
                if m.at < until {
                    at_end[m.customer as usize] = to.unwrap_or(0) as u8;
                }
                if (since..until).contains(&m.at) {
                    if let Some(k) = to {
                        entered[k] += 1;
                    }
                }
            }
            let mut customers = vec![0u64; n];
            for idx in &s.index.live {
                if s.customers[idx as usize].created_at < until {
                    customers[usize::from(at_end[idx as usize]).min(n - 1)] += 1;
                }
            }
            let mut reached = customers.clone();
            for k in (0..n - 1).rev() {
                reached[k] += reached[k + 1];
            }
            let conversion = (0..n - 1)
                .map(|k| match reached[k] {
                    0 => 0.0,
                    r => reached[k + 1] as f64 / r as f64,
                })
                .collect();
            Ok(Funnel {
                stages: l.stages.clone(),
                customers,
                reached,
                entered,
                conversion,
            })
        })
    }

    /// The share of a segment's members with an inbound event in the last `days` days
    /// (to the engine clock).
    pub fn activity_rate(&self, expression: &str, days: u32) -> Result<ActivityRate> {
        if days == 0 {
            return Err(invalid("days", "must be at least 1"));
        }
        let members = self.count(expression)?;
        let active = self.count(&format!("({expression}) and last_seen within {days}d"))?;
        Ok(ActivityRate {
            members,
            active,
            rate: if members == 0 {
                0.0
            } else {
                active as f64 / members as f64
            },
        })
    }

    /// Moves into `stage` of a ladder per calendar month (UTC): new followers, members or
    /// fans per month.
    pub fn entries_per_month(&self, ladder: &str, stage: &str) -> Result<MonthlyCounts> {
        self.read(|s| {
            let l = super::ladders::ladder(s, ladder)?;
            if l.position(stage).is_none() {
                return Err(invalid(
                    "stage",
                    format!("ladder {ladder} has no stage {stage:?}"),
                ));
            }
            let mut by_month: BTreeMap<i64, u64> = BTreeMap::new();
            if let Some(sym) = s.symbols.get(stage) {
                for m in l.moves.iter().filter(|m| m.to == sym) {
                    *by_month.entry(month_of(m.at)).or_default() += 1;
                }
            }
            Ok(MonthlyCounts {
                months: by_month.keys().map(|&m| month_name(m)).collect(),
                counts: by_month.into_values().collect(),
            })
        })
    }

    /// Retention by monthly cohort over `months` months after each cohort's first month:
    /// customers grouped by the month of their first inbound event (those of merged
    /// profiles included), with the share active in each later month up to the clock.
    pub fn cohort_retention(&self, months: u32) -> Result<CohortRetention> {
        if months > 240 {
            return Err(invalid("months", "must be at most 240"));
        }
        let now = month_of(self.clock_micros());
        self.read(|s| {
            // Cohort month -> (size, active count per offset).
            let mut cohorts: BTreeMap<i64, (u64, Vec<u64>)> = BTreeMap::new();
            let mut active: Vec<i64> = Vec::new();
            for idx in &s.index.live {
                let slot = &s.customers[idx as usize];
                let Some(first) = s.activity.first_seen(idx) else {
                    continue;
                };
                let cohort = month_of(first);
                active.clear();
                for e in &slot.events {
                    if s.events.row(e.seq).direction == Direction::Inbound {
                        let k = month_of(e.at) - cohort;
                        if (0..=i64::from(months)).contains(&k) && active.last() != Some(&k) {
                            active.push(k);
                        }
                    }
                }
                let entry = cohorts
                    .entry(cohort)
                    .or_insert_with(|| (0, vec![0; months as usize + 1]));
                entry.0 += 1;
                for &k in &active {
                    entry.1[k as usize] += 1;
                }
            }
            let mut out = CohortRetention {
                retention: vec![Vec::new(); months as usize + 1],
                ..CohortRetention::default()
            };
            for (cohort, (size, counts)) in cohorts {
                out.cohorts.push(month_name(cohort));
                out.sizes.push(size);
                for (k, count) in counts.iter().enumerate() {
                    let share = match cohort + k as i64 > now {
                        true => f64::NAN,
                        false => *count as f64 / size as f64,
                    };
                    out.retention[k].push(share);
                }
            }
            Ok(out)
        })
    }
}
