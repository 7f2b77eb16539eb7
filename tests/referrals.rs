//! Referral programmes through the engine: codes, redemption and fraud holds, rewards on
//! trigger events (double-sided, multi-level, caps, budget, milestones, allowance), approval,
//! refunds, the points ledger, figures, and durability.

use chrono::{DateTime, Duration, TimeZone, Utc};
use scrm::{
    kinds, Allowance, AllowanceUnit, AttributeValue, Caps, CustomerInput, Engine, EntryKind,
    EventInput, HoldReason, Milestone, Programme, ReferralPolicy, ReferralStatus, Trigger, Window,
    REFUND, REFUNDED,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
}

/// An engine at `t0` with customers created now.
fn engine(ids: &[&str]) -> Engine {
    let engine = Engine::in_memory();
    engine.set_clock(Some(t0())).unwrap();
    let inputs: Vec<_> = ids.iter().map(|id| CustomerInput::new(*id)).collect();
    engine.upsert_customers(&inputs).unwrap();
    engine
}

fn join(engine: &Engine, id: &str) {
    engine.upsert_customer(&CustomerInput::new(id)).unwrap();
}

fn purchase(customer: &str, amount: f64, key: &str, at: DateTime<Utc>) -> EventInput {
    EventInput::new(customer, kinds::PURCHASE, "app", at)
        .amount(amount)
        .idempotency_key(key)
}

fn refer(engine: &Engine, referrer: &str, referee: &str) -> scrm::Referral {
    let code = engine.issue_code(referrer, None).unwrap().code;
    engine.redeem_code(&code, referee).unwrap()
}

#[test]
fn codes_are_issued_once_and_found_in_any_case() {
    let engine = engine(&["ann", "bo"]);
    let code = engine.issue_code("ann", None).unwrap();
    assert_eq!(code.code.len(), 8);
    assert_eq!(engine.issue_code("ann", None).unwrap(), code);
    let spring = engine.issue_code("ann", Some("Spring")).unwrap();
    assert_ne!(spring.code, code.code);
    assert_eq!(spring.campaign.as_deref(), Some("spring"));
    let typed = format!("{}-{}", &code.code[..4], &code.code[4..]).to_lowercase();
    assert_eq!(engine.lookup_code(&typed).unwrap().customer, "ann");
    assert_eq!(
        engine.lookup_code("ZZZZZZZZ").unwrap_err().code(),
        "NOT_FOUND"
    );
    assert_eq!(
        engine.lookup_code("0000").unwrap_err().field(),
        Some("code")
    );
    assert_eq!(
        engine.issue_code("ghost", None).unwrap_err().code(),
        "NOT_FOUND"
    );
}

#[test]
fn a_redemption_links_and_pays_both_sides_up_three_levels() {
    let engine = engine(&["a", "b", "c"]);
    let mut p = Programme::new("welcome", Trigger::FirstPurchase, 1000);
    p.referee_points = 300;
    p.level_percents = vec![100, 20, 5];
    engine.define_programme(&p).unwrap();
    refer(&engine, "a", "b");
    refer(&engine, "b", "c");
    join(&engine, "d");
    let referral = refer(&engine, "c", "d");
    assert_eq!(referral.status, ReferralStatus::Approved);
    assert_eq!(engine.upline("d").unwrap().chain, ["c", "b", "a"]);
    engine
        .record_events(&[
            purchase("d", 50.0, "p1", t0()),
            purchase("d", 80.0, "p2", t0()),
        ])
        .unwrap();
    let points = |id: &str| engine.balance(id).unwrap().spendable;
    assert_eq!(
        [points("d"), points("c"), points("b"), points("a")],
        [300, 1000, 200, 50]
    );
    // The same purchase again is a duplicate event and pays nothing more.
    let report = engine
        .record_event(&purchase("d", 50.0, "p1", t0()))
        .unwrap();
    assert_eq!(report.duplicates, 1);
    assert_eq!(points("c"), 1000);
    let ledger = engine.ledger("b").unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        (ledger[0].kind, ledger[0].reason.as_str()),
        (EntryKind::Earn, "referrer level 2")
    );
    assert_eq!(ledger[0].programme.as_deref(), Some("welcome"));
}

