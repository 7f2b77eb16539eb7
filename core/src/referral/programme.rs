//! Referral programmes and the engine-wide referral policy: what triggers a reward, who gets
//! how many points, the caps, dates, expiry and milestones, and the fraud thresholds.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::names::normalize_name;
use crate::time::{to_micros, Timestamp};

/// Deepest referral chain a programme may reward (a programme's own default is 3).
pub const MAX_LEVELS: usize = 10;
/// Most points one reward may carry.
pub const MAX_POINTS: i64 = 1_000_000_000_000;

/// What makes a referral pay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// The referred customer redeems the code (joins).
    Signup,
    /// The referred customer's first purchase event.
    FirstPurchase,
    /// Any purchase event of the referred customer of at least this amount.
    Purchase {
        /// Least amount that counts.
        min_amount: f64,
    },
    /// Any event of this kind by the referred customer.
    Event {
        /// The event kind.
        kind: String,
    },
}

/// A bonus for a referrer who reaches a number of converted referrals in a programme.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Converted referrals needed.
    pub referrals: u32,
    /// Bonus points, granted once.
    pub points: i64,
}

/// Limits on what a programme pays, in points.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Caps {
    /// Most points one referrer earns from the programme per UTC day.
    pub per_referrer_day: Option<i64>,
    /// Most points one referrer earns from the programme per calendar month (UTC).
    pub per_referrer_month: Option<i64>,
    /// Most points the programme pays in all, to both sides.
    pub budget: Option<i64>,
}

/// A referral programme. Rewards that would pass a cap are cut to what is left under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Unique name (letters, digits, `_`, `-`, `.`; folded to lower case).
    pub name: String,
    /// Only referrals through codes of this campaign; `None` for every referral.
    #[serde(default)]
    pub campaign: Option<String>,
    /// What pays.
    pub trigger: Trigger,
    /// Points for the direct referrer (level 1), before its level share.
    pub referrer_points: i64,
    /// Points for the referred customer (double-sided rewards); 0 for none.
    #[serde(default)]
    pub referee_points: i64,
    /// Share of `referrer_points`, in percent, for each level up the chain: `[100, 20, 5]`
    /// pays the referrer in full, their referrer 20% and the next 5%. Shares round down.
    #[serde(default = "full_share")]
    pub level_percents: Vec<u32>,
    /// Caps per referrer and budget.
    #[serde(default)]
    pub caps: Caps,
    /// First instant trigger events count (inclusive); `None` for always.
    #[serde(default)]
    pub starts_at: Option<Timestamp>,
    /// Instant from which trigger events no longer count; `None` for never.
    #[serde(default)]
    pub ends_at: Option<Timestamp>,
    /// Days after which earned points expire; `None` for never.
    #[serde(default)]
    pub expiry_days: Option<u32>,
    /// Bonuses for numbers of converted referrals.
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

fn full_share() -> Vec<u32> {
    vec![100]
}

impl Programme {
    /// A programme paying `referrer_points` to the direct referrer on `trigger`.
    pub fn new(name: &str, trigger: Trigger, referrer_points: i64) -> Self {
        Programme {
            name: name.to_string(),
            campaign: None,
            trigger,
            referrer_points,
            referee_points: 0,
            level_percents: full_share(),
            caps: Caps::default(),
            starts_at: None,
            ends_at: None,
            expiry_days: None,
            milestones: Vec::new(),
        }
    }

