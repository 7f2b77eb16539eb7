//! A customer's purchase history as the lifecycle models read it: the RFM summary
//! (frequency, recency, age `T`, mean repeat value) at a calibration instant, built like the
//! `lifetimes` package's `summary_data_from_transaction_data`.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::time::check_micros;

/// One customer's purchase summary at the end of a calibration window, times in periods.
///
/// Any valid summary has `frequency` a whole number, `0 <= recency <= t`, `monetary >= 0`,
/// all finite; times may be fractional (the models are continuous-time).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseSummary {
    /// Repeat purchases `x`: purchases after the first (a whole number).
    pub frequency: f64,
    /// `t_x`: time from the first purchase to the last one (0 without repeat purchases).
    pub recency: f64,
    /// `T`: time from the first purchase to the end of the calibration window.
    pub t: f64,
    /// Mean value of the repeat purchases, 0 without repeat purchases.
    pub monetary: f64,
}

impl PurchaseSummary {
    /// The summary of one customer's purchases (`times[i]` in microseconds since the Unix
    /// epoch, worth `amounts[i]`, in any order) at `calibration_end`, counted in periods of
    /// `period` microseconds (86,400,000,000 for days); `None` if no purchase counts.
    ///
    /// The semantics of lifetimes' `summary_data_from_transaction_data` with `freq` one
    /// period and `freq_multiplier` 1:
    /// - every instant is reduced to its period, `floor(micros / period)`: periods are
    ///   aligned on the Unix epoch, so days are UTC days, as pandas' daily periods of UTC
    ///   times (weeks start on a Thursday, unlike pandas' `W`, which ends on Sunday);
    /// - purchases in a period after the calibration instant's are ignored; those in the
    ///   same period count, even if later in it (lifetimes truncates the observation end to
    ///   its period too);
    /// - purchases in the same period count as one, worth the sum of their amounts;
    /// - `frequency` is the number of distinct periods after the first purchase's,
    ///   `recency` the last purchase's period minus the first's, `t` the calibration
    ///   instant's period minus the first's (so whole numbers), and `monetary` the mean of
    ///   the repeat periods' sums (the first period's purchases are left out), 0 without
    ///   repeat periods.
    ///
    /// Fails if the lengths differ, `period` is not positive, an instant is outside
    /// 1900..3000 or an amount is negative or not finite.
    pub fn from_purchases(
        times: &[i64],
        amounts: &[f64],
        calibration_end: i64,
        period: i64,
    ) -> Result<Option<PurchaseSummary>> {
        if times.len() != amounts.len() {
            return Err(invalid(
                "amounts",
                format!("has {} entries for {} times", amounts.len(), times.len()),
            ));
        }
        if period <= 0 {
            return Err(invalid(
                "period",
                format!("must be above 0 microseconds, got {period}"),
            ));
        }
        let end = check_micros(|| "calibration_end".into(), calibration_end)?.div_euclid(period);
        let mut purchases = Vec::with_capacity(times.len());
        for (i, (&time, &amount)) in times.iter().zip(amounts).enumerate() {
            let time = check_micros(|| format!("times[{i}]"), time)?;
            if !(amount >= 0.0 && amount.is_finite()) {
                return Err(invalid(
                    format!("amounts[{i}]"),
                    format!("must be at least 0 and finite, got {amount}"),
                ));
            }
            let at = time.div_euclid(period);
            if at <= end {
                purchases.push((at, amount));
            }
        }
        purchases.sort_unstable_by_key(|&(at, _)| at);
        let Some(&(first, _)) = purchases.first() else {
            return Ok(None);
        };
        // (period, summed amount) of each period with a purchase, after the first's.
        let mut repeats: Vec<(i64, f64)> = Vec::new();
        for &(at, amount) in purchases.iter().filter(|&&(at, _)| at > first) {
            match repeats.last_mut() {
                Some((last, sum)) if *last == at => *sum += amount,
                _ => repeats.push((at, amount)),
            }
        }
        let last = repeats.last().map_or(first, |&(at, _)| at);
        let frequency = repeats.len() as f64;
        let spent: f64 = repeats.iter().map(|&(_, sum)| sum).sum();
        Ok(Some(PurchaseSummary {
            frequency,
            recency: (last - first) as f64,
            t: (end - first) as f64,
            monetary: if repeats.is_empty() {
                0.0
            } else {
                spent / frequency
            },
        }))
    }

