//! Referral programmes and the points ledger: the policy and programmes, invite codes and
//! their redemption, referrals decided by hand, balances, the ledger and the programme
//! figures. Rewards for trigger events are granted by `recordEvents` itself; a refund is an
//! event of kind `refund` whose property `purchase` is the purchase's idempotency key.
//!
//! Calls over every referral or ledger entry (expiry, leaderboard, funnel) are the blocking
//! ones to run off the main thread.

use std::time::SystemTime;

use super::Engine;
use crate::errors::Result;
use crate::referral::{
    Balance, InviteCode, LedgerEntry, Programme, Referral, ReferralFunnel, ReferralPolicy,
    ReferralStatus, ReferrerStanding,
};
use crate::time;

#[uniffi::export]
impl Engine {
    /// Replaces the engine-wide referral rules (stored with the data). Fields left `null`
    /// take their defaults, not the values in force. `Validation` with `field` such as
    /// `policy.code_length`.
    pub fn set_referral_policy(&self, policy: ReferralPolicy) -> Result<()> {
        Ok(self.inner.set_referral_policy(&policy.into_core())?)
    }

    /// The referral rules in force, every field filled in.
    pub fn referral_policy(&self) -> ReferralPolicy {
        self.inner.referral_policy().into()
    }

    /// Defines a programme, or replaces the one of the same name (its past rewards stay).
    /// Returns it as stored, names normalised, every field filled in. `Validation` with
    /// `field` such as `programme.referrer_points` or `programme.level_percents[1]`.
    pub fn define_programme(&self, programme: Programme) -> Result<Programme> {
        let programme = programme.into_core()?;
        Ok(self.inner.define_programme(&programme)?.into())
    }

    /// Every programme, in definition order.
    pub fn programmes(&self) -> Vec<Programme> {
        self.inner
            .programmes()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// The invite code of a customer (for a `campaign`, or none), issuing one the first
    /// time. `NotFound` for an unknown customer.
    #[uniffi::method(default(campaign = None))]
    pub fn issue_code(&self, customer: String, campaign: Option<String>) -> Result<InviteCode> {
        Ok(self
            .inner
            .issue_code(&customer, campaign.as_deref())?
            .into())
    }

    /// Who an invite code belongs to (case and dashes do not matter). `NotFound` for an
    /// unknown code; `Validation` (`field` `code`) for text that cannot be a code.
    pub fn lookup_code(&self, code: String) -> Result<InviteCode> {
        Ok(self.inner.lookup_code(&code)?.into())
    }

    /// Redeems an invite code for a customer who joined: records the referral, runs the
    /// fraud checks (a held referral is `Flagged` with its `hold` reason), links the two
    /// with a `referred` edge when valid, and grants the signup rewards. Refused: an unknown
    /// code or customer (`NotFound`), a customer already referred (`Conflict`).
    pub fn redeem_code(&self, code: String, referee: String) -> Result<Referral> {
        Ok(self.inner.redeem_code(&code, &referee)?.into())
    }

    /// A referral by id, with its status at the engine clock. `NotFound` if unknown.
    pub fn referral(&self, id: u64) -> Result<Referral> {
        Ok(self.inner.referral(id)?.into())
    }

    /// The referral that brought a customer, or `null`. `NotFound` for an unknown customer.
    pub fn referral_of(&self, customer: String) -> Result<Option<Referral>> {
        Ok(self.inner.referral_of(&customer)?.map(Into::into))
    }

    /// Referrals with a status at the engine clock (all when `null`), oldest first;
    /// `Flagged` lists those held for a person.
    #[uniffi::method(default(status = None))]
    pub fn referrals(&self, status: Option<ReferralStatus>) -> Vec<Referral> {
        let referrals = self.inner.referrals(status.map(Into::into));
        referrals.into_iter().map(Into::into).collect()
    }

    /// A person approves a referral: its rewards are released; a held one becomes valid
    /// (edge and signup rewards). Approving twice is a no-op; `Conflict` for a voided (or
    /// self-) referral, `NotFound` for an unknown id.
    pub fn approve_referral(&self, id: u64) -> Result<Referral> {
        Ok(self.inner.approve_referral(id)?.into())
    }

    /// A person rejects a referral: it is voided, its remaining rewards taken back and its
    /// edge removed. `NotFound` for an unknown id.
    pub fn reject_referral(&self, id: u64) -> Result<Referral> {
        Ok(self.inner.reject_referral(id)?.into())
    }

    /// A customer's points at the engine clock. `NotFound` for an unknown customer.
    pub fn balance(&self, customer: String) -> Result<Balance> {
        Ok(self.inner.balance(&customer)?.into())
    }

    /// A customer's ledger entries, oldest first. `NotFound` for an unknown customer.
    pub fn ledger(&self, customer: String) -> Result<Vec<LedgerEntry>> {
        let entries = self.inner.ledger(&customer)?;
        Ok(entries.into_iter().map(Into::into).collect())
    }

    /// Spends `points` (positive), earliest-expiring lots first; more than the spendable
    /// points is a `Conflict` and changes nothing. Returns the balance after.
    pub fn redeem_points(&self, customer: String, points: i64, reason: String) -> Result<Balance> {
        Ok(self.inner.redeem_points(&customer, points, &reason)?.into())
    }

    /// Corrects a customer's points by hand (either sign; a negative correction takes from
    /// the spendable points, `Conflict` beyond them). Returns the balance after.
    pub fn adjust_points(&self, customer: String, points: i64, reason: String) -> Result<Balance> {
        Ok(self.inner.adjust_points(&customer, points, &reason)?.into())
    }

    /// Writes an expiry entry for every lot past its expiry at the engine clock; returns
    /// how many were written. Blocking: goes over every customer with expired lots.
    pub fn expire_points(&self) -> Result<u64> {
        Ok(self.inner.expire_points()?)
    }

    /// The top `n` referrers by converted referrals, then points, then creation order.
    /// Blocking: goes over every referral and ledger entry.
    pub fn referral_leaderboard(&self, n: u64) -> Vec<ReferrerStanding> {
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        let rows = self.inner.referral_leaderboard(n);
        rows.into_iter().map(Into::into).collect()
    }

    /// Codes issued, redemptions and conversions in `[from, until)`, their rates, the viral
    /// coefficient and what the programmes paid. `until` must come after `from`
    /// (`Validation`, `field` `until`). Blocking: goes over every referral and ledger entry.
    pub fn referral_funnel(&self, from: SystemTime, until: SystemTime) -> Result<ReferralFunnel> {
        let from = time::to_core(|| "from".into(), from)?;
        let until = time::to_core(|| "until".into(), until)?;
        Ok(self.inner.referral_funnel(from, until)?.into())
    }
}
