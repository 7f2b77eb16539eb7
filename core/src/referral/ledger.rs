//! The points ledger: append-only entries, and per customer the lots (positive entries)
//! that redemptions, expiry and reversals consume.
//!
//! Every entry is a signed whole number of points. Positive entries (earn, positive
//! adjustments) open a lot; negative ones (redeem, expire, reverse, negative adjustments)
//! each consume one lot, which they name as the entry they offset, so a redemption that
//! spans three lots is three entries. A lot is *spendable* at time `t` when it has not
//! expired and, if a referral earned it, that referral is approved at `t`. Redemptions take
//! the spendable lots that expire first. Expiry is written as entries lazily: whenever a
//! customer's ledger is written, and by [`Ledger::expired`] sweeps; until then reads leave
//! expired lots out. So the balance (the sum of a customer's entries) never goes negative,
//! and the spendable figure is exact at any time.

use crate::hash::HashMap;
use crate::sorted::insert_in_order;

/// No programme, referral or offset entry.
pub(crate) const NONE: u32 = u32::MAX;
/// A lot that never expires.
pub(crate) const NEVER: u32 = u32::MAX;

impl Entry {
    /// When the lot expires, in microseconds; `i64::MAX` for never.
    pub fn expires_at(&self) -> i64 {
        match self.expires_in {
            NEVER => i64::MAX,
            secs => self.at.saturating_add(i64::from(secs) * 1_000_000),
        }
    }
}

/// What an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// One entry, packed (40 bytes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Entry {
    /// Signed points.
    pub points: i64,
    /// When, in microseconds.
    pub at: i64,
    pub customer: u32,
    /// Seconds from `at` until the lot expires (positive entries); [`NEVER`] for never.
    pub expires_in: u32,
    /// Programme symbol, or [`NONE`].
    pub programme: u32,
    /// Earn: the referral that earned it; negative entries: the entry they offset.
    pub link: u32,
    /// Reason symbol.
    pub reason: u32,
    pub kind: EntryKind,
    /// Rewards: 0 for the referred customer, 1 and up for the referrer's levels,
    /// [`NO_LEVEL`] for milestones and everything else.
    pub level: u8,
}

/// The level of entries that are no referral level.
pub(crate) const NO_LEVEL: u8 = u8::MAX;

/// Sums of a customer's rewards in the latest day, month and year seen, and in all, for
/// caps and allowances. A period older than the latest one is not kept (callers count it
/// from the entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tally {
    periods: [i64; 3],
    points: [i64; 3],
    counts: [i64; 3],
    /// All-time points and number of rewards.
    pub total: (i64, i64),
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            periods: [i64::MIN; 3],
            points: [0; 3],
            counts: [0; 3],
            total: (0, 0),
        }
    }
}

/// Which period of a [`Tally`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Period {
    Day = 0,
    Month = 1,
    Year = 2,
}

impl Period {
    /// The number of the period holding `at` (days since the epoch, months and years as
    /// calendar numbers, UTC).
    pub fn of(self, at: i64) -> i64 {
        use chrono::Datelike;
        match self {
            Period::Day => at.div_euclid(super::state::DAY),
            Period::Month => {
                let t = crate::time::from_micros(at);
                i64::from(t.year()) * 12 + i64::from(t.month0())
            }
            Period::Year => i64::from(crate::time::from_micros(at).year()),
        }
    }
}

impl Tally {
    /// Counts a reward of `points` at `at`.
    pub fn add(&mut self, at: i64, points: i64) {
        let day = Period::Day.of(at);
        let same_day = day == self.periods[0];
        for period in [Period::Day, Period::Month, Period::Year] {
            // Within the latest day, the month and year are the latest ones too.
            let i = period as usize;
            let n = if same_day {
                self.periods[i]
            } else {
                period.of(at)
            };
            if n > self.periods[i] {
                (self.periods[i], self.points[i], self.counts[i]) = (n, 0, 0);
            }
            if n == self.periods[i] {
                self.points[i] += points;
                self.counts[i] += 1;
            }
        }
        self.total.0 += points;
        self.total.1 += 1;
    }

