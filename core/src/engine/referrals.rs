//! Referral programmes through the engine: the policy and programmes, invite codes and
//! their redemption, held referrals decided by hand, and the points ledger. Rewards for
//! trigger events are granted by [`Engine::record_events`] itself.

use super::Engine;
use crate::error::{unknown_customer, Error, Result};
use crate::names::normalize_name;
use crate::referral::plan::Planner;
use crate::referral::state::{ReferralOp, ReferralRec};
use crate::referral::state::{DAY, NO_LINK};
use crate::referral::{
    normalize_code, Balance, EntryKind, InviteCode, LedgerEntry, Programme, Referral,
    ReferralFunnel, ReferralPolicy, ReferralStatus, ReferrerStanding,
};
use crate::state::{Changes, State};
use crate::time::{from_micros, to_micros, Timestamp};

impl Engine {
    /// Replaces the engine-wide referral rules (stored with the data).
    pub fn set_referral_policy(&self, policy: &ReferralPolicy) -> Result<()> {
        policy.validate()?;
        let op = ReferralOp::Policy(Box::new(policy.clone()));
        self.write(|_| Ok((ops(vec![op]), ())))
    }

    /// The referral rules in force.
    pub fn referral_policy(&self) -> ReferralPolicy {
        self.read(|s| s.referrals.policy.clone())
    }

    /// Defines a programme, or replaces the one of the same name (its past rewards stay).
    /// Returns it as stored, names normalised.
    pub fn define_programme(&self, programme: &Programme) -> Result<Programme> {
        let programme = programme.validated()?;
        let op = ReferralOp::Programme(Box::new(programme.clone()));
        self.write(|_| Ok((ops(vec![op]), ())))?;
        Ok(programme)
    }

    /// Every programme, in definition order.
    pub fn programmes(&self) -> Vec<Programme> {
        self.read(|s| s.referrals.programmes.clone())
    }

    /// The invite code of a customer (for a campaign), issuing one the first time.
    pub fn issue_code(&self, customer: &str, campaign: Option<&str>) -> Result<InviteCode> {
        let campaign = campaign
            .map(|c| normalize_name(|| "campaign".into(), c).map(|c| c.into_owned()))
            .transpose()?;
        let at = self.write_time();
        let code = self.write(|s| {
            let idx = s
                .resolve(customer)
                .ok_or_else(|| unknown_customer(customer))?;
            let r = &s.referrals;
            if let Some(&code) = r.code_of.get(&(idx, campaign.clone())) {
                return Ok((Changes::default(), r.codes[code as usize].code.to_string()));
            }
            let len = r.policy.code_length as usize;
            let mut source = r
                .source
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let code = loop {
                let code = source.draw(len);
                if !r.code_index.contains_key(code.as_str()) {
                    break code;
                }
            };
            let op = ReferralOp::Code {
                code: code.clone(),
                customer: idx,
                campaign: campaign.clone(),
                at,
            };
            Ok((ops(vec![op]), code))
        })?;
        self.lookup_code(&code)
    }

    /// Who an invite code belongs to.
    pub fn lookup_code(&self, code: &str) -> Result<InviteCode> {
        let code = normalize_code("code", code)?;
        self.read(|s| {
            let id = find_code(s, &code)?;
            let rec = &s.referrals.codes[id as usize];
            Ok(InviteCode {
                code: rec.code.to_string(),
                customer: s.customers[s.canonical(rec.customer) as usize]
                    .id
                    .to_string(),
                campaign: rec.campaign.clone(),
                issued_at: from_micros(rec.issued_at),
            })
        })
    }

    /// Redeems an invite code for a customer who joined: records the referral, runs the
    /// fraud checks (a held referral is `Flagged` with its reason), links the two with a
    /// `referred` edge when valid, and grants the signup rewards. Refused: an unknown code
    /// (`NOT_FOUND`), a customer already referred (`CONFLICT`).
    pub fn redeem_code(&self, code: &str, referee: &str) -> Result<Referral> {
        let code = normalize_code("code", code)?;
        let at = self.write_time();
        let id = self.write(|s| {
            let code = find_code(s, &code)?;
            let idx = s
                .resolve(referee)
                .ok_or_else(|| unknown_customer(referee))?;
            let mut planner = Planner::new(s);
            let id = planner.redeem(code, idx, at)?;
            Ok((planned(planner), id))
        })?;
        self.referral(u64::from(id))
    }

    /// A referral by id.
    pub fn referral(&self, id: u64) -> Result<Referral> {
        let now = self.clock_micros();
        self.read(|s| {
            let known = u32::try_from(id)
                .ok()
                .filter(|&i| (i as usize) < s.referrals.referrals.len());
            let known = known.ok_or_else(|| Error::NotFound {
                entity: "referral",
                key: id.to_string(),
            })?;
            Ok(render_referral(s, known, now))
        })
    }

    /// The referral that brought a customer, if any.
    pub fn referral_of(&self, customer: &str) -> Result<Option<Referral>> {
        let now = self.clock_micros();
        self.read(|s| {
            let idx = s
                .resolve(customer)
                .ok_or_else(|| unknown_customer(customer))?;
            Ok(Planner::new(s)
                .referral_of(idx)
                .map(|id| render_referral(s, id, now)))
        })
    }