#[test]
fn signup_and_amount_triggers_caps_and_budget() {
    let engine = engine(&["r"]);
    let mut signup = Programme::new("join", Trigger::Signup, 100);
    signup.caps = Caps {
        per_referrer_day: Some(250),
        ..Caps::default()
    };
    engine.define_programme(&signup).unwrap();
    let mut big = Programme::new("big", Trigger::Purchase { min_amount: 100.0 }, 40);
    big.caps.budget = Some(60);
    engine.define_programme(&big).unwrap();
    for id in ["n1", "n2", "n3"] {
        join(&engine, id);
        refer(&engine, "r", id);
    }
    // 100 + 100 + 50 (cut to the day's cap of 250).
    assert_eq!(engine.balance("r").unwrap().spendable, 250);
    engine
        .record_events(&[
            purchase("n1", 99.0, "small", t0()),
            purchase("n1", 100.0, "x1", t0()),
            purchase("n2", 500.0, "x2", t0()),
        ])
        .unwrap();
    // 40, then 20 left in the budget.
    assert_eq!(engine.balance("r").unwrap().spendable, 310);
}

#[test]
fn milestones_pay_once_when_reached() {
    let engine = engine(&["r"]);
    let mut p = Programme::new("m", Trigger::FirstPurchase, 10);
    p.milestones = vec![Milestone {
        referrals: 2,
        points: 500,
    }];
    engine.define_programme(&p).unwrap();
    for (i, id) in ["a", "b", "c"].iter().enumerate() {
        join(&engine, id);
        refer(&engine, "r", id);
        engine
            .record_event(&purchase(id, 10.0, &format!("k{i}"), t0()))
            .unwrap();
        engine
            .record_event(&purchase(id, 10.0, &format!("again{i}"), t0()))
            .unwrap();
    }
    assert_eq!(engine.balance("r").unwrap().spendable, 530);
    let board = engine.referral_leaderboard(5);
    assert_eq!(
        (
            board[0].customer.as_str(),
            board[0].referrals,
            board[0].converted,
            board[0].points
        ),
        ("r", 3, 3, 530)
    );
}

