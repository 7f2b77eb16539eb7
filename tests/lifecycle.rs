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
    with_built_in_ladders(&engine);
    engine
}

/// Turns on the two ladders that come with the engine.
fn with_built_in_ladders(engine: &Engine) {
    for name in ["brand", "commercial"] {
        assert!(engine.enable_ladder(name).unwrap().built_in);
    }
}

#[test]
fn built_in_ladders_are_off_until_enabled() {
    let engine = Engine::in_memory();
    assert!(engine.ladders().is_empty());
    assert_eq!(engine.stage("x", "brand").unwrap_err().code(), "NOT_FOUND");
    assert_eq!(
        engine.enable_ladder("nope").unwrap_err().code(),
        "NOT_FOUND"
    );
    with_built_in_ladders(&engine);
    assert_eq!(engine.ladders().len(), 2);
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

    #[test]
    fn incremental_stages_equal_a_fresh_evaluation(ops in prop::collection::vec(op(), 1..40)) {
        let engine = engine_at(t0());
        let ids: Vec<String> = (0..PEOPLE).map(id).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        customers(&engine, &refs);
        engine
            .define_ladder(
                "vip",
                &[
                    ("basic", ""),
                    ("active", "events(view, 30d) >= 1"),
                    ("hot", "score > 12"),
                    ("top", "stage(commercial) >= customer and events(share) >= 2"),
                ],
            )
            .unwrap();
        engine.save_segment("hot_fans", "stage(vip) >= hot or stage = interactor").unwrap();
        for op in &ops {
            run(&engine, op);
        }
        for ladder in engine.ladders() {
            let matching: Vec<Vec<String>> = ladder
                .rules
                .iter()
                .skip(1)
                .map(|rule| engine.query(rule, 0, None).unwrap().ids)
                .collect();
            for id in engine.customer_ids() {
                let want = (0..matching.len())
                    .rev()
                    .find(|&k| matching[k].contains(&id))
                    .map_or(0, |k| k + 1);
                let got = engine.stage(&id, &ladder.name).unwrap();
                prop_assert_eq!(&got, &ladder.stages[want], "{} on {}", id, ladder.name);
                let history = engine.stage_history(&id, &ladder.name).unwrap();
                let last = history.last().map_or(ladder.stages[0].as_str(), |m| m.to.as_str());
                prop_assert_eq!(last, got.as_str());
            }
        }
        let fresh = engine
            .query("stage(vip) >= hot or stage = interactor", 0, None)
            .unwrap()
            .ids;
        prop_assert_eq!(engine.segment_members("hot_fans", 0, None).unwrap().ids, fresh);
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

#[test]
fn built_in_ladders_place_customers_and_record_moves() {
    let engine = engine_at(t0());
    engine
        .upsert_customer(&CustomerInput::new("ann").identity("wechat_openid", "o-ann"))
        .unwrap();
    customers(&engine, &["bo"]);
    assert_eq!(engine.stage("ann", "brand").unwrap(), "follower");
    assert_eq!(engine.stage("bo", "brand").unwrap(), "unaware");
    assert_eq!(engine.stage("bo", "commercial").unwrap(), "prospect");
    engine.set_clock(Some(t0() + Duration::days(2))).unwrap();
    engine
        .record_events(&[
            event("bo", kinds::PURCHASE, t0()).amount(10.0),
            event("bo", kinds::COMMENT, t0()),
        ])
        .unwrap();
    assert_eq!(engine.stage("bo", "brand").unwrap(), "interactor");
    assert_eq!(engine.stage("bo", "commercial").unwrap(), "customer");
    assert_eq!(
        engine.query("stage = customer", 0, None).unwrap().ids,
        ["bo"]
    );
    assert_eq!(engine.count("stage(brand) >= follower").unwrap(), 2);
    assert_eq!(engine.count("stage >= follower").unwrap(), 2);
    engine.set_clock(Some(t0() + Duration::days(5))).unwrap();
    engine
        .upsert_customer(&CustomerInput::new("bo").attribute("member", true))
        .unwrap();
    assert_eq!(engine.stage("bo", "commercial").unwrap(), "member");
    let history = engine.stage_history("bo", "commercial").unwrap();
    let steps: Vec<(&str, &str)> = history
        .iter()
        .map(|m| (m.from.as_str(), m.to.as_str()))
        .collect();
    assert_eq!(steps, [("prospect", "customer"), ("customer", "member")]);
    assert_eq!(history[1].at, t0() + Duration::days(5));
    engine.set_clock(Some(t0() + Duration::days(10))).unwrap();
    let times = engine.time_in_stages("bo", "commercial").unwrap();
    let day = 86_400.0;
    assert_eq!(times.stages, ["prospect", "customer", "member", "fan"]);
    assert_eq!(times.seconds, [2.0 * day, 3.0 * day, 5.0 * day, 0.0]);
    let moved = engine
        .moved(
            "commercial",
            "prospect",
            "customer",
            t0(),
            t0() + Duration::days(3),
        )
        .unwrap();
    assert_eq!(moved.ids, ["bo"]);
    assert!(engine
        .moved(
            "commercial",
            "prospect",
            "customer",
            t0(),
            t0() + Duration::days(1)
        )
        .unwrap()
        .ids
        .is_empty());
    let info = engine.ladders();
    assert_eq!(info[0].name, "brand");
    assert_eq!(info[1].counts, [1, 0, 1, 0]);
    // Errors.
    assert_eq!(engine.stage("bo", "nope").unwrap_err().code(), "NOT_FOUND");
    let err = engine
        .moved("commercial", "prospect", "vip", t0(), t0())
        .unwrap_err();
    assert_eq!(err.field(), Some("to"));
    assert_eq!(
        engine.count("stage = nowhere").unwrap_err().code(),
        "SEGMENT_TYPE"
    );
    assert_eq!(
        engine.count("stage(brand) = member").unwrap_err().code(),
        "SEGMENT_TYPE"
    );
}

#[test]
fn custom_ladders_are_validated_kept_current_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let engine = Engine::open(&path).unwrap();
    engine.set_clock(Some(t0())).unwrap();
    with_built_in_ladders(&engine);
    customers(&engine, &["ann", "bo"]);
    let field = |stages: &[(&str, &str)]| {
        engine
            .define_ladder("vip", stages)
            .unwrap_err()
            .field()
            .map(str::to_string)
    };
    assert_eq!(
        field(&[("a", ""), ("a", "tag:x")]).as_deref(),
        Some("stages[1].name")
    );
    assert_eq!(
        field(&[("a", "tag:x"), ("b", "tag:y")]).as_deref(),
        Some("stages[0].rule")
    );
    assert_eq!(
        field(&[("a", ""), ("b", "")]).as_deref(),
        Some("stages[1].rule")
    );
    assert_eq!(
        field(&[("a", ""), ("b", "stage(vip) = a")]).as_deref(),
        Some("stages[1].rule")
    );
    assert_eq!(
        field(&[("a", ""), ("b", "stage = follower")]).as_deref(),
        Some("stages[1].rule")
    );
    match engine.define_ladder("vip", &[("a", ""), ("b", "tag:x and")]) {
        Err(scrm::Error::Segment(e)) => {
            assert_eq!((e.line, e.column), (1, 10));
            assert!(e.message.starts_with("stage b:"), "{}", e.message);
        }
        other => panic!("expected a segment error, got {other:?}"),
    }
    engine
        .define_ladder(
            "vip",
            &[
                ("basic", ""),
                ("active", "events(view, 7d) >= 1"),
                ("fan", "stage(brand) >= interactor"),
            ],
        )
        .unwrap();
    engine.save_segment("vip_fans", "stage(vip) = fan").unwrap();
    engine
        .record_events(&[
            event("ann", kinds::VIEW, t0()),
            event("bo", kinds::SHARE, t0()),
        ])
        .unwrap();
    assert_eq!(engine.stage("ann", "vip").unwrap(), "active");
    assert_eq!(engine.stage("bo", "vip").unwrap(), "fan");
    assert_eq!(
        engine.segment_members("vip_fans", 0, None).unwrap().ids,
        ["bo"]
    );
    // The view ages out of its window: ann goes back to basic.
    engine.set_clock(Some(t0() + Duration::days(8))).unwrap();
    assert_eq!(engine.stage("ann", "vip").unwrap(), "basic");
    let history = engine.stage_history("ann", "vip").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].to, "basic");
    drop(engine);
    let engine = Engine::open(&path).unwrap();
    engine.set_clock(Some(t0() + Duration::days(8))).unwrap();
    assert_eq!(engine.stage("ann", "vip").unwrap(), "basic");
    assert_eq!(engine.stage("bo", "vip").unwrap(), "fan");
    assert_eq!(engine.stage_history("ann", "vip").unwrap(), history);
    let vip = engine
        .ladders()
        .into_iter()
        .find(|l| l.name == "vip")
        .unwrap();
    assert_eq!(vip.rules[1], "events(view, 1w) >= 1");
    assert!(!vip.built_in);
}

