"""Table results through the Arrow PyCapsule interface: pyarrow, polars, pandas and DuckDB read
them without a Python object per row, with the same values as the dicts of lists (to_dict())."""

import datetime as dt
import gc
import threading

import pytest

import scrm
from conftest import UTC, at


@pytest.fixture
def filled(engine):
    """Three customers with scores, two tagged vip, one with a points ledger that has nulls."""
    engine.upsert_customers([{"id": i, "at": at(1)} for i in ("ann", "bo", "cai")])
    engine.tag_customers(["ann", "cai"], ["vip"])
    engine.record_events([
        {"customer": "ann", "kind": "purchase", "channel": "app", "at": at(2), "amount": 10.0},
        {"customer": "bo", "kind": "view", "channel": "app", "at": at(3)},
    ])
    engine.adjust_points("ann", 100, "goodwill")  # no programme, referral, offsets or expiry
    engine.redeem_points("ann", 30, "voucher")  # offsets the adjustment
    return engine


def test_the_table_api(filled):
    page = filled.query("tag:vip")
    assert isinstance(page, scrm.Table)
    assert len(page) == 2 and page.columns == ["ids"]
    assert page["ids"] == ["ann", "cai"] and page["total"] == 2
    assert page.to_dict() == {"ids": ["ann", "cai"], "total": 2}
    with pytest.raises(KeyError):
        page["nope"]
    assert repr(page) == "<scrm.Table 2 rows; ids: string; total=2>"
    html = filled.query("tag:vip", limit=1)._repr_html_()
    assert "<th>ids</th>" in html and "<td>ann</td>" in html and "cai" not in html
    assert "total=2" in html
    assert scrm.Table[dict] is not None  # usable in annotations


def test_pyarrow_reads_every_type(filled):
    pa = pytest.importorskip("pyarrow")
    ledger = filled.ledger("ann")
    arrow = pa.table(ledger)
    assert arrow.column_names == ledger.columns
    types = dict(zip(arrow.column_names, arrow.schema.types))
    assert types["id"] == pa.uint64() and types["points"] == pa.int64()
    assert types["customer"] == pa.string() and types["kind"] == pa.string()
    assert types["at"] == pa.timestamp("us", tz="UTC")
    assert arrow.schema.field("expires_at").nullable and not arrow.schema.field("at").nullable
    assert arrow.to_pydict() == ledger.to_dict()
    assert arrow.column("offsets").null_count == 1 and arrow.column("programme").null_count == 2
    assert arrow.column("kind").to_pylist() == ["adjust", "redeem"]
    rfm = pa.table(filled.rfm())
    assert rfm.schema.field("r").type == pa.uint8()
    assert rfm.to_pydict() == filled.rfm().to_dict()
    communities = pa.table(filled.communities())
    assert communities.schema.field("communities").type == pa.uint32()


def test_every_table_result_round_trips_through_arrow(filled):
    pa = pytest.importorskip("pyarrow")
    results = [filled.scores(), filled.rfm(), filled.pagerank(), filled.influencers(2),
               filled.advocates(2), filled.communities(), filled.strongly_connected_components(),
               filled.query("tag:vip"), filled.ledger("ann"), filled.referral_leaderboard(3)]
    for table in results:
        arrow = pa.table(table)
        expected = {k: v for k, v in table.to_dict().items() if k in table.columns}
        assert arrow.to_pydict() == expected, repr(table)
        assert arrow.num_rows == len(table)


def test_timestamps_are_utc_aware(engine):
    pa = pytest.importorskip("pyarrow")
    engine.enable_ladder("commercial")
    engine.upsert_customer("bo", at=at(1))
    engine.record_event("bo", "purchase", "app", at(2), amount=5.0)
    moved = engine.moved("commercial", "prospect", "customer", at(1), at(30, 1))
    [when] = moved["at"]
    assert when.tzinfo is not None and when.utcoffset() == dt.timedelta(0)
    column = pa.table(moved).column("at")
    assert column.type == pa.timestamp("us", tz="UTC")
    assert column.to_pylist() == [when]
    pd = pytest.importorskip("pandas")
    frame = moved.to_pandas()
    assert str(frame["at"].dtype) == "datetime64[us, UTC]"
    assert frame["at"][0] == pd.Timestamp(when)