#[test]
fn fraud_checks_hold_referrals_until_a_person_decides() {
    let engine = engine(&["old", "r"]);
    engine
        .define_programme(&Programme::new("join", Trigger::Signup, 100))
        .unwrap();
    // The customer existed a day before redeeming.
    engine.set_clock(Some(t0() + Duration::days(2))).unwrap();
    let held = refer(&engine, "r", "old");
    assert_eq!(
        (held.status, held.hold),
        (ReferralStatus::Flagged, Some(HoldReason::ExistingReferee))
    );
    assert!(engine.upline("old").unwrap().chain.is_empty());
    assert_eq!(engine.balance("r").unwrap().balance, 0);
    assert_eq!(engine.referrals(Some(ReferralStatus::Flagged)).len(), 1);
    let approved = engine.approve_referral(held.id).unwrap();
    assert_eq!(approved.status, ReferralStatus::Approved);
    assert_eq!(engine.upline("old").unwrap().chain, ["r"]);
    assert_eq!(engine.balance("r").unwrap().spendable, 100);
    // Self-referral: one's own code.
    let own = engine.issue_code("r", None).unwrap().code;
    join(&engine, "r2");
    let merge = scrm::MergeRequest {
        survivor: "r".into(),
        merged: "r2".into(),
        actor: "t".into(),
        ..Default::default()
    };
    engine.merge_customers(&merge).unwrap();
    // r2 is r now: redeeming r's own code is held, and does not block a real referrer.
    let own = engine.redeem_code(&own, "r2").unwrap();
    assert_eq!(own.hold, Some(HoldReason::SelfReferral));
    assert_eq!(
        engine.approve_referral(own.id).unwrap_err().code(),
        "CONFLICT"
    );
    // A ring: old's referrer is r; r redeeming old's code would close it.
    let ring_code = engine.issue_code("old", None).unwrap().code;
    let ring = engine.redeem_code(&ring_code, "r").unwrap();
    assert_eq!(ring.hold, Some(HoldReason::Ring));
    let rejected = engine.reject_referral(ring.id).unwrap();
    assert_eq!(rejected.status, ReferralStatus::Voided);
    assert_eq!(
        engine.approve_referral(ring.id).unwrap_err().code(),
        "CONFLICT"
    );
    assert_eq!(engine.reject_referral(99).unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn velocity_and_self_referral_holds() {
    let engine = engine(&["r"]);
    engine
        .set_referral_policy(&ReferralPolicy {
            max_redemptions_per_hour: 2,
            ..ReferralPolicy::default()
        })
        .unwrap();
    let statuses: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|id| {
            join(&engine, id);
            refer(&engine, "r", id).hold
        })
        .collect();
    assert_eq!(statuses, [None, None, Some(HoldReason::Velocity)]);
    join(&engine, "s");
    let own = engine.issue_code("s", None).unwrap().code;
    assert_eq!(
        engine.redeem_code(&own, "s").unwrap().hold,
        Some(HoldReason::SelfReferral)
    );
    let err = engine.set_referral_policy(&ReferralPolicy {
        code_length: 3,
        ..ReferralPolicy::default()
    });
    assert_eq!(err.unwrap_err().field(), Some("policy.code_length"));
}

#[test]
fn rewards_wait_for_the_approval_delay_and_refunds_claw_back() {
    let engine = engine(&["r"]);
    engine
        .set_referral_policy(&ReferralPolicy {
            approval_delay_hours: 24 * 7,
            ..ReferralPolicy::default()
        })
        .unwrap();
    let mut p = Programme::new("buy", Trigger::FirstPurchase, 500);
    p.referee_points = 100;
    engine.define_programme(&p).unwrap();
    join(&engine, "n");
    let referral = refer(&engine, "r", "n");
    assert_eq!(referral.status, ReferralStatus::Pending);
    engine
        .record_event(&purchase("n", 30.0, "order-1", t0()))
        .unwrap();
    let b = engine.balance("r").unwrap();
    assert_eq!((b.balance, b.spendable, b.pending), (500, 0, 500));
    assert_eq!(
        engine.redeem_points("r", 1, "gift").unwrap_err().code(),
        "CONFLICT"
    );
    engine.set_clock(Some(t0() + Duration::days(8))).unwrap();
    assert_eq!(
        engine.referral(referral.id).unwrap().status,
        ReferralStatus::Approved
    );
    assert_eq!(engine.balance("r").unwrap().spendable, 500);
    engine.redeem_points("r", 200, "gift").unwrap();
    let refund = EventInput::new("n", REFUND, "app", t0() + Duration::days(8))
        .property(REFUNDED, AttributeValue::String("order-1".into()));
    engine.record_event(&refund).unwrap();
    assert_eq!(
        engine.referral(referral.id).unwrap().status,
        ReferralStatus::Voided
    );
    let (r, n) = (engine.balance("r").unwrap(), engine.balance("n").unwrap());
    assert_eq!((r.balance, n.balance), (0, 0), "what is left is taken back");
    assert!(engine.upline("n").unwrap().chain.is_empty());
    let kinds: Vec<EntryKind> = engine.ledger("r").unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EntryKind::Earn, EntryKind::Redeem, EntryKind::Reverse]
    );
}

#[test]
fn points_expire_earliest_first_and_adjustments_balance() {
    let engine = engine(&["r"]);
    let mut p = Programme::new("join", Trigger::Signup, 100);
    p.expiry_days = Some(30);
    engine.define_programme(&p).unwrap();
    join(&engine, "a");
    refer(&engine, "r", "a");
    engine.set_clock(Some(t0() + Duration::days(10))).unwrap();
    engine.adjust_points("r", 50, "goodwill").unwrap();
    assert_eq!(engine.balance("r").unwrap().expiring_30d, 100);
    let after = engine.redeem_points("r", 120, "voucher").unwrap();
    assert_eq!((after.balance, after.spendable), (30, 30));
    let entries = engine.ledger("r").unwrap();
    assert_eq!(entries[2].offsets, Some(0), "the expiring lot goes first");
    assert_eq!((entries[2].points, entries[3].points), (-100, -20));
    assert_eq!(
        engine.adjust_points("r", -31, "fix").unwrap_err().code(),
        "CONFLICT"
    );
    assert_eq!(
        engine.redeem_points("r", 0, "x").unwrap_err().field(),
        Some("points")
    );
    engine.adjust_points("r", -30, "fix").unwrap();
    assert_eq!(engine.balance("r").unwrap().balance, 0);
}