#[test]
fn a_version_2_store_is_upgraded_with_lifecycle_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let engine = Engine::open(&path).unwrap();
    customers(&engine, &["ann"]);
    drop(engine);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE referral_ops; DROP TABLE settings; DROP TABLE ladders; DROP TABLE stage_moves;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let engine = Engine::open(&path).unwrap();
    engine.set_scoring(&ScoringConfig::default()).unwrap();
    engine
        .define_ladder("x", &[("a", ""), ("b", "tag:b")])
        .unwrap();
    assert_eq!(engine.stage("ann", "x").unwrap(), "a");
}

/// Buyers who purchase as a Poisson process until they drop out (after each purchase with
/// their own probability), as BG/NBD assumes, spending around their own level.
fn buyers(engine: &Engine, n: usize) {
    let ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    customers(engine, &refs);
    let mut seed = 12345u64;
    let mut uniform = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut events = Vec::new();
    for id in &ids {
        let rate = 0.01 + 0.1 * uniform() * uniform();
        let dropout = 0.05 + 0.4 * uniform();
        let level = 10.0 + 190.0 * uniform();
        let mut day = 300.0 * uniform();
        while day < 365.0 {
            let amount = level * (0.5 + uniform());
            let at = t0() + Duration::minutes((day * 1440.0) as i64);
            events.push(event(id, kinds::PURCHASE, at).amount(amount));
            if uniform() < dropout {
                break;
            }
            day += -uniform().ln() / rate;
        }
    }
    engine.record_events(&events).unwrap();
}

