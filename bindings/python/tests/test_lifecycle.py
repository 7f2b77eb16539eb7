"""Lifecycle through the binding: engagement scores and RFM, stage ladders (built-in and
custom) with their moves and time per stage, the churn model (summaries, fit, table), the
lifecycle measures, the segment predicates that read them, the errors of each kind, and
pandas round trips of the columnar results."""

import datetime as dt
import math
import random

import pytest

import scrm
from conftest import UTC, at

T0 = dt.datetime(2026, 1, 1, tzinfo=UTC)
DAY = dt.timedelta(days=1)


@pytest.fixture
def engine():
    """An engine with its clock at 2026-01-01T00:00Z."""
    with scrm.Engine() as e:
        e.set_clock(T0)
        yield e


def event(customer, kind, when, **extra):
    return {"customer": customer, "kind": kind, "channel": "app", "at": when, **extra}


def buyers(engine, n=200, seed=7):
    """Buyers purchasing as BG/NBD assumes (a Poisson process until they drop out), over a
    year from T0; the clock is left at the year's end."""
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(n)]
    engine.upsert_customers([{"id": i, "at": T0} for i in ids])
    events = []
    for i in ids:
        rate, dropout, level = 0.01 + 0.1 * rng.random() * rng.random(), 0.05 + 0.4 * rng.random(), 10 + 190 * rng.random()
        day = 300 * rng.random()
        while day < 365:
            events.append(event(i, scrm.kinds.PURCHASE, T0 + dt.timedelta(minutes=int(day * 1440)),
                                amount=level * (0.5 + rng.random())))
            if rng.random() < dropout:
                break
            day += -math.log(rng.random()) / rate
    end = T0 + dt.timedelta(days=365)
    engine.set_clock(end)
    engine.record_events(events)
    return end


# --- engagement scores and RFM ------------------------------------------------------------


def test_the_default_scoring_is_the_cores(engine):
    config = engine.scoring()
    assert config["half_life_days"] == 30.0
    weights = {(w["kind"], w["direction"]): w["weight"] for w in config["weights"]}
    assert weights[("share", "inbound")] == 5.0 and weights[("purchase", "inbound")] == 10.0


def test_scores_decay_and_round_trip_the_config(engine):
    engine.set_clock(T0 + dt.timedelta(days=30))
    engine.set_scoring(weights=[("share", 5.0), {"kind": "view", "weight": 1.0, "direction": "outbound"}],
                       half_life_days=30.0)
    engine.upsert_customers([{"id": "ann", "at": T0}, {"id": "bo", "at": T0}])
    engine.record_events([event("ann", scrm.kinds.SHARE, T0),
                          event("bo", scrm.kinds.VIEW, T0 + dt.timedelta(days=30), direction="outbound")])
    assert engine.score("ann") == pytest.approx(2.5)  # one half-life ago
    assert engine.score("bo") == pytest.approx(1.0)
    assert engine.scores().to_dict() == {"ids": ["ann", "bo"], "scores": [pytest.approx(2.5), pytest.approx(1.0)]}
    assert engine.count("score > 2") == 1
    config = engine.scoring()
    assert config["weights"][1] == {"kind": "view", "direction": "outbound", "weight": 1.0}
    engine.set_scoring(**config)
    assert engine.scoring() == config
    engine.set_scoring()  # None everywhere: the core's default
    assert engine.scoring()["half_life_days"] == 30.0 and len(engine.scoring()["weights"]) == 9


