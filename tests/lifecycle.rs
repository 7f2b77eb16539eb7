//! Lifecycle scoring through the public Engine API: engagement scores, RFM, stage ladders,
//! churn models and measurement, with property tests that incremental upkeep equals a
//! fresh recompute from the event log.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use scrm::{
    kinds, CustomerInput, Direction, Engine, EventInput, EventWeight, MergeRequest, ScoringConfig,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn engine_at(at: DateTime<Utc>) -> Engine {
    let engine = Engine::in_memory();
    engine.set_clock(Some(at)).unwrap();
    engine
}

fn customers(engine: &Engine, ids: &[&str]) {
    let inputs: Vec<CustomerInput> = ids.iter().map(|id| CustomerInput::new(*id)).collect();
    engine.upsert_customers(&inputs).unwrap();
}

fn event(who: &str, kind: &str, at: DateTime<Utc>) -> EventInput {
    EventInput::new(who, kind, "wechat", at)
}

/// The score a fresh recompute from a customer's events gives, by the documented formula.
fn recomputed(engine: &Engine, id: &str, config: &ScoringConfig) -> f64 {
    let weight = |kind: &str, d: Direction| {
        config
            .weights
            .iter()
            .find(|w| w.kind == kind && w.direction == d)
            .map_or(0.0, |w| w.weight)
    };
    let events = engine.events_of(id).unwrap();
    let scored: Vec<(f64, DateTime<Utc>)> = events
        .iter()
        .map(|e| (weight(&e.kind, e.direction), e.at))
        .filter(|(w, _)| *w > 0.0)
        .collect();
    let Some(latest) = scored.iter().map(|(_, at)| *at).max() else {
        return 0.0;
    };
    let at = engine.now().max(latest);
    let h = config.half_life_days * 86_400e6;
    scored
        .iter()
        .map(|(w, e)| w * (-((at - *e).num_microseconds().unwrap() as f64) / h).exp2())
        .sum()
}

#[test]
fn scores_decay_and_follow_merges() {
    let engine = engine_at(t0() + Duration::days(60));
    customers(&engine, &["ann", "bo"]);
    engine
        .record_events(&[
            event("ann", kinds::PURCHASE, t0()),
            event("ann", kinds::SHARE, t0() + Duration::days(30)),
            event("bo", kinds::COMMENT, t0() + Duration::days(60)),
            event("bo", kinds::VIEW, t0()).direction(Direction::Outbound),
        ])
        .unwrap();
    // purchase 10 two half-lives ago, share 5 one half-life ago.
    assert!((engine.score("ann").unwrap() - 5.0).abs() < 1e-9);
    assert!((engine.score("bo").unwrap() - 3.0).abs() < 1e-9);
    assert_eq!(engine.count("score >= 4").unwrap(), 1);
    engine
        .merge_customers(&MergeRequest {
            survivor: "bo".into(),
            merged: "ann".into(),
            actor: "test".into(),
            ..MergeRequest::default()
        })
        .unwrap();
    assert!((engine.score("bo").unwrap() - 8.0).abs() < 1e-9);
    assert!((engine.score("ann").unwrap() - 8.0).abs() < 1e-9);
    let table = engine.scores();
    assert_eq!(table.ids, ["bo"]);
    engine.set_clock(Some(t0() + Duration::days(90))).unwrap();
    assert!((engine.scores().scores[0] - 4.0).abs() < 1e-9);
    assert!(matches!(
        engine.score("nobody"),
        Err(scrm::Error::NotFound { .. })
    ));
}

#[test]
fn scoring_config_is_validated_applied_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let engine = Engine::open(&path).unwrap();
    engine.set_clock(Some(t0())).unwrap();
    customers(&engine, &["ann"]);
    engine
        .record_event(&event("ann", kinds::VIEW, t0()))
        .unwrap();
    assert!((engine.score("ann").unwrap() - 0.5).abs() < 1e-12);
    engine.save_segment("engaged", "score > 1").unwrap();
    let bad = ScoringConfig {
        weights: vec![EventWeight::new("view", f64::NAN)],
        half_life_days: 7.0,
    };
    let err = engine.set_scoring(&bad).unwrap_err();
    assert_eq!(err.field(), Some("scoring.weights[0].weight"));
    let config = ScoringConfig {
        weights: vec![EventWeight::new("View", 4.0)],
        half_life_days: 7.0,
    };
    engine.set_scoring(&config).unwrap();
    assert_eq!(engine.scoring().weights[0].kind, "view");
    assert!((engine.score("ann").unwrap() - 4.0).abs() < 1e-12);
    assert_eq!(
        engine.segment_members("engaged", 0, None).unwrap().ids,
        ["ann"]
    );
    drop(engine);
    let engine = Engine::open(&path).unwrap();
    engine.set_clock(Some(t0() + Duration::days(7))).unwrap();
    assert_eq!(engine.scoring().half_life_days, 7.0);
    assert!((engine.score("ann").unwrap() - 2.0).abs() < 1e-12);
    assert_eq!(engine.segment_members("engaged", 0, None).unwrap().total, 1);
}