    /// Adds another customer's tally (a merge). A period both count adds up; otherwise the
    /// later one is kept, and the earlier is counted from the entries when asked.
    pub fn absorb(&mut self, other: &Tally) {
        for i in 0..3 {
            match other.periods[i].cmp(&self.periods[i]) {
                std::cmp::Ordering::Equal => {
                    self.points[i] += other.points[i];
                    self.counts[i] += other.counts[i];
                }
                std::cmp::Ordering::Greater => {
                    self.periods[i] = other.periods[i];
                    self.points[i] = other.points[i];
                    self.counts[i] = other.counts[i];
                }
                std::cmp::Ordering::Less => {}
            }
        }
        self.total.0 += other.total.0;
        self.total.1 += other.total.1;
    }

    /// (rewards, points) in the period holding `at`, or `None` when it is older than the
    /// latest period counted.
    pub fn in_period(&self, period: Period, at: i64) -> Option<(i64, i64)> {
        let (i, n) = (period as usize, period.of(at));
        match n.cmp(&self.periods[i]) {
            std::cmp::Ordering::Equal => Some((self.counts[i], self.points[i])),
            std::cmp::Ordering::Greater => Some((0, 0)),
            std::cmp::Ordering::Less => None,
        }
    }
}

/// A customer's open lots and sums.
#[derive(Clone, Debug, Default)]
struct Account {
    /// Sum of the customer's entries.
    balance: i64,
    /// Open lots (entry, remaining points), by expiry then entry.
    lots: Vec<(u32, i64)>,
    /// Lots whose referral was not approved when last looked at, ascending; may still list
    /// lots since closed or approved (readers check both), until the next prune.
    held: Vec<u32>,
    /// Length of `held` after its last prune: it is pruned again once it has doubled, so a
    /// busy referrer's writes do not rescan every held lot each time.
    held_pruned: usize,
    /// Every earn entry, by time.
    earns: Vec<u32>,
    /// Rewards of every programme, both sides.
    all: Tally,
    /// Referrer-side rewards (levels 1 and up) per programme.
    referrer: Vec<(u32, Tally)>,
}

/// All entries and the accounts they make.
#[derive(Default)]
pub(crate) struct Ledger {
    pub entries: Vec<Entry>,
    accounts: HashMap<u32, Account>,
}

/// A redemption that cannot be met.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Short {
    pub wanted: i64,
    pub spendable: i64,
}

/// Tells whether a referral's rewards are released at a time.
pub(crate) type Approved<'a> = &'a dyn Fn(u32, i64) -> bool;

impl Ledger {
    /// Appends an entry and updates the account of `account` (the live profile of the
    /// entry's customer). Negative entries must name a lot of that account (`link`) and not
    /// take more than it holds; the planner makes sure of it.
    pub fn push(&mut self, entry: Entry, account: u32, approved: Approved) {
        let id = self.entries.len() as u32;
        self.entries.push(entry);
        let entries = &self.entries;
        let expiry = |e: u32| entries[e as usize].expires_at();
        let account = self.accounts.entry(account).or_default();
        account.balance += entry.points;
        if entry.kind == EntryKind::Earn {
            insert_in_order(&mut account.earns, id, |&e| entries[e as usize].at);
            account.all.add(entry.at, entry.points);
            if (1..NO_LEVEL).contains(&entry.level) {
                let tally = match account
                    .referrer
                    .iter()
                    .position(|(p, _)| *p == entry.programme)
                {
                    Some(i) => &mut account.referrer[i].1,
                    None => {
                        account.referrer.push((entry.programme, Tally::default()));
                        &mut account.referrer.last_mut().expect("just pushed").1
                    }
                };
                tally.add(entry.at, entry.points);
            }
        }
        if entry.points > 0 {
            insert_in_order(&mut account.lots, (id, entry.points), |&(e, _)| {
                (expiry(e), e)
            });
            if entry.kind == EntryKind::Earn
                && entry.link != NONE
                && !approved(entry.link, entry.at)
            {
                account.held.push(id);
            }
        } else {
            let key = (expiry(entry.link), entry.link);
            let at = account.lots.partition_point(|&(e, _)| (expiry(e), e) < key);
            if let Some(lot) = account.lots.get_mut(at).filter(|l| l.0 == entry.link) {
                lot.1 += entry.points;
                if lot.1 <= 0 {
                    account.lots.remove(at);
                }
            }
        }
        if account.held.len() < 2 * account.held_pruned.max(8) {
            return;
        }
        let lots = &account.lots;
        let open = |e: u32| {
            let key = (expiry(e), e);
            let at = lots.partition_point(|&(l, _)| (expiry(l), l) < key);
            lots.get(at).is_some_and(|l| l.0 == e)
        };
        account
            .held
            .retain(|&e| open(e) && !approved(entries[e as usize].link, entry.at));
        account.held_pruned = account.held.len();
    }

