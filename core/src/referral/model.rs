//! The public records of the referral engine: codes, referrals and their status, ledger
//! entries and balances, and the programme figures.

use serde::{Deserialize, Serialize};

pub use super::ledger::EntryKind;
use crate::time::Timestamp;

/// An invite code and who it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteCode {
    /// The code, as customers type it (case and dashes do not matter when redeeming).
    pub code: String,
    /// The customer who shares it.
    pub customer: String,
    /// The campaign it was issued for, if any.
    pub campaign: Option<String>,
    /// When it was issued.
    pub issued_at: Timestamp,
}

/// Where a referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// Why a fraud check held a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// Referrer and referred customer are one person: the same profile after a merge, or an
    /// identity conflict between them (a shared phone, email, device or unionid).
    SelfReferral,
    /// The referred customer is already up the referrer's chain: the edge would close a ring.
    Ring,
    /// The referrer's codes were redeemed more often in the last hour than the policy allows.
    Velocity,
    /// The referred customer existed before the redemption.
    ExistingReferee,
}

/// One referral: a redeemed code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// Referral id (its position, from 0).
    pub id: u64,
    /// Who referred.
    pub referrer: String,
    /// Who was referred.
    pub referee: String,
    /// The code redeemed.
    pub code: String,
    /// The code's campaign, if any.
    pub campaign: Option<String>,
    /// When the code was redeemed.
    pub redeemed_at: Timestamp,
    /// Status at the engine clock.
    pub status: ReferralStatus,
    /// Why it is (or was) held.
    pub hold: Option<HoldReason>,
    /// When its rewards are (or were) released without a person: set on every referral that
    /// was valid at redemption (the redemption time plus the policy's approval delay), not
    /// on held ones.
    pub approve_at: Option<Timestamp>,
}

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Entry id (its position in the ledger, from 0).
    pub id: u64,
    /// Whose points.
    pub customer: String,
    /// What happened.
    pub kind: EntryKind,
    /// Signed points: positive for earn and positive adjustments, negative otherwise.
    pub points: i64,
    /// When.
    pub at: Timestamp,
    /// When earned points expire.
    pub expires_at: Option<Timestamp>,
    /// The programme that paid, for rewards.
    pub programme: Option<String>,
    /// The referral that earned it, for rewards.
    pub referral: Option<u64>,
    /// The entry this one takes points from, for negative entries.
    pub offsets: Option<u64>,
    /// Why, in words (`"referrer level 1"`, `"milestone 3"`, a redemption note...).
    pub reason: String,
}

/// A customer's points at the engine clock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// One row of the referrer leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferrerStanding {
    /// The referrer.
    pub customer: String,
    /// Referrals that are not voided or held.
    pub referrals: u64,
    /// Those whose referred customer triggered a reward.
    pub converted: u64,
    /// Points earned from referrals (all levels, milestones included), net of what was
    /// taken back or expired.
    pub points: i64,
}

/// The referral funnel and growth over a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferralFunnel {
    /// Codes issued in the period.
    pub codes_issued: u64,
    /// Codes redeemed in the period (held ones included).
    pub redeemed: u64,
    /// Redemptions of the period whose referred customer triggered a reward.
    pub converted: u64,
    /// `redeemed / codes_issued` (0 when no code was issued).
    pub redemption_rate: f64,
    /// `converted / redeemed` (0 when nothing was redeemed).
    pub conversion_rate: f64,
    /// Viral coefficient: valid referrals in the period per customer who existed at its
    /// start (0 without customers).
    pub k_factor: f64,
    /// Points paid in the period by every programme, net of reversals and expiry.
    pub cost: i64,
}
