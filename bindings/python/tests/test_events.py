"""Events: one and batch, duplicates, aggregates, reading back, and input conversion."""

import datetime as dt

import pytest

import scrm
from conftest import UTC, at


@pytest.fixture
def two(engine):
    engine.upsert_customers([{"id": "c-1", "at": at(1)}, {"id": "c-2", "at": at(1)}])
    return engine


def test_record_event_with_every_argument(two):
    report = two.record_event(
        "c-1", scrm.kinds.PURCHASE, "WeChat", at(3, 12), direction="inbound", amount=199,
        target="c-2", properties={"sku": "tea-1", "qty": 2, "when": at(2)}, idempotency_key="order-1",
    )
    assert report == {"inserted": 1, "duplicates": 0}
    assert two.record_event("c-1", "purchase", "wechat", at(3, 12), idempotency_key="order-1") == {
        "inserted": 0, "duplicates": 1,
    }
    [event] = two.events_of("c-1")
    assert event == {
        "seq": 0, "customer": "c-1", "kind": "purchase", "channel": "wechat", "direction": "inbound",
        "at": at(3, 12), "amount": 199.0, "target": "c-2",
        "properties": {"sku": "tea-1", "qty": 2, "when": at(2)}, "idempotency_key": "order-1",
    }


def test_record_events_batch_and_aggregates(two):
    report = two.record_events([
        {"customer": "c-1", "kind": "message", "channel": "wechat", "direction": "outbound", "at": at(2, 9)},
        {"customer": "c-1", "kind": "view", "channel": "wechat", "at": at(2, 10)},
        {"customer": "c-1", "kind": "purchase", "channel": "app", "at": at(3), "amount": 50.5},
    ])
    assert report == {"inserted": 3, "duplicates": 0}
    activity = two.customer("c-1")["activity"]
    assert activity == {
        "first_seen": at(2, 10), "last_seen": at(3), "inbound": 2, "outbound": 1,
        "counts": {"message": 1, "purchase": 1, "view": 1}, "total_amount": 50.5,
    }
    assert [e["seq"] for e in two.events_of("c-1")] == [0, 1, 2]
    assert two.events_of("c-2") == []
    stats = two.stats()
    assert (stats["customers"], stats["merged"], stats["events"], stats["open_conflicts"]) == (2, 0, 3, 0)


@pytest.mark.parametrize(
    "event, field",
    [
        ({"customer": "c-404"}, "events[1].customer"),
        ({"amount": -5}, "events[1].amount"),
        ({"amount": "5"}, "events[1].amount"),
        ({"channel": "we chat"}, "events[1].channel"),
        ({"at": dt.datetime(2026, 6, 1)}, "events[1].at"),
        ({"at": None}, "events[1].at"),
        ({"direction": "sideways"}, "events[1].direction"),
        ({"target": "nobody"}, "events[1].target"),
        ({"properties": {"x": object()}}, "events[1].properties.x"),
        ({"colour": "red"}, "events[1].colour"),
    ],
)
def test_bad_events_name_the_field_and_change_nothing(two, event, field):
    good = {"customer": "c-1", "kind": "view", "channel": "app", "at": at(2)}
    with pytest.raises(scrm.ValidationError) as info:
        two.record_events([good, {**good, **event}])
    assert info.value.field == field
    assert two.stats()["events"] == 0


def test_record_event_fields_are_events_0(two):
    with pytest.raises(scrm.ValidationError) as info:
        two.record_event("c-1", "view", "app", dt.datetime(2026, 6, 1))
    assert info.value.field == "events[0].at"
    with pytest.raises(scrm.ValidationError) as info:
        two.record_event("c-1", "view", "app", at(1), direction="up")
    assert info.value.field == "events[0].direction"


def test_outbound_events_and_default_direction(two):
    two.record_event("c-1", "message", "sms", at(2), direction="outbound")
    two.record_event("c-1", "view", "app", at(2))
    assert [e["direction"] for e in two.events_of("c-1")] == ["outbound", "inbound"]


def test_events_of_unknown_customer(two):
    with pytest.raises(scrm.NotFoundError):
        two.events_of("nobody")


def test_non_utc_event_times_come_back_in_utc(two):
    tokyo = dt.timezone(dt.timedelta(hours=9))
    two.record_event("c-1", "view", "app", dt.datetime(2026, 6, 2, 9, tzinfo=tokyo))
    assert two.events_of("c-1")[0]["at"] == dt.datetime(2026, 6, 2, 0, tzinfo=UTC)
    assert two.events_of("c-1")[0]["at"].tzinfo is UTC
