"""Tags, segment queries, saved segments with their changes, tag rules and the clock."""

import datetime as dt

import pytest

import scrm
from conftest import UTC, at


@pytest.fixture
def crowd(engine):
    engine.upsert_customers([
        {"id": "ann", "at": at(1), "attributes": {"city": "Shanghai", "age": 34}},
        {"id": "bo", "at": at(1), "attributes": {"city": "Beijing", "age": 41}},
        {"id": "cai", "at": at(1), "attributes": {"city": "Chengdu", "age": 29}},
    ])
    engine.record_events([
        {"customer": "ann", "kind": "purchase", "channel": "app", "at": at(20), "amount": 300},
        {"customer": "bo", "kind": "purchase", "channel": "app", "at": at(1, month=3), "amount": 900},
    ])
    return engine


def test_tags_by_id_and_by_segment(crowd):
    assert crowd.tag_customers(["ann", "bo"], ["vip", "interest:travel"]) == {"customers": 2, "changed": 4}
    assert crowd.tag_customers(["ann"], ["vip"], source="import") == {"customers": 0, "changed": 0}
    assert crowd.tags_of("ann") == [
        {"tag": "interest:travel", "set_at": at(30), "source": "manual"},
        {"tag": "vip", "set_at": at(30), "source": "manual"},
    ]
    assert crowd.tag_segment('attr.city = "Chengdu"', ["west"], source="import") == {"customers": 1, "changed": 1}
    assert crowd.tags_of("cai") == [{"tag": "west", "set_at": at(30), "source": "import"}]
    assert crowd.tag_counts() == [
        {"tag": "interest:travel", "customers": 2}, {"tag": "vip", "customers": 2}, {"tag": "west", "customers": 1},
    ]
    assert crowd.untag_customers(["bo"], ["vip"]) == {"customers": 1, "changed": 1}
    assert crowd.untag_segment("tag:vip", ["interest:travel"]) == {"customers": 1, "changed": 1}
    assert crowd.customer("bo")["tags"] == ["interest:travel"]


def test_tag_errors(crowd):
    with pytest.raises(scrm.ValidationError) as info:
        crowd.tag_customers(["ann", "nobody"], ["x"])
    assert info.value.field == "ids[1]"
    with pytest.raises(scrm.ValidationError) as info:
        crowd.tag_customers(["ann"], ["has space"])
    assert info.value.field == "tags[0]"
    with pytest.raises(scrm.ValidationError) as info:
        crowd.tag_customers(["ann"], ["x"], source="magic")
    assert info.value.field == "source"
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        crowd.tag_segment("attr.city >", ["x"])
    assert (info.value.line, info.value.column) == (1, 12)
    with pytest.raises(scrm.NotFoundError):
        crowd.tags_of("nobody")


def test_count_query_and_explain(crowd):
    assert crowd.count("attr.age >= 30") == 2
    assert crowd.query("attr.age >= 30").to_dict() == {"total": 2, "ids": ["ann", "bo"]}
    assert crowd.query("attr.age >= 0", offset=1, limit=1).to_dict() == {"total": 3, "ids": ["bo"]}
    assert crowd.query("attr.age >= 0", 2).to_dict() == {"total": 3, "ids": ["cai"]}
    assert crowd.count("events(purchase, 30d) >= 1") == 1
    explanation = crowd.explain("ann", 'attr.city = "Shanghai" and events(purchase) >= 1')
    assert explanation["customer"] == "ann" and explanation["matched"] is True
    assert explanation["expression"] == 'attr.city = "Shanghai" and events(purchase) >= 1'
    assert [s["depth"] for s in explanation["steps"]] == [0, 1, 1]
    assert set(explanation["steps"][0]) == {"depth", "node", "matched", "observed"}
    with pytest.raises(scrm.NotFoundError):
        crowd.explain("nobody", "tag:vip")


def test_segment_errors_carry_line_and_column(crowd):
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        crowd.count("tag:vip and\n  attr.age >>= 3")
    assert info.value.code == "SEGMENT_SYNTAX"
    assert info.value.line == 2 and info.value.column >= 1
    with pytest.raises(scrm.SegmentTypeError) as info:
        crowd.count("attr.city > 3")
    assert (info.value.code, info.value.line, info.value.column) == ("SEGMENT_TYPE", 1, 1)
    with pytest.raises(scrm.NotFoundError) as info:
        crowd.count("segment:nope")
    assert (info.value.line, info.value.column) == (1, 1)


