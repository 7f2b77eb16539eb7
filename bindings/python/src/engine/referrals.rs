//! Referral programmes: the policy and programmes, invite codes and their redemption, held
//! referrals decided by hand, the points ledger, and the figures. Rewards for trigger events
//! are granted by record_events itself; a refund is an event of kind `scrm.REFUND` whose
//! property `scrm.REFUNDED` is the refunded purchase's idempotency key.
//!
//! Optional arguments left None take the core's default (those of `Programme::new` and
//! `ReferralPolicy::default()`), so the binding never restates them.

use pyo3::prelude::*;
use scrm::{Programme, ReferralPolicy, ReferralStatus};

use super::{out, PyEngine};
use crate::errors::IntoPyResult;
use crate::inputs::{allowance_in, caps_in, milestones_in, percents_in, trigger_in};
use crate::outputs::ToPy;
use crate::table::Table;
use crate::time::{opt_time_in, time_in};
use crate::values::parse_name;

/// A path under `programme.`, as the core names a programme's fields in its errors.
fn programme_field(key: &'static str) -> impl Fn() -> String {
    move || format!("programme.{key}")
}

#[pymethods]
impl PyEngine {
    /// Replaces the engine-wide referral rules (stored with the data); an argument left None
    /// takes the core's default, shown in brackets.
    ///
    /// `code_length` is the symbols per invite code, 6 to 16 [8]; a customer who existed
    /// more than `new_customer_hours` [24] before redeeming is held as "existing_referee", or
    /// refused (ConflictError) with `reject_existing_referees` [False]; more than
    /// `max_redemptions_per_hour` [20] redemptions of one referrer's codes in an hour are held
    /// as "velocity"; rewards are released `approval_delay_hours` [0] after the redemption.
    /// `allowance` [None] limits what one customer earns across programmes: {"limit", "unit":
    /// "rewards" | "points", "window": "calendar_month" | "calendar_year" | "rolling_month" |
    /// "rolling_year" | "lifetime"}. `set_referral_policy(**engine.referral_policy())` sets
    /// the same policy again.
    #[pyo3(signature = (
        *, code_length=None, new_customer_hours=None, reject_existing_referees=None,
        max_redemptions_per_hour=None, approval_delay_hours=None, allowance=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn set_referral_policy(
        &self,
        py: Python<'_>,
        code_length: Option<u32>,
        new_customer_hours: Option<u32>,
        reject_existing_referees: Option<bool>,
        max_redemptions_per_hour: Option<u32>,
        approval_delay_hours: Option<u32>,
        allowance: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let default = ReferralPolicy::default();
        let policy = ReferralPolicy {
            code_length: code_length.unwrap_or(default.code_length),
            new_customer_hours: new_customer_hours.unwrap_or(default.new_customer_hours),
            reject_existing_referees: reject_existing_referees
                .unwrap_or(default.reject_existing_referees),
            max_redemptions_per_hour: max_redemptions_per_hour
                .unwrap_or(default.max_redemptions_per_hour),
            approval_delay_hours: approval_delay_hours.unwrap_or(default.approval_delay_hours),
            allowance: allowance_in(allowance, &|| "policy.allowance".to_string())?,
        };
        self.call(py, |e| e.set_referral_policy(&policy))?.py()
    }

