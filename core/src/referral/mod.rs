//! Referral programmes ("old customers bring new ones"): invite codes and their redemption
//! with fraud checks, programmes that reward both sides and several levels up the chain
//! within caps, and the exact points ledger.
//!
//! A redemption links the referrer to the new customer with a `referred` edge of the
//! relationship graph (held referrals get it when a person approves them). Rewards are
//! granted as trigger events are ingested, each under a deterministic key (programme,
//! trigger, beneficiary, level), so the same trigger never pays twice.

mod code;
mod ledger;
mod model;
pub(crate) mod plan;
mod programme;
pub(crate) mod state;

pub(crate) use code::normalize as normalize_code;
pub use code::{CODE_ALPHABET, DEFAULT_CODE_LEN};
pub use model::{
    Balance, EntryKind, HoldReason, InviteCode, LedgerEntry, Referral, ReferralFunnel,
    ReferralStatus, ReferrerStanding,
};
pub use plan::{REFUND, REFUNDED};
pub use programme::{
    Allowance, AllowanceUnit, Caps, Milestone, Programme, ReferralPolicy, Trigger, Window,
    MAX_LEVELS, MAX_POINTS,
};
pub(crate) use state::{ReferralOp, Referrals};
