//! Planning referral writes against a read-only state: redemptions with their fraud checks,
//! rewards for trigger events (levels, caps, budget, allowance, milestones, idempotency),
//! refunds, decisions by hand, and point redemptions. A planner collects the operations
//! and edge changes of one call, keeping its own running totals so that several rewards in
//! one batch see each other.

use super::ledger::EntryKind;
use super::ledger::{Period, NONE, NO_LEVEL};
use super::model::{HoldReason, ReferralStatus};
use super::programme::{AllowanceUnit, Trigger, Window};
use super::state::{EntryOp, GrantKey, ReferralOp, Referrals, TriggerRef, DAY};
use crate::customer::AttributeValue;
use crate::error::{invalid, Error, Result};
use crate::event::kinds;
use crate::hash::{HashMap, HashSet};
use crate::relations::{edge_kinds, EdgeData, StoredEdge};
use crate::state::{EdgeOp, NewEvent, State};

/// Event kind of refunds; its property [`REFUNDED`] names the refunded purchase.
pub const REFUND: &str = "refund";
/// Property of a refund event holding the idempotency key of the purchase it refunds.
pub const REFUNDED: &str = "purchase";

/// Reasons of the referrer levels' rewards.
const LEVEL_REASONS: [&str; 10] = [
    "referrer level 1",
    "referrer level 2",
    "referrer level 3",
    "referrer level 4",
    "referrer level 5",
    "referrer level 6",
    "referrer level 7",
    "referrer level 8",
    "referrer level 9",
    "referrer level 10",
];

/// Microseconds per hour.
const HOUR: i64 = 3_600_000_000;

/// A referral being paid for: its id, code and live ends.
#[derive(Clone, Copy)]
struct Link {
    referral: u32,
    code: u32,
    referrer: u32,
    referee: u32,
}

/// A reward about to be granted.
#[derive(Clone, Copy)]
struct Reward {
    programme: u32,
    trigger: TriggerRef,
    /// The trigger event, for refunds.
    event: Option<u32>,
    who: u32,
    level: u8,
    points: i64,
    at: i64,
    referral: u32,
}

/// A reward already earned, as the caps and allowances count it.
#[derive(Clone, Copy)]
struct Earned {
    at: i64,
    points: i64,
    programme: u32,
    level: u8,
}

impl Earned {
    fn of(e: &super::ledger::Entry) -> Earned {
        Earned {
            at: e.at,
            points: e.points,
            programme: e.programme,
            level: e.level,
        }
    }
}

/// The operations of one call.
pub(crate) struct Planner<'s> {
    state: &'s State,
    r: &'s Referrals,
    pub ops: Vec<ReferralOp>,
    pub edges: Vec<EdgeOp>,
    /// Names to intern (at most `referred`, the first time a referral links).
    pub symbols: Vec<String>,
    /// Running totals of this call, on top of the state's.
    paid: HashMap<u32, i64>,
    earned: HashMap<u32, Vec<Earned>>,
    conversions: HashMap<(u32, u32), u32>,
    converted: HashSet<(u32, u32)>,
    purchases: HashMap<u32, u64>,
    status: HashMap<u32, ReferralStatus>,
    /// Points this call already took from each lot.
    taken: HashMap<u32, i64>,
}

impl<'s> Planner<'s> {
    /// A planner over `state`.
    pub fn new(state: &'s State) -> Self {
        Planner {
            state,
            r: &state.referrals,
            ops: Vec::new(),
            edges: Vec::new(),
            symbols: Vec::new(),
            paid: HashMap::default(),
            earned: HashMap::default(),
            conversions: HashMap::default(),
            converted: HashSet::default(),
            purchases: HashMap::default(),
            status: HashMap::default(),
            taken: HashMap::default(),
        }
    }

    fn status(&self, referral: u32, at: i64) -> ReferralStatus {
        match self.status.get(&referral) {
            Some(&s) => s,
            None => self.r.referrals[referral as usize].status_at(at),
        }
    }

    /// The valid (pending or approved) referral of a live customer, redeemed by it or by a
    /// profile it absorbed; else the latest held or voided one.
    pub fn referral_of(&self, customer: u32) -> Option<u32> {
        let slot = &self.state.customers[customer as usize];
        let all: Vec<u32> = std::iter::once(&customer)
            .chain(&slot.absorbed)
            .filter_map(|c| self.r.of_referee.get(c))
            .flatten()
            .copied()
            .collect();
        all.iter()
            .copied()
            .find(|&id| self.valid(id))
            .or_else(|| all.iter().copied().max())
    }