    /// Summaries from columns of equal length (`monetary` all 0 when None); fails naming the
    /// first column whose length differs from `frequency`'s (`summaries.recency`).
    pub fn from_columns(
        frequency: &[f64],
        recency: &[f64],
        t: &[f64],
        monetary: Option<&[f64]>,
    ) -> Result<Vec<PurchaseSummary>> {
        let n = frequency.len();
        let zeros = vec![0.0; if monetary.is_none() { n } else { 0 }];
        let monetary = monetary.unwrap_or(&zeros);
        for (name, len) in [
            ("recency", recency.len()),
            ("t", t.len()),
            ("monetary", monetary.len()),
        ] {
            if len != n {
                return Err(invalid(
                    format!("summaries.{name}"),
                    format!("has {len} items for {n} frequencies"),
                ));
            }
        }
        Ok((0..n)
            .map(|i| PurchaseSummary {
                frequency: frequency[i],
                recency: recency[i],
                t: t[i],
                monetary: monetary[i],
            })
            .collect())
    }

    /// Rejects a summary that no purchase history gives; `field` names it in errors, as
    /// in `summaries[3]`.
    pub(crate) fn check(&self, field: &str) -> Result<()> {
        let PurchaseSummary {
            frequency,
            recency,
            t,
            monetary,
        } = *self;
        for (name, value) in [
            ("frequency", frequency),
            ("recency", recency),
            ("t", t),
            ("monetary", monetary),
        ] {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(invalid(
                    format!("{field}.{name}"),
                    format!("must be at least 0 and finite, got {value}"),
                ));
            }
        }
        if frequency.fract() != 0.0 {
            return Err(invalid(
                format!("{field}.frequency"),
                format!("must be a whole number, got {frequency}"),
            ));
        }
        if recency > t {
            return Err(invalid(
                format!("{field}.recency"),
                format!("must be at most t ({t}), got {recency}"),
            ));
        }
        Ok(())
    }
}

