//! The engine facade: thread safety, error shapes, and reads that see every acknowledged write.

use std::sync::Arc;
use std::thread;

use chrono::{Duration, TimeZone, Utc};
use scrm::{CustomerInput, Engine, Error, EventInput, MAX_ID_LEN};

#[test]
fn engine_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();

    let engine = Arc::new(Engine::in_memory());
    let start = Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap();
    let customers: Vec<_> = (0..100)
        .map(|i| {
            CustomerInput::new(format!("c-{i}"))
                .at(start)
                .identity("weibo", format!("w{i}"))
        })
        .collect();
    engine.upsert_customers(&customers).unwrap();

    let writers: Vec<_> = (0..2)
        .map(|w| {
            let engine = Arc::clone(&engine);
            thread::spawn(move || {
                for round in 0..50 {
                    let batch: Vec<_> = (0..100)
                        .map(|i| {
                            let at = start + Duration::minutes(round);
                            EventInput::new(format!("c-{i}"), "view", "app", at)
                                .idempotency_key(format!("w{w}-r{round}-{i}"))
                        })
                        .collect();
                    engine.record_events(&batch).unwrap();
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let engine = Arc::clone(&engine);
            thread::spawn(move || {
                let mut last = 0;
                for i in 0..500 {
                    let events = engine.stats().events;
                    assert!(events >= last, "reads never go back in time");
                    assert_eq!(events % 100, 0, "a batch is seen whole or not at all");
                    last = events;
                    let owner = engine
                        .lookup_identity("weibo", &format!("w{}", i % 100))
                        .unwrap();
                    assert_eq!(owner, Some(format!("c-{}", i % 100)));
                }
            })
        })
        .collect();
    for handle in writers.into_iter().chain(readers) {
        handle.join().unwrap();
    }
    assert_eq!(engine.stats().events, 2 * 50 * 100);
    let activity = engine.customer("c-7").unwrap().activity;
    assert_eq!(activity.inbound, 100);
    assert_eq!(activity.last_seen, Some(start + Duration::minutes(49)));
}

#[test]
fn errors_carry_a_code_and_the_field() {
    let engine = Engine::in_memory();
    let long_id = "x".repeat(MAX_ID_LEN + 1);
    let err = engine
        .upsert_customer(&CustomerInput::new(long_id))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        ("VALIDATION", Some("customer.id"))
    );
    assert!(err.to_string().contains("257"), "{err}");

    let err = engine
        .upsert_customer(&CustomerInput::new("c").attribute("ratio", f64::INFINITY))
        .unwrap_err();
    assert_eq!(err.field(), Some("customer.attributes.ratio"));

    let err = engine.customer("ghost").unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                entity: "customer",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "NOT_FOUND");

    engine.upsert_customer(&CustomerInput::new("c")).unwrap();
    let now = Utc::now();
    let err = engine
        .record_event(&EventInput::new("c", "", "app", now))
        .unwrap_err();
    assert_eq!(err.field(), Some("events[0].kind"));
    let err = engine
        .record_event(&EventInput::new("c", "view", "app", now).property("bad key", 1i64))
        .unwrap_err();
    assert_eq!(err.field(), Some("events[0].properties.bad key"));
    let err = engine
        .record_event(&EventInput::new("c", "view", "app", now).idempotency_key(""))
        .unwrap_err();
    assert_eq!(err.field(), Some("events[0].idempotency_key"));
}

