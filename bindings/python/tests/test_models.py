"""The lifecycle models as pure functions: fit_bgnbd and fit_gamma_gamma on summaries from
anywhere (simulate()'s Table, a pandas DataFrame in lifetimes' column names, an engine's
purchase_summaries), predict, expected_purchases_new, and their errors."""

import math

import pytest

import scrm

PURCHASES = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SPEND = {"p": 6.25, "q": 3.74, "v": 15.45}


def test_simulated_customers_give_back_their_parameters():
    summaries = scrm.simulate(PURCHASES, 20_000, 40.0, spend=SPEND, seed=7)
    assert len(summaries) == 20_000
    assert summaries.to_dict() == scrm.simulate(PURCHASES, 20_000, 40.0, spend=SPEND, seed=7).to_dict()
    fit = scrm.fit_bgnbd(summaries)
    assert fit["iterations"] > 0 and fit["log_likelihood"]["customers"] == 20_000
    for name, truth in PURCHASES.items():
        assert fit["model"][name] == pytest.approx(truth, rel=0.25), name
    repeat = {k: [v for v, f in zip(col, summaries["frequency"]) if f > 0]
              for k, col in summaries.to_dict().items()}
    spend = scrm.fit_gamma_gamma(repeat)
    assert spend["model"]["p"] == pytest.approx(SPEND["p"], rel=0.35)


def test_predict_is_one_row_per_summary_and_agrees_with_the_engine_model():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"frequency": [0, 2, 6], "recency": [0, 10, 35], "T": [40, 40, 40],
                          "monetary_value": [0.0, 25.0, 40.0], "name": ["a", "b", "c"]})
    table = scrm.predict(PURCHASES, SPEND, frame, periods=10, clv_periods=12, discount_rate=0.01)
    out = table.to_pandas()
    assert list(out.columns) == ["p_alive", "expected_purchases", "expected_average_value", "clv"]
    assert len(out) == 3 and out["p_alive"][0] == 1.0, "no repeat purchase: alive"
    assert all(0 < p <= 1 for p in out["p_alive"])
    assert out["clv"][2] > out["clv"][1] > 0
    longer = scrm.predict(PURCHASES, SPEND, frame, periods=20)
    assert all(b > a for a, b in zip(out["expected_purchases"], longer["expected_purchases"]))
    new = scrm.expected_purchases_new(PURCHASES, 10)
    assert new > 0 and math.isfinite(new)


def test_the_engine_summaries_feed_the_pure_fit():
    import datetime as dt
    utc = dt.timezone.utc
    t0 = dt.datetime(2026, 1, 1, tzinfo=utc)
    with scrm.Engine() as engine:
        summaries = scrm.simulate(PURCHASES, 300, 60.0, seed=3)
        events = []
        for i, (f, r) in enumerate(zip(summaries["frequency"], summaries["recency"])):
            engine.upsert_customer(f"c{i}", at=t0)
            days = [0] + [round(r * (k + 1) / f) for k in range(int(f))] if f else [0]
            events += [{"customer": f"c{i}", "kind": "purchase", "channel": "app",
                        "at": t0 + dt.timedelta(days=d), "amount": 5.0 + (7 * i + d) % 23}
                       for d in sorted(set(days))]
        engine.record_events(events)
        end = t0 + dt.timedelta(days=60)
        from_engine = engine.purchase_summaries(end, 1)
        fit = scrm.fit_bgnbd(from_engine)
        assert fit["log_likelihood"]["customers"] == len(from_engine)
        assert fit == scrm.fit_bgnbd(from_engine.to_dict()), "the Arrow and the list paths agree"
        assert fit["model"]["r"] == pytest.approx(PURCHASES["r"], rel=0.5)


def test_bad_models_and_summaries_name_the_field():
    cases = [
        (lambda: scrm.fit_bgnbd({"frequency": [1.0], "recency": [-1.0], "t": [4.0]}), "summaries[0].recency"),
        (lambda: scrm.fit_bgnbd({"frequency": [1.0], "t": [4.0]}), "summaries[0].recency"),
        (lambda: scrm.fit_bgnbd({"frequency": [], "recency": [], "t": []}), "summaries"),
        (lambda: scrm.predict({"r": 1}, SPEND, {"frequency": [1], "recency": [1], "t": [2]}), "purchases"),
        (lambda: scrm.predict(PURCHASES, SPEND, {"frequency": [1], "recency": [1], "t": [2]}, periods=-1), "periods"),
        (lambda: scrm.predict(PURCHASES, {**SPEND, "q": -1.0}, {"frequency": [1], "recency": [1], "t": [2]}), "q"),
        (lambda: scrm.simulate(PURCHASES, 10, 0.0), "t_cal"),
        (lambda: scrm.expected_purchases_new({**PURCHASES, "alpha": 0.0}, 1.0), "alpha"),
        (lambda: scrm.fit_bgnbd({"frequency": ["x"], "recency": [1], "t": [2]}), "summaries[0].frequency"),
    ]
    for call, field in cases:
        with pytest.raises(scrm.ValidationError) as info:
            call()
        assert info.value.field == field
