//! Referral programmes and the points ledger: the policy, programmes (trigger, caps,
//! milestones), invite codes, referrals and their status, ledger entries, balances and the
//! programme figures. Points are `i64` as in the core (`Long` in Kotlin, `Int64` in Swift).
//!
//! `ReferralPolicy` and `Programme` follow `EngineConfig`: a `null` field means the core's
//! default, and what the engine returns has every field filled in.

use std::time::SystemTime;

use crate::errors::Result;
use crate::time;

/// Where a referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum HoldReason {
    /// Referrer and referred customer are one person: the same profile after a merge, or
    /// an identity conflict between them (a shared phone, email, device or unionid).
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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

impl From<Window> for scrm::Window {
    fn from(w: Window) -> Self {
        match w {
            Window::CalendarMonth => scrm::Window::CalendarMonth,
            Window::CalendarYear => scrm::Window::CalendarYear,
            Window::RollingMonth => scrm::Window::RollingMonth,
            Window::RollingYear => scrm::Window::RollingYear,
            Window::Lifetime => scrm::Window::Lifetime,
        }
    }
}

impl From<scrm::Window> for Window {
    fn from(w: scrm::Window) -> Self {
        match w {
            scrm::Window::CalendarMonth => Window::CalendarMonth,
            scrm::Window::CalendarYear => Window::CalendarYear,
            scrm::Window::RollingMonth => Window::RollingMonth,
            scrm::Window::RollingYear => Window::RollingYear,
            scrm::Window::Lifetime => Window::Lifetime,
        }
    }
}

/// What an allowance counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum AllowanceUnit {
    /// Number of rewards.
    Rewards,
    /// Points.
    Points,
}

impl From<AllowanceUnit> for scrm::AllowanceUnit {
    fn from(u: AllowanceUnit) -> Self {
        match u {
            AllowanceUnit::Rewards => scrm::AllowanceUnit::Rewards,
            AllowanceUnit::Points => scrm::AllowanceUnit::Points,
        }
    }
}

impl From<scrm::AllowanceUnit> for AllowanceUnit {
    fn from(u: scrm::AllowanceUnit) -> Self {
        match u {
            scrm::AllowanceUnit::Rewards => AllowanceUnit::Rewards,
            scrm::AllowanceUnit::Points => AllowanceUnit::Points,
        }
    }
}

/// A limit on what one customer earns across every programme, as referrer and as referee.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Allowance {
    /// Most rewards or points in a window; not negative.
    pub limit: i64,
    /// What the limit counts.
    pub unit: AllowanceUnit,
    /// The window.
    pub window: Window,
}

impl From<Allowance> for scrm::Allowance {
    fn from(a: Allowance) -> Self {
        scrm::Allowance {
            limit: a.limit,
            unit: a.unit.into(),
            window: a.window.into(),
        }
    }
}

impl From<scrm::Allowance> for Allowance {
    fn from(a: scrm::Allowance) -> Self {
        Allowance {
            limit: a.limit,
            unit: a.unit.into(),
            window: a.window.into(),
        }
    }
}

/// Engine-wide referral rules. `setReferralPolicy` replaces the whole policy: a `null`
/// field takes its documented default, not the value in force; `referralPolicy()` returns
/// every field filled in.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct ReferralPolicy {
    /// Symbols per invite code, 6 to 16; default 8.
    #[uniffi(default)]
    pub code_length: Option<u32>,
    /// Hours a customer may have existed before redeeming and still count as new; an older
    /// customer's redemption is held as `ExistingReferee`. Default 24.
    #[uniffi(default)]
    pub new_customer_hours: Option<u32>,
    /// Refuse (rather than hold) redemptions by customers who already existed. Default false.
    #[uniffi(default)]
    pub reject_existing_referees: Option<bool>,
    /// More redemptions of one referrer's codes than this in an hour are held as
    /// `Velocity`. Default 20.
    #[uniffi(default)]
    pub max_redemptions_per_hour: Option<u32>,
    /// Hours after redemption until a referral's rewards are released (for example the
    /// return window of a first purchase); 0 releases them at once. Default 0.
    #[uniffi(default)]
    pub approval_delay_hours: Option<u32>,
    /// A limit across programmes per customer; `null` for none.
    #[uniffi(default)]
    pub allowance: Option<Allowance>,
}