    /// Moves the account of `merged` into the account of `survivor` (a merge: the survivor
    /// keeps every lot, reward and sum; the entries keep the profile they were written for).
    pub fn absorb(&mut self, survivor: u32, merged: u32) {
        let Some(from) = self.accounts.remove(&merged) else {
            return;
        };
        let entries = &self.entries;
        let into = self.accounts.entry(survivor).or_default();
        into.balance += from.balance;
        into.lots.extend(from.lots);
        into.lots
            .sort_by_key(|&(e, _)| (entries[e as usize].expires_at(), e));
        into.held.extend(from.held);
        into.held.sort_unstable();
        into.earns.extend(from.earns);
        into.earns.sort_by_key(|&e| (entries[e as usize].at, e));
        into.all.absorb(&from.all);
        for (p, tally) in from.referrer {
            match into.referrer.iter_mut().find(|(q, _)| *q == p) {
                Some((_, t)) => t.absorb(&tally),
                None => into.referrer.push((p, tally)),
            }
        }
    }

    /// Sum of a customer's entries.
    pub fn balance(&self, customer: u32) -> i64 {
        self.accounts.get(&customer).map_or(0, |a| a.balance)
    }

    /// A customer's reward tallies: every programme, and the referrer side of one.
    pub fn tallies(&self, customer: u32, programme: u32) -> (Tally, Tally) {
        let Some(a) = self.accounts.get(&customer) else {
            return (Tally::default(), Tally::default());
        };
        let referrer = a.referrer.iter().find(|(p, _)| *p == programme);
        (a.all, referrer.map_or_else(Tally::default, |t| t.1))
    }

    /// Points open in lot `e` of an account.
    fn left(&self, a: &Account, e: u32) -> i64 {
        let expiry = |e: u32| self.entries[e as usize].expires_at();
        let key = (expiry(e), e);
        let at = a.lots.partition_point(|&(l, _)| (expiry(l), l) < key);
        a.lots.get(at).filter(|l| l.0 == e).map_or(0, |l| l.1)
    }

    /// Whether lot `e` waits for its referral's approval at `now`.
    fn waits(&self, a: &Account, e: u32, now: i64, approved: Approved) -> bool {
        a.held.binary_search(&e).is_ok() && !approved(self.entries[e as usize].link, now)
    }

    /// (spendable, pending, spendable expiring by `until`) of a customer at `now`: open
    /// points less the expired lots (a prefix, by expiry) and the lots still held.
    pub fn figures(
        &self,
        customer: u32,
        now: i64,
        until: i64,
        approved: Approved,
    ) -> (i64, i64, i64) {
        let Some(a) = self.accounts.get(&customer) else {
            return (0, 0, 0);
        };
        let open: i64 = a.lots.iter().map(|l| l.1).sum();
        let mut expired = 0;
        let mut expiring = 0;
        for &(e, left) in &a.lots {
            let at = self.entries[e as usize].expires_at();
            if at > until {
                break;
            }
            if at <= now {
                expired += left;
            } else if !self.waits(a, e, now, approved) {
                expiring += left;
            }
        }
        let pending: i64 = a
            .held
            .iter()
            .filter(|&&e| {
                self.entries[e as usize].expires_at() > now && self.waits(a, e, now, approved)
            })
            .map(|&e| self.left(a, e))
            .sum();
        (open - expired - pending, pending, expiring)
    }

