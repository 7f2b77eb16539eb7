//! The referral dataset of issue 6, shared by `referrals` (criterion) and `referrals_race`
//! (the report): a forest where every member but the roots redeemed a code of its parent
//! (ternary, so chains run 12 deep at 1,000,000 members), and a 3-level programme (100%,
//! 20%, 5%) with a per-referrer daily cap and a budget that pays on every purchase.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use scrm::{kinds, Caps, CustomerInput, Engine, EventInput, Programme, Trigger};

use super::{id, Rng};

/// Events per `record_events` call.
pub const BATCH: usize = 10_000;
/// Children per member in the forest.
pub const FAN_OUT: usize = 3;
/// Roots of the forest (the rest hang below them).
pub const ROOTS: usize = 1_000;
/// Ledger entries one purchase writes: the referee's and one per level.
pub const ENTRIES_PER_PURCHASE: u64 = 4;

/// An in-memory engine with the forest of `n` members (at least `ROOTS + 1`) and the
/// programme; reports the build time on stderr.
pub fn forest(n: usize) -> Engine {
    let n = n.max(ROOTS + 1);
    let engine = Engine::in_memory();
    let start = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
    engine.set_clock(Some(start)).expect("clock");
    let customers: Vec<_> = (0..n).map(|i| CustomerInput::new(id(i))).collect();
    for chunk in customers.chunks(100_000) {
        engine.upsert_customers(chunk).expect("customers");
    }
    let mut programme = Programme::new("buy", Trigger::Purchase { min_amount: 1.0 }, 100);
    programme.referee_points = 10;
    programme.level_percents = vec![100, 20, 5];
    programme.caps = Caps {
        per_referrer_day: Some(1_000_000),
        per_referrer_month: None,
        budget: Some(scrm::MAX_POINTS),
    };
    programme.expiry_days = Some(365);
    engine.define_programme(&programme).expect("programme");
    let began = Instant::now();
    for child in ROOTS..n {
        let parent = (child - ROOTS) / FAN_OUT;
        let code = engine.issue_code(&id(parent), None).expect("code").code;
        engine.redeem_code(&code, &id(child)).expect("redeem");
    }
    eprintln!(
        "referrals: forest of {n} members, {} redemptions in {:.1} s",
        n - ROOTS,
        began.elapsed().as_secs_f64()
    );
    engine
}

/// A batch of purchases by random referred members of a forest of `n`, keyed
/// `order-{first}` onwards so that every event is new.
pub fn purchases(n: usize, first: u64, rng: &mut Rng) -> Vec<EventInput> {
    let n = n.max(ROOTS + 1);
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
    (0..BATCH as u64)
        .map(|k| {
            let who = ROOTS + rng.below((n - ROOTS) as u64) as usize;
            EventInput::new(id(who), kinds::PURCHASE, "app", at)
                .amount(20.0)
                .idempotency_key(format!("order-{}", first + k))
        })
        .collect()
}
