//! The referral engine's state and the operations that change it.
//!
//! Every change is a [`ReferralOp`]: planned against the state, stored as JSON in the
//! store's `referral_ops` log, and applied here, both live and when a store opens, so the
//! replayed state is the live one by construction.

use serde::{Deserialize, Serialize};

use super::code::CodeSource;
use super::ledger::{Entry, EntryKind, Ledger, NEVER, NONE, NO_LEVEL};

/// No programme, referral or offset entry.
pub(crate) use super::ledger::NONE as NO_LINK;
use super::model::{HoldReason, ReferralStatus};
use super::programme::{Programme, ReferralPolicy};
use crate::hash::{HashMap, HashSet};

/// One issued code.
#[derive(Clone, Debug)]
pub(crate) struct CodeRec {
    pub code: Box<str>,
    pub customer: u32,
    pub campaign: Option<String>,
    pub issued_at: i64,
}

/// One referral.
#[derive(Clone, Debug)]
pub(crate) struct ReferralRec {
    pub referrer: u32,
    pub referee: u32,
    /// Position in `codes`.
    pub code: u32,
    pub at: i64,
    pub status: ReferralStatus,
    pub hold: Option<HoldReason>,
    /// When a pending referral counts as approved; `i64::MAX` for not by itself.
    pub approve_at: i64,
}

impl ReferralRec {
    /// The status at `now`: a pending referral past its approval time is approved.
    pub fn status_at(&self, now: i64) -> ReferralStatus {
        match self.status {
            ReferralStatus::Pending if self.approve_at <= now => ReferralStatus::Approved,
            s => s,
        }
    }
}

/// What paid a reward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TriggerRef {
    /// The event at this log position.
    Event(u32),
    /// This referral becoming valid.
    Signup(u32),
    /// The referrer reaching this many converted referrals.
    Milestone(u32),
}

/// The idempotency key of a reward: programme, trigger, beneficiary and level (0 for the
/// referred customer, 1 and up for the referrer's levels, [`NO_LEVEL`] for milestones).
///
/// Each trigger is planned once (an event when it is first ingested, for duplicates are
/// dropped before; a signup when its referral becomes valid; a milestone when the count
/// reaches it), so no key can come twice; the key is stored with its entry, in the store's
/// operation log, as the record of why it was paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) struct GrantKey {
    pub programme: u32,
    pub trigger: TriggerRef,
    pub beneficiary: u32,
    pub level: u8,
}

/// A ledger entry as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct EntryOp {
    pub kind: EntryKind,
    pub customer: u32,
    pub points: i64,
    pub at: i64,
    #[serde(default)]
    pub expires_in: Option<u32>,
    #[serde(default)]
    pub programme: Option<u32>,
    #[serde(default)]
    pub link: Option<u32>,
    pub reason: std::borrow::Cow<'static, str>,
    /// Set on rewards: why it was paid.
    #[serde(default)]
    pub grant: Option<GrantKey>,
    /// The event whose ingestion paid it (rewards of trigger events and their milestones),
    /// so a refund of that event finds them.
    #[serde(default)]
    pub event: Option<u32>,
}

/// A change to the referral state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReferralOp {
    /// Replaces the policy.
    Policy(Box<ReferralPolicy>),
    /// Defines or replaces a programme (by name).
    Programme(Box<Programme>),
    /// Issues a code.
    Code {
        code: String,
        customer: u32,
        campaign: Option<String>,
        at: i64,
    },
    /// Records a redemption.
    Redeem {
        code: u32,
        referee: u32,
        at: i64,
        status: ReferralStatus,
        hold: Option<HoldReason>,
        approve_at: Option<i64>,
    },
    /// A person approves or rejects a referral, or a refund voids it.
    Decide {
        referral: u32,
        status: ReferralStatus,
    },
    /// Appends a ledger entry.
    Entry(EntryOp),
}

/// Everything the referral engine holds.
#[derive(Default)]
pub(crate) struct Referrals {
    pub policy: ReferralPolicy,
    pub programmes: Vec<Programme>,
    pub codes: Vec<CodeRec>,
    pub code_index: HashMap<Box<str>, u32>,
    /// Code of each (customer, campaign).
    pub code_of: HashMap<(u32, Option<String>), u32>,
    pub referrals: Vec<ReferralRec>,
    /// Referrals of each referred customer (as redeemed), oldest first.
    pub of_referee: HashMap<u32, Vec<u32>>,
    /// Redemption times of each referrer's codes, ascending.
    pub redeemed_by_referrer: HashMap<u32, Vec<i64>>,
    pub ledger: Ledger,
    /// Reason texts of entries (an entry keeps a symbol).
    pub reasons: Vec<String>,
    reason_ids: HashMap<String, u32>,
    /// Reward entries a trigger event paid (first entry, count: they are consecutive),
    /// for refunds.
    pub by_event: HashMap<u32, (u32, u32)>,
    /// Reward entries of each referral, by referral id, for voiding.
    pub by_referral: Vec<Vec<u32>>,
    /// Referrals that triggered a reward in each programme.
    pub converted: HashSet<(u32, u32)>,
    /// Referrals that triggered a reward in any programme.
    pub converted_any: HashSet<u32>,
    /// Converted referrals of each (programme, referrer).
    pub conversions: HashMap<(u32, u32), u32>,
    /// Points each programme paid, net of reversals.
    pub paid: HashMap<u32, i64>,
    /// Draws new codes (behind a lock: planning only reads the state).
    pub source: std::sync::Mutex<CodeSource>,
}

/// Microseconds per day.
pub(crate) const DAY: i64 = 86_400_000_000;

