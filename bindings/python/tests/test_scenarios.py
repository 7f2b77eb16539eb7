"""Runs the shared parity scenarios (tests/scenarios/*.json at the repository root) through the
Python API, with the same subset matcher as the Rust runner (tests/scenarios.rs).

JSON inputs become Python values (RFC 3339 strings in time positions and ``{"time": ...}``
attribute values become aware datetimes); results are turned back into the JSON shapes the
core serialises (times as RFC 3339 with ``Z``, attribute times as ``{"time": ...}``) before
matching.
"""

import datetime as dt
import json
import math
from pathlib import Path

import pytest

import scrm

SCENARIOS = Path(__file__).resolve().parents[3] / "tests" / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))


# --- JSON to Python ------------------------------------------------------------------------


def parse_time(text):
    """An RFC 3339 string to an aware datetime (fromisoformat takes 'Z' only from 3.11)."""
    if text is None:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return dt.datetime.fromisoformat(text)


def attribute_in(value):
    if isinstance(value, dict) and set(value) == {"time"}:
        return parse_time(value["time"])
    return value


def attributes_in(values):
    return None if values is None else {k: attribute_in(v) for k, v in values.items()}


def customer_in(record):
    out = dict(record)
    if "at" in out:
        out["at"] = parse_time(out["at"])
    if "attributes" in out:
        out["attributes"] = attributes_in(out["attributes"])
    return out


def event_in(record):
    out = dict(record)
    out["at"] = parse_time(out["at"])
    if "properties" in out:
        out["properties"] = attributes_in(out["properties"])
    return out


# --- Python to JSON ------------------------------------------------------------------------


def rfc3339(t):
    """Formats like chrono's serde: UTC with 'Z', fractions only when present (3 or 6 digits)."""
    assert t.tzinfo is dt.timezone.utc, f"times come back in UTC, got {t!r}"
    text = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond % 1000:
        text += f".{t.microsecond:06d}"
    elif t.microsecond:
        text += f".{t.microsecond // 1000:03d}"
    return text + "Z"


def attributes_json(values):
    return {k: {"time": rfc3339(v)} if isinstance(v, dt.datetime) else v for k, v in values.items()}