impl ReferralPolicy {
    /// The core policy, the core's defaults for what is left `null`.
    pub fn into_core(self) -> scrm::ReferralPolicy {
        let default = scrm::ReferralPolicy::default();
        scrm::ReferralPolicy {
            code_length: self.code_length.unwrap_or(default.code_length),
            new_customer_hours: self
                .new_customer_hours
                .unwrap_or(default.new_customer_hours),
            reject_existing_referees: self
                .reject_existing_referees
                .unwrap_or(default.reject_existing_referees),
            max_redemptions_per_hour: self
                .max_redemptions_per_hour
                .unwrap_or(default.max_redemptions_per_hour),
            approval_delay_hours: self
                .approval_delay_hours
                .unwrap_or(default.approval_delay_hours),
            allowance: self.allowance.map(Into::into),
        }
    }
}

impl From<scrm::ReferralPolicy> for ReferralPolicy {
    fn from(p: scrm::ReferralPolicy) -> Self {
        ReferralPolicy {
            code_length: Some(p.code_length),
            new_customer_hours: Some(p.new_customer_hours),
            reject_existing_referees: Some(p.reject_existing_referees),
            max_redemptions_per_hour: Some(p.max_redemptions_per_hour),
            approval_delay_hours: Some(p.approval_delay_hours),
            allowance: p.allowance.map(Into::into),
        }
    }
}

/// What makes a referral pay.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum Trigger {
    /// The referred customer redeems the code (joins).
    Signup,
    /// The referred customer's first purchase event.
    FirstPurchase,
    /// Any purchase event of the referred customer of at least `min_amount`.
    Purchase {
        /// Least amount that counts; finite, not negative.
        min_amount: f64,
    },
    /// Any event of this kind by the referred customer.
    Event {
        /// The event kind; folded to lower case.
        kind: String,
    },
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
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Milestone {
    /// Converted referrals needed (at least 1).
    pub referrals: u32,
    /// Bonus points (0 to 10^12), granted once.
    pub points: i64,
}

impl From<Milestone> for scrm::Milestone {
    fn from(m: Milestone) -> Self {
        scrm::Milestone {
            referrals: m.referrals,
            points: m.points,
        }
    }
}

impl From<scrm::Milestone> for Milestone {
    fn from(m: scrm::Milestone) -> Self {
        Milestone {
            referrals: m.referrals,
            points: m.points,
        }
    }
}

/// Limits on what a programme pays, in points (each 0 to 10^12; `null` for none). Rewards
/// that would pass a cap are cut to what is left under it.
#[derive(Clone, Debug, Default, PartialEq, Eq, uniffi::Record)]
pub struct Caps {
    /// Most points one referrer earns from the programme per UTC day.
    #[uniffi(default)]
    pub per_referrer_day: Option<i64>,
    /// Most points one referrer earns from the programme per calendar month (UTC).
    #[uniffi(default)]
    pub per_referrer_month: Option<i64>,
    /// Most points the programme pays in all, to both sides.
    #[uniffi(default)]
    pub budget: Option<i64>,
}

impl From<Caps> for scrm::Caps {
    fn from(c: Caps) -> Self {
        scrm::Caps {
            per_referrer_day: c.per_referrer_day,
            per_referrer_month: c.per_referrer_month,
            budget: c.budget,
        }
    }
}

impl From<scrm::Caps> for Caps {
    fn from(c: scrm::Caps) -> Self {
        Caps {
            per_referrer_day: c.per_referrer_day,
            per_referrer_month: c.per_referrer_month,
            budget: c.budget,
        }
    }
}

