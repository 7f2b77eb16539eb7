//! The durable store: reopening rebuilds everything, foreign and corrupt files are refused,
//! a second engine on the same file is locked out, failed batches leave no trace.

use chrono::{DateTime, TimeZone, Utc};
use scrm::{
    ConflictResolution, ConflictStatus, CustomerInput, Engine, EngineConfig, Error, EventInput,
    IdentifiedPolicy, MergePolicy, MergeRequest, StoreError, TagSource,
};

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, d, 12, 0, 0).unwrap()
}

fn flagging() -> EngineConfig {
    EngineConfig {
        merge: MergePolicy {
            identified: IdentifiedPolicy::Flag,
            ..MergePolicy::default()
        },
        ..EngineConfig::default()
    }
}

/// Fills an engine with customers, identities, merges, a conflict and events.
fn populate(engine: &Engine) {
    let people = [
        CustomerInput::new("c-1")
            .at(day(1))
            .attribute("city", "Shanghai")
            .identity("email", "a@x.cn"),
        CustomerInput::new("wx-1")
            .at(day(2))
            .anonymous(true)
            .identity("wechat_openid", "o-1"),
        CustomerInput::new("c-2")
            .at(day(3))
            .identity("phone", "+8613000000002"),
        CustomerInput::new("c-3")
            .at(day(4))
            .identity("phone", "+8613000000002"),
    ];
    engine.upsert_customers(&people).unwrap();
    let events = vec![
        EventInput::new("wx-1", "view", "wechat", day(2)).property("page", "home"),
        EventInput::new("c-1", "purchase", "store", day(5))
            .amount(42.0)
            .idempotency_key("o-1"),
        EventInput::new("c-1", "share", "wechat", day(6)).target("c-2"),
    ];
    engine.record_events(&events).unwrap();
    engine
        .upsert_customer(
            &CustomerInput::new("wx-1")
                .at(day(7))
                .identity("email", "A@x.cn"),
        )
        .unwrap();
    let request = MergeRequest {
        survivor: "c-1".into(),
        merged: "c-3".into(),
        actor: "tester".into(),
        note: "duplicate".into(),
        at: Some(day(8)),
    };
    engine.merge_customers(&request).unwrap();
    engine.set_clock(Some(day(10))).unwrap();
    engine
        .tag_customers(
            &["c-1".into(), "c-2".into()],
            &["vip".into()],
            TagSource::Import,
        )
        .unwrap();
    engine
        .add_tag_rule("buyer", "events(purchase) >= 1")
        .unwrap();
    engine
        .save_segment("recent", "last_seen within 7d")
        .unwrap();
    engine
        .save_segment("vip_buyers", "tag:vip and tag:buyer")
        .unwrap();
    engine.checkpoint_segment("recent").unwrap();
}

/// Everything a reader can see, as JSON, for comparing two engines.
fn snapshot(engine: &Engine) -> serde_json::Value {
    let customers: Vec<_> = engine
        .customer_ids()
        .iter()
        .map(|id| {
            let customer = engine.customer(id).unwrap();
            let events = engine.events_of(id).unwrap();
            serde_json::json!({ "customer": customer, "events": events })
        })
        .collect();
    serde_json::json!({
        "customers": customers,
        "tags": engine.tag_counts(),
        "segments": engine.saved_segments(),
        "rules": engine.tag_rules(),
        "changes": engine.segment_changes("recent").unwrap(),
        "merges": engine.merges(),
        "conflicts": engine.conflicts(None),
        "stats": engine.stats(),
    })
}

#[test]
fn reopening_rebuilds_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let before = {
        let engine = Engine::open_with(&path, flagging()).unwrap();
        populate(&engine);
        assert_eq!(engine.stats().open_conflicts, 1);
        snapshot(&engine)
    };
    let engine = Engine::open_with(&path, flagging()).unwrap();
    engine.set_clock(Some(day(10))).unwrap();
    assert_eq!(snapshot(&engine), before);
    assert_eq!(
        engine.tags_of("c-1").unwrap().len(),
        2,
        "manual and rule tags are back"
    );
    engine.set_clock(Some(day(20))).unwrap();
    let left = engine.segment_changes("recent").unwrap().left;
    assert_eq!(left, ["c-1"], "the checkpoint survived the reopen");
    assert_eq!(
        engine
            .lookup_identity("wechat_openid", "o-1")
            .unwrap()
            .as_deref(),
        Some("c-1")
    );
    assert_eq!(engine.customer("c-3").unwrap().id, "c-1");
    let report = engine
        .record_event(&EventInput::new("c-1", "purchase", "store", day(5)).idempotency_key("o-1"))
        .unwrap();
    assert_eq!(report.duplicates, 1, "idempotency keys survive a reopen");

    let conflict = engine.conflicts(Some(ConflictStatus::Open))[0].id;
    engine
        .resolve_conflict(conflict, ConflictResolution::KeepApart, "tester")
        .unwrap();
    drop(engine);
    let engine = Engine::open_with(&path, flagging()).unwrap();
    assert_eq!(engine.conflicts(Some(ConflictStatus::KeptApart)).len(), 1);
}