    /// The lots a redemption of `points` at `now` consumes, earliest expiry first, as
    /// (entry, points taken); or how short the spendable points fall.
    pub fn plan_redeem(
        &self,
        customer: u32,
        points: i64,
        now: i64,
        approved: Approved,
    ) -> Result<Vec<(u32, i64)>, Short> {
        let mut left = points;
        let mut taken = Vec::new();
        if let Some(a) = self.accounts.get(&customer) {
            for &(e, remaining) in &a.lots {
                if left == 0 {
                    break;
                }
                let spendable =
                    self.entries[e as usize].expires_at() > now && !self.waits(a, e, now, approved);
                if spendable {
                    let take = remaining.min(left);
                    taken.push((e, take));
                    left -= take;
                }
            }
        }
        if left > 0 {
            return Err(Short {
                wanted: points,
                spendable: points - left,
            });
        }
        Ok(taken)
    }

    /// The lots of `customer` that expired by `now` with points left, as (entry, points).
    pub fn expired(&self, customer: u32, now: i64) -> Vec<(u32, i64)> {
        let lots = self.accounts.get(&customer).map(|a| a.lots.as_slice());
        lots.unwrap_or_default()
            .iter()
            .take_while(|&&(e, _)| self.entries[e as usize].expires_at() <= now)
            .copied()
            .collect()
    }