    /// Referrals with a status at the engine clock (all when `None`), oldest first;
    /// `Some(ReferralStatus::Flagged)` lists those held for a person.
    pub fn referrals(&self, status: Option<ReferralStatus>) -> Vec<Referral> {
        let now = self.clock_micros();
        self.read(|s| {
            (0..s.referrals.referrals.len() as u32)
                .filter(|&i| {
                    status.is_none_or(|st| s.referrals.referrals[i as usize].status_at(now) == st)
                })
                .map(|i| render_referral(s, i, now))
                .collect()
        })
    }

    /// A person approves a referral: its rewards are released; a held one becomes valid
    /// (edge and signup rewards). Approving twice is a no-op; a voided referral is a
    /// `CONFLICT`.
    pub fn approve_referral(&self, id: u64) -> Result<Referral> {
        self.decide(id, true)
    }

    /// A person rejects a referral: it is voided, its remaining rewards taken back and its
    /// edge removed.
    pub fn reject_referral(&self, id: u64) -> Result<Referral> {
        self.decide(id, false)
    }

    fn decide(&self, id: u64, approve: bool) -> Result<Referral> {
        let at = self.write_time();
        let referral = u32::try_from(id).unwrap_or(u32::MAX);
        self.write(|s| {
            let mut planner = Planner::new(s);
            planner.decide(referral, approve, at)?;
            Ok((planned(planner), ()))
        })?;
        self.referral(id)
    }

    /// A customer's points at the engine clock.
    pub fn balance(&self, customer: &str) -> Result<Balance> {
        let now = self.clock_micros();
        self.read(|s| {
            let idx = s
                .resolve(customer)
                .ok_or_else(|| unknown_customer(customer))?;
            Ok(balance(s, idx, now))
        })
    }

    /// A customer's ledger entries, oldest first.
    pub fn ledger(&self, customer: &str) -> Result<Vec<LedgerEntry>> {
        self.read(|s| {
            let idx = s
                .resolve(customer)
                .ok_or_else(|| unknown_customer(customer))?;
            let r = &s.referrals;
            Ok((0..r.ledger.entries.len() as u32)
                .filter(|&e| s.canonical(r.ledger.entries[e as usize].customer) == idx)
                .map(|e| render_entry(s, e))
                .collect())
        })
    }

    /// Spends points, earliest-expiring lots first; more than the spendable points is a
    /// `CONFLICT` and changes nothing. Returns the balance after.
    pub fn redeem_points(&self, customer: &str, points: i64, reason: &str) -> Result<Balance> {
        super::check_note("reason", reason, true)?;
        self.ledger_write(customer, |planner, idx, now| {
            planner.spend(idx, points, now, reason)
        })
    }

    /// Corrects a customer's points by hand (either sign; a negative correction takes from
    /// the spendable points). Returns the balance after.
    pub fn adjust_points(&self, customer: &str, points: i64, reason: &str) -> Result<Balance> {
        super::check_note("reason", reason, true)?;
        self.ledger_write(customer, |planner, idx, now| {
            planner.adjust(idx, points, now, reason)
        })
    }

    /// Writes an expiry entry for every lot past its expiry at the engine clock; returns
    /// how many were written.
    pub fn expire_points(&self) -> Result<u64> {
        let now = self.write_time();
        self.write(|s| {
            let mut planner = Planner::new(s);
            for customer in s.referrals.ledger.customers_with_expired(now) {
                planner.expire(customer, now);
            }
            let n = planner.ops.len() as u64;
            Ok((planned(planner), n))
        })
    }

    fn ledger_write(
        &self,
        customer: &str,
        f: impl FnOnce(&mut Planner, u32, i64) -> Result<()>,
    ) -> Result<Balance> {
        let now = self.write_time();
        let idx = self.write(|s| {
            let idx = s
                .resolve(customer)
                .ok_or_else(|| unknown_customer(customer))?;
            let mut planner = Planner::new(s);
            f(&mut planner, idx, now)?;
            Ok((planned(planner), idx))
        })?;
        Ok(self.read(|s| balance(s, idx, now)))
    }

    /// The top `n` referrers by converted referrals, then points, then creation order.
    pub fn referral_leaderboard(&self, n: usize) -> Vec<ReferrerStanding> {
        let now = self.clock_micros();
        self.read(|s| {
            let r = &s.referrals;
            let mut rows: std::collections::BTreeMap<u32, (u64, u64, i64)> = Default::default();
            for (i, rec) in r.referrals.iter().enumerate() {
                let status = rec.status_at(now);
                if matches!(status, ReferralStatus::Voided | ReferralStatus::Flagged) {
                    continue;
                }
                let row = rows.entry(s.canonical(rec.referrer)).or_default();
                row.0 += 1;
                row.1 += u64::from(r.converted_any.contains(&(i as u32)));
            }
            for e in &r.ledger.entries {
                if e.programme != NO_LINK {
                    if let Some(row) = rows.get_mut(&s.canonical(e.customer)) {
                        row.2 += e.points;
                    }
                }
            }
            let mut rows: Vec<(u32, (u64, u64, i64))> = rows.into_iter().collect();
            rows.sort_by(|a, b| (b.1 .1, b.1 .2, a.0).cmp(&(a.1 .1, a.1 .2, b.0)));
            rows.truncate(n);
            rows.into_iter()
                .map(|(c, (referrals, converted, points))| ReferrerStanding {
                    customer: s.external_id(c),
                    referrals,
                    converted,
                    points,
                })
                .collect()
        })
    }