@pytest.mark.parametrize("kwargs, field", [
    ({"weights": [("share", float("nan"))]}, "scoring.weights[0].weight"),
    ({"weights": [("view", 1.0), ("share", -1.0)]}, "scoring.weights[1].weight"),
    ({"half_life_days": 0.0}, "scoring.half_life_days"),
    ({"weights": [("share", "much")]}, "scoring.weights[0].weight"),
    ({"weights": [{"kind": "share", "weight": 1.0, "colour": "red"}]}, "scoring.weights[0].colour"),
    ({"weights": [("share", 1.0, "sideways")]}, "scoring.weights[0].direction"),
    ({"weights": "share"}, "scoring.weights"),
])
def test_bad_scoring_raises_validation_errors(engine, kwargs, field):
    with pytest.raises(scrm.ValidationError) as info:
        engine.set_scoring(**kwargs)
    assert info.value.field == field
    assert engine.scoring()["half_life_days"] == 30.0  # unchanged


def test_score_of_an_unknown_customer(engine):
    with pytest.raises(scrm.NotFoundError):
        engine.score("nobody")


def test_rfm_names_segments_and_feeds_predicates(engine):
    engine.set_clock(T0 + dt.timedelta(days=100))
    ids = [f"b{i}" for i in range(10)]
    engine.upsert_customers([{"id": i, "at": T0} for i in ids])
    events = []
    for i, who in enumerate(ids):
        for k in range(i + 1):
            events.append(event(who, scrm.kinds.PURCHASE, T0 + dt.timedelta(days=10 + 9 * i, hours=k),
                                amount=10.0 * (i + 1)))
    engine.record_events(events)
    table = engine.rfm()
    assert set(table.columns) == {"ids", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"}
    assert sorted(table["ids"]) == sorted(ids)
    assert all(isinstance(v, int) and 1 <= v <= 5 for col in ("r", "f", "m") for v in table[col])
    row = table["ids"].index("b9")
    assert table["frequency"][row] == 10 and table["segment"][row] == "champions"
    assert engine.count("rfm = champions") == table["segment"].count("champions")


# --- ladders ------------------------------------------------------------------------------


def test_built_in_ladders_are_off_until_enabled(engine):
    assert engine.ladders() == []
    with pytest.raises(scrm.NotFoundError):
        engine.stage("x", "brand")
    with pytest.raises(scrm.NotFoundError) as info:
        engine.enable_ladder("loyalty")
    assert info.value.code == "NOT_FOUND"
    brand = engine.enable_ladder("brand")
    assert brand == {"name": "brand", "stages": ["unaware", "follower", "interactor", "advocate"],
                     "rules": brand["rules"], "built_in": True, "counts": [0, 0, 0, 0]}
    assert brand["rules"][0] == ""
    commercial = engine.enable_ladder("commercial")
    assert commercial["stages"] == ["prospect", "customer", "member", "fan"]
    assert [l["name"] for l in engine.ladders()] == ["brand", "commercial"]


def test_built_in_ladders_place_customers_and_record_moves(engine):
    engine.enable_ladder("brand")
    engine.enable_ladder("commercial")
    engine.upsert_customer("ann", identities=[("wechat_openid", "o-ann")])
    engine.upsert_customer("bo")
    assert engine.stage("ann", "brand") == "follower"
    assert engine.stage("bo", "commercial") == "prospect"
    engine.set_clock(T0 + 2 * DAY)
    engine.record_events([event("bo", scrm.kinds.PURCHASE, T0, amount=10.0),
                          event("bo", scrm.kinds.COMMENT, T0)])
    assert engine.stage("bo", "brand") == "interactor"
    assert engine.count("stage(brand) >= follower") == 2
    engine.set_clock(T0 + 5 * DAY)
    engine.upsert_customer("bo", attributes={"member": True})
    assert engine.stage("bo", "commercial") == "member"
    history = engine.stage_history("bo", "commercial")
    assert [(m["from"], m["to"]) for m in history] == [("prospect", "customer"), ("customer", "member")]
    assert history[1] == {"customer": "bo", "from": "customer", "to": "member", "at": T0 + 5 * DAY}
    engine.set_clock(T0 + 10 * DAY)
    times = engine.time_in_stages("bo", "commercial")
    day = 86_400.0
    assert times.to_dict() == {"stages": ["prospect", "customer", "member", "fan"],
                     "seconds": [2 * day, 3 * day, 5 * day, 0.0]}
    moved = engine.moved("commercial", "prospect", "customer", T0, T0 + 3 * DAY)
    assert moved.to_dict() == {"ids": ["bo"], "at": [T0 + 2 * DAY]}
    assert engine.moved("commercial", "prospect", "customer", T0, T0 + DAY).to_dict() == {"ids": [], "at": []}
    assert engine.ladders()[1]["counts"] == [1, 0, 1, 0]
    with pytest.raises(scrm.ValidationError) as info:
        engine.moved("commercial", "prospect", "vip", T0, T0)
    assert info.value.field == "to"
    with pytest.raises(scrm.ValidationError) as info:
        engine.moved("commercial", "prospect", "customer", T0.replace(tzinfo=None), T0)
    assert info.value.field == "since"
    with pytest.raises(scrm.NotFoundError):
        engine.stage_history("bo", "nope")
    with pytest.raises(scrm.NotFoundError):
        engine.time_in_stages("nobody", "commercial")


def test_custom_ladders_in_every_stage_form(engine):
    info = engine.define_ladder("loyalty", ["basic", ("silver", "tag:silver"),
                                            {"name": "gold", "rule": "tag:gold"}])
    assert info == {"name": "loyalty", "stages": ["basic", "silver", "gold"],
                    "rules": ["", "tag:silver", "tag:gold"], "built_in": False, "counts": [0, 0, 0]}
    engine.upsert_customer("c-1")
    engine.tag_customers(["c-1"], ["gold"])
    assert engine.stage("c-1", "loyalty") == "gold"
    assert engine.count("stage(loyalty) >= silver") == 1
    again = engine.define_ladder(info["name"], zip(info["stages"], info["rules"]))
    assert again["counts"] == [0, 0, 1]


def test_bad_ladders(engine):
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        engine.define_ladder("loyalty", [("basic", ""), ("silver", "tag:silver and and")])
    assert info.value.line == 1 and info.value.column is not None
    assert "silver" in str(info.value)
    with pytest.raises(scrm.ValidationError) as info:
        engine.define_ladder("loyalty", [("basic", ""), ("basic", "tag:x")])
    assert info.value.field.startswith("stages[1]")
    with pytest.raises(scrm.ValidationError) as info:
        engine.define_ladder("loyalty", [("basic", ""), ("silver", 3)])
    assert info.value.field == "stages[1].rule"
    with pytest.raises(scrm.ValidationError) as info:
        engine.define_ladder("loyalty", "basic")
    assert info.value.field == "stages"
    assert engine.ladders() == []


# --- the churn model ----------------------------------------------------------------------


def test_the_churn_model_is_fitted_stored_and_read(engine):
    end = buyers(engine)
    with pytest.raises(scrm.NotFoundError):
        engine.churn_table(30.0)
    assert engine.churn_model() is None
    summaries = engine.purchase_summaries(end, DAY)
    assert set(summaries.columns) == {"ids", "frequency", "recency", "t", "monetary"}
    assert len(summaries["ids"]) == 200 and all(t <= 365.0 for t in summaries["t"])
    assert engine.purchase_summaries(end, 1).to_dict() == summaries.to_dict()  # a number of days
    weeks = engine.purchase_summaries(end, dt.timedelta(weeks=1))
    assert max(weeks["t"]) <= 365 / 7 + 1e-9
    model = engine.fit_churn_model(end, DAY)
    assert model["customers"] == 200 and model["calibration_end"] == end
    assert model["period_micros"] == 86_400_000_000
    assert (model["clv_periods"], model["discount_rate"]) == (12, 0.01)  # the core's defaults
    assert set(model["purchases"]) == {"r", "alpha", "a", "b"} and set(model["spend"]) == {"p", "q", "v"}
    assert engine.churn_model() == model
    table = engine.churn_table(30.0)
    assert set(table.columns) == {"ids", "p_alive", "expected_purchases", "clv"}
    assert len(table["ids"]) == 200
    assert all(0.0 <= p <= 1.0 for p in table["p_alive"])
    assert engine.count("p_alive < 0.3") == sum(p < 0.3 for p in table["p_alive"])
    assert engine.count("clv > 1000") == sum(c > 1000 for c in table["clv"])
    other = engine.fit_churn_model(end, DAY, penalizer=0.01, clv_periods=6, discount_rate=0.0)
    assert (other["clv_periods"], other["discount_rate"]) == (6, 0.0)
    assert other["purchases"] != model["purchases"]


def test_churn_errors(engine):
    end = buyers(engine)
    with pytest.raises(scrm.ValidationError) as info:
        engine.purchase_summaries(T0 - DAY, DAY)
    assert info.value.field == "calibration_end"
    with pytest.raises(scrm.ValidationError) as info:
        engine.fit_churn_model(T0 - DAY, DAY)
    assert info.value.field == "calibration_end"
    for period in (dt.timedelta(0), 0, -1.0):
        with pytest.raises(scrm.ValidationError) as info:
            engine.purchase_summaries(end, period)
        assert info.value.field == "period"
    for period in ("1d", True, float("nan"), None):
        with pytest.raises(scrm.ValidationError) as info:
            engine.purchase_summaries(end, period)
        assert info.value.field == "period"
    with pytest.raises(scrm.ValidationError) as info:
        engine.purchase_summaries(end.replace(tzinfo=None), DAY)
    assert info.value.field == "calibration_end"
    with pytest.raises(scrm.ValidationError) as info:
        engine.fit_churn_model(end, DAY, discount_rate=-1.0)
    assert info.value.field == "options.discount_rate"
    engine.fit_churn_model(end, DAY)
    with pytest.raises(scrm.ValidationError) as info:
        engine.churn_table(float("nan"))
    assert info.value.field == "periods"


# --- measurement --------------------------------------------------------------------------


def test_funnel_activity_entries_and_cohorts(engine):
    engine.enable_ladder("commercial")
    engine.upsert_customers([{"id": "ann", "at": T0}, {"id": "bo", "at": T0}])
    engine.record_events([event("ann", scrm.kinds.PURCHASE, T0, amount=5.0),
                          event("bo", scrm.kinds.VIEW, T0 + 35 * DAY)])
    engine.set_clock(T0 + 40 * DAY)
    funnel = engine.funnel("commercial", T0, T0 + 41 * DAY)
    assert funnel["stages"] == ["prospect", "customer", "member", "fan"]
    assert funnel["customers"] == [1, 1, 0, 0] and funnel["reached"] == [2, 1, 0, 0]
    assert funnel["entered"] == [0, 1, 0, 0]
    assert funnel["conversion"] == [0.5, 0.0, 0.0]
    with pytest.raises(scrm.NotFoundError):
        engine.funnel("nope", T0, T0 + DAY)
    rate = engine.activity_rate("score >= 0", 7)
    assert rate == {"members": 2, "active": 1, "rate": 0.5}
    with pytest.raises(scrm.ValidationError) as info:
        engine.activity_rate("score >= 0", 0)
    assert info.value.field == "days"
    with pytest.raises(scrm.SegmentSyntaxError):
        engine.activity_rate("tag:", 7)
    entries = engine.entries_per_month("commercial", "customer")
    assert entries.to_dict() == {"months": ["2026-01"], "counts": [1]}
    with pytest.raises(scrm.ValidationError) as info:
        engine.entries_per_month("commercial", "vip")
    assert info.value.field == "stage"
    cohorts = engine.cohort_retention(2)
    assert cohorts["cohorts"] == ["2026-01", "2026-02"] and cohorts["sizes"] == [1, 1]
    assert cohorts["retention"][0][:2] == [1.0, 0.0] and math.isnan(cohorts["retention"][0][2])
    assert cohorts["retention"][1][0] == 1.0
    assert all(len(row) == 3 for row in cohorts["retention"])
    with pytest.raises(scrm.ValidationError) as info:
        engine.cohort_retention(241)
    assert info.value.field == "months"


# --- pandas -------------------------------------------------------------------------------


def test_pandas_round_trips(engine):
    pd = pytest.importorskip("pandas")
    end = buyers(engine)
    scores = engine.scores().to_pandas()
    assert list(scores.columns) == ["ids", "scores"] and len(scores) == 200
    rfm = engine.rfm().to_pandas()
    assert len(rfm) == 200 and rfm["r"].between(1, 5).all()
    assert set(rfm["segment"]) <= {"champions", "loyal", "potential_loyalists", "new", "at_risk",
                                   "cannot_lose", "hibernating", "lost"}
    summaries = engine.purchase_summaries(end, DAY).to_pandas().set_index("ids")
    assert (summaries["recency"] <= summaries["t"]).all()
    engine.fit_churn_model(end, DAY)
    churn = engine.churn_table(30.0).to_pandas().set_index("ids")
    assert len(churn) == 200 and churn["p_alive"].between(0, 1).all()
    assert list(churn.index) == list(summaries.index)
    engine.enable_ladder("commercial")
    moved = engine.moved("commercial", "prospect", "customer", T0, end + DAY).to_pandas()
    assert list(moved.columns) == ["ids", "at"]
    cohorts = pd.DataFrame(engine.cohort_retention(3))
    assert list(cohorts.columns) == ["cohorts", "sizes", "retention"]
    triangle = pd.DataFrame(engine.cohort_retention(3)["retention"], index=cohorts["cohorts"])
    assert triangle.shape == (len(cohorts), 4)
    assert len(engine.entries_per_month("commercial", "customer").to_pandas()) >= 1
    assert len(engine.time_in_stages("p0", "commercial").to_pandas()) == 4


def test_lifecycle_survives_a_reopen(tmp_path):
    path = tmp_path / "crm.scrm"
    with scrm.Engine(path) as e:
        e.set_clock(T0)
        end = buyers(e)
        e.set_scoring(weights=[("purchase", 2.0)], half_life_days=10.0)
        e.define_ladder("loyalty", ["basic", ("buyer", "events(purchase) >= 1")])
        model = e.fit_churn_model(end, DAY)
    with scrm.Engine(path) as e:
        e.set_clock(end)
        assert e.scoring()["weights"] == [{"kind": "purchase", "direction": "inbound", "weight": 2.0}]
        assert e.ladders()[0]["name"] == "loyalty"
        assert e.churn_model() == model


def test_heavy_lifecycle_calls_release_the_gil(engine):
    """As test_threads does for count(): with interpreter thread switching turned off, the
    ticker thread runs only while an engine call has released the GIL."""
    import sys
    import threading
    import time

    end = buyers(engine)
    calls = [
        lambda: engine.set_scoring(half_life_days=20.0),
        lambda: engine.define_ladder("loyalty", ["basic", ("buyer", "events(purchase) >= 2")]),
        lambda: engine.fit_churn_model(end, DAY),
        lambda: engine.churn_table(30.0),
        lambda: engine.rfm(),
        lambda: engine.scores(),
    ]
    ticks, started, done = [], threading.Event(), threading.Event()

    def ticker():
        started.set()
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.0002)

    interval = sys.getswitchinterval()
    t = threading.Thread(target=ticker)
    t.start()
    started.wait()
    sys.setswitchinterval(1000.0)
    try:
        during = {}
        for i, call in enumerate(calls):
            before = len(ticks)
            deadline = time.perf_counter() + 0.2
            while time.perf_counter() < deadline:
                call()
            during[i] = len(ticks) - before
    finally:
        sys.setswitchinterval(interval)
        done.set()
        t.join()
    assert all(n > 0 for n in during.values()), during