    /// Whether a referral counts (pending or approved) for the one-referrer rule.
    fn valid(&self, referral: u32) -> bool {
        matches!(
            self.status(referral, i64::MIN),
            ReferralStatus::Pending | ReferralStatus::Approved
        )
    }

    /// Redeems code `code` (position) for live customer `referee` at `at`; returns the new
    /// referral's id. Refused: a referee who already has a referral, and (by policy) one
    /// who existed before. Held: the fraud checks of [`HoldReason`].
    pub fn redeem(&mut self, code: u32, referee: u32, at: i64) -> Result<u32> {
        let state = self.state;
        let policy = &self.r.policy;
        let referrer = state.canonical(self.r.codes[code as usize].customer);
        let name = |i: u32| state.external_id(i);
        if let Some(existing) = self.referral_of(referee).filter(|&id| self.valid(id)) {
            let by = self.r.referrals[existing as usize].referrer;
            return Err(Error::Conflict {
                reason: format!(
                    "customer {:?} was already referred by {:?}; a customer has one referrer",
                    name(referee),
                    name(state.canonical(by))
                ),
            });
        }
        let referred = state.symbols.get(edge_kinds::REFERRED);
        let existing_for = at - i64::from(policy.new_customer_hours) * HOUR;
        let existed = state.customers[referee as usize].created_at < existing_for;
        if existed && policy.reject_existing_referees {
            return Err(Error::Conflict {
                reason: format!(
                    "customer {:?} existed before redeeming and cannot be referred",
                    name(referee)
                ),
            });
        }
        let recent = self.r.redeemed_by_referrer.get(&referrer).map_or(0, |t| {
            t.iter().filter(|&&t| t > at - HOUR && t <= at).count()
        });
        let hold = if referrer == referee || self.conflicting(referrer, referee) {
            Some(HoldReason::SelfReferral)
        } else if referred
            .is_some_and(|k| self.up_chain(referrer, k, usize::MAX).contains(&referee))
        {
            Some(HoldReason::Ring)
        } else if recent >= policy.max_redemptions_per_hour as usize {
            Some(HoldReason::Velocity)
        } else if existed {
            Some(HoldReason::ExistingReferee)
        } else {
            None
        };
        let id = self.r.referrals.len() as u32;
        let (status, approve_at) = match hold {
            Some(_) => (ReferralStatus::Flagged, None),
            None => (
                ReferralStatus::Pending,
                Some(at + i64::from(policy.approval_delay_hours) * HOUR),
            ),
        };
        self.ops.push(ReferralOp::Redeem {
            code,
            referee,
            at,
            status,
            hold,
            approve_at,
        });
        self.status.insert(id, status);
        if hold.is_none() {
            self.link(referrer, referee, at);
            let link = Link {
                referral: id,
                code,
                referrer,
                referee,
            };
            self.signup(link, at);
        }
        Ok(id)
    }

    /// Whether an identity conflict joins the two customers (one person on both sides).
    fn conflicting(&self, a: u32, b: u32) -> bool {
        let state = self.state;
        state.conflicts.iter().any(|c| {
            let (o, cl) = (state.canonical(c.owner), state.canonical(c.claimant));
            (o == a && cl == b) || (o == b && cl == a)
        })
    }

    /// Up to `most` referrers above `customer`, nearest first (stops on a ring).
    fn up_chain(&self, customer: u32, referred: u32, most: usize) -> Vec<u32> {
        let mut chain = Vec::new();
        let mut at = customer;
        while chain.len() < most {
            let Some(up) = self.state.referrer_of(at, referred) else {
                break;
            };
            if up == customer || chain.contains(&up) {
                break;
            }
            chain.push(up);
            at = up;
        }
        chain
    }

