//! Referral programmes and the points ledger: the policy, programmes (trigger, caps,
//! milestones), invite codes, referrals and their status, ledger entries, balances and the
//! programme figures.
//!
//! Points are `number`s. The core keeps them as 64-bit integers, but every reward, cap and
//! milestone is at most `MAX_POINTS` (10^12), so balances stay far inside the 2^53 − 1 a
//! number holds exactly; an input that is not an integer is a `VALIDATION` error.

use chrono::{DateTime, Utc};
use napi_derive::napi;

use super::time::{optional, DateInput};
use super::{count, points, points_in, small};

/// Where a referral stands.
#[napi(string_enum = "snake_case")]
pub enum ReferralStatus {
    /// Valid; rewards are held until the approval delay has passed.
    Pending,
    /// Valid and released: its rewards are spendable.
    Approved,
    /// Held by a fraud check until a person approves or rejects it.
    Flagged,
    /// Rejected, or voided by a refund: its rewards were taken back.
    Voided,
}

impl From<ReferralStatus> for scrm::ReferralStatus {
    fn from(s: ReferralStatus) -> Self {
        match s {
            ReferralStatus::Pending => scrm::ReferralStatus::Pending,
            ReferralStatus::Approved => scrm::ReferralStatus::Approved,
            ReferralStatus::Flagged => scrm::ReferralStatus::Flagged,
            ReferralStatus::Voided => scrm::ReferralStatus::Voided,
        }
    }
}

impl From<scrm::ReferralStatus> for ReferralStatus {
    fn from(s: scrm::ReferralStatus) -> Self {
        match s {
            scrm::ReferralStatus::Pending => ReferralStatus::Pending,
            scrm::ReferralStatus::Approved => ReferralStatus::Approved,
            scrm::ReferralStatus::Flagged => ReferralStatus::Flagged,
            scrm::ReferralStatus::Voided => ReferralStatus::Voided,
        }
    }
}

/// Why a fraud check held a referral.
#[napi(string_enum = "snake_case")]
pub enum HoldReason {
    /// Referrer and referred customer are one person: the same profile after a merge, or
    /// an identity conflict between them.
    SelfReferral,
    /// The referred customer is already up the referrer's chain: the edge would close a ring.
    Ring,
    /// The referrer's codes were redeemed more often in the last hour than the policy allows.
    Velocity,
    /// The referred customer existed before the redemption.
    ExistingReferee,
}

impl From<scrm::HoldReason> for HoldReason {
    fn from(h: scrm::HoldReason) -> Self {
        match h {
            scrm::HoldReason::SelfReferral => HoldReason::SelfReferral,
            scrm::HoldReason::Ring => HoldReason::Ring,
            scrm::HoldReason::Velocity => HoldReason::Velocity,
            scrm::HoldReason::ExistingReferee => HoldReason::ExistingReferee,
        }
    }
}

/// What a ledger entry records.
#[napi(string_enum = "snake_case")]
pub enum EntryKind {
    /// Points earned (a reward).
    Earn,
    /// Points spent.
    Redeem,
    /// Points that reached their expiry unspent.
    Expire,
    /// Points taken back (a referral voided after a refund or a rejection).
    Reverse,
    /// A correction by hand, either sign.
    Adjust,
}

impl From<scrm::EntryKind> for EntryKind {
    fn from(k: scrm::EntryKind) -> Self {
        match k {
            scrm::EntryKind::Earn => EntryKind::Earn,
            scrm::EntryKind::Redeem => EntryKind::Redeem,
            scrm::EntryKind::Expire => EntryKind::Expire,
            scrm::EntryKind::Reverse => EntryKind::Reverse,
            scrm::EntryKind::Adjust => EntryKind::Adjust,
        }
    }
}

/// How an allowance's window is counted.
#[napi(string_enum = "snake_case")]
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