#[test]
fn churn_model_is_fitted_stored_and_read_by_predicates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let engine = Engine::open(&path).unwrap();
    let end = t0() + Duration::days(365);
    engine.set_clock(Some(end)).unwrap();
    buyers(&engine, 300);
    let day = Duration::days(1);
    let err = engine.count("p_alive < 0.3").unwrap_err();
    assert_eq!(err.code(), "SEGMENT_TYPE");
    assert_eq!(engine.churn_table(30.0).unwrap_err().code(), "NOT_FOUND");
    let err = engine
        .purchase_summaries(t0() - Duration::days(1), day)
        .unwrap_err();
    assert_eq!(err.field(), Some("calibration_end"));
    let err = engine
        .purchase_summaries(end, Duration::zero())
        .unwrap_err();
    assert_eq!(err.field(), Some("period"));
    let summaries = engine.purchase_summaries(end, day).unwrap();
    assert_eq!(summaries.ids.len(), 300);
    assert!(summaries.t.iter().all(|&t| t <= 365.0));
    let options = scrm::ChurnOptions::default();
    let model = engine.fit_churn_model(end, day, &options).unwrap();
    assert_eq!(model.customers, 300);
    assert_eq!(engine.churn_model(), Some(model.clone()));
    let table = engine.churn_table(30.0).unwrap();
    assert_eq!(table.ids.len(), 300);
    assert!(table.p_alive.iter().all(|p| (0.0..=1.0).contains(p)));
    assert!(
        table.clv.iter().all(|c| c.is_finite() && *c >= 0.0),
        "{model:?} {:?}",
        &table.clv[..5]
    );
    let churned = table.p_alive.iter().filter(|&&p| p < 0.3).count() as u64;
    assert_eq!(engine.count("p_alive < 0.3").unwrap(), churned);
    let valuable = table.clv.iter().filter(|&&c| c > 100.0).count() as u64;
    assert_eq!(engine.count("clv > 100").unwrap(), valuable);
    engine.save_segment("churned", "p_alive < 0.3").unwrap();
    drop(engine);
    let engine = Engine::open(&path).unwrap();
    engine.set_clock(Some(end)).unwrap();
    assert_eq!(engine.churn_model(), Some(model));
    assert_eq!(
        engine.segment_members("churned", 0, None).unwrap().total,
        churned
    );
    assert_eq!(engine.churn_table(30.0).unwrap(), table);
}

#[test]
fn measurement_funnel_activity_entries_and_cohorts() {
    let engine = engine_at(t0());
    customers(&engine, &["ann", "bo", "cy"]);
    engine
        .record_events(&[
            event("ann", kinds::PURCHASE, t0()),
            event("bo", kinds::PURCHASE, t0()),
        ])
        .unwrap();
    engine.set_clock(Some(t0() + Duration::days(40))).unwrap();
    engine
        .upsert_customer(&CustomerInput::new("ann").attribute("member", true))
        .unwrap();
    engine
        .record_event(&event("ann", kinds::VIEW, t0() + Duration::days(35)))
        .unwrap();
    let funnel = engine
        .funnel("commercial", t0(), t0() + Duration::days(41))
        .unwrap();
    assert_eq!(funnel.customers, [1, 1, 1, 0]);
    assert_eq!(funnel.reached, [3, 2, 1, 0]);
    assert_eq!(funnel.entered, [0, 2, 1, 0]);
    assert_eq!(funnel.conversion, [2.0 / 3.0, 0.5, 0.0]);
    let early = engine
        .funnel("commercial", t0(), t0() + Duration::days(1))
        .unwrap();
    assert_eq!(early.customers, [1, 2, 0, 0]);
    let rate = engine.activity_rate("stage >= customer", 7).unwrap();
    assert_eq!((rate.members, rate.active, rate.rate), (2, 1, 0.5));
    let members = engine.entries_per_month("commercial", "member").unwrap();
    assert_eq!(members.months, ["2026-02"]);
    assert_eq!(members.counts, [1]);
    assert_eq!(
        engine
            .entries_per_month("commercial", "gold")
            .unwrap_err()
            .field(),
        Some("stage")
    );
    let cohorts = engine.cohort_retention(2).unwrap();
    assert_eq!(cohorts.cohorts, ["2026-01"]);
    assert_eq!(cohorts.sizes, [2]);
    assert_eq!(cohorts.retention[0], [1.0]);
    assert_eq!(cohorts.retention[1], [0.5]);
    assert!(cohorts.retention[2][0].is_nan(), "March is after the clock");
}