/// A referral programme. Defined with `defineProgramme`, which returns it as stored (names
/// normalised, milestones by number of referrals, every field filled in).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Programme {
    /// Unique name (letters, digits, `_`, `-`, `.`; folded to lower case). Defining a
    /// programme of an existing name replaces it (its past rewards stay).
    pub name: String,
    /// What pays.
    pub trigger: Trigger,
    /// Points (0 to 10^12) for the direct referrer (level 1), before its level share.
    pub referrer_points: i64,
    /// Points (0 to 10^12) for the referred customer (double-sided rewards); default 0.
    #[uniffi(default = 0)]
    pub referee_points: i64,
    /// Only referrals through codes of this campaign; `null` for every referral.
    #[uniffi(default)]
    pub campaign: Option<String>,
    /// Share of `referrerPoints`, in percent (0 to 100), for each level up the chain, 1 to
    /// 10 levels: `[100, 20, 5]` pays the referrer in full, their referrer 20% and the next
    /// 5%. Shares round down. `null` for the core's default, `[100]`.
    #[uniffi(default)]
    pub level_percents: Option<Vec<u32>>,
    /// Caps per referrer and budget; none by default.
    #[uniffi(default)]
    pub caps: Caps,
    /// First instant trigger events count (inclusive); `null` for always.
    #[uniffi(default)]
    pub starts_at: Option<SystemTime>,
    /// Instant from which trigger events no longer count (after `startsAt`); `null` for
    /// never.
    #[uniffi(default)]
    pub ends_at: Option<SystemTime>,
    /// Days (1 to 36500) after which earned points expire; `null` for never.
    #[uniffi(default)]
    pub expiry_days: Option<u32>,
    /// Bonuses for numbers of converted referrals.
    #[uniffi(default)]
    pub milestones: Vec<Milestone>,
}

impl Programme {
    /// The core programme; time errors name `programme.…` like the core does.
    pub fn into_core(self) -> Result<scrm::Programme> {
        let mut p = scrm::Programme::new(&self.name, self.trigger.into(), self.referrer_points);
        p.campaign = self.campaign;
        p.referee_points = self.referee_points;
        if let Some(levels) = self.level_percents {
            p.level_percents = levels;
        }
        p.caps = self.caps.into();
        p.starts_at = time::optional(|| "programme.starts_at".into(), self.starts_at)?;
        p.ends_at = time::optional(|| "programme.ends_at".into(), self.ends_at)?;
        p.expiry_days = self.expiry_days;
        p.milestones = self.milestones.into_iter().map(Into::into).collect();
        Ok(p)
    }
}

impl From<scrm::Programme> for Programme {
    fn from(p: scrm::Programme) -> Self {
        Programme {
            name: p.name,
            trigger: p.trigger.into(),
            referrer_points: p.referrer_points,
            referee_points: p.referee_points,
            campaign: p.campaign,
            level_percents: Some(p.level_percents),
            caps: p.caps.into(),
            starts_at: p.starts_at.map(time::from_core),
            ends_at: p.ends_at.map(time::from_core),
            expiry_days: p.expiry_days,
            milestones: p.milestones.into_iter().map(Into::into).collect(),
        }
    }
}

/// An invite code and who it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct InviteCode {
    /// The code, as customers type it (case and dashes do not matter when redeeming).
    pub code: String,
    /// The customer who shares it (current id).
    pub customer: String,
    /// The campaign it was issued for, if any.
    pub campaign: Option<String>,
    /// When it was issued.
    pub issued_at: SystemTime,
}

impl From<scrm::InviteCode> for InviteCode {
    fn from(c: scrm::InviteCode) -> Self {
        InviteCode {
            code: c.code,
            customer: c.customer,
            campaign: c.campaign,
            issued_at: time::from_core(c.issued_at),
        }
    }
}

/// One referral: a redeemed code.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Referral {
    /// Referral id (its position, from 0), for `referral`, `approveReferral` and
    /// `rejectReferral`.
    pub id: u64,
    /// Who referred (current id).
    pub referrer: String,
    /// Who was referred (current id).
    pub referee: String,
    /// The code redeemed.
    pub code: String,
    /// The code's campaign, if any.
    pub campaign: Option<String>,
    /// When the code was redeemed.
    pub redeemed_at: SystemTime,
    /// Status at the engine clock.
    pub status: ReferralStatus,
    /// Why it is (or was) held by a fraud check, if it was.
    pub hold: Option<HoldReason>,
    /// When its rewards are (or were) released without a person: set on every referral
    /// that was valid at redemption (redemption time plus the approval delay), not on held
    /// ones.
    pub approve_at: Option<SystemTime>,
}