/// What an allowance counts.
#[napi(string_enum = "snake_case")]
pub enum AllowanceUnit {
    /// Number of rewards.
    Rewards,
    /// Points.
    Points,
}

/// A limit on what one customer earns across every programme, as referrer and as referee.
#[napi(object)]
pub struct Allowance {
    /// Most rewards or points in a window; not negative.
    pub limit: f64,
    /// What the limit counts.
    pub unit: AllowanceUnit,
    /// The window.
    pub window: Window,
}

impl Allowance {
    fn into_core(self) -> scrm::Result<scrm::Allowance> {
        Ok(scrm::Allowance {
            limit: points_in("policy.allowance.limit", self.limit)?,
            unit: match self.unit {
                AllowanceUnit::Rewards => scrm::AllowanceUnit::Rewards,
                AllowanceUnit::Points => scrm::AllowanceUnit::Points,
            },
            window: match self.window {
                Window::CalendarMonth => scrm::Window::CalendarMonth,
                Window::CalendarYear => scrm::Window::CalendarYear,
                Window::RollingMonth => scrm::Window::RollingMonth,
                Window::RollingYear => scrm::Window::RollingYear,
                Window::Lifetime => scrm::Window::Lifetime,
            },
        })
    }

    fn from_core(a: scrm::Allowance) -> Self {
        Allowance {
            limit: points(a.limit),
            unit: match a.unit {
                scrm::AllowanceUnit::Rewards => AllowanceUnit::Rewards,
                scrm::AllowanceUnit::Points => AllowanceUnit::Points,
            },
            window: match a.window {
                scrm::Window::CalendarMonth => Window::CalendarMonth,
                scrm::Window::CalendarYear => Window::CalendarYear,
                scrm::Window::RollingMonth => Window::RollingMonth,
                scrm::Window::RollingYear => Window::RollingYear,
                scrm::Window::Lifetime => Window::Lifetime,
            },
        }
    }
}

/// Engine-wide referral rules to set. `setReferralPolicy` replaces the whole policy: each
/// field left out takes its documented default, not the value in force.
#[napi(object, object_to_js = false)]
pub struct ReferralPolicyInput {
    /// Symbols per invite code, 6 to 16; default 8.
    pub code_length: Option<f64>,
    /// Hours a customer may have existed before redeeming and still count as new; an
    /// older customer's redemption is held as `existing_referee`. Default 24.
    pub new_customer_hours: Option<f64>,
    /// Refuse (rather than hold) redemptions by customers who already existed. Default false.
    pub reject_existing_referees: Option<bool>,
    /// More redemptions of one referrer's codes than this in an hour are held as
    /// `velocity`. Default 20.
    pub max_redemptions_per_hour: Option<f64>,
    /// Hours after redemption until a referral's rewards are released (for example the
    /// return window of a first purchase); 0 releases them at once. Default 0.
    pub approval_delay_hours: Option<f64>,
    /// A limit across programmes per customer; none when left out.
    pub allowance: Option<Allowance>,
}

impl ReferralPolicyInput {
    /// The core policy, the core's defaults for what is left out.
    pub fn into_core(self) -> scrm::Result<scrm::ReferralPolicy> {
        let default = scrm::ReferralPolicy::default();
        let whole = |field: &str, n: Option<f64>, default: u32| match n {
            Some(n) => small(&format!("policy.{field}"), n),
            None => Ok(default),
        };
        Ok(scrm::ReferralPolicy {
            code_length: whole("code_length", self.code_length, default.code_length)?,
            new_customer_hours: whole(
                "new_customer_hours",
                self.new_customer_hours,
                default.new_customer_hours,
            )?,
            reject_existing_referees: self
                .reject_existing_referees
                .unwrap_or(default.reject_existing_referees),
            max_redemptions_per_hour: whole(
                "max_redemptions_per_hour",
                self.max_redemptions_per_hour,
                default.max_redemptions_per_hour,
            )?,
            approval_delay_hours: whole(
                "approval_delay_hours",
                self.approval_delay_hours,
                default.approval_delay_hours,
            )?,
            allowance: match self.allowance {
                Some(a) => Some(a.into_core()?),
                None => default.allowance,
            },
        })
    }
}