#[test]
fn expiry_is_written_and_never_goes_below_zero() {
    let engine = engine(&["r"]);
    let mut p = Programme::new("join", Trigger::Signup, 100);
    p.expiry_days = Some(1);
    engine.define_programme(&p).unwrap();
    join(&engine, "a");
    refer(&engine, "r", "a");
    engine.redeem_points("r", 40, "spent").unwrap();
    engine.set_clock(Some(t0() + Duration::days(2))).unwrap();
    assert_eq!(engine.balance("r").unwrap().spendable, 0);
    assert_eq!(engine.expire_points().unwrap(), 1);
    assert_eq!(engine.expire_points().unwrap(), 0);
    let last = engine.ledger("r").unwrap().pop().unwrap();
    assert_eq!((last.kind, last.points), (EntryKind::Expire, -60));
    assert_eq!(engine.balance("r").unwrap().balance, 0);
}

#[test]
fn an_allowance_limits_rewards_across_programmes() {
    let engine = engine(&["r"]);
    engine
        .set_referral_policy(&ReferralPolicy {
            allowance: Some(Allowance {
                limit: 2,
                unit: AllowanceUnit::Rewards,
                window: Window::CalendarMonth,
            }),
            ..ReferralPolicy::default()
        })
        .unwrap();
    engine
        .define_programme(&Programme::new("a", Trigger::Signup, 10))
        .unwrap();
    engine
        .define_programme(&Programme::new("b", Trigger::Signup, 20))
        .unwrap();
    join(&engine, "x");
    refer(&engine, "r", "x");
    join(&engine, "y");
    refer(&engine, "r", "y");
    assert_eq!(engine.balance("r").unwrap().balance, 30);
    engine.set_clock(Some(t0() + Duration::days(31))).unwrap();
    join(&engine, "z");
    refer(&engine, "r", "z");
    assert_eq!(engine.balance("r").unwrap().balance, 60, "a new month");
}

#[test]
fn bad_programmes_are_typed_errors() {
    let engine = engine(&["r"]);
    let mut p = Programme::new("x", Trigger::Signup, -1);
    assert_eq!(
        engine.define_programme(&p).unwrap_err().field(),
        Some("programme.referrer_points")
    );
    p.referrer_points = 1;
    p.level_percents = vec![100, 120];
    assert_eq!(
        engine.define_programme(&p).unwrap_err().field(),
        Some("programme.level_percents[1]")
    );
    p.level_percents = vec![100];
    p.starts_at = Some(t0());
    p.ends_at = Some(t0());
    assert_eq!(
        engine.define_programme(&p).unwrap_err().field(),
        Some("programme.ends_at")
    );
    p.ends_at = None;
    p.trigger = Trigger::Purchase {
        min_amount: f64::NAN,
    };
    assert_eq!(
        engine.define_programme(&p).unwrap_err().field(),
        Some("programme.trigger.min_amount")
    );
    assert!(engine.programmes().is_empty());
}

#[test]
fn ended_programmes_do_not_pay_and_the_funnel_counts() {
    let engine = engine(&["r"]);
    let mut p = Programme::new("spring", Trigger::FirstPurchase, 10);
    p.ends_at = Some(t0() + Duration::days(1));
    engine.define_programme(&p).unwrap();
    join(&engine, "a");
    refer(&engine, "r", "a");
    join(&engine, "b");
    refer(&engine, "r", "b");
    engine
        .record_event(&purchase("a", 1.0, "a1", t0()))
        .unwrap();
    engine
        .record_event(&purchase("b", 1.0, "b1", t0() + Duration::days(2)))
        .unwrap();
    assert_eq!(engine.balance("r").unwrap().balance, 10);
    let funnel = engine
        .referral_funnel(t0() - Duration::days(1), t0() + Duration::days(3))
        .unwrap();
    assert_eq!(
        (
            funnel.codes_issued,
            funnel.redeemed,
            funnel.converted,
            funnel.cost
        ),
        (1, 2, 1, 10)
    );
    assert_eq!(funnel.conversion_rate, 0.5);
    assert!(engine.referral_funnel(t0(), t0()).is_err());
}