    /// Codes issued, redemptions and conversions in `[from, until)`, their rates, the
    /// viral coefficient and what the programmes paid.
    pub fn referral_funnel(&self, from: Timestamp, until: Timestamp) -> Result<ReferralFunnel> {
        let (from, until) = (
            to_micros(|| "from".into(), from)?,
            to_micros(|| "until".into(), until)?,
        );
        if until <= from {
            return Err(crate::error::invalid("until", "must come after from"));
        }
        Ok(self.read(|s| {
            let r = &s.referrals;
            let inside = |t: i64| (from..until).contains(&t);
            let codes_issued = r.codes.iter().filter(|c| inside(c.issued_at)).count() as u64;
            let redeemed: Vec<(usize, &ReferralRec)> = r
                .referrals
                .iter()
                .enumerate()
                .filter(|(_, x)| inside(x.at))
                .collect();
            let converted = redeemed
                .iter()
                .filter(|(i, _)| r.converted_any.contains(&(*i as u32)))
                .count() as u64;
            let valid = redeemed
                .iter()
                .filter(|(_, x)| {
                    !matches!(
                        x.status_at(until),
                        ReferralStatus::Voided | ReferralStatus::Flagged
                    )
                })
                .count();
            let existing = s
                .customers
                .iter()
                .filter(|c| c.created_at < from && c.merged_into.is_none())
                .count();
            let cost = r
                .ledger
                .entries
                .iter()
                .filter(|e| e.programme != NO_LINK && inside(e.at))
                .map(|e| e.points)
                .sum();
            let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
            ReferralFunnel {
                codes_issued,
                redeemed: redeemed.len() as u64,
                converted,
                redemption_rate: ratio(redeemed.len() as u64, codes_issued),
                conversion_rate: ratio(converted, redeemed.len() as u64),
                k_factor: ratio(valid as u64, existing as u64),
                cost,
            }
        }))
    }
}

/// Changes holding only referral operations.
fn ops(referral_ops: Vec<ReferralOp>) -> Changes {
    Changes {
        referral_ops,
        ..Changes::default()
    }
}

/// The changes a planner collected.
fn planned(planner: Planner) -> Changes {
    Changes {
        symbols: planner.symbols,
        edges: planner.edges,
        referral_ops: planner.ops,
        ..Changes::default()
    }
}

fn find_code(s: &State, code: &str) -> Result<u32> {
    s.referrals
        .code_index
        .get(code)
        .copied()
        .ok_or_else(|| Error::NotFound {
            entity: "invite code",
            key: code.to_string(),
        })
}

fn balance(s: &State, idx: u32, now: i64) -> Balance {
    let r = &s.referrals;
    let approved = |id: u32, t: i64| r.approved(id, t);
    let until = now.saturating_add(30 * DAY);
    let (spendable, pending, expiring_30d) = r.ledger.figures(idx, now, until, &approved);
    Balance {
        balance: r.ledger.balance(idx),
        spendable,
        pending,
        expiring_30d,
    }
}

fn render_referral(s: &State, id: u32, now: i64) -> Referral {
    let r = &s.referrals;
    let rec = &r.referrals[id as usize];
    let code = &r.codes[rec.code as usize];
    let name = |i: u32| s.external_id(s.canonical(i));
    Referral {
        id: u64::from(id),
        referrer: name(rec.referrer),
        referee: name(rec.referee),
        code: code.code.to_string(),
        campaign: code.campaign.clone(),
        redeemed_at: from_micros(rec.at),
        status: rec.status_at(now),
        hold: rec.hold,
        approve_at: (rec.approve_at != i64::MAX).then(|| from_micros(rec.approve_at)),
    }
}

fn render_entry(s: &State, e: u32) -> LedgerEntry {
    let r = &s.referrals;
    let entry = &r.ledger.entries[e as usize];
    let link = (entry.link != NO_LINK).then_some(u64::from(entry.link));
    let earn = entry.kind == EntryKind::Earn;
    LedgerEntry {
        id: u64::from(e),
        customer: s.customers[s.canonical(entry.customer) as usize]
            .id
            .to_string(),
        kind: entry.kind,
        points: entry.points,
        at: from_micros(entry.at),
        expires_at: (entry.points > 0 && entry.expires_at() != i64::MAX)
            .then(|| from_micros(entry.expires_at())),
        programme: (entry.programme != NO_LINK)
            .then(|| r.programmes[entry.programme as usize].name.clone()),
        referral: if earn { link } else { None },
        offsets: if earn { None } else { link },
        reason: r.reasons[entry.reason as usize].clone(),
    }
}