/// The referral rules in force, every field filled in.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct ReferralPolicy {
    /// Symbols per invite code.
    pub code_length: u32,
    /// Hours a customer may have existed before redeeming and still count as new.
    pub new_customer_hours: u32,
    /// Whether redemptions by customers who already existed are refused rather than held.
    pub reject_existing_referees: bool,
    /// Redemptions of one referrer's codes per hour above which they are held.
    pub max_redemptions_per_hour: u32,
    /// Hours after redemption until a referral's rewards are released.
    pub approval_delay_hours: u32,
    /// The limit across programmes per customer, if any.
    pub allowance: Option<Allowance>,
}

impl From<scrm::ReferralPolicy> for ReferralPolicy {
    fn from(p: scrm::ReferralPolicy) -> Self {
        ReferralPolicy {
            code_length: p.code_length,
            new_customer_hours: p.new_customer_hours,
            reject_existing_referees: p.reject_existing_referees,
            max_redemptions_per_hour: p.max_redemptions_per_hour,
            approval_delay_hours: p.approval_delay_hours,
            allowance: p.allowance.map(Allowance::from_core),
        }
    }
}

/// What makes a referral pay: `{ type: 'signup' }` (the referred customer redeems the
/// code), `{ type: 'first_purchase' }` (their first `purchase` event), `{ type: 'purchase',
/// minAmount }` (any purchase of at least that amount) or `{ type: 'event', kind }` (any
/// event of that kind by the referred customer).
#[napi(discriminant = "type", discriminant_case = "snake_case")]
pub enum Trigger {
    /// The referred customer redeems the code (joins).
    Signup,
    /// The referred customer's first purchase event.
    FirstPurchase,
    /// Any purchase event of the referred customer of at least `minAmount` (finite, not
    /// negative).
    Purchase { min_amount: f64 },
    /// Any event of this kind by the referred customer.
    Event { kind: String },
}

impl From<Trigger> for scrm::Trigger {
    fn from(t: Trigger) -> Self {
        match t {
            Trigger::Signup => scrm::Trigger::Signup,
            Trigger::FirstPurchase => scrm::Trigger::FirstPurchase,
            Trigger::Purchase { min_amount } => scrm::Trigger::Purchase { min_amount },
            Trigger::Event { kind } => scrm::Trigger::Event { kind },
        }
    }
}

impl From<scrm::Trigger> for Trigger {
    fn from(t: scrm::Trigger) -> Self {
        match t {
            scrm::Trigger::Signup => Trigger::Signup,
            scrm::Trigger::FirstPurchase => Trigger::FirstPurchase,
            scrm::Trigger::Purchase { min_amount } => Trigger::Purchase { min_amount },
            scrm::Trigger::Event { kind } => Trigger::Event { kind },
        }
    }
}

/// A bonus for a referrer who reaches a number of converted referrals in a programme.
#[napi(object)]
pub struct Milestone {
    /// Converted referrals needed (at least 1).
    pub referrals: f64,
    /// Bonus points (0 to 10^12), granted once.
    pub points: f64,
}

/// Limits on what a programme pays, in points (each 0 to 10^12; none when left out).
/// Rewards that would pass a cap are cut to what is left under it.
#[napi(object, object_to_js = false)]
pub struct CapsInput {
    /// Most points one referrer earns from the programme per UTC day.
    pub per_referrer_day: Option<f64>,
    /// Most points one referrer earns from the programme per calendar month (UTC).
    pub per_referrer_month: Option<f64>,
    /// Most points the programme pays in all, to both sides.
    pub budget: Option<f64>,
}