/// Checks every summary of a non-empty set, naming the bad one as `summaries[i]`.
pub(crate) fn check_all(summaries: &[PurchaseSummary]) -> Result<()> {
    if summaries.is_empty() {
        return Err(invalid("summaries", "needs at least one customer"));
    }
    summaries
        .iter()
        .enumerate()
        .try_for_each(|(i, s)| s.check(&format!("summaries[{i}]")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000_000;
    /// 2020-01-01T00:00:00Z.
    const START: i64 = 1_577_836_800_000_000;

    fn summary(frequency: f64, recency: f64, t: f64, monetary: f64) -> PurchaseSummary {
        PurchaseSummary {
            frequency,
            recency,
            t,
            monetary,
        }
    }

    fn at(day: i64, hour: i64) -> i64 {
        START + day * DAY + hour * 3_600_000_000
    }

    #[test]
    fn columns_become_rows_or_name_the_short_one() {
        let rows = PurchaseSummary::from_columns(&[1.0, 0.0], &[3.0, 0.0], &[9.0, 4.0], None);
        assert_eq!(
            rows.unwrap(),
            vec![summary(1.0, 3.0, 9.0, 0.0), summary(0.0, 0.0, 4.0, 0.0)]
        );
        let short = PurchaseSummary::from_columns(&[1.0], &[3.0], &[9.0], Some(&[]));
        match short {
            Err(crate::Error::Validation { field, .. }) => assert_eq!(field, "summaries.monetary"),
            other => panic!("expected a validation error, got {other:?}"),
        }
        let table = crate::lifecycle::SummaryTable {
            ids: vec!["a".into()],
            frequency: vec![1.0],
            recency: vec![],
            t: vec![2.0],
            monetary: vec![0.0],
        };
        assert!(
            table.rows().is_err(),
            "a table whose columns differ is an error, not a panic"
        );
    }

    #[test]
    fn aggregates_purchases_per_period_like_lifetimes() {
        // Day 0 twice (the first period), day 3 twice (one repeat worth 30), day 10, and
        // day 40 after the calibration day 20, given out of order.
        let times = [
            at(10, 1),
            at(3, 5),
            at(0, 9),
            at(40, 0),
            at(3, 20),
            at(0, 1),
        ];
        let amounts = [5.0, 10.0, 100.0, 1_000.0, 20.0, 1.0];
        let got = PurchaseSummary::from_purchases(&times, &amounts, at(20, 0), DAY).unwrap();
        assert_eq!(got, Some(summary(2.0, 10.0, 20.0, 17.5)));
    }

    #[test]
    fn counts_the_calibration_period_whole() {
        // A purchase later on the calibration day counts; one the next day does not.
        let times = [at(0, 0), at(5, 23), at(6, 0)];
        let got = PurchaseSummary::from_purchases(&times, &[1.0; 3], at(5, 12), DAY).unwrap();
        assert_eq!(got, Some(summary(1.0, 5.0, 5.0, 1.0)));
        // Before 1970 periods still floor (toward earlier days).
        let early = [-DAY - 1, -1];
        let got = PurchaseSummary::from_purchases(&early, &[2.0, 3.0], 0, DAY).unwrap();
        assert_eq!(got, Some(summary(1.0, 1.0, 2.0, 3.0)));
    }

    #[test]
    fn one_period_of_purchases_has_no_repeats() {
        let times = [at(2, 1), at(2, 3)];
        let got = PurchaseSummary::from_purchases(&times, &[4.0, 6.0], at(9, 0), DAY).unwrap();
        assert_eq!(got, Some(summary(0.0, 0.0, 7.0, 0.0)));
        let none = PurchaseSummary::from_purchases(&[at(9, 0)], &[1.0], at(8, 0), DAY);
        assert_eq!(none.unwrap(), None);
        assert_eq!(
            PurchaseSummary::from_purchases(&[], &[], 0, DAY).unwrap(),
            None
        );
    }

    #[test]
    fn rejects_bad_purchases() {
        let field =
            |r: Result<Option<PurchaseSummary>>| r.unwrap_err().field().unwrap().to_string();
        assert_eq!(
            field(PurchaseSummary::from_purchases(&[0], &[], 0, DAY)),
            "amounts"
        );
        assert_eq!(
            field(PurchaseSummary::from_purchases(&[0], &[1.0], 0, 0)),
            "period"
        );
        let nan = PurchaseSummary::from_purchases(&[0, 1], &[1.0, f64::NAN], 0, DAY);
        assert_eq!(field(nan), "amounts[1]");
        let negative = PurchaseSummary::from_purchases(&[0], &[-1.0], 0, DAY);
        assert_eq!(field(negative), "amounts[0]");
        let far = PurchaseSummary::from_purchases(&[i64::MAX], &[1.0], 0, DAY);
        assert_eq!(field(far), "times[0]");
        let end = PurchaseSummary::from_purchases(&[0], &[1.0], i64::MIN, DAY);
        assert_eq!(field(end), "calibration_end");
    }

    #[test]
    fn check_names_the_bad_field() {
        let field = |s: PurchaseSummary| {
            s.check("summaries[3]")
                .unwrap_err()
                .field()
                .unwrap()
                .to_string()
        };
        assert!(summary(2.0, 3.0, 3.0, 0.0).check("s").is_ok());
        assert_eq!(field(summary(1.5, 1.0, 2.0, 0.0)), "summaries[3].frequency");
        assert_eq!(field(summary(1.0, 3.0, 2.0, 0.0)), "summaries[3].recency");
        assert_eq!(field(summary(1.0, -1.0, 2.0, 0.0)), "summaries[3].recency");
        assert_eq!(
            field(summary(1.0, 1.0, f64::INFINITY, 0.0)),
            "summaries[3].t"
        );
        assert_eq!(
            field(summary(1.0, 1.0, 2.0, f64::NAN)),
            "summaries[3].monetary"
        );
        assert_eq!(check_all(&[]).unwrap_err().field(), Some("summaries"));
        let bad = [summary(0.0, 0.0, 1.0, 0.0), summary(-1.0, 0.0, 1.0, 0.0)];
        assert_eq!(
            check_all(&bad).unwrap_err().field(),
            Some("summaries[1].frequency")
        );
    }
}
