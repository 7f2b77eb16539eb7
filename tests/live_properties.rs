//! Saved segments and tag rules maintained incrementally always equal a fresh evaluation
//! of their expressions, whatever sequence of writes and clock moves happens.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use scrm::{CustomerInput, Engine, EventInput, TagSource};

const CUSTOMERS: usize = 12;

#[derive(Clone, Debug)]
enum Op {
    Event {
        who: usize,
        purchase: bool,
        days_ago: i64,
    },
    Level {
        who: usize,
        level: i64,
    },
    Score {
        who: usize,
        score: f64,
    },
    Tag {
        who: usize,
        on: bool,
    },
    Merge {
        a: usize,
        b: usize,
    },
    Advance {
        days: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..CUSTOMERS;
    prop_oneof![
        4 => (who.clone(), any::<bool>(), 0..20i64)
            .prop_map(|(who, purchase, days_ago)| Op::Event { who, purchase, days_ago }),
        2 => (who.clone(), 0..6i64).prop_map(|(who, level)| Op::Level { who, level }),
        2 => (who.clone(), 0..100u32).prop_map(|(who, s)| Op::Score { who, score: f64::from(s) }),
        2 => (who.clone(), any::<bool>()).prop_map(|(who, on)| Op::Tag { who, on }),
        1 => (who.clone(), who).prop_map(|(a, b)| Op::Merge { a, b }),
        2 => (1..6i64).prop_map(|days| Op::Advance { days }),
    ]
}

/// Saved segments with the expression a fresh query must agree with (references expanded).
const SEGMENTS: [(&str, &str, &str); 5] = [
    (
        "recent_buyers",
        "events(purchase, 10d) >= 1",
        "events(purchase, 10d) >= 1",
    ),
    (
        "vip_high",
        "attr.level >= 3 and tag:vip",
        "attr.level >= 3 and tag:vip",
    ),
    (
        "buyer_or_rich",
        "tag:buyer or attr.score > 50",
        "events(purchase) >= 2 or attr.score > 50",
    ),
    ("active", "last_seen within 5d", "last_seen within 5d"),
    (
        "vip_recent",
        "segment:recent_buyers and tag:vip",
        "events(purchase, 10d) >= 1 and tag:vip",
    ),
];

/// A ladder kept live alongside the segments; its stages must equal the highest rule a
/// fresh query matches.
const LADDER: [(&str, &str); 4] = [
    ("none", ""),
    ("seen", "last_seen within 5d"),
    ("buyer", "events(purchase) >= 1"),
    ("vip_buyer", "events(purchase) >= 2 and tag:vip"),
];

fn apply(engine: &Engine, now: &mut DateTime<Utc>, op: &Op) {
    let id = |i: usize| format!("c{i}");
    match *op {
        Op::Event {
            who,
            purchase,
            days_ago,
        } => {
            let kind = if purchase { "purchase" } else { "view" };
            let e = EventInput::new(id(who), kind, "app", *now - Duration::days(days_ago));
            engine.record_event(&e.amount(10.0)).unwrap();
        }
        Op::Level { who, level } => {
            engine
                .upsert_customer(
                    &CustomerInput::new(id(who))
                        .at(*now)
                        .attribute("level", level),
                )
                .unwrap();
        }
        Op::Score { who, score } => {
            engine
                .upsert_customer(
                    &CustomerInput::new(id(who))
                        .at(*now)
                        .attribute("score", score),
                )
                .unwrap();
        }
        Op::Tag { who, on } => {
            let (ids, tags) = (vec![id(who)], vec!["vip".to_string()]);
            if on {
                engine
                    .tag_customers(&ids, &tags, TagSource::Manual)
                    .unwrap();
            } else {
                engine.untag_customers(&ids, &tags).unwrap();
            }
        }
        Op::Merge { a, b } => {
            let shared = format!("link-{a}-{b}");
            engine
                .upsert_customer(
                    &CustomerInput::new(id(a))
                        .at(*now)
                        .identity("device", &*shared),
                )
                .unwrap();
            engine
                .upsert_customer(
                    &CustomerInput::new(id(b))
                        .at(*now)
                        .identity("device", &*shared),
                )
                .unwrap();
        }
        Op::Advance { days } => {
            *now += Duration::days(days);
            engine.set_clock(Some(*now)).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn live_membership_equals_fresh_evaluation(ops in prop::collection::vec(op(), 1..40)) {
        let engine = Engine::in_memory();
        let mut now = Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap();
        engine.set_clock(Some(now)).unwrap();
        let customers: Vec<_> = (0..CUSTOMERS).map(|i| CustomerInput::new(format!("c{i}")).at(now)).collect();
        engine.upsert_customers(&customers).unwrap();
        engine.add_tag_rule("buyer", "events(purchase) >= 2").unwrap();
        for (name, expression, _) in SEGMENTS {
            engine.save_segment(name, expression).unwrap();
        }
        engine.define_ladder("steps", &LADDER).unwrap();
        for op in &ops {
            apply(&engine, &mut now, op);
            for (name, _, oracle) in SEGMENTS {
                let live = engine.segment_members(name, 0, None).unwrap().ids;
                let fresh = engine.query(oracle, 0, None).unwrap().ids;
                prop_assert_eq!(&live, &fresh, "segment {} after {:?}", name, op);
                // The packed pages hold the same ids, page by page.
                let packed = engine.segment_members_packed(name, 1, Some(3)).unwrap();
                let unpacked: Vec<&str> = (0..packed.len()).filter_map(|i| packed.get(i)).collect();
                let window: Vec<&str> = live.iter().skip(1).take(3).map(String::as_str).collect();
                prop_assert_eq!(&unpacked, &window);
                let queried = engine.query_packed(oracle, 1, Some(3)).unwrap();
                prop_assert_eq!(&queried, &packed);
                prop_assert_eq!(packed.total, live.len() as u64);
            }
            let tagged = engine.query("tag:buyer", 0, None).unwrap().ids;
            let buyers = engine.query("events(purchase) >= 2", 0, None).unwrap().ids;
            prop_assert_eq!(tagged, buyers, "rule tag after {:?}", op);
            // Each customer's stage is the highest matching rule; stage queries agree.
            let mut expected: Vec<Vec<String>> = vec![Vec::new(); LADDER.len()];
            for c in engine.query("not tag:nobody", 0, None).unwrap().ids {
                let top = (1..LADDER.len()).rev().find(|&s| {
                    let mine = engine.query(LADDER[s].1, 0, None).unwrap().ids;
                    mine.contains(&c)
                });
                let stage = top.unwrap_or(0);
                prop_assert_eq!(engine.stage(&c, "steps").unwrap(), LADDER[stage].0);
                expected[stage].push(c);
            }
            for (s, (stage, _)) in LADDER.iter().enumerate() {
                let found = engine.query(&format!("stage(steps) = {stage}"), 0, None).unwrap().ids;
                prop_assert_eq!(&found, &expected[s], "stage {} after {:?}", stage, op);
                let above = engine.count(&format!("stage(steps) > {stage}")).unwrap();
                let higher: usize = expected[s + 1..].iter().map(Vec::len).sum();
                prop_assert_eq!(above, higher as u64, "stage > {} after {:?}", stage, op);
            }
        }
    }
}