def to_json(value):
    if isinstance(value, dt.datetime):
        return rfc3339(value)
    if isinstance(value, dict):
        return {
            k: attributes_json(v) if k in ("attributes", "properties") else to_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def error_json(e):
    return {"code": e.code, "field": e.field, "message": str(e), "line": e.line, "column": e.column}


# --- the matcher ---------------------------------------------------------------------------


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def mismatch(expected, actual, path):
    """The path of the first place where ``actual`` does not contain ``expected``, or None."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            sub = f"{path}.{key}"
            if key in actual:
                found = mismatch(value, actual[key], sub)
                if found:
                    return found
            elif value is not None:
                return f"{sub}: missing"
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual)):
            found = mismatch(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if is_number(expected) and is_number(actual):
        if math.isnan(expected - actual) or abs(expected - actual) > 1e-9:
            return f"{path}: expected {expected}, got {actual}"
        return None
    if type(expected) is bool or type(actual) is bool:
        same = type(expected) is type(actual) and expected == actual
    else:
        same = expected == actual
    return None if same else f"{path}: expected {expected!r}, got {actual!r}"


# --- operations ----------------------------------------------------------------------------


def run(engine, step):
    """Runs one step's operation through the Python API and returns its result."""
    op = step["op"]
    if op == "upsert_customer":
        return engine.upsert_customer(**customer_in(step["input"]))
    if op == "upsert_customers":
        return engine.upsert_customers([customer_in(c) for c in step["input"]])
    if op == "customer":
        return engine.customer(step["id"])
    if op == "customer_ids":
        return engine.customer_ids()
    if op == "lookup_identity":
        return engine.lookup_identity(step["channel"], step["value"])
    if op == "merge_customers":
        request = step["input"]
        return engine.merge_customers(
            request.get("survivor", ""),
            request.get("merged", ""),
            actor=request.get("actor", ""),
            note=request.get("note", ""),
            at=parse_time(request.get("at")),
        )
    if op == "merge_history":
        return engine.merge_history(step["id"])
    if op == "merges":
        return engine.merges()
    if op == "conflicts":
        return engine.conflicts(status=step.get("status"))
    if op == "resolve_conflict":
        return engine.resolve_conflict(step["id"], step["resolution"], step["actor"])
    if op == "record_event":
        return engine.record_event(**event_in(step["input"]))
    if op == "record_events":
        return engine.record_events([event_in(e) for e in step["input"]])
    if op == "events_of":
        return engine.events_of(step["id"])
    if op == "stats":
        return engine.stats()
    if op == "set_clock":
        return engine.set_clock(parse_time(step.get("at")))
    if op == "tag_customers":
        return engine.tag_customers(step["ids"], step["tags"], source=step.get("source") or "manual")
    if op == "untag_customers":
        return engine.untag_customers(step["ids"], step["tags"])
    if op == "tag_segment":
        return engine.tag_segment(step["expression"], step["tags"], source=step.get("source") or "manual")
    if op == "untag_segment":
        return engine.untag_segment(step["expression"], step["tags"])
    if op == "tags_of":
        return engine.tags_of(step["id"])
    if op == "tag_counts":
        return engine.tag_counts()
    if op == "count":
        return engine.count(step["expression"])
    if op == "query":
        return engine.query(step["expression"], offset=step.get("offset") or 0, limit=step.get("limit")).to_dict()
    if op == "explain":
        return engine.explain(step["id"], step["expression"])
    if op == "save_segment":
        return engine.save_segment(step["name"], step["expression"])
    if op == "drop_segment":
        return engine.drop_segment(step["name"])
    if op == "saved_segments":
        return engine.saved_segments()
    if op == "segment_members":
        return engine.segment_members(step["name"], offset=step.get("offset") or 0, limit=step.get("limit")).to_dict()
    if op == "segment_changes":
        return engine.segment_changes(step["name"])
    if op == "checkpoint_segment":
        return engine.checkpoint_segment(step["name"])
    if op == "add_tag_rule":
        return engine.add_tag_rule(step["tag"], step["expression"])
    if op == "drop_tag_rule":
        return engine.drop_tag_rule(step["tag"])
    if op == "tag_rules":
        return engine.tag_rules()
    raise AssertionError(f"unknown op {op!r}: teach this runner (and tests/scenarios.rs) about it")


def test_the_shared_scenarios_are_there():
    assert len(FILES) >= 5, f"expected the shared scenarios in {SCENARIOS}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_scenario(path):
    scenario = json.loads(path.read_text(encoding="utf-8"))
    failures = []
    with scrm.Engine(config=scenario.get("config")) as engine:
        for i, step in enumerate(scenario["steps"]):
            place = f"step {i} ({step['op']})"
            try:
                actual = to_json(run(engine, step))
            except scrm.ScrmError as e:
                if "error" in step:
                    problem = mismatch(step["error"], error_json(e), "error")
                else:
                    problem = f"unexpected error {error_json(e)}"
            else:
                if "error" in step:
                    problem = f"expected an error, got {actual!r}"
                elif "expect" in step:
                    problem = mismatch(step["expect"], actual, "result")
                else:
                    problem = None
            if problem:
                failures.append(f"{place}: {problem}")
    assert not failures, f"{path.name}:\n" + "\n".join(failures)


def test_the_matcher_can_fail():
    actual = {"id": "c-1", "n": 2, "list": [1, 2], "flag": True}
    assert mismatch({"id": "c-1"}, actual, "r") is None
    assert mismatch({"id": "c-2"}, actual, "r")
    assert mismatch({"n": 2.5}, actual, "r")
    assert mismatch({"n": 2.0}, actual, "r") is None
    assert mismatch({"list": [1]}, actual, "r")
    assert mismatch({"absent": 1}, actual, "r")
    assert mismatch({"absent": None}, actual, "r") is None
    assert mismatch({"flag": 1}, actual, "r"), "a bool never equals a number"
    assert mismatch({"n": True}, actual, "r")


def test_times_format_like_the_core():
    utc = dt.timezone.utc
    assert rfc3339(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=utc)) == "2026-01-02T03:04:05Z"
    assert rfc3339(dt.datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=utc)) == "2026-01-02T03:04:05.120Z"
    assert rfc3339(dt.datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=utc)) == "2026-01-02T03:04:05.000007Z"