    /// The referral rules in force: {"code_length", "new_customer_hours",
    /// "reject_existing_referees", "max_redemptions_per_hour", "approval_delay_hours",
    /// "allowance"}.
    fn referral_policy<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.referral_policy())?.to_py(py)
    }

    /// Defines a programme, or replaces the one of the same name (its past rewards stay), and
    /// returns it as stored (names folded to lower case).
    ///
    /// `trigger` is what pays: "signup" (the code is redeemed), "first_purchase" (the
    /// referred customer's first purchase event), {"purchase": min_amount} (every purchase of
    /// at least that amount) or {"event": kind} (every event of that kind); the core's form
    /// {"type": "purchase", "min_amount": 100.0}, as programmes() returns it, is taken too.
    /// The direct referrer earns `referrer_points`, the referred customer `referee_points`.
    /// `level_percents` is the share of `referrer_points` for each level up the chain, in
    /// percent (None for the core's [100]: the direct referrer only; [100, 20, 5] pays three
    /// levels; shares round down). `caps` is a dict with some of "per_referrer_day",
    /// "per_referrer_month" and "budget" (points). Trigger events count from `starts_at`
    /// (inclusive) until `ends_at` (aware datetimes); earned points expire after
    /// `expiry_days`; `milestones` are bonuses for numbers of converted referrals, as
    /// (referrals, points) pairs or {"referrals", "points"} dicts; with `campaign` only
    /// referrals through that campaign's codes count. A bad value raises ValidationError
    /// (`field` such as "programme.level_percents[1]"). `define_programme(**programme)`
    /// takes a dict that programmes() returned.
    #[pyo3(signature = (
        name, trigger, referrer_points, *, referee_points=0, level_percents=None, caps=None,
        starts_at=None, ends_at=None, expiry_days=None, milestones=None, campaign=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn define_programme<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        trigger: &Bound<'py, PyAny>,
        referrer_points: i64,
        referee_points: i64,
        level_percents: Option<&Bound<'py, PyAny>>,
        caps: Option<&Bound<'py, PyAny>>,
        starts_at: Option<&Bound<'py, PyAny>>,
        ends_at: Option<&Bound<'py, PyAny>>,
        expiry_days: Option<u32>,
        milestones: Option<&Bound<'py, PyAny>>,
        campaign: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut programme = Programme::new(
            name,
            trigger_in(trigger, &programme_field("trigger"))?,
            referrer_points,
        );
        programme.referee_points = referee_points;
        if let Some(levels) = level_percents.filter(|v| !v.is_none()) {
            programme.level_percents = percents_in(levels, &programme_field("level_percents"))?;
        }
        programme.caps = caps_in(caps, &programme_field("caps"))?;
        programme.starts_at = opt_time_in(starts_at, programme_field("starts_at"))?;
        programme.ends_at = opt_time_in(ends_at, programme_field("ends_at"))?;
        programme.expiry_days = expiry_days;
        programme.milestones = milestones_in(milestones, &programme_field("milestones"))?;
        programme.campaign = campaign;
        out(py, self.call(py, |e| e.define_programme(&programme))?)
    }

    /// Every programme, in definition order, as define_programme() returns them.
    fn programmes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.call(py, |e| e.programmes())?.to_py(py)
    }

    /// The invite code of a customer (for a `campaign`), issued the first time and the same
    /// one after: {"code", "customer", "campaign", "issued_at"}. Codes are random: two
    /// engines fed the same data issue different codes.
    #[pyo3(signature = (customer, campaign=None))]
    fn issue_code<'py>(
        &self,
        py: Python<'py>,
        customer: &str,
        campaign: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.issue_code(customer, campaign))?)
    }

    /// Who an invite code belongs to (case, spaces and dashes do not matter):
    /// {"code", "customer", "campaign", "issued_at"}. An unknown code raises NotFoundError, a
    /// string that cannot be a code ValidationError (`field` "code").
    fn lookup_code<'py>(&self, py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.lookup_code(code))?)
    }

    /// Redeems an invite code for the customer `referee` who joined: records the referral,
    /// runs the fraud checks (a held referral has status "flagged" and its `hold` reason),
    /// links the two with a "referred" edge when valid and grants the signup rewards.
    /// Returns the referral {"id", "referrer", "referee", "code", "campaign", "redeemed_at",
    /// "status", "hold", "approve_at"}. An unknown code or customer raises NotFoundError; a
    /// customer already referred (or, by policy, one who existed before) ConflictError.
    fn redeem_code<'py>(
        &self,
        py: Python<'py>,
        code: &str,
        referee: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.redeem_code(code, referee))?)
    }

    /// A referral by id, with its status at the engine clock ("pending", "approved",
    /// "flagged" or "voided"). Raises NotFoundError.
    fn referral<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.referral(id))?)
    }

    /// The referral that brought a customer, or None.
    fn referral_of<'py>(&self, py: Python<'py>, customer: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.referral_of(customer))?)
    }

    /// Referrals with `status` ("pending", "approved", "flagged" or "voided") at the engine
    /// clock, all when None, oldest first; "flagged" lists those held for a person.
    #[pyo3(signature = (status=None))]
    fn referrals<'py>(&self, py: Python<'py>, status: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let status: Option<ReferralStatus> = status
            .map(|s| parse_name(s, &|| "status".to_string()))
            .transpose()?;
        self.call(py, |e| e.referrals(status))?.to_py(py)
    }

    /// A person approves a referral: its rewards are released; a held one becomes valid (the
    /// edge and the signup rewards). Approving twice changes nothing; a voided referral, or
    /// one whose customer has another referrer, raises ConflictError. Returns the referral.
    fn approve_referral<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.approve_referral(id))?)
    }

    /// A person rejects a referral: it is voided, its remaining rewards taken back and its
    /// edge removed. Returns the referral.
    fn reject_referral<'py>(&self, py: Python<'py>, id: u64) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.reject_referral(id))?)
    }

    /// A customer's points at the engine clock: {"balance" (every entry), "spendable",
    /// "pending" (of referrals not approved yet), "expiring_30d"}.
    fn balance<'py>(&self, py: Python<'py>, customer: &str) -> PyResult<Bound<'py, PyAny>> {
        out(py, self.call(py, |e| e.balance(customer))?)
    }

    /// A customer's ledger entries, oldest first, as a Table with columns "id", "customer",
    /// "kind", "points", "at", "expires_at", "programme", "referral", "offsets" and "reason",
    /// one row per entry (the last four nullable). `kind` is "earn", "redeem",
    /// "expire", "reverse" or "adjust"; `points` are signed; `referral` is set on rewards,
    /// `offsets` (the entry taken from) on negative entries.
    fn ledger(&self, py: Python<'_>, customer: &str) -> PyResult<Table> {
        self.call(py, |e| e.ledger(customer).map(Table::from))?.py()
    }

    /// Spends `points` (above 0), earliest-expiring lots first, noting `reason`. More than
    /// the spendable points raises ConflictError and changes nothing. Returns the balance
    /// after.
    fn redeem_points<'py>(
        &self,
        py: Python<'py>,
        customer: &str,
        points: i64,
        reason: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(
            py,
            self.call(py, |e| e.redeem_points(customer, points, reason))?,
        )
    }

    /// Corrects a customer's points by hand, either sign (a negative correction takes from
    /// the spendable points, like a redemption). Returns the balance after.
    fn adjust_points<'py>(
        &self,
        py: Python<'py>,
        customer: &str,
        points: i64,
        reason: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        out(
            py,
            self.call(py, |e| e.adjust_points(customer, points, reason))?,
        )
    }

    /// Writes an expiry entry for every lot past its expiry at the engine clock; returns how
    /// many were written.
    fn expire_points(&self, py: Python<'_>) -> PyResult<u64> {
        self.call(py, |e| e.expire_points())?.py()
    }

    /// The top `n` referrers by converted referrals, then points, then creation order, as
    /// a Table with columns "customer", "referrals", "converted" and "points", one row per
    /// referrer.
    fn referral_leaderboard(&self, py: Python<'_>, n: usize) -> PyResult<Table> {
        self.call(py, |e| Table::from(e.referral_leaderboard(n)))
    }

    /// Codes issued, redemptions and conversions in `[from_, until)` (aware datetimes; the
    /// core's `from`, a Python keyword), their rates, the viral coefficient and what the
    /// programmes paid: {"codes_issued", "redeemed", "converted", "redemption_rate",
    /// "conversion_rate", "k_factor", "cost"}. `until` not after `from_` raises
    /// ValidationError (`field` "until").
    fn referral_funnel<'py>(
        &self,
        py: Python<'py>,
        from_: &Bound<'py, PyAny>,
        until: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let from = time_in(from_, || "from".to_string())?;
        let until = time_in(until, || "until".to_string())?;
        out(py, self.call(py, |e| e.referral_funnel(from, until))?)
    }
}