    /// Puts the `referred` edge of a valid referral.
    fn link(&mut self, referrer: u32, referee: u32, at: i64) {
        let kind = match self.state.symbols.get(edge_kinds::REFERRED) {
            Some(kind) => kind,
            None => {
                if self.symbols.is_empty() {
                    self.symbols.push(edge_kinds::REFERRED.to_string());
                }
                self.state.symbols.len() as u32
            }
        };
        self.edges.push(EdgeOp::Put(StoredEdge {
            source: referrer,
            target: referee,
            data: EdgeData {
                kind,
                weight: 1.0,
                created_at: at,
            },
        }));
    }

    /// Rewards of the signup programmes for a referral that just became valid.
    fn signup(&mut self, link: Link, at: i64) {
        for p in 0..self.r.programmes.len() as u32 {
            if self.r.programmes[p as usize].trigger == Trigger::Signup {
                self.fire(p, link, TriggerRef::Signup(link.referral), at);
            }
        }
    }

    /// Rewards and refunds for a batch of new events; `first_seq` is the log position of
    /// the first, `new_names` the names the batch interns.
    pub fn events(&mut self, events: &[NewEvent], first_seq: usize, new_names: &[String]) {
        if self.r.referrals.is_empty() {
            return;
        }
        let state = self.state;
        for (offset, event) in events.iter().enumerate() {
            let row = &event.row;
            let kind = match (row.kind as usize).checked_sub(state.symbols.len()) {
                Some(i) => new_names[i].as_str(),
                None => state.symbols.name(row.kind),
            };
            if kind == REFUND {
                if let Some(AttributeValue::String(key)) = event.properties.get(REFUNDED) {
                    self.refund(key, row.at);
                }
                continue;
            }
            let customer = state.canonical(row.customer);
            let Some(referral) = self.referral_of(customer) else {
                continue;
            };
            let first_purchase = kind == kinds::PURCHASE && {
                let before = state
                    .symbols
                    .get(kinds::PURCHASE)
                    .map_or(0, |k| state.activity.count(customer, k));
                let seen = self.purchases.entry(customer).or_default();
                *seen += 1;
                before + *seen == 1
            };
            let rec = &self.r.referrals[referral as usize];
            let link = Link {
                referral,
                code: rec.code,
                referrer: state.canonical(rec.referrer),
                referee: customer,
            };
            let seq = (first_seq + offset) as u32;
            for p in 0..self.r.programmes.len() as u32 {
                let fires = match &self.r.programmes[p as usize].trigger {
                    Trigger::Signup => false,
                    Trigger::FirstPurchase => first_purchase,
                    Trigger::Purchase { min_amount } => {
                        kind == kinds::PURCHASE && row.amount.unwrap_or(0.0) >= *min_amount
                    }
                    Trigger::Event { kind: k } => k == kind,
                };
                if fires {
                    self.fire(p, link, TriggerRef::Event(seq), row.at);
                }
            }
        }
    }

    /// Pays programme `p` for a trigger of a referral.
    fn fire(&mut self, p: u32, link: Link, trigger: TriggerRef, at: i64) {
        let programme = &self.r.programmes[p as usize];
        if !programme.running_at(at) {
            return;
        }
        let campaign = &self.r.codes[link.code as usize].campaign;
        if programme
            .campaign
            .as_ref()
            .is_some_and(|c| Some(c) != campaign.as_ref())
        {
            return;
        }
        if matches!(
            self.status(link.referral, at),
            ReferralStatus::Flagged | ReferralStatus::Voided
        ) {
            return;
        }
        let event = match trigger {
            TriggerRef::Event(seq) => Some(seq),
            _ => None,
        };
        let reward = |who: u32, level: u8, points: i64| Reward {
            programme: p,
            trigger,
            event,
            who,
            level,
            points,
            at,
            referral: link.referral,
        };
        if programme.referee_points > 0 {
            self.grant(reward(link.referee, 0, programme.referee_points));
        }
        let levels = programme.level_percents.len();
        let mut chain = vec![link.referrer];
        if let Some(kind) = self.state.symbols.get(edge_kinds::REFERRED) {
            chain.extend(self.up_chain(link.referrer, kind, levels - 1));
        }
        let mut paid_referrer = false;
        for (level, (&who, &pct)) in chain.iter().zip(&programme.level_percents).enumerate() {
            let points = (i128::from(programme.referrer_points) * i128::from(pct) / 100) as i64;
            let got = self.grant(reward(who, level as u8 + 1, points));
            paid_referrer |= level == 0 && got;
        }
        if paid_referrer && self.converts(p, link.referral) {
            let key = (p, link.referrer);
            let count = self.r.conversions.get(&key).copied().unwrap_or(0)
                + *self
                    .conversions
                    .entry(key)
                    .and_modify(|c| *c += 1)
                    .or_insert(1);
            let bonus = programme.milestones.iter().find(|m| m.referrals == count);
            if let Some(m) = bonus.cloned() {
                let milestone = Reward {
                    trigger: TriggerRef::Milestone(m.referrals),
                    ..reward(link.referrer, NO_LEVEL, m.points)
                };
                self.grant(milestone);
            }
        }
    }