/// A programme's limits, in points; `null` for none.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Caps {
    /// Most points one referrer earns from the programme per UTC day.
    pub per_referrer_day: Option<f64>,
    /// Most points one referrer earns from the programme per calendar month (UTC).
    pub per_referrer_month: Option<f64>,
    /// Most points the programme pays in all, to both sides.
    pub budget: Option<f64>,
}

/// A referral programme to define. Fields left out take the core's defaults: no campaign,
/// no referee points, `levelPercents` `[100]`, no caps, no dates, no expiry, no milestones.
#[napi(object, object_to_js = false)]
pub struct ProgrammeInput {
    /// Unique name (letters, digits, `_`, `-`, `.`; folded to lower case). Defining a
    /// programme of an existing name replaces it (its past rewards stay).
    pub name: String,
    /// Only referrals through codes of this campaign; every referral when left out.
    pub campaign: Option<String>,
    /// What pays.
    pub trigger: Trigger,
    /// Points (0 to 10^12) for the direct referrer (level 1), before its level share.
    pub referrer_points: f64,
    /// Points (0 to 10^12) for the referred customer (double-sided rewards); default 0.
    pub referee_points: Option<f64>,
    /// Share of `referrerPoints`, in percent (0 to 100), for each level up the chain, 1 to
    /// 10 levels: `[100, 20, 5]` pays the referrer in full, their referrer 20% and the next
    /// 5%. Shares round down. Default `[100]`.
    pub level_percents: Option<Vec<f64>>,
    /// Caps per referrer and budget.
    pub caps: Option<CapsInput>,
    /// First instant trigger events count (inclusive); always when left out.
    pub starts_at: Option<DateInput>,
    /// Instant from which trigger events no longer count (after `startsAt`); never when
    /// left out.
    pub ends_at: Option<DateInput>,
    /// Days (1 to 36500) after which earned points expire; never when left out.
    pub expiry_days: Option<f64>,
    /// Bonuses for numbers of converted referrals.
    pub milestones: Option<Vec<Milestone>>,
}

impl ProgrammeInput {
    /// The core programme; conversion errors name `programme.…` like the core does.
    pub fn into_core(self) -> scrm::Result<scrm::Programme> {
        let cap = |name: &str, n: Option<f64>| {
            n.map(|n| points_in(&format!("programme.caps.{name}"), n))
                .transpose()
        };
        let referrer_points = points_in("programme.referrer_points", self.referrer_points)?;
        let mut p = scrm::Programme::new(&self.name, self.trigger.into(), referrer_points);
        p.campaign = self.campaign;
        if let Some(n) = self.referee_points {
            p.referee_points = points_in("programme.referee_points", n)?;
        }
        if let Some(levels) = self.level_percents {
            p.level_percents = levels
                .into_iter()
                .enumerate()
                .map(|(i, n)| small(&format!("programme.level_percents[{i}]"), n))
                .collect::<scrm::Result<_>>()?;
        }
        if let Some(caps) = self.caps {
            p.caps = scrm::Caps {
                per_referrer_day: cap("per_referrer_day", caps.per_referrer_day)?,
                per_referrer_month: cap("per_referrer_month", caps.per_referrer_month)?,
                budget: cap("budget", caps.budget)?,
            };
        }
        p.starts_at = optional(&self.starts_at, || "programme.starts_at".into())?;
        p.ends_at = optional(&self.ends_at, || "programme.ends_at".into())?;
        p.expiry_days = self
            .expiry_days
            .map(|n| small("programme.expiry_days", n))
            .transpose()?;
        if let Some(milestones) = self.milestones {
            p.milestones = milestones
                .into_iter()
                .enumerate()
                .map(|(i, m)| {
                    let field = |name: &str| format!("programme.milestones[{i}].{name}");
                    Ok(scrm::Milestone {
                        referrals: small(&field("referrals"), m.referrals)?,
                        points: points_in(&field("points"), m.points)?,
                    })
                })
                .collect::<scrm::Result<_>>()?;
        }
        Ok(p)
    }
}