impl Referrals {
    /// Position of a programme by (normalised) name.
    pub fn programme(&self, name: &str) -> Option<u32> {
        self.programmes
            .iter()
            .position(|p| p.name == name)
            .map(|i| i as u32)
    }

    /// Whether a referral's rewards are released at `now`.
    pub fn approved(&self, referral: u32, now: i64) -> bool {
        released(&self.referrals, referral, now)
    }

    /// Checks that a stored operation refers only to what exists (`customers` profiles),
    /// so a tampered store is reported instead of breaking the state.
    pub fn check(
        &self,
        op: &ReferralOp,
        customers: usize,
        live: &dyn Fn(u32) -> u32,
    ) -> Result<(), String> {
        let customer = |c: u32| (c as usize) < customers;
        let ok = match op {
            ReferralOp::Policy(_) | ReferralOp::Programme(_) => true,
            ReferralOp::Code {
                customer: c, code, ..
            } => customer(*c) && !self.code_index.contains_key(code.as_str()),
            ReferralOp::Redeem { code, referee, .. } => {
                (*code as usize) < self.codes.len() && customer(*referee)
            }
            ReferralOp::Decide { referral, .. } => (*referral as usize) < self.referrals.len(),
            ReferralOp::Entry(e) => {
                let points_ok = match e.kind {
                    EntryKind::Earn => e.points > 0,
                    EntryKind::Adjust => e.points != 0,
                    _ => e.points < 0,
                };
                let link_ok = match (e.kind, e.link) {
                    (_, None) => true,
                    (EntryKind::Earn, Some(r)) => (r as usize) < self.referrals.len(),
                    (_, Some(l)) => {
                        (l as usize) < self.ledger.entries.len()
                            && -e.points <= self.ledger.remaining(live(e.customer), l)
                    }
                };
                customer(e.customer)
                    && points_ok
                    && link_ok
                    && e.programme
                        .is_none_or(|p| (p as usize) < self.programmes.len())
            }
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "referral operation refers to missing records: {op:?}"
            ))
        }
    }

    /// Applies one operation (checked when it was planned); `live` maps a profile to the
    /// live one whose account holds its points.
    pub fn apply(&mut self, op: ReferralOp, live: &dyn Fn(u32) -> u32) {
        match op {
            ReferralOp::Policy(policy) => self.policy = *policy,
            ReferralOp::Programme(p) => match self.programme(&p.name) {
                Some(i) => self.programmes[i as usize] = *p,
                None => self.programmes.push(*p),
            },
            ReferralOp::Code {
                code,
                customer,
                campaign,
                at,
            } => {
                let id = self.codes.len() as u32;
                self.code_index.insert(code.as_str().into(), id);
                self.code_of.insert((customer, campaign.clone()), id);
                self.codes.push(CodeRec {
                    code: code.into(),
                    customer,
                    campaign,
                    issued_at: at,
                });
            }
            ReferralOp::Redeem {
                code,
                referee,
                at,
                status,
                hold,
                approve_at,
            } => {
                let referrer = self.codes[code as usize].customer;
                let id = self.referrals.len() as u32;
                self.of_referee.entry(referee).or_default().push(id);
                self.by_referral.push(Vec::new());
                let times = self.redeemed_by_referrer.entry(referrer).or_default();
                let pos = times.partition_point(|&t| t <= at);
                times.insert(pos, at);
                self.referrals.push(ReferralRec {
                    referrer,
                    referee,
                    code,
                    at,
                    status,
                    hold,
                    approve_at: approve_at.unwrap_or(i64::MAX),
                });
            }
            ReferralOp::Decide { referral, status } => {
                self.referrals[referral as usize].status = status;
            }
            ReferralOp::Entry(e) => self.push_entry(e, live),
        }
    }

    fn push_entry(&mut self, e: EntryOp, live: &dyn Fn(u32) -> u32) {
        let reason = match self.reason_ids.get(&*e.reason) {
            Some(&id) => id,
            None => {
                let id = self.reasons.len() as u32;
                self.reason_ids.insert(e.reason.to_string(), id);
                self.reasons.push(e.reason.to_string());
                id
            }
        };
        let id = self.ledger.entries.len() as u32;
        let programme = e.programme.unwrap_or(NONE);
        if programme != NONE {
            *self.paid.entry(programme).or_default() += e.points;
        }
        let level = e.grant.map_or(NO_LEVEL, |g| g.level);
        if let Some(grant) = e.grant {
            let referral = e.link.unwrap_or(NONE);
            if grant.level == 1 && self.converted.insert((programme, referral)) {
                *self
                    .conversions
                    .entry((programme, grant.beneficiary))
                    .or_default() += 1;
                self.converted_any.insert(referral);
            }
            if let Some(list) = self.by_referral.get_mut(referral as usize) {
                list.push(id);
            }
            if let Some(seq) = e.event {
                self.by_event.entry(seq).or_insert((id, 0)).1 += 1;
            }
        }
        let referrals = &self.referrals;
        let approved = |r: u32, t: i64| released(referrals, r, t);
        self.ledger.push(
            Entry {
                points: e.points,
                at: e.at,
                customer: e.customer,
                expires_in: e.expires_in.unwrap_or(NEVER),
                programme,
                link: e.link.unwrap_or(NONE),
                reason,
                kind: e.kind,
                level,
            },
            live(e.customer),
            &approved,
        );
    }
}

/// Whether referral `id` of `referrals` has its rewards released at `now`.
fn released(referrals: &[ReferralRec], id: u32, now: i64) -> bool {
    referrals
        .get(id as usize)
        .is_some_and(|r| r.status_at(now) == ReferralStatus::Approved)
}