    /// Marks a referral converted in a programme; true the first time.
    fn converts(&mut self, p: u32, referral: u32) -> bool {
        !self.r.converted.contains(&(p, referral)) && self.converted.insert((p, referral))
    }

    /// Grants a reward, cut to the caps, budget and allowance; true when points were
    /// granted.
    fn grant(&mut self, reward: Reward) -> bool {
        let Reward {
            programme: p,
            who,
            level,
            at,
            ..
        } = reward;
        let programme = &self.r.programmes[p as usize];
        let mut points = reward.points;
        if let Some(budget) = programme.caps.budget {
            let paid =
                self.r.paid.get(&p).copied().unwrap_or(0) + self.paid.get(&p).copied().unwrap_or(0);
            points = points.min(budget - paid);
        }
        if (1..NO_LEVEL).contains(&level) {
            for (cap, period) in [
                (programme.caps.per_referrer_day, Period::Day),
                (programme.caps.per_referrer_month, Period::Month),
            ] {
                if let Some(cap) = cap {
                    let (_, used) = self.earned_in(who, Some(p), period, at);
                    points = points.min(cap - used);
                }
            }
        }
        if let Some(allowance) = &self.r.policy.allowance {
            let (count, sum) = self.allowance_used(who, allowance.window, at);
            points = match allowance.unit {
                AllowanceUnit::Points => points.min(allowance.limit - sum),
                AllowanceUnit::Rewards if count >= allowance.limit => 0,
                AllowanceUnit::Rewards => points,
            };
        }
        if points <= 0 {
            return false;
        }
        *self.paid.entry(p).or_default() += points;
        self.earned.entry(who).or_default().push(Earned {
            at,
            points,
            programme: p,
            level,
        });
        let reason: std::borrow::Cow<'static, str> = match level {
            0 => "referee".into(),
            NO_LEVEL => match reward.trigger {
                TriggerRef::Milestone(n) => format!("milestone {n}").into(),
                _ => "reward".into(),
            },
            l => LEVEL_REASONS
                .get(usize::from(l) - 1)
                .map_or_else(|| format!("referrer level {l}").into(), |r| (*r).into()),
        };
        self.ops.push(ReferralOp::Entry(EntryOp {
            kind: EntryKind::Earn,
            customer: who,
            points,
            at,
            expires_in: programme.expiry_days.map(|d| d * 86_400),
            programme: Some(p),
            link: Some(reward.referral),
            reason,
            grant: Some(GrantKey {
                programme: p,
                trigger: reward.trigger,
                beneficiary: who,
                level,
            }),
            event: reward.event,
        }));
        true
    }

    /// (rewards, points) a customer earned in the period holding `at`: referrer-side rewards
    /// of programme `p`, or every reward when `None`; from the ledger's tallies (counting the
    /// entries when `at` is in an older period than the latest one seen) and this call.
    fn earned_in(&self, who: u32, p: Option<u32>, period: Period, at: i64) -> (i64, i64) {
        let side =
            |e: &Earned| p.is_none_or(|p| e.programme == p && (1..NO_LEVEL).contains(&e.level));
        let (all, referrer) = self.r.ledger.tallies(who, p.unwrap_or(NONE));
        let tally = if p.is_some() { referrer } else { all };
        let n = period.of(at);
        let stored = tally.in_period(period, at).unwrap_or_else(|| {
            let older = self.r.ledger.earns(who).map(Earned::of);
            sum(older.filter(|e| period.of(e.at) == n && side(e)))
        });
        let planned = self.earned.get(&who).into_iter().flatten().copied();
        let planned = sum(planned.filter(|e| period.of(e.at) == n && side(e)));
        (stored.0 + planned.0, stored.1 + planned.1)
    }

    /// (rewards, points) a customer earned in an allowance window ending at `at`.
    fn allowance_used(&self, who: u32, window: Window, at: i64) -> (i64, i64) {
        let planned = self.earned.get(&who).into_iter().flatten().copied();
        let rolling = |days: i64| {
            let since = at - days * DAY;
            let stored = self.r.ledger.earns(who).take_while(|e| e.at > since);
            let stored = sum(stored.map(Earned::of));
            let planned = sum(planned.clone().filter(|e| e.at > since));
            (stored.0 + planned.0, stored.1 + planned.1)
        };
        match window {
            Window::CalendarMonth => self.earned_in(who, None, Period::Month, at),
            Window::CalendarYear => self.earned_in(who, None, Period::Year, at),
            Window::RollingMonth => rolling(30),
            Window::RollingYear => rolling(365),
            Window::Lifetime => {
                let (all, _) = self.r.ledger.tallies(who, NONE);
                let planned = sum(planned);
                (all.total.1 + planned.0, all.total.0 + planned.1)
            }
        }
    }

    /// Takes back the rewards a purchase (by idempotency key) paid and voids their
    /// referrals.
    fn refund(&mut self, purchase: &str, at: i64) {
        let paid = self
            .state
            .events
            .seq_of(purchase)
            .and_then(|seq| self.r.by_event.get(&seq));
        let Some(&(first, count)) = paid else {
            return;
        };
        let mut referrals = Vec::new();
        for e in first..first + count {
            let entry = self.r.ledger.entries[e as usize];
            self.reverse(e, at, "refund");
            if !referrals.contains(&entry.link) {
                referrals.push(entry.link);
            }
        }
        for referral in referrals {
            self.void(referral, at);
        }
    }

    /// Appends a reversal of what is left in lot `e`.
    fn reverse(&mut self, e: u32, at: i64, why: &str) {
        let entry = self.r.ledger.entries[e as usize];
        let taken = self.taken.entry(e).or_default();
        let left = self
            .r
            .ledger
            .remaining(self.state.canonical(entry.customer), e)
            - *taken;
        *taken += left.max(0);
        if left > 0 {
            self.ops.push(ReferralOp::Entry(EntryOp {
                kind: EntryKind::Reverse,
                customer: entry.customer,
                points: -left,
                at,
                expires_in: None,
                programme: (entry.programme != super::ledger::NONE).then_some(entry.programme),
                link: Some(e),
                reason: why.to_string().into(),
                grant: None,
                event: None,
            }));
        }
    }

    /// Voids a referral: its remaining rewards are taken back and its edge removed.
    fn void(&mut self, referral: u32, at: i64) {
        if self.status(referral, at) == ReferralStatus::Voided {
            return;
        }
        self.ops.push(ReferralOp::Decide {
            referral,
            status: ReferralStatus::Voided,
        });
        self.status.insert(referral, ReferralStatus::Voided);
        let earned = self
            .r
            .by_referral
            .get(referral as usize)
            .cloned()
            .unwrap_or_default();
        for e in earned {
            self.reverse(e, at, "referral voided");
        }
        let rec = &self.r.referrals[referral as usize];
        let (referrer, referee) = (
            self.state.canonical(rec.referrer),
            self.state.canonical(rec.referee),
        );
        if let Some(kind) = self.state.symbols.get(edge_kinds::REFERRED) {
            if let Some(seen) = self.state.edge_between(referrer, referee, kind) {
                self.edges.push(EdgeOp::Remove {
                    source: seen.stored.0,
                    target: seen.stored.1,
                    kind,
                });
            }
        }
    }

    /// A person approves (releasing the rewards; a held referral becomes valid, gets its
    /// edge and its signup rewards) or rejects (voids) a referral.
    pub fn decide(&mut self, referral: u32, approve: bool, at: i64) -> Result<()> {
        let rec = self
            .r
            .referrals
            .get(referral as usize)
            .ok_or_else(|| Error::NotFound {
                entity: "referral",
                key: referral.to_string(),
            })?;
        let status = rec.status_at(at);
        if status == ReferralStatus::Voided {
            return Err(Error::Conflict {
                reason: format!("referral {referral} is voided and cannot be decided again"),
            });
        }
        if !approve {
            self.void(referral, at);
            return Ok(());
        }
        if status == ReferralStatus::Approved {
            return Ok(());
        }
        self.ops.push(ReferralOp::Decide {
            referral,
            status: ReferralStatus::Approved,
        });
        self.status.insert(referral, ReferralStatus::Approved);
        if status == ReferralStatus::Flagged {
            let (referrer, referee) = (
                self.state.canonical(rec.referrer),
                self.state.canonical(rec.referee),
            );
            if referrer == referee {
                return Err(Error::Conflict {
                    reason: format!("referral {referral} joins a customer to itself"),
                });
            }
            if self
                .referral_of(referee)
                .is_some_and(|id| id != referral && self.valid(id))
            {
                return Err(Error::Conflict {
                    reason: format!("the customer of referral {referral} has another referrer"),
                });
            }
            let has_referrer = self
                .state
                .symbols
                .get(edge_kinds::REFERRED)
                .and_then(|k| self.state.referrer_of(referee, k));
            if has_referrer.is_none() {
                self.link(referrer, referee, at);
            }
            let link = Link {
                referral,
                code: rec.code,
                referrer,
                referee,
            };
            self.signup(link, at);
        }
        Ok(())
    }

    /// Expires every lot of `customer` past its expiry at `now`.
    pub fn expire(&mut self, customer: u32, now: i64) {
        for (e, left) in self.r.ledger.expired(customer, now) {
            let entry = self.r.ledger.entries[e as usize];
            self.ops.push(ReferralOp::Entry(EntryOp {
                kind: EntryKind::Expire,
                customer,
                points: -left,
                at: now,
                expires_in: None,
                programme: (entry.programme != super::ledger::NONE).then_some(entry.programme),
                link: Some(e),
                reason: "expired".into(),
                grant: None,
                event: None,
            }));
        }
    }

    /// Spends `points` of `customer` at `now`, earliest expiry first.
    pub fn spend(&mut self, customer: u32, points: i64, now: i64, reason: &str) -> Result<()> {
        self.take(customer, points, now, reason, EntryKind::Redeem)
    }

    /// Takes `points` from the spendable lots, earliest expiry first, as entries of `kind`.
    fn take(
        &mut self,
        customer: u32,
        points: i64,
        now: i64,
        reason: &str,
        kind: EntryKind,
    ) -> Result<()> {
        if points <= 0 {
            return Err(invalid("points", format!("must be above 0, got {points}")));
        }
        self.expire(customer, now);
        let approved = |r: u32, t: i64| self.r.approved(r, t);
        let lots = self
            .r
            .ledger
            .plan_redeem(customer, points, now, &approved)
            .map_err(|short| Error::Conflict {
                reason: format!(
                    "cannot redeem {} points: {} are spendable",
                    short.wanted, short.spendable
                ),
            })?;
        for (e, take) in lots {
            self.ops.push(ReferralOp::Entry(EntryOp {
                kind,
                customer,
                points: -take,
                at: now,
                expires_in: None,
                programme: None,
                link: Some(e),
                reason: reason.to_string().into(),
                grant: None,
                event: None,
            }));
        }
        Ok(())
    }

    /// A correction by hand: a positive adjustment opens a lot, a negative one takes from
    /// the spendable lots like a redemption.
    pub fn adjust(&mut self, customer: u32, points: i64, now: i64, reason: &str) -> Result<()> {
        if points < 0 {
            let points = points.checked_neg().unwrap_or(i64::MAX);
            return self.take(customer, points, now, reason, EntryKind::Adjust);
        }
        if points == 0 || points > super::programme::MAX_POINTS {
            return Err(invalid(
                "points",
                format!(
                    "must be non-zero and at most {}",
                    super::programme::MAX_POINTS
                ),
            ));
        }
        self.ops.push(ReferralOp::Entry(EntryOp {
            kind: EntryKind::Adjust,
            customer,
            points,
            at: now,
            expires_in: None,
            programme: None,
            link: None,
            reason: reason.to_string().into(),
            grant: None,
            event: None,
        }));
        Ok(())
    }
}

/// (count, points) of rewards.
fn sum(rewards: impl Iterator<Item = Earned>) -> (i64, i64) {
    rewards.fold((0, 0), |(n, points), e| (n + 1, points + e.points))
}