#[test]
fn the_same_stream_gives_the_same_ledger_and_a_reopen_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ref.scrm");
    let run = |engine: &Engine| {
        engine.set_clock(Some(t0())).unwrap();
        let mut p = Programme::new("buy", Trigger::Purchase { min_amount: 0.0 }, 7);
        p.referee_points = 3;
        p.level_percents = vec![100, 50];
        p.expiry_days = Some(10);
        engine.define_programme(&p).unwrap();
        let ids: Vec<String> = (0..30).map(|i| format!("c{i}")).collect();
        engine
            .upsert_customers(
                &ids.iter()
                    .map(|i| CustomerInput::new(i.clone()))
                    .collect::<Vec<_>>(),
            )
            .unwrap();
        for i in 1..30 {
            let code = engine.issue_code(&ids[(i - 1) / 3], None).unwrap().code;
            engine.redeem_code(&code, &ids[i]).unwrap();
        }
        let events: Vec<_> = (0..200)
            .map(|k| {
                purchase(
                    &ids[k % 30],
                    5.0,
                    &format!("o{}", k % 150),
                    t0() + Duration::hours(k as i64),
                )
            })
            .collect();
        engine.record_events(&events).unwrap();
        engine.set_clock(Some(t0() + Duration::days(20))).unwrap();
        engine.expire_points().unwrap();
        ids.iter()
            .map(|id| {
                (
                    engine.ledger(id).unwrap(),
                    engine.balance(id).unwrap().balance,
                )
            })
            .collect::<Vec<_>>()
    };
    let memory = run(&Engine::in_memory());
    let file = run(&Engine::open(&path).unwrap());
    type Row = (Vec<(EntryKind, i64, String)>, i64);
    let strip = |rows: &[(Vec<scrm::LedgerEntry>, i64)]| -> Vec<Row> {
        let entries = |l: &[scrm::LedgerEntry]| {
            l.iter()
                .map(|e| (e.kind, e.points, e.reason.clone()))
                .collect()
        };
        rows.iter().map(|(l, b)| (entries(l), *b)).collect()
    };
    assert_eq!(strip(&memory), strip(&file));
    assert!(memory.iter().all(|(_, b)| *b >= 0));
    let reopened = Engine::open(&path).unwrap();
    for (i, (ledger, balance)) in file.iter().enumerate() {
        let id = format!("c{i}");
        assert_eq!(&reopened.ledger(&id).unwrap(), ledger);
        assert_eq!(reopened.balance(&id).unwrap().balance, *balance);
    }
    assert_eq!(reopened.referrals(None).len(), 29);
}

#[test]
fn a_merge_keeps_the_points_of_both_profiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merge.scrm");
    {
        let engine = Engine::open(&path).unwrap();
        engine.set_clock(Some(t0())).unwrap();
        let ids = ["r", "r2", "a"].map(CustomerInput::new);
        engine.upsert_customers(&ids).unwrap();
        engine
            .define_programme(&Programme::new("join", Trigger::Signup, 100))
            .unwrap();
        refer(&engine, "r2", "a");
        engine.adjust_points("r", 5, "welcome").unwrap();
        let merge = scrm::MergeRequest {
            survivor: "r".into(),
            merged: "r2".into(),
            actor: "t".into(),
            ..Default::default()
        };
        engine.merge_customers(&merge).unwrap();
        assert_eq!(engine.balance("r").unwrap().spendable, 105);
        assert_eq!(engine.balance("r2").unwrap(), engine.balance("r").unwrap());
        assert_eq!(engine.ledger("r").unwrap().len(), 2);
        engine.redeem_points("r", 104, "spent across both").unwrap();
    }
    let engine = Engine::open(&path).unwrap();
    let b = engine.balance("r").unwrap();
    assert_eq!((b.balance, b.spendable), (1, 1));
    assert_eq!(engine.ledger("r").unwrap().len(), 4);
}
