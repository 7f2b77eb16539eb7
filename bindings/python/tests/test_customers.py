"""Customers and identities: upserts (one and batch), reads, lookups, and input conversion."""

import datetime as dt

import pytest

import scrm
from conftest import UTC, at


def test_upsert_creates_then_updates(engine):
    created = engine.upsert_customer("c-1", attributes={"city": "Shanghai"}, at=at(1))
    assert created == {"id": "c-1", "created": True, "merged": [], "conflicts": []}
    updated = engine.upsert_customer("c-1", attributes={"city": "Beijing"}, at=at(2))
    assert updated["created"] is False
    assert engine.customer("c-1")["attributes"] == {"city": "Beijing"}


def test_customer_has_every_field(engine):
    engine.upsert_customer("c-1", at=at(1), identities=[("email", " Li@Example.com")])
    c = engine.customer("c-1")
    assert set(c) == {
        "id", "index", "anonymous", "attributes", "identities", "tags", "merged_ids",
        "created_at", "updated_at", "activity",
    }
    assert c["index"] == 0 and c["anonymous"] is False
    assert c["identities"] == [{"channel": "email", "value": "li@example.com"}]
    assert c["created_at"] == at(1) and c["created_at"].tzinfo is UTC
    assert c["activity"] == {
        "first_seen": None, "last_seen": None, "inbound": 0, "outbound": 0, "counts": {},
        "total_amount": 0.0,
    }


def test_attribute_types_round_trip(engine):
    birthday = dt.datetime(1995, 5, 4, 12, 30, 15, 250000, tzinfo=UTC)
    values = {
        "city": "上海", "age": 31, "score": 4.5, "vip": True, "birthday": birthday,
        "interests": ["travel", "tea"], "empty": [], "big": 2**63 - 1,
    }
    engine.upsert_customer("c-1", attributes=values, at=at(1))
    got = engine.customer("c-1")["attributes"]
    assert got == values
    assert type(got["vip"]) is bool and type(got["age"]) is int and type(got["score"]) is float
    # Tuples are lists of strings too.
    engine.upsert_customer("c-1", attributes={"interests": ("a", "b")}, at=at(2))
    assert engine.customer("c-1")["attributes"]["interests"] == ["a", "b"]


def test_remove_attributes_and_anonymous(engine):
    engine.upsert_customer("v-1", anonymous=True, attributes={"a": 1, "b": 2}, at=at(1))
    assert engine.customer("v-1")["anonymous"] is True
    engine.upsert_customer("v-1", remove_attributes=["a"], at=at(2))
    c = engine.customer("v-1")
    assert c["attributes"] == {"b": 2} and c["anonymous"] is True, "None keeps the flag"
    engine.upsert_customer("v-1", anonymous=False, at=at(3))
    assert engine.customer("v-1")["anonymous"] is False


def test_at_defaults_to_the_engine_clock_and_accepts_any_timezone(engine):
    engine.upsert_customer("c-1")
    assert engine.customer("c-1")["created_at"] == engine.now()
    beijing = dt.timezone(dt.timedelta(hours=8))
    engine.upsert_customer("c-2", at=dt.datetime(2026, 6, 1, 8, tzinfo=beijing))
    assert engine.customer("c-2")["created_at"] == at(1)


def test_zoneinfo_timezones_are_converted(engine):
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database")
    engine.upsert_customer("c-1", at=dt.datetime(2026, 6, 1, 8, tzinfo=shanghai))
    assert engine.customer("c-1")["created_at"] == at(1)


def test_naive_datetimes_are_rejected(engine):
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customer("c-1", at=dt.datetime(2026, 6, 1))
    assert info.value.field == "customer.at"
    assert "naive" in str(info.value)
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customer("c-1", attributes={"born": dt.datetime(1990, 1, 1)})
    assert info.value.field == "customer.attributes.born"
    assert not engine.contains("c-1")


