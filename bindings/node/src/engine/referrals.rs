//! Referral programmes and the points ledger: the policy and programmes, invite codes and
//! their redemption, referrals decided by hand, balances, the ledger and the programme
//! figures. Rewards for trigger events are granted by `recordEvents` itself; a refund is an
//! event of kind `refund` whose property `purchase` is the purchase's idempotency key.
//!
//! Points are `number`s (see `types::referral`). Calls over every referral or ledger entry
//! (expiry, leaderboard, funnel) run off the main thread.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::referral::{
    Balance, InviteCode, LedgerEntry, Programme, ProgrammeInput, Referral, ReferralFunnel,
    ReferralPolicy, ReferralPolicyInput, ReferralStatus, ReferrerStanding,
};
use crate::types::time::DateInput;
use crate::types::{count, points_in, whole};

#[napi]
impl Engine {
    /// Replaces the engine-wide referral rules (stored with the data). Fields left out take
    /// their defaults, not the values in force. `VALIDATION` with `field` such as
    /// `policy.code_length`.
    #[napi]
    pub fn set_referral_policy(&self, env: Env, policy: ReferralPolicyInput) -> napi::Result<()> {
        let engine = self.core(&env)?;
        let result = policy
            .into_core()
            .and_then(|policy| engine.set_referral_policy(&policy));
        check(&env, result)
    }

    /// The referral rules in force, every field filled in.
    #[napi]
    pub fn referral_policy(&self, env: Env) -> napi::Result<ReferralPolicy> {
        Ok(self.core(&env)?.referral_policy().into())
    }

    /// Defines a programme, or replaces the one of the same name (its past rewards stay).
    /// Returns it as stored, names normalised. `VALIDATION` with `field` such as
    /// `programme.referrer_points` or `programme.level_percents[1]`.
    #[napi]
    pub fn define_programme(&self, env: Env, programme: ProgrammeInput) -> napi::Result<Programme> {
        let engine = self.core(&env)?;
        let result = programme
            .into_core()
            .and_then(|programme| engine.define_programme(&programme));
        check(&env, result).map(Into::into)
    }

    /// Every programme, in definition order.
    #[napi]
    pub fn programmes(&self, env: Env) -> napi::Result<Vec<Programme>> {
        let programmes = self.core(&env)?.programmes();
        Ok(programmes.into_iter().map(Into::into).collect())
    }

    /// The invite code of a customer (for a `campaign`, or none), issuing one the first
    /// time. `NOT_FOUND` for an unknown customer.
    #[napi]
    pub fn issue_code(
        &self,
        env: Env,
        customer: String,
        campaign: Option<String>,
    ) -> napi::Result<InviteCode> {
        let engine = self.core(&env)?;
        check(&env, engine.issue_code(&customer, campaign.as_deref())).map(Into::into)
    }

    /// Who an invite code belongs to (case and dashes do not matter). `NOT_FOUND` for an
    /// unknown code; `VALIDATION` (`field` `code`) for text that cannot be a code.
    #[napi]
    pub fn lookup_code(&self, env: Env, code: String) -> napi::Result<InviteCode> {
        let engine = self.core(&env)?;
        check(&env, engine.lookup_code(&code)).map(Into::into)
    }

    /// Redeems an invite code for a customer who joined: records the referral, runs the
    /// fraud checks (a held referral is `flagged` with its `hold` reason), links the two
    /// with a `referred` edge when valid, and grants the signup rewards. Refused: an unknown
    /// code or customer (`NOT_FOUND`), a customer already referred (`CONFLICT`).
    #[napi]
    pub fn redeem_code(&self, env: Env, code: String, referee: String) -> napi::Result<Referral> {
        let engine = self.core(&env)?;
        check(&env, engine.redeem_code(&code, &referee)).map(Into::into)
    }

    /// A referral by id, with its status at the engine clock. `NOT_FOUND` if unknown.
    #[napi]
    pub fn referral(&self, env: Env, id: f64) -> napi::Result<Referral> {
        let engine = self.core(&env)?;
        check(&env, whole("id", id).and_then(|id| engine.referral(id))).map(Into::into)
    }

    /// The referral that brought a customer, or `null`. `NOT_FOUND` for an unknown customer.
    #[napi]
    pub fn referral_of(&self, env: Env, customer: String) -> napi::Result<Option<Referral>> {
        let engine = self.core(&env)?;
        check(&env, engine.referral_of(&customer)).map(|r| r.map(Into::into))
    }