def test_saved_segments_and_changes(crowd):
    info = crowd.save_segment("buyers", "events(purchase, 30d) >= 1")
    assert info == {"name": "buyers", "expression": "events(purchase, 30d) >= 1", "members": 1, "timed": True}
    assert crowd.saved_segments() == [info]
    assert crowd.segment_members("buyers").to_dict() == {"total": 1, "ids": ["ann"]}
    assert crowd.segment_members("buyers", offset=1, limit=5).to_dict() == {"total": 1, "ids": []}
    assert crowd.segment_changes("buyers") == {"entered": ["ann"], "left": []}
    assert crowd.checkpoint_segment("buyers") == {"entered": ["ann"], "left": []}
    assert crowd.segment_changes("buyers") == {"entered": [], "left": []}
    crowd.record_event("cai", "purchase", "app", at(29))
    assert crowd.segment_changes("buyers") == {"entered": ["cai"], "left": []}
    crowd.set_clock(at(25, month=7))
    assert crowd.segment_changes("buyers") == {"entered": ["cai"], "left": ["ann"]}
    crowd.save_segment("loyal", "segment:buyers")
    with pytest.raises(scrm.ConflictError) as err:
        crowd.save_segment("buyers", "segment:loyal")
    assert err.value.line == 1 and err.value.column == 1
    with pytest.raises(scrm.ConflictError):
        crowd.drop_segment("buyers")
    assert crowd.drop_segment("loyal") is None
    crowd.drop_segment("buyers")
    assert crowd.saved_segments() == []
    for call in (crowd.segment_members, crowd.segment_changes, crowd.checkpoint_segment, crowd.drop_segment):
        with pytest.raises(scrm.NotFoundError):
            call("buyers")
    with pytest.raises(scrm.ValidationError) as err:
        crowd.save_segment("bad name", "tag:x")
    assert err.value.field == "name"


def test_tag_rules(crowd):
    rule = crowd.add_tag_rule("senior", "attr.age >= 40")
    assert rule == {"tag": "senior", "expression": "attr.age >= 40", "members": 1, "timed": False}
    assert crowd.tag_rules() == [rule]
    assert crowd.tags_of("bo") == [{"tag": "senior", "set_at": at(30), "source": "rule"}]
    crowd.upsert_customer("cai", attributes={"age": 45}, at=at(29))
    assert crowd.count("tag:senior") == 2
    with pytest.raises(scrm.ConflictError):
        crowd.add_tag_rule("echo", "tag:echo")
    assert crowd.drop_tag_rule("senior") is None
    assert crowd.tags_of("bo") == [] and crowd.tag_rules() == []
    with pytest.raises(scrm.NotFoundError):
        crowd.drop_tag_rule("senior")


def test_clock(engine):
    assert engine.now() == at(30) and engine.now().tzinfo is UTC
    engine.set_clock(dt.datetime(2026, 7, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert engine.now() == at(1, month=7)
    engine.set_clock(None)
    assert abs(engine.now() - dt.datetime.now(UTC)) < dt.timedelta(minutes=5)
    engine.set_clock()
    with pytest.raises(scrm.ValidationError) as info:
        engine.set_clock(dt.datetime(2026, 7, 1))
    assert info.value.field == "clock"
    with pytest.raises(scrm.ValidationError) as info:
        engine.set_clock(dt.datetime(3001, 1, 1, tzinfo=UTC))
    assert info.value.field == "clock"


def test_refresh_brings_timed_segments_to_the_clock(crowd):
    crowd.save_segment("buyers", "events(purchase, 30d) >= 1")
    crowd.set_clock(at(25, month=7))
    assert crowd.refresh() is None
    assert crowd.saved_segments()[0]["members"] == 0


def test_format_segment():
    assert scrm.format_segment("TAG:vip AND   attr.age>=30") == "tag:vip and attr.age >= 30"
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        scrm.format_segment("tag:vip and (")
    assert info.value.line == 1 and info.value.column == 14