/// A referral programme as stored, names normalised and every field filled in.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Programme {
    /// Unique name.
    pub name: String,
    /// The campaign whose codes it rewards, or `null` for every referral.
    pub campaign: Option<String>,
    /// What pays.
    pub trigger: Trigger,
    /// Points for the direct referrer, before its level share.
    pub referrer_points: f64,
    /// Points for the referred customer.
    pub referee_points: f64,
    /// Share of `referrerPoints`, in percent, for each level up the chain.
    pub level_percents: Vec<u32>,
    /// Caps per referrer and budget.
    pub caps: Caps,
    /// First instant trigger events count, or `null` for always.
    pub starts_at: Option<DateTime<Utc>>,
    /// Instant from which trigger events no longer count, or `null` for never.
    pub ends_at: Option<DateTime<Utc>>,
    /// Days after which earned points expire, or `null` for never.
    pub expiry_days: Option<u32>,
    /// Bonuses for numbers of converted referrals, by number of referrals.
    pub milestones: Vec<Milestone>,
}

impl From<scrm::Programme> for Programme {
    fn from(p: scrm::Programme) -> Self {
        Programme {
            name: p.name,
            campaign: p.campaign,
            trigger: p.trigger.into(),
            referrer_points: points(p.referrer_points),
            referee_points: points(p.referee_points),
            level_percents: p.level_percents,
            caps: Caps {
                per_referrer_day: p.caps.per_referrer_day.map(points),
                per_referrer_month: p.caps.per_referrer_month.map(points),
                budget: p.caps.budget.map(points),
            },
            starts_at: p.starts_at,
            ends_at: p.ends_at,
            expiry_days: p.expiry_days,
            milestones: p
                .milestones
                .into_iter()
                .map(|m| Milestone {
                    referrals: f64::from(m.referrals),
                    points: points(m.points),
                })
                .collect(),
        }
    }
}

/// An invite code and who it belongs to.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct InviteCode {
    /// The code, as customers type it (case and dashes do not matter when redeeming).
    pub code: String,
    /// The customer who shares it (current id).
    pub customer: String,
    /// The campaign it was issued for, or `null`.
    pub campaign: Option<String>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

impl From<scrm::InviteCode> for InviteCode {
    fn from(c: scrm::InviteCode) -> Self {
        InviteCode {
            code: c.code,
            customer: c.customer,
            campaign: c.campaign,
            issued_at: c.issued_at,
        }
    }
}

/// One referral: a redeemed code.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct Referral {
    /// Referral id (its position, from 0), for `referral`, `approveReferral` and
    /// `rejectReferral`.
    pub id: f64,
    /// Who referred (current id).
    pub referrer: String,
    /// Who was referred (current id).
    pub referee: String,
    /// The code redeemed.
    pub code: String,
    /// The code's campaign, or `null`.
    pub campaign: Option<String>,
    /// When the code was redeemed.
    pub redeemed_at: DateTime<Utc>,
    /// Status at the engine clock.
    pub status: ReferralStatus,
    /// Why it is (or was) held by a fraud check, or `null`.
    pub hold: Option<HoldReason>,
    /// When its rewards are released without a person (pending referrals), or `null`.
    pub approve_at: Option<DateTime<Utc>>,
}

impl From<scrm::Referral> for Referral {
    fn from(r: scrm::Referral) -> Self {
        Referral {
            id: count(r.id),
            referrer: r.referrer,
            referee: r.referee,
            code: r.code,
            campaign: r.campaign,
            redeemed_at: r.redeemed_at,
            status: r.status.into(),
            hold: r.hold.map(Into::into),
            approve_at: r.approve_at,
        }
    }
}