    /// Referrals with a status at the engine clock (all without one), oldest first;
    /// `'flagged'` lists those held for a person.
    #[napi]
    pub fn referrals(
        &self,
        env: Env,
        status: Option<ReferralStatus>,
    ) -> napi::Result<Vec<Referral>> {
        let referrals = self.core(&env)?.referrals(status.map(Into::into));
        Ok(referrals.into_iter().map(Into::into).collect())
    }

    /// A person approves a referral: its rewards are released; a held one becomes valid
    /// (edge and signup rewards). Approving twice is a no-op; `CONFLICT` for a voided (or
    /// self-) referral, `NOT_FOUND` for an unknown id.
    #[napi]
    pub fn approve_referral(&self, env: Env, id: f64) -> napi::Result<Referral> {
        let engine = self.core(&env)?;
        check(
            &env,
            whole("id", id).and_then(|id| engine.approve_referral(id)),
        )
        .map(Into::into)
    }

    /// A person rejects a referral: it is voided, its remaining rewards taken back and its
    /// edge removed. `NOT_FOUND` for an unknown id.
    #[napi]
    pub fn reject_referral(&self, env: Env, id: f64) -> napi::Result<Referral> {
        let engine = self.core(&env)?;
        check(
            &env,
            whole("id", id).and_then(|id| engine.reject_referral(id)),
        )
        .map(Into::into)
    }

    /// A customer's points at the engine clock. `NOT_FOUND` for an unknown customer.
    #[napi]
    pub fn balance(&self, env: Env, customer: String) -> napi::Result<Balance> {
        let engine = self.core(&env)?;
        check(&env, engine.balance(&customer)).map(Into::into)
    }

    /// A customer's ledger entries, oldest first. `NOT_FOUND` for an unknown customer.
    #[napi]
    pub fn ledger(&self, env: Env, customer: String) -> napi::Result<Vec<LedgerEntry>> {
        let engine = self.core(&env)?;
        check(&env, engine.ledger(&customer))
            .map(|entries| entries.into_iter().map(Into::into).collect())
    }

    /// Spends `points` (a positive integer), earliest-expiring lots first; more than the
    /// spendable points is a `CONFLICT` and changes nothing. Returns the balance after.
    #[napi]
    pub fn redeem_points(
        &self,
        env: Env,
        customer: String,
        points: f64,
        reason: String,
    ) -> napi::Result<Balance> {
        let engine = self.core(&env)?;
        let result = points_in("points", points)
            .and_then(|points| engine.redeem_points(&customer, points, &reason));
        check(&env, result).map(Into::into)
    }

    /// Corrects a customer's points by hand (an integer of either sign; a negative
    /// correction takes from the spendable points, `CONFLICT` beyond them). Returns the
    /// balance after.
    #[napi]
    pub fn adjust_points(
        &self,
        env: Env,
        customer: String,
        points: f64,
        reason: String,
    ) -> napi::Result<Balance> {
        let engine = self.core(&env)?;
        let result = points_in("points", points)
            .and_then(|points| engine.adjust_points(&customer, points, &reason));
        check(&env, result).map(Into::into)
    }

    /// Writes an expiry entry for every lot past its expiry at the engine clock; resolves
    /// with how many were written. Off the main thread.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn expire_points(&self) -> AsyncTask<Job<u64, f64>> {
        spawn(self.shared(), |e| e.expire_points(), count)
    }

    /// The top `n` referrers by converted referrals, then points, then creation order. Off
    /// the main thread.
    #[napi(ts_return_type = "Promise<Array<ReferrerStanding>>")]
    pub fn referral_leaderboard(
        &self,
        n: f64,
    ) -> AsyncTask<Job<Vec<scrm::ReferrerStanding>, Vec<ReferrerStanding>>> {
        spawn(
            self.shared(),
            move |e| {
                let n = whole("n", n)?;
                Ok(e.referral_leaderboard(usize::try_from(n).unwrap_or(usize::MAX)))
            },
            |rows| rows.into_iter().map(Into::into).collect(),
        )
    }

    /// Codes issued, redemptions and conversions in `[from, until)`, their rates, the viral
    /// coefficient and what the programmes paid. `until` must come after `from`
    /// (`VALIDATION`, `field` `until`). Off the main thread.
    #[napi(ts_return_type = "Promise<ReferralFunnel>")]
    pub fn referral_funnel(
        &self,
        from: DateInput,
        until: DateInput,
    ) -> AsyncTask<Job<scrm::ReferralFunnel, ReferralFunnel>> {
        spawn(
            self.shared(),
            move |e| {
                let from = from.to_core(|| "from".into())?;
                let until = until.to_core(|| "until".into())?;
                e.referral_funnel(from, until)
            },
            Into::into,
        )
    }
}