#[test]
fn in_memory_and_file_engines_agree() {
    let dir = tempfile::tempdir().unwrap();
    let file = Engine::open_with(dir.path().join("a.scrm"), flagging()).unwrap();
    let memory = Engine::in_memory_with(flagging()).unwrap();
    populate(&file);
    populate(&memory);
    assert_eq!(snapshot(&file), snapshot(&memory));
}

/// A store file at `path` holding one customer, `c-1`.
fn one_customer_store(path: &std::path::Path) -> Engine {
    let engine = Engine::open(path).unwrap();
    engine
        .upsert_customer(&CustomerInput::new("c-1").at(day(1)))
        .unwrap();
    engine
}

#[test]
fn a_failed_batch_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    {
        let engine = one_customer_store(&path);
        let batch = vec![
            EventInput::new("c-1", "view", "app", day(2)),
            EventInput::new("c-1", "view", "app", day(2)).amount(f64::NAN),
        ];
        let err = engine.record_events(&batch).unwrap_err();
        assert_eq!(err.field(), Some("events[1].amount"));
        assert_eq!(engine.stats().events, 0);
    }
    assert_eq!(Engine::open(&path).unwrap().stats().events, 0);
}

#[test]
fn foreign_and_corrupt_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some notes ".repeat(200),
    )
    .unwrap();
    match Engine::open(&text) {
        Err(Error::Store(StoreError::Foreign { reason, .. })) => {
            assert!(reason.contains("not a SQLite database"), "{reason}")
        }
        other => panic!("expected a foreign-file error, got {:?}", other.err()),
    }

    let other_app = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other_app).unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let err = Engine::open(&other_app).err().expect("refused");
    assert_eq!(err.code(), "STORE");
    assert!(err.to_string().contains("another application"), "{err}");
}

#[test]
fn broken_invariants_in_the_file_are_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    {
        let engine = one_customer_store(&path);
        engine
            .record_event(&EventInput::new("c-1", "view", "app", day(2)))
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("UPDATE events SET customer = 99", []).unwrap();
    drop(conn);
    match Engine::open(&path) {
        Err(Error::Store(StoreError::Corrupt(what))) => {
            assert!(what.contains("events.customer"), "{what}")
        }
        other => panic!("expected a corrupt-store error, got {:?}", other.err()),
    }
}

#[test]
fn a_second_engine_on_the_same_file_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    let first = Engine::open(&path).unwrap();
    match Engine::open(&path) {
        Err(Error::Store(StoreError::Locked(_))) => {}
        other => panic!("expected a lock error, got {:?}", other.err()),
    }
    drop(first);
    assert!(Engine::open(&path).is_ok(), "the lock is released on drop");
}

#[test]
fn a_version_1_store_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    drop(one_customer_store(&path));
    // What a store written before the relationship graph looks like.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE edges; DROP TABLE referral_ops; DROP TABLE settings; DROP TABLE ladders; DROP TABLE stage_moves;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let engine = Engine::open(&path).unwrap();
    assert_eq!(engine.stats().customers, 1);
    engine.upsert_customer(&CustomerInput::new("c-2")).unwrap();
    engine
        .add_edge(&scrm::EdgeInput::new("c-1", "c-2", "follows"))
        .unwrap();
    drop(engine);
    assert_eq!(Engine::open(&path).unwrap().stats().edges, 1);
}

#[test]
fn a_corrupt_edge_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.scrm");
    drop(one_customer_store(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO edges (source, target, kind, weight, created_at) VALUES (0, 7, 'follows', 1, 0)",
        [],
    )
    .unwrap();
    drop(conn);
    match Engine::open(&path) {
        Err(Error::Store(StoreError::Corrupt(what))) => {
            assert!(what.contains("edges.target"), "{what}")
        }
        other => panic!("expected a corrupt-store error, got {:?}", other.err()),
    }
}