impl From<scrm::Referral> for Referral {
    fn from(r: scrm::Referral) -> Self {
        Referral {
            id: r.id,
            referrer: r.referrer,
            referee: r.referee,
            code: r.code,
            campaign: r.campaign,
            redeemed_at: time::from_core(r.redeemed_at),
            status: r.status.into(),
            hold: r.hold.map(Into::into),
            approve_at: r.approve_at.map(time::from_core),
        }
    }
}

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct LedgerEntry {
    /// Entry id (its position in the ledger, from 0).
    pub id: u64,
    /// Whose points (current id).
    pub customer: String,
    /// What happened.
    pub kind: EntryKind,
    /// Signed points: positive for earn and positive adjustments, negative otherwise.
    pub points: i64,
    /// When.
    pub at: SystemTime,
    /// When earned points expire, if they do.
    pub expires_at: Option<SystemTime>,
    /// The programme that paid, for rewards.
    pub programme: Option<String>,
    /// The referral that earned it, for rewards.
    pub referral: Option<u64>,
    /// The entry this one takes points from, for negative entries.
    pub offsets: Option<u64>,
    /// Why, in words (`"referrer level 1"`, `"milestone 3"`, a redemption note...).
    pub reason: String,
}

impl From<scrm::LedgerEntry> for LedgerEntry {
    fn from(e: scrm::LedgerEntry) -> Self {
        LedgerEntry {
            id: e.id,
            customer: e.customer,
            kind: e.kind.into(),
            points: e.points,
            at: time::from_core(e.at),
            expires_at: e.expires_at.map(time::from_core),
            programme: e.programme,
            referral: e.referral,
            offsets: e.offsets,
            reason: e.reason,
        }
    }
}

/// A customer's points at the engine clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Record)]
pub struct Balance {
    /// Sum of every entry.
    pub balance: i64,
    /// Points that can be redeemed now.
    pub spendable: i64,
    /// Points earned through referrals not approved yet.
    pub pending: i64,
    /// Spendable points that expire in the next 30 days.
    pub expiring_30d: i64,
}

impl From<scrm::Balance> for Balance {
    fn from(b: scrm::Balance) -> Self {
        Balance {
            balance: b.balance,
            spendable: b.spendable,
            pending: b.pending,
            expiring_30d: b.expiring_30d,
        }
    }
}

/// One row of the referrer leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Record)]
pub struct ReferrerStanding {
    /// The referrer (current id).
    pub customer: String,
    /// Referrals that are not voided or held.
    pub referrals: u64,
    /// Those whose referred customer triggered a reward.
    pub converted: u64,
    /// Points earned from referrals (all levels, milestones included), net of what was
    /// taken back or expired.
    pub points: i64,
}

impl From<scrm::ReferrerStanding> for ReferrerStanding {
    fn from(s: scrm::ReferrerStanding) -> Self {
        ReferrerStanding {
            customer: s.customer,
            referrals: s.referrals,
            converted: s.converted,
            points: s.points,
        }
    }
}

/// The referral funnel and growth over a period.
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct ReferralFunnel {
    /// Codes issued in the period.
    pub codes_issued: u64,
    /// Codes redeemed in the period (held ones included).
    pub redeemed: u64,
    /// Redemptions of the period whose referred customer triggered a reward.
    pub converted: u64,
    /// `redeemed / codesIssued` (0 when no code was issued).
    pub redemption_rate: f64,
    /// `converted / redeemed` (0 when nothing was redeemed).
    pub conversion_rate: f64,
    /// Viral coefficient: valid referrals in the period per customer who existed at its
    /// start (0 without customers).
    pub k_factor: f64,
    /// Points paid in the period by every programme, net of reversals and expiry.
    pub cost: i64,
}

impl From<scrm::ReferralFunnel> for ReferralFunnel {
    fn from(f: scrm::ReferralFunnel) -> Self {
        ReferralFunnel {
            codes_issued: f.codes_issued,
            redeemed: f.redeemed,
            converted: f.converted,
            redemption_rate: f.redemption_rate,
            conversion_rate: f.conversion_rate,
            k_factor: f.k_factor,
            cost: f.cost,
        }
    }
}