/// One entry of the points ledger.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct LedgerEntry {
    /// Entry id (its position in the ledger, from 0).
    pub id: f64,
    /// Whose points (current id).
    pub customer: String,
    /// What happened.
    pub kind: EntryKind,
    /// Signed points: positive for earn and positive adjustments, negative otherwise.
    pub points: f64,
    /// When.
    pub at: DateTime<Utc>,
    /// When earned points expire, or `null`.
    pub expires_at: Option<DateTime<Utc>>,
    /// The programme that paid, for rewards; else `null`.
    pub programme: Option<String>,
    /// The referral that earned it, for rewards; else `null`.
    pub referral: Option<f64>,
    /// The entry this one takes points from, for negative entries; else `null`.
    pub offsets: Option<f64>,
    /// Why, in words (`'referrer level 1'`, `'milestone 3'`, a redemption note...).
    pub reason: String,
}

impl From<scrm::LedgerEntry> for LedgerEntry {
    fn from(e: scrm::LedgerEntry) -> Self {
        LedgerEntry {
            id: count(e.id),
            customer: e.customer,
            kind: e.kind.into(),
            points: points(e.points),
            at: e.at,
            expires_at: e.expires_at,
            programme: e.programme,
            referral: e.referral.map(count),
            offsets: e.offsets.map(count),
            reason: e.reason,
        }
    }
}

/// A customer's points at the engine clock.
#[napi(object, object_from_js = false)]
pub struct Balance {
    /// Sum of every entry.
    pub balance: f64,
    /// Points that can be redeemed now.
    pub spendable: f64,
    /// Points earned through referrals not approved yet.
    pub pending: f64,
    /// Spendable points that expire in the next 30 days.
    #[napi(js_name = "expiring30d")]
    pub expiring_30d: f64,
}

impl From<scrm::Balance> for Balance {
    fn from(b: scrm::Balance) -> Self {
        Balance {
            balance: points(b.balance),
            spendable: points(b.spendable),
            pending: points(b.pending),
            expiring_30d: points(b.expiring_30d),
        }
    }
}

/// One row of the referrer leaderboard.
#[napi(object, object_from_js = false)]
pub struct ReferrerStanding {
    /// The referrer (current id).
    pub customer: String,
    /// Referrals that are not voided or held.
    pub referrals: f64,
    /// Those whose referred customer triggered a reward.
    pub converted: f64,
    /// Points earned from referrals (all levels, milestones included).
    pub points: f64,
}

impl From<scrm::ReferrerStanding> for ReferrerStanding {
    fn from(s: scrm::ReferrerStanding) -> Self {
        ReferrerStanding {
            customer: s.customer,
            referrals: count(s.referrals),
            converted: count(s.converted),
            points: points(s.points),
        }
    }
}

/// The referral funnel and growth over a period.
#[napi(object, object_from_js = false)]
pub struct ReferralFunnel {
    /// Codes issued in the period.
    pub codes_issued: f64,
    /// Codes redeemed in the period (held ones included).
    pub redeemed: f64,
    /// Redemptions of the period whose referred customer triggered a reward.
    pub converted: f64,
    /// `redeemed / codesIssued` (0 when no code was issued).
    pub redemption_rate: f64,
    /// `converted / redeemed` (0 when nothing was redeemed).
    pub conversion_rate: f64,
    /// Viral coefficient: valid referrals in the period per customer who existed at its
    /// start (0 without customers).
    pub k_factor: f64,
    /// Points paid in the period by every programme, net of reversals.
    pub cost: f64,
}

impl From<scrm::ReferralFunnel> for ReferralFunnel {
    fn from(f: scrm::ReferralFunnel) -> Self {
        ReferralFunnel {
            codes_issued: count(f.codes_issued),
            redeemed: count(f.redeemed),
            converted: count(f.converted),
            redemption_rate: f.redemption_rate,
            conversion_rate: f.conversion_rate,
            k_factor: f.k_factor,
            cost: points(f.cost),
        }
    }
}
