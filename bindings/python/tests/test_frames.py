"""Tables in: upsert_customers_frame and record_events_frame from a dict of columns, a pandas
DataFrame, or a polars DataFrame (skipped when the library is not installed)."""

import datetime as dt
import math

import pytest

import scrm
from conftest import UTC, at


def customers_table():
    return {
        "id": ["a", "b", "c"],
        "at": [at(1), at(1), at(2)],
        "anonymous": [False, None, True],
        "city": ["Shanghai", None, "Chengdu"],
        "age": [34, 41, float("nan")],
        "phone": ["+8613800000001", None, "+8613800000003"],
        "openid": [None, "o6_b", None],
    }


def events_table():
    return {
        "customer": ["a", "a", "b"],
        "kind": ["view", "purchase", "message"],
        "channel": ["wechat", "app", "wechat"],
        "at": [at(3), at(4), at(5)],
        "direction": [None, "inbound", "outbound"],
        "amount": [float("nan"), 99.5, None],
        "idempotency_key": [None, "order-1", None],
        "article": ["tea", None, None],
    }


def check_customers(engine, outcomes):
    assert [o["id"] for o in outcomes] == ["a", "b", "c"]
    a, b, c = (engine.customer(i) for i in "abc")
    assert a["attributes"] == {"city": "Shanghai", "age": 34}
    assert b["attributes"] == {"age": 41}, "missing cells set nothing"
    assert c["attributes"] == {"city": "Chengdu"} and c["anonymous"] is True
    assert a["identities"] == [{"channel": "phone", "value": "+8613800000001"}]
    assert b["identities"] == [{"channel": "wechat_openid", "value": "o6_b"}]
    assert c["created_at"] == at(2)


def check_events(engine, report):
    assert report == {"inserted": 3, "duplicates": 0}
    view, purchase = engine.events_of("a")
    assert view["properties"] == {"article": "tea"} and view["amount"] is None
    assert purchase["amount"] == 99.5 and purchase["idempotency_key"] == "order-1"
    assert engine.events_of("b")[0]["direction"] == "outbound"


IDENTITIES = {"phone": "phone", "openid": "wechat_openid"}


def test_dict_of_columns(engine):
    check_customers(engine, engine.upsert_customers_frame(customers_table(), identities=IDENTITIES))
    check_events(engine, engine.record_events_frame(events_table()))


def test_identity_columns_as_a_list_of_channels(engine):
    engine.upsert_customers_frame({"id": ["a"], "email": ["A@x.cn"]}, identities=["email"])
    assert engine.lookup_identity("email", "a@x.cn") == "a"


def test_table_errors_name_the_row_and_field(engine):
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame({"id": ["a", None]})
    assert info.value.field == "customers[1].id"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame({"id": ["a", "b"], "2nd": [1, 2]})
    assert info.value.field == "customers[0].attributes.2nd"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame({"id": ["a", "b"], "x": [1]})
    assert info.value.field == "customers.x"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame({"id": ["a"]}, identities={"phone": "phone"})
    assert info.value.field == "identities"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame({"id": ["a"], "attributes": [{}]})
    assert info.value.field == "customers.attributes"
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame(["a", "b"])
    assert info.value.field == "customers"
    table = events_table()
    table["at"][2] = dt.datetime(2026, 6, 5)
    with pytest.raises(scrm.ValidationError) as info:
        engine.record_events_frame(table)
    assert info.value.field == "events[2].at"
    assert (engine.stats()["customers"], engine.stats()["events"]) == (0, 0)


def test_an_empty_table_does_nothing(engine):
    assert engine.upsert_customers_frame({"id": []}) == []
    assert engine.record_events_frame({}) == {"inserted": 0, "duplicates": 0}


def test_pandas_dataframes(engine):
    pd = pytest.importorskip("pandas")
    customers = pd.DataFrame(customers_table())
    customers["at"] = pd.to_datetime(customers["at"], utc=True)
    check_customers(engine, engine.upsert_customers_frame(customers, identities=IDENTITIES))
    events = pd.DataFrame(events_table())
    events["at"] = pd.to_datetime(events["at"], utc=True)
    check_events(engine, engine.record_events_frame(events))


def test_pandas_naive_timestamps_are_rejected(engine):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["a"], "at": pd.to_datetime(["2026-06-01"])})
    with pytest.raises(scrm.ValidationError) as info:
        engine.upsert_customers_frame(frame)
    assert info.value.field == "customers[0].at"


def test_pandas_missing_timestamps_and_numpy_values(engine):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "id": ["a", "b"],
        "at": pd.to_datetime([at(1), None], utc=True),
        "score": [1.5, 2.5],
        "visits": [3, 4],
        "vip": [True, False],
        "born": pd.to_datetime([dt.datetime(1990, 1, 1, tzinfo=UTC), None], utc=True),
    })
    engine.upsert_customers_frame(frame)
    a, b = engine.customer("a"), engine.customer("b")
    assert a["created_at"] == at(1)
    assert a["attributes"] == {"score": 1.5, "visits": 3, "vip": True, "born": dt.datetime(1990, 1, 1, tzinfo=UTC)}
    assert b["attributes"] == {"score": 2.5, "visits": 4, "vip": False}
    assert type(a["attributes"]["visits"]) is int and type(a["attributes"]["vip"]) is bool
    assert not math.isnan(a["attributes"]["score"])


def test_polars_dataframes(engine):
    pl = pytest.importorskip("polars")
    check_customers(engine, engine.upsert_customers_frame(pl.DataFrame(customers_table(), strict=False), identities=IDENTITIES))
    check_events(engine, engine.record_events_frame(pl.DataFrame(events_table(), strict=False)))