    /// Customers with open lots that expired by `now`.
    pub fn customers_with_expired(&self, now: i64) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .accounts
            .iter()
            .filter(|(_, a)| {
                a.lots
                    .first()
                    .is_some_and(|&(e, _)| self.entries[e as usize].expires_at() <= now)
            })
            .map(|(&c, _)| c)
            .collect();
        out.sort_unstable();
        out
    }

    /// A customer's earn entries, latest first.
    pub fn earns(&self, customer: u32) -> impl Iterator<Item = &Entry> + '_ {
        let earns = self.accounts.get(&customer).map(|a| a.earns.as_slice());
        earns
            .unwrap_or_default()
            .iter()
            .rev()
            .map(|&e| &self.entries[e as usize])
    }

    /// Points still open in lot `entry` of `account`.
    pub fn remaining(&self, account: u32, entry: u32) -> i64 {
        self.accounts
            .get(&account)
            .map_or(0, |a| self.left(a, entry))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn earn(customer: u32, points: i64, at: i64, expires_in: u32, link: u32) -> Entry {
        Entry {
            points,
            at,
            expires_in,
            customer,
            programme: NONE,
            link,
            reason: 0,
            kind: EntryKind::Earn,
            level: NO_LEVEL,
        }
    }

    fn spend(customer: u32, points: i64, at: i64, lot: u32, kind: EntryKind) -> Entry {
        Entry {
            points: -points,
            at,
            expires_in: NEVER,
            customer,
            programme: NONE,
            link: lot,
            reason: 0,
            kind,
            level: NO_LEVEL,
        }
    }

    const ALL: Approved = &|_, _| true;

    impl Ledger {
        fn push_all(&mut self, entry: Entry) {
            self.push(entry, entry.customer, ALL);
        }

        fn spendable(&self, customer: u32, now: i64, approved: Approved) -> i64 {
            self.figures(customer, now, now, approved).0
        }

        fn pending(&self, customer: u32, now: i64, approved: Approved) -> i64 {
            self.figures(customer, now, now, approved).1
        }

        fn expiring(&self, customer: u32, now: i64, until: i64, approved: Approved) -> i64 {
            self.figures(customer, now, until, approved).2
        }
    }

    #[test]
    fn entries_are_forty_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 40);
    }

    #[test]
    fn redemptions_take_the_earliest_expiry_first() {
        let mut l = Ledger::default();
        l.push_all(earn(1, 100, 0, 500, NONE));
        l.push_all(earn(1, 50, 0, 200, NONE));
        l.push_all(earn(1, 30, 0, NEVER, NONE));
        let plan = l.plan_redeem(1, 120, 10, ALL).unwrap();
        assert_eq!(plan, [(1, 50), (0, 70)]);
        for (lot, p) in plan {
            l.push_all(spend(1, p, 10, lot, EntryKind::Redeem));
        }
        assert_eq!((l.balance(1), l.spendable(1, 10, ALL)), (60, 60));
        assert_eq!(l.expiring(1, 10, 600_000_000, ALL), 30);
        // After the first lot's expiry only the lot without expiry is spendable.
        assert_eq!(l.spendable(1, 600_000_000, ALL), 30);
        assert_eq!(l.expired(1, 600_000_000), [(0, 30)]);
        assert_eq!(
            l.plan_redeem(1, 31, 600_000_000, ALL),
            Err(Short {
                wanted: 31,
                spendable: 30
            })
        );
    }

    #[test]
    fn unapproved_rewards_are_pending() {
        let mut l = Ledger::default();
        let approved_later = |r: u32, t: i64| r == 7 && t >= 100;
        l.push(earn(2, 40, 0, NEVER, 7), 2, &approved_later);
        assert_eq!(l.spendable(2, 50, &approved_later), 0);
        assert_eq!(l.pending(2, 50, &approved_later), 40);
        assert_eq!(l.spendable(2, 100, &approved_later), 40);
        assert!(l.plan_redeem(2, 1, 50, &approved_later).is_err());
    }

    #[test]
    fn many_held_rewards_stay_pending_until_approved() {
        // Odd referrals are approved at t = 1,000; enough writes to prune the held list
        // several times while some of them are approved and others not.
        let approved = |r: u32, t: i64| r % 2 == 0 || t >= 1_000;
        let mut l = Ledger::default();
        for k in 0..200u32 {
            let at = i64::from(k) * 10;
            l.push(earn(3, 1 + i64::from(k), at, NEVER, k), 3, &approved);
            let pending: i64 = (0..=k)
                .filter(|&r| !approved(r, at))
                .map(|r| 1 + i64::from(r))
                .sum();
            let all: i64 = (0..=k).map(|r| 1 + i64::from(r)).sum();
            assert_eq!(l.pending(3, at, &approved), pending, "after {k} rewards");
            assert_eq!(
                l.spendable(3, at, &approved),
                all - pending,
                "after {k} rewards"
            );
        }
    }

    proptest! {
        #[test]
        fn balances_are_the_sum_of_entries_and_never_negative(
            ops in prop::collection::vec((0..3u32, 0..3u8, 1..100i64, 0..300_000_000i64), 0..80)
        ) {
            let mut l = Ledger::default();
            let mut now = 0;
            for (customer, op, points, dt) in ops {
                now += dt;
                match op {
                    0 => l.push_all(earn(customer, points, now, 500, NONE)),
                    1 => {
                        if let Ok(plan) = l.plan_redeem(customer, points, now, ALL) {
                            for (lot, p) in plan {
                                l.push_all(spend(customer, p, now, lot, EntryKind::Redeem));
                            }
                        }
                    }
                    _ => {
                        for (lot, p) in l.expired(customer, now) {
                            l.push_all(spend(customer, p, now, lot, EntryKind::Expire));
                        }
                    }
                }
                for c in 0..3 {
                    let sum: i64 = l.entries.iter().filter(|e| e.customer == c).map(|e| e.points).sum();
                    prop_assert_eq!(l.balance(c), sum);
                    prop_assert!(sum >= 0);
                    prop_assert!(l.spendable(c, now, ALL) <= sum);
                }
            }
        }
    }
}
