//! Runs the shared parity scenarios in `tests/scenarios/*.json` against the Rust API.
//!
//! A scenario is `{ "name", "description", "config"?, "steps": [...] }`. Each step names an
//! operation (`op`), its arguments, and either `expect` (the result, matched as a subset:
//! every key given must match, arrays element by element, numbers within 1e-9) or `error`
//! (`{"code": "VALIDATION", "field": "customer.id"}`). The Python, Node and Kotlin suites run
//! the same files through their own bindings; see `tests/scenarios/README.md`.

use std::fs;
use std::path::{Path, PathBuf};

use scrm::{
    ConflictResolution, ConflictStatus, CustomerInput, Engine, EngineConfig, Error, EventInput,
    MergeRequest, TagSource,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn arg<T: DeserializeOwned>(step: &Value, key: &str) -> T {
    serde_json::from_value(step[key].clone())
        .unwrap_or_else(|e| panic!("argument {key:?} of {step}: {e}"))
}

fn to_json<T: Serialize>(result: Result<T, Error>) -> Result<Value, Error> {
    result.map(|v| serde_json::to_value(v).expect("results serialise"))
}

/// Runs one operation and returns its result as JSON.
fn run(engine: &Engine, step: &Value) -> Result<Value, Error> {
    let op = step["op"].as_str().expect("step has an op");
    match op {
        "upsert_customer" => to_json(engine.upsert_customer(&arg::<CustomerInput>(step, "input"))),
        "upsert_customers" => {
            to_json(engine.upsert_customers(&arg::<Vec<CustomerInput>>(step, "input")))
        }
        "customer" => to_json(engine.customer(&arg::<String>(step, "id"))),
        "customer_ids" => Ok(json!(engine.customer_ids())),
        "lookup_identity" => to_json(engine.lookup_identity(
            &arg::<String>(step, "channel"),
            &arg::<String>(step, "value"),
        )),
        "merge_customers" => to_json(engine.merge_customers(&arg::<MergeRequest>(step, "input"))),
        "merge_history" => to_json(engine.merge_history(&arg::<String>(step, "id"))),
        "merges" => Ok(json!(engine.merges())),
        "conflicts" => Ok(json!(
            engine.conflicts(arg::<Option<ConflictStatus>>(step, "status"))
        )),
        "resolve_conflict" => to_json(engine.resolve_conflict(
            arg(step, "id"),
            arg::<ConflictResolution>(step, "resolution"),
            &arg::<String>(step, "actor"),
        )),
        "record_event" => to_json(engine.record_event(&arg::<EventInput>(step, "input"))),
        "record_events" => to_json(engine.record_events(&arg::<Vec<EventInput>>(step, "input"))),
        "events_of" => to_json(engine.events_of(&arg::<String>(step, "id"))),
        "stats" => Ok(json!(engine.stats())),
        "set_clock" => to_json(engine.set_clock(arg(step, "at"))),
        "tag_customers" => to_json(engine.tag_customers(
            &arg::<Vec<String>>(step, "ids"),
            &arg::<Vec<String>>(step, "tags"),
            arg::<Option<TagSource>>(step, "source").unwrap_or_default(),
        )),
        "untag_customers" => to_json(engine.untag_customers(
            &arg::<Vec<String>>(step, "ids"),
            &arg::<Vec<String>>(step, "tags"),
        )),
        "tag_segment" => to_json(engine.tag_segment(
            &arg::<String>(step, "expression"),
            &arg::<Vec<String>>(step, "tags"),
            arg::<Option<TagSource>>(step, "source").unwrap_or_default(),
        )),
        "untag_segment" => to_json(engine.untag_segment(
            &arg::<String>(step, "expression"),
            &arg::<Vec<String>>(step, "tags"),
        )),
        "tags_of" => to_json(engine.tags_of(&arg::<String>(step, "id"))),
        "tag_counts" => Ok(json!(engine.tag_counts())),
        "count" => to_json(engine.count(&arg::<String>(step, "expression"))),
        "query" => to_json(engine.query(
            &arg::<String>(step, "expression"),
            arg::<Option<u64>>(step, "offset").unwrap_or(0),
            arg(step, "limit"),
        )),
        "explain" => to_json(engine.explain(
            &arg::<String>(step, "id"),
            &arg::<String>(step, "expression"),
        )),
        "save_segment" => to_json(engine.save_segment(
            &arg::<String>(step, "name"),
            &arg::<String>(step, "expression"),
        )),
        "drop_segment" => to_json(engine.drop_segment(&arg::<String>(step, "name"))),
        "saved_segments" => Ok(json!(engine.saved_segments())),
        "segment_members" => to_json(engine.segment_members(
            &arg::<String>(step, "name"),
            arg::<Option<u64>>(step, "offset").unwrap_or(0),
            arg(step, "limit"),
        )),
        "segment_changes" => to_json(engine.segment_changes(&arg::<String>(step, "name"))),
        "checkpoint_segment" => to_json(engine.checkpoint_segment(&arg::<String>(step, "name"))),
        "add_tag_rule" => to_json(engine.add_tag_rule(
            &arg::<String>(step, "tag"),
            &arg::<String>(step, "expression"),
        )),
        "drop_tag_rule" => to_json(engine.drop_tag_rule(&arg::<String>(step, "tag"))),
        "tag_rules" => Ok(json!(engine.tag_rules())),
        other => panic!("unknown op {other:?}"),
    }
}

/// Checks that `actual` contains `expected`; returns the path of the first mismatch.
fn mismatch(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().find_map(|(k, v)| {
            let sub = format!("{path}.{k}");
            match a.get(k) {
                Some(av) => mismatch(v, av, &sub),
                None if v.is_null() => None,
                None => Some(format!("{sub}: missing")),
            }
        }),
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .find_map(|(i, (ev, av))| mismatch(ev, av, &format!("{path}[{i}]"))),
        (Value::Number(e), Value::Number(a)) => {
            let (e, a) = (
                e.as_f64().unwrap_or(f64::NAN),
                a.as_f64().unwrap_or(f64::NAN),
            );
            ((e - a).abs() > 1e-9).then(|| format!("{path}: expected {e}, got {a}"))
        }
        _ if expected == actual => None,
        _ => Some(format!("{path}: expected {expected}, got {actual}")),
    }
}