#[test]
fn events_recorded_before_a_merge_follow_the_profile() {
    let engine = Engine::in_memory();
    let t = Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap();
    engine
        .upsert_customer(
            &CustomerInput::new("visitor")
                .anonymous(true)
                .at(t)
                .identity("device", "d-1"),
        )
        .unwrap();
    engine
        .record_event(&EventInput::new(
            "visitor",
            "view",
            "web",
            t + Duration::hours(2),
        ))
        .unwrap();
    engine
        .upsert_customer(
            &CustomerInput::new("member")
                .at(t)
                .identity("email", "m@x.cn"),
        )
        .unwrap();
    engine
        .record_event(
            &EventInput::new("member", "purchase", "web", t + Duration::hours(1)).amount(10.0),
        )
        .unwrap();
    let outcome = engine
        .upsert_customer(
            &CustomerInput::new("member")
                .at(t + Duration::hours(3))
                .identity("device", "d-1"),
        )
        .unwrap();
    assert_eq!(
        (outcome.id.as_str(), outcome.merged.as_slice()),
        ("member", &["visitor".to_string()][..])
    );
    let kinds: Vec<_> = engine
        .events_of("visitor")
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["purchase", "view"], "merged history, in time order");
    engine
        .record_event(&EventInput::new(
            "visitor",
            "share",
            "web",
            t + Duration::hours(4),
        ))
        .unwrap();
    let member = engine.customer("member").unwrap();
    assert_eq!(member.activity.inbound, 3);
    assert_eq!(member.activity.total_amount, 10.0);
    assert_eq!(engine.stats().customers, 1);
}

#[test]
fn large_batches_check_in_parallel_with_the_same_outcome() {
    let engine = Engine::in_memory();
    let t = Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).unwrap();
    let ids: Vec<CustomerInput> = (0..100)
        .map(|i| CustomerInput::new(format!("c{i}")).at(t))
        .collect();
    engine.upsert_customers(&ids).unwrap();
    engine
        .record_event(&EventInput::new("c0", "view", "app", t).idempotency_key("old"))
        .unwrap();
    let n = 20_000;
    let batch = |bad: &[usize]| -> Vec<EventInput> {
        (0..n)
            .map(|i| {
                let customer = if bad.contains(&i) {
                    "ghost".to_string()
                } else {
                    format!("c{}", i % 100)
                };
                let kind = if i == n - 1 { "brand_new_kind" } else { "view" };
                let mut e = EventInput::new(customer, kind, format!("ch{}", i % 3), t);
                if i % 1000 == 0 {
                    e = e.idempotency_key(format!("k{}", i % 7000));
                }
                if i == n / 2 {
                    e = e.idempotency_key("old");
                }
                e
            })
            .collect()
    };
    let err = engine.record_events(&batch(&[15_000, 300])).unwrap_err();
    assert_eq!(
        err.field(),
        Some("events[300].customer"),
        "the first bad event is reported"
    );
    assert_eq!(
        engine.stats().events,
        1,
        "nothing of the failed batch landed"
    );

    let report = engine.record_events(&batch(&[])).unwrap();
    // Keys sit on every 1000th event: k0..k6000 first at i < 7000, repeated by the six keyed
    // events of 7000..13000 (i = 10000 carries "old", already in the log) and the six of
    // 14000..19000.
    assert_eq!(report.duplicates, 6 + 1 + 6, "{report:?}");
    assert_eq!(report.inserted, n as u64 - report.duplicates);
    let last = engine.events_of("c99").unwrap().pop().unwrap();
    assert_eq!(
        (last.kind.as_str(), last.channel.as_str()),
        ("brand_new_kind", "ch1")
    );
}

#[test]
fn writes_without_a_time_take_the_engine_clock() {
    let engine = Engine::in_memory();
    let t = Utc.with_ymd_and_hms(2026, 10, 1, 9, 30, 0).unwrap();
    engine.set_clock(Some(t)).unwrap();
    engine
        .upsert_customer(&CustomerInput::new("a").attribute("x", 1i64))
        .unwrap();
    engine.upsert_customer(&CustomerInput::new("b")).unwrap();
    let request = scrm::MergeRequest {
        survivor: "a".into(),
        merged: "b".into(),
        actor: "tester".into(),
        ..Default::default()
    };
    let record = engine.merge_customers(&request).unwrap().unwrap();
    let a = engine.customer("a").unwrap();
    assert_eq!((a.created_at, a.updated_at, record.at), (t, t, t));
}