def test_pandas(filled):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    scores = filled.scores()
    frame = scores.to_pandas()
    assert list(frame.columns) == ["ids", "scores"] and len(frame) == 3
    assert frame["ids"].tolist() == scores["ids"] and frame["scores"].tolist() == scores["scores"]
    ledger = filled.ledger("ann").to_pandas()
    assert ledger["programme"].isna().all() and ledger["offsets"].isna().tolist() == [True, False]
    if hasattr(pd.DataFrame, "from_arrow"):  # pandas 3
        assert pd.DataFrame.from_arrow(scores)["ids"].tolist() == scores["ids"]


def test_polars(filled):
    pl = pytest.importorskip("polars")
    ledger = filled.ledger("ann")
    frame = pl.DataFrame(ledger)
    assert frame.columns == ledger.columns
    assert frame.to_dict(as_series=False) == ledger.to_dict()
    assert frame.schema["at"] == pl.Datetime("us", "UTC")
    assert ledger.to_polars().equals(frame)


def test_duckdb(filled):
    duckdb = pytest.importorskip("duckdb")
    scores = filled.scores()  # noqa: F841 - read by name in the query
    rows = duckdb.sql("select ids, scores from scores order by ids").fetchall()
    assert rows == sorted(zip(filled.scores()["ids"], filled.scores()["scores"]))


def test_empty_tables_keep_their_columns(engine):
    pa = pytest.importorskip("pyarrow")
    empty = engine.query("tag:nobody")
    assert len(empty) == 0 and empty.to_dict() == {"ids": [], "total": 0}
    arrow = pa.table(empty)
    assert arrow.num_rows == 0 and arrow.schema.field("ids").type == pa.string()
    board = pa.table(engine.referral_leaderboard(5))
    assert board.column_names == ["customer", "referrals", "converted", "points"]
    assert engine.scores().to_pandas().shape == (0, 2)


def test_missing_libraries_raise_a_clear_import_error(engine, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_polars(name, *args, **kwargs):
        if name == "polars":
            raise ImportError("no polars here")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_polars)
    with pytest.raises(ImportError, match=r"Table.to_polars\(\) needs polars: pip install polars"):
        engine.scores().to_polars()


def test_capsules_consumed_twice_or_never_neither_crash_nor_leak(filled):
    pa = pytest.importorskip("pyarrow")
    table = filled.scores()
    assert table._exports == 0
    capsule = table.__arrow_c_stream__()
    assert table._exports == 1
    reader = pa.RecordBatchReader._import_from_c_capsule(capsule)
    with pytest.raises(Exception):  # the capsule's stream was moved out: released
        pa.RecordBatchReader._import_from_c_capsule(capsule)
    assert reader.read_all().to_pydict() == table.to_dict()
    del reader, capsule
    gc.collect()
    assert table._exports == 0
    # Never consumed: the capsule's destructor releases what it holds.
    schema, array = table.__arrow_c_array__()
    stream = table.__arrow_c_stream__()
    table.__arrow_c_schema__()
    assert table._exports > 1  # the stream, and the array with each of its children
    del schema, array, stream
    gc.collect()
    assert table._exports == 0
    # An imported table shares the buffers until it is dropped.
    arrow = pa.table(table)
    assert table._exports >= 1
    del arrow
    gc.collect()
    assert table._exports == 0


def test_array_capsules(filled):
    pa = pytest.importorskip("pyarrow")
    table = filled.query("tag:vip")
    batch = pa.record_batch(table)
    assert batch.to_pydict() == {"ids": ["ann", "cai"]}
    schema = pa.schema(table)
    assert schema.names == ["ids"]


def test_one_table_read_by_many_threads(engine):
    pa = pytest.importorskip("pyarrow")
    engine.upsert_customers([{"id": f"c{i}", "at": at(1)} for i in range(2000)])
    table = engine.scores()
    expected = table.to_dict()
    errors, start = [], threading.Barrier(8)

    def work():
        try:
            start.wait()
            for _ in range(50):
                assert pa.table(table).to_pydict() == expected
                assert table["ids"][-1] == "c1999"
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    gc.collect()
    assert table._exports == 0


def test_a_table_outlives_its_engine():
    pa = pytest.importorskip("pyarrow")
    with scrm.Engine() as e:
        e.upsert_customer("a", at=dt.datetime(2026, 1, 1, tzinfo=UTC))
        capsule = e.scores().__arrow_c_stream__()
    assert pa.RecordBatchReader._import_from_c_capsule(capsule).read_all().column("ids").to_pylist() == ["a"]