fn error_json(e: &Error) -> Value {
    let (line, column) = match e {
        Error::Segment(s) => (Some(s.line), Some(s.column)),
        _ => (None, None),
    };
    json!({ "code": e.code(), "field": e.field(), "message": e.to_string(), "line": line, "column": column })
}

#[test]
fn every_scenario_passes() {
    let files = scenario_files();
    assert!(
        files.len() >= 5,
        "expected the shared scenarios, found {files:?}"
    );
    let mut failures = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("scenario readable");
        let scenario: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", file.display()));
        let config: EngineConfig = match scenario.get("config") {
            Some(c) => serde_json::from_value(c.clone()).expect("valid config"),
            None => EngineConfig::default(),
        };
        let engine = Engine::in_memory_with(config).expect("config accepted");
        let steps = scenario["steps"].as_array().expect("steps array");
        for (i, step) in steps.iter().enumerate() {
            let place = format!("{} step {i} ({})", file.display(), step["op"]);
            let problem = match (run(&engine, step), step.get("error")) {
                (Ok(actual), None) => step
                    .get("expect")
                    .and_then(|e| mismatch(e, &actual, "result")),
                (Ok(actual), Some(_)) => Some(format!("expected an error, got {actual}")),
                (Err(e), Some(expected)) => mismatch(expected, &error_json(&e), "error"),
                (Err(e), None) => Some(format!("unexpected error {}", error_json(&e))),
            };
            if let Some(p) = problem {
                failures.push(format!("{place}: {p}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "scenario failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_matcher_can_fail() {
    let actual = json!({"id": "c-1", "n": 2, "list": [1, 2]});
    assert!(mismatch(&json!({"id": "c-1"}), &actual, "r").is_none());
    assert!(mismatch(&json!({"id": "c-2"}), &actual, "r").is_some());
    assert!(mismatch(&json!({"n": 2.5}), &actual, "r").is_some());
    assert!(mismatch(&json!({"list": [1]}), &actual, "r").is_some());
    assert!(mismatch(&json!({"absent": 1}), &actual, "r").is_some());
}