const PEOPLE: usize = 6;

#[derive(Clone, Debug)]
enum Op {
    Event {
        who: usize,
        kind: usize,
        outbound: bool,
        days: i64,
    },
    Merge {
        a: usize,
        b: usize,
    },
    Clock {
        days: i64,
    },
}

const KINDS: [&str; 5] = ["view", "share", "purchase", "comment", "follow"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..PEOPLE, 0..KINDS.len(), any::<bool>(), 0..200i64)
            .prop_map(|(who, kind, outbound, days)| Op::Event { who, kind, outbound, days }),
        1 => (0..PEOPLE, 0..PEOPLE).prop_map(|(a, b)| Op::Merge { a, b }),
        1 => (0..200i64).prop_map(|days| Op::Clock { days }),
    ]
}

fn id(i: usize) -> String {
    format!("c{i}")
}

fn run(engine: &Engine, op: &Op) {
    match *op {
        Op::Event {
            who,
            kind,
            outbound,
            days,
        } => {
            let direction = if outbound {
                Direction::Outbound
            } else {
                Direction::Inbound
            };
            let e = event(&id(who), KINDS[kind], t0() + Duration::days(days))
                .amount(days as f64)
                .direction(direction);
            engine.record_event(&e).unwrap();
        }
        Op::Merge { a, b } => {
            let _ = engine.merge_customers(&MergeRequest {
                survivor: id(a),
                merged: id(b),
                actor: "prop".into(),
                ..MergeRequest::default()
            });
        }
        Op::Clock { days } => engine.set_clock(Some(t0() + Duration::days(days))).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_scores_equal_a_recompute(ops in prop::collection::vec(op(), 1..40)) {
        let engine = engine_at(t0());
        let ids: Vec<String> = (0..PEOPLE).map(id).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        customers(&engine, &refs);
        let config = engine.scoring();
        for op in &ops {
            run(&engine, op);
        }
        let table = engine.scores();
        for (id, score) in table.ids.iter().zip(&table.scores) {
            let want = recomputed(&engine, id, &config);
            prop_assert!((score - want).abs() <= 1e-9 * want.max(1.0), "{id}: {score} vs {want}");
        }
    }
}

#[test]
fn rfm_scores_buyers_by_quintile_and_names_segments() {
    let now = t0() + Duration::days(100);
    let engine = engine_at(now);
    let ids: Vec<String> = (0..10).map(|i| format!("b{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    customers(&engine, &refs);
    customers(&engine, &["browser"]);
    // Buyer i buys i + 1 times, the last 90 - 10 i days ago, for 10 each.
    let mut events = vec![event("browser", kinds::VIEW, t0())];
    for (i, id) in ids.iter().enumerate() {
        for k in 0..=i as i64 {
            let at = now - Duration::days(90 - 10 * i as i64) - Duration::hours(k);
            events.push(event(id, kinds::PURCHASE, at).amount(10.0));
        }
    }
    // A purchase after the clock is not counted.
    events.push(event("b0", kinds::PURCHASE, now + Duration::days(1)).amount(1e6));
    engine.record_events(&events).unwrap();
    let rfm = engine.rfm();
    assert_eq!(rfm.ids, ids);
    assert_eq!(rfm.r, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert_eq!(rfm.f, rfm.r);
    assert_eq!(rfm.frequency[0], 1);
    assert_eq!(rfm.monetary[9], 100.0);
    assert!((rfm.recency_days[0] - 90.0).abs() < 1e-9);
    use scrm::RfmSegment::*;
    assert_eq!(
        rfm.segment,
        [
            Lost,
            Lost,
            Hibernating,
            Hibernating,
            PotentialLoyalists,
            PotentialLoyalists,
            Loyal,
            Loyal,
            Champions,
            Champions
        ]
    );
    assert_eq!(
        engine.query("rfm = champions", 0, None).unwrap().ids,
        ["b8", "b9"]
    );
    assert_eq!(engine.count("rfm.r >= 4").unwrap(), 4);
    assert_eq!(engine.count("rfm != lost").unwrap(), 8);
    assert_eq!(engine.count("not rfm.m > 0").unwrap(), 1, "the browser");
    engine.save_segment("champions", "rfm = champions").unwrap();
    // Ten purchases by b0 today move the quantiles of everyone.
    let burst: Vec<EventInput> = (0..10)
        .map(|k| event("b0", kinds::PURCHASE, now - Duration::minutes(k)).amount(5.0))
        .collect();
    engine.record_events(&burst).unwrap();
    let members = engine.segment_members("champions", 0, None).unwrap().ids;
    assert_eq!(
        members,
        engine.query("rfm = champions", 0, None).unwrap().ids
    );
    assert!(members.contains(&"b0".to_string()));
    let err = engine.count("rfm = famous").unwrap_err();
    assert_eq!(err.code(), "SEGMENT_SYNTAX");
    assert_eq!(
        scrm::format_segment("RFM.R >= 4 and rfm = Champions").unwrap(),
        "rfm.r >= 4 and rfm = champions"
    );
}