    /// Checks every field and returns the programme with names normalised.
    pub(crate) fn validated(&self) -> Result<Programme> {
        let mut p = self.clone();
        p.name = normalize_name(|| "programme.name".into(), &self.name)?.into_owned();
        if let Some(c) = &self.campaign {
            p.campaign = Some(normalize_name(|| "programme.campaign".into(), c)?.into_owned());
        }
        match &mut p.trigger {
            Trigger::Purchase { min_amount } if !(min_amount.is_finite() && *min_amount >= 0.0) => {
                return Err(invalid(
                    "programme.trigger.min_amount",
                    format!("must be finite and not negative, got {min_amount}"),
                ));
            }
            Trigger::Event { kind } => {
                *kind = normalize_name(|| "programme.trigger.kind".into(), kind)?.into_owned();
            }
            _ => {}
        }
        points("programme.referrer_points", self.referrer_points)?;
        points("programme.referee_points", self.referee_points)?;
        if self.level_percents.is_empty() || self.level_percents.len() > MAX_LEVELS {
            return Err(invalid(
                "programme.level_percents",
                format!(
                    "must list 1 to {MAX_LEVELS} levels, got {}",
                    self.level_percents.len()
                ),
            ));
        }
        if let Some((i, pct)) = self
            .level_percents
            .iter()
            .enumerate()
            .find(|(_, &p)| p > 100)
        {
            return Err(invalid(
                format!("programme.level_percents[{i}]"),
                format!("a share is 0 to 100 percent, got {pct}"),
            ));
        }
        for (name, cap) in [
            ("per_referrer_day", self.caps.per_referrer_day),
            ("per_referrer_month", self.caps.per_referrer_month),
            ("budget", self.caps.budget),
        ] {
            if let Some(cap) = cap {
                points(&format!("programme.caps.{name}"), cap)?;
            }
        }
        let start = self
            .starts_at
            .map(|t| to_micros(|| "programme.starts_at".into(), t))
            .transpose()?;
        let end = self
            .ends_at
            .map(|t| to_micros(|| "programme.ends_at".into(), t))
            .transpose()?;
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                return Err(invalid("programme.ends_at", "must come after starts_at"));
            }
        }
        if self.expiry_days == Some(0) || self.expiry_days.is_some_and(|d| d > 36_500) {
            return Err(invalid("programme.expiry_days", "must be 1 to 36500 days"));
        }
        for (i, m) in self.milestones.iter().enumerate() {
            if m.referrals == 0 {
                return Err(invalid(
                    format!("programme.milestones[{i}].referrals"),
                    "must be at least 1",
                ));
            }
            points(&format!("programme.milestones[{i}].points"), m.points)?;
        }
        p.milestones.sort_by_key(|m| m.referrals);
        if p.milestones
            .windows(2)
            .any(|w| w[0].referrals == w[1].referrals)
        {
            return Err(invalid(
                "programme.milestones",
                "two milestones need the same number of referrals",
            ));
        }
        Ok(p)
    }

    /// Whether an event at `at` (microseconds) falls in the programme's dates.
    pub(crate) fn running_at(&self, at: i64) -> bool {
        self.starts_at.is_none_or(|s| s.timestamp_micros() <= at)
            && self.ends_at.is_none_or(|e| at < e.timestamp_micros())
    }
}

fn points(field: &str, points: i64) -> Result<()> {
    if (0..=MAX_POINTS).contains(&points) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("points must be 0 to {MAX_POINTS}, got {points}"),
        ))
    }
}

/// How a limit's window is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// The calendar month (UTC) of the reward.
    CalendarMonth,
    /// The calendar year (UTC) of the reward.
    CalendarYear,
    /// The 30 days up to the reward.
    RollingMonth,
    /// The 365 days up to the reward.
    RollingYear,
    /// All time.
    Lifetime,
}

/// What a global allowance counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllowanceUnit {
    /// Number of rewards.
    Rewards,
    /// Points.
    Points,
}

/// A limit on what one customer earns across every programme, as referrer and as referee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowance {
    /// Most rewards or points in a window.
    pub limit: i64,
    /// What the limit counts.
    pub unit: AllowanceUnit,
    /// The window.
    pub window: Window,
}

/// Engine-wide referral rules; [`Default`] is the documented default of every field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralPolicy {
    /// Symbols per invite code, 6 to 16; default 8.
    pub code_length: u32,
    /// Hours a customer may have existed before redeeming and still count as new; an older
    /// customer's redemption is held as `existing_referee`. Default 24.
    pub new_customer_hours: u32,
    /// Refuse (rather than hold) redemptions by customers who already existed. Default false.
    pub reject_existing_referees: bool,
    /// More redemptions of one referrer's codes than this in an hour are held as
    /// `velocity`. Default 20.
    pub max_redemptions_per_hour: u32,
    /// Hours after redemption until a referral's rewards are released, for example the
    /// return window of a first purchase; 0 releases them at once. Default 0.
    pub approval_delay_hours: u32,
    /// A limit across programmes per customer; `None` for none.
    pub allowance: Option<Allowance>,
}

impl Default for ReferralPolicy {
    fn default() -> Self {
        ReferralPolicy {
            code_length: 8,
            new_customer_hours: 24,
            reject_existing_referees: false,
            max_redemptions_per_hour: 20,
            approval_delay_hours: 0,
            allowance: None,
        }
    }
}

impl ReferralPolicy {
    /// Checks the policy.
    pub(crate) fn validate(&self) -> Result<()> {
        if !super::code::CODE_LENS.contains(&(self.code_length as usize)) {
            return Err(invalid("policy.code_length", "must be 6 to 16"));
        }
        if let Some(a) = &self.allowance {
            if a.limit < 0 {
                return Err(invalid("policy.allowance.limit", "must not be negative"));
            }
        }
        Ok(())
    }
}
