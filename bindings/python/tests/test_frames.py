"""Tables in: upsert_customers_frame, record_events_frame and add_edges from a dict of columns,
a pandas or polars DataFrame or a pyarrow Table (the last three through the Arrow PyCapsule
interface; each library is skipped when it is not installed)."""

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


def test_pyarrow_tables(engine):
    pa = pytest.importorskip("pyarrow")
    customers = customers_table()
    customers["age"] = [34, 41, None]
    check_customers(engine, engine.upsert_customers_frame(pa.table(customers), identities=IDENTITIES))
    events = events_table()
    events["amount"] = [None, 99.5, None]
    check_events(engine, engine.record_events_frame(pa.table(events)))
    engine.add_edges(pa.table({"source": ["a", "b"], "target": ["b", "c"], "kind": ["follows"] * 2,
                               "weight": [2.0, None], "at": [at(1), None]}))
    assert [(e["target"], e["weight"], e["created_at"]) for e in engine.edges_of("a", "out")] == [
        ("b", 2.0, at(1))]
    assert engine.edges_of("b", "out")[0]["weight"] == 1.0, "a null weight takes the default"


def test_arrow_batches_slices_and_types(engine):
    pa = pytest.importorskip("pyarrow")
    first = pa.table({
        "id": pa.array(["x", "a", "b"], pa.string()),
        "at": pa.array([0, 1_780_272_000, 1_780_358_400], pa.timestamp("s", tz="Asia/Shanghai")),
        "level": pa.array([0, 7, None], pa.int8()),
        "points": pa.array([0, 2**40, 5], pa.uint64()),
        "ratio": pa.array([0.0, 0.5, float("nan")], pa.float32()),
        "vip": pa.array([False, True, None]),
        "tier": pa.array(["gold", "gold", "silver"]).dictionary_encode(),
        "interests": pa.array([[], ["tea", "travel"], None], pa.list_(pa.large_string())),
        "seen": pa.array([0, 1_780_272_000_000_000_123, None], pa.timestamp("ns", tz="UTC")),
    })
    second = pa.table({
        "id": pa.array(["c"], pa.string()),
        "at": pa.array([1_780_444_800], pa.timestamp("s", tz="Asia/Shanghai")),
        "level": pa.array([1], pa.int8()),
        "points": pa.array([6], pa.uint64()),
        "ratio": pa.array([1.0], pa.float32()),
        "vip": pa.array([True]),
        "tier": pa.array(["bronze"]).dictionary_encode(),
        "interests": pa.array([["art"]], pa.list_(pa.large_string())),
        "seen": pa.array([None], pa.timestamp("ns", tz="UTC")),
    })
    table = pa.concat_tables([first, second], promote_options="permissive").slice(1)
    assert table.num_rows == 3 and len(table.to_batches()) == 2
    engine.upsert_customers_frame(table)
    assert engine.stats()["customers"] == 3 and not engine.contains("x"), "the slice skips row 0"
    a, b, c = (engine.customer(i) for i in "abc")
    assert a["created_at"] == dt.datetime.fromtimestamp(1_780_272_000, UTC)
    assert a["attributes"] == {
        "level": 7, "points": 2**40, "ratio": 0.5, "vip": True, "tier": "gold",
        "interests": ["tea", "travel"],
        "seen": dt.datetime.fromtimestamp(1_780_272_000, UTC),
    }
    assert b["attributes"] == {"points": 5, "tier": "silver"}, "nulls and NaN set nothing"
    assert c["attributes"]["tier"] == "bronze" and c["attributes"]["interests"] == ["art"]


def test_arrow_cells_that_cannot_be_read_name_their_field(engine):
    pa = pytest.importorskip("pyarrow")
    cases = [
        (pa.table({"id": ["a"], "blob": pa.array([b"\x00"], pa.binary())}),
         "customers[0].attributes.blob", "not supported"),
        (pa.table({"id": ["a"], "big": pa.array([2**63], pa.uint64())}),
         "customers[0].attributes.big", "64-bit"),
        (pa.table({"id": ["a"], "at": pa.array([0], pa.timestamp("us"))}),
         "customers[0].at", "timezone"),
        (pa.table({"id": [1]}), "customers[0].id", "expected str, got int"),
        (pa.table({"id": ["a"], "anonymous": ["yes"]}), "customers[0].anonymous", "bool"),
    ]
    for table, field, reason in cases:
        with pytest.raises(scrm.ValidationError) as info:
            engine.upsert_customers_frame(table)
        assert info.value.field == field
        assert reason in str(info.value)
    with pytest.raises(scrm.ValidationError) as info:
        engine.record_events_frame(pa.table({"customer": ["a"], "kind": ["view"], "channel": ["app"],
                                             "at": [at(1)], "amount": ["ten"]}))
    assert info.value.field == "events[0].amount"
    assert engine.stats()["customers"] == 0


def test_a_pandas_index_is_not_a_column(engine):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["a", "b"], "city": ["Shanghai", "Beijing"]},
                         index=pd.Index([10, 20], name="row"))
    engine.upsert_customers_frame(frame)
    engine.upsert_customers_frame(frame.iloc[::-1].set_index("city", drop=False))
    assert engine.customer("a")["attributes"] == {"city": "Shanghai"}


def test_columns_pyarrow_cannot_convert_are_read_as_lists(engine):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"id": ["a", "b"], "code": [7, "x7"], "tags": [("u", "v"), ["w"]]})
    engine.upsert_customers_frame(frame)
    assert engine.customer("a")["attributes"] == {"code": 7, "tags": ["u", "v"]}
    assert engine.customer("b")["attributes"] == {"code": "x7", "tags": ["w"]}


def test_polars_categoricals_and_string_views(engine):
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({
        "customer": ["a", "b"],
        "kind": pl.Series(["view", "share"], dtype=pl.Categorical),
        "channel": ["wechat", "app"],
        "at": pl.Series([at(1), at(2)]).dt.convert_time_zone("Asia/Shanghai"),
        "topic": pl.Series(["a long topic name over twelve bytes", None]),
    })
    engine.upsert_customers_frame(pl.DataFrame({"id": ["a", "b"]}))
    assert engine.record_events_frame(frame)["inserted"] == 2
    [view] = engine.events_of("a")
    assert (view["kind"], view["at"], view["properties"]) == (
        "view", at(1), {"topic": "a long topic name over twelve bytes"})
    assert engine.events_of("b")[0]["kind"] == "share"