def test_times_outside_the_range_are_rejected(engine):
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customer("c-1", at=dt.datetime(1899, 12, 31, tzinfo=UTC))
    assert info.value.field == "customer.at"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"attributes": {"x": None}}, "customer.attributes.x"),
        ({"attributes": {"x": {"nested": 1}}}, "customer.attributes.x"),
        ({"attributes": {"x": [1, 2]}}, "customer.attributes.x[0]"),
        ({"attributes": {"x": 2**64}}, "customer.attributes.x"),
        ({"attributes": ["not", "a", "dict"]}, "customer.attributes"),
        ({"attributes": {"2nd": 1}}, "customer.attributes.2nd"),
        ({"at": "2026-06-01T00:00:00Z"}, "customer.at"),
        ({"anonymous": "yes"}, "customer.anonymous"),
        ({"remove_attributes": "city"}, "customer.remove_attributes"),
        ({"identities": [("email",)]}, "customer.identities[0]"),
        ({"identities": [{"channel": "email"}]}, "customer.identities[0].value"),
        ({"identities": [{"channel": "email", "value": "a@b.c", "extra": 1}]}, "customer.identities[0].extra"),
        ({"identities": [("email", 5)]}, "customer.identities[0].value"),
        ({"identities": [("phone", "")]}, "customer.identities[0].value"),
    ],
)
def test_bad_input_names_the_field(engine, kwargs, field):
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customer("c-1", **kwargs)
    assert info.value.field == field
    assert info.value.code == "VALIDATION"


def test_bad_id_is_a_validation_error(engine):
    for bad in ("", "x" * 257, 5):
        with pytest.raises(scrm.ValidationError) as info:
            engine.upsert_customer(bad)
        assert info.value.field == "customer.id"


def test_upsert_customers_is_atomic(engine):
    outcomes = engine.upsert_customers([
        {"id": "a", "at": at(1), "identities": [{"channel": "phone", "value": "+8613800000001"}]},
        {"id": "b", "at": at(1), "anonymous": True, "attributes": {"city": "Xi'an"}},
    ])
    assert [o["id"] for o in outcomes] == ["a", "b"]
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers([{"id": "c", "at": at(2)}, {"id": "d", "identities": [("email", "nope")]}])
    assert info.value.field == "customers[1].identities[0].value"
    assert not engine.contains("c"), "nothing of a failed batch is applied"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers([{"id": "c", "city": "Xi'an"}])
    assert info.value.field == "customers[0].city"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers(["c"])
    assert info.value.field == "customers[0]"
    with pytest.raises(scrm.ValidationError):
        engine.upsert_customers({"id": "c"})
    # Any iterable of dicts works, and None values count as absent.
    assert engine.upsert_customers(iter([{"id": "e", "anonymous": None, "at": None}]))[0]["created"]


def test_contains_customer_ids_and_lookup(engine):
    engine.upsert_customer("m-1", identities=[("phone", "+86 138 0013 8000")], at=at(1))
    engine.upsert_customer("wx-1", anonymous=True, identities=[("wechat_openid", "o6_abc")], at=at(2))
    assert engine.customer_ids() == ["m-1", "wx-1"]
    assert engine.contains("m-1") and not engine.contains("nobody")
    assert engine.lookup_identity("phone", "0086 138-0013-8000") == "m-1"
    assert engine.lookup_identity("wechat_openid", "o6_ABC") is None, "openids are case-sensitive"
    with pytest.raises(scrm.ValidationError) as info:
        engine.lookup_identity("we chat", "x")
    assert info.value.field == "identity.channel"


def test_customer_not_found(engine):
    with pytest.raises(scrm.NotFoundError) as info:
        engine.customer("nobody")
    assert info.value.code == "NOT_FOUND"
    assert str(info.value) == "customer not found: nobody"


def test_plain_arguments_of_the_wrong_type_raise_type_error(engine):
    with pytest.raises(TypeError):
        engine.customer(5)
    with pytest.raises(TypeError):
        engine.tag_customers("abc", ["vip"])
