"""scrm.plot: the HTML view of a funnel (no dependency) and the matplotlib charts, which run
only where matplotlib is installed (test.sh does not install it)."""

import datetime as dt
import importlib.util

import pytest

import scrm
import scrm.plot

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 1, tzinfo=UTC)
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


@pytest.fixture
def funnel():
    with scrm.Engine() as e:
        e.set_clock(T0 + dt.timedelta(days=10))
        e.enable_ladder("commercial")
        e.upsert_customers([{"id": "a<b>", "at": T0}, {"id": "c", "at": T0}])
        e.record_event("a<b>", "purchase", "app", T0, amount=5.0)
        yield e.funnel("commercial", T0, T0 + dt.timedelta(days=11)), e.scores()


def test_a_funnel_view_is_the_dict_and_renders_html(funnel):
    result, _ = funnel
    assert isinstance(result, dict) and isinstance(result, scrm.plot.FunnelView), "Engine.funnel renders as HTML"
    view = scrm.plot.FunnelView(result)
    assert view == result and view["reached"] == [2, 1, 0, 0]
    html = view._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") == 5
    assert "<td>prospect</td><td>1</td><td>2</td><td>0</td><td>50.0%</td>" in html
    assert "<td>fan</td><td>0</td><td>0</td><td>0</td><td></td>" in html
    assert scrm.plot.funnel_html(result) == html


@pytest.mark.skipif(HAS_MATPLOTLIB, reason="matplotlib is installed")
def test_charts_without_matplotlib_say_what_is_missing(funnel):
    result, scores = funnel
    with pytest.raises(ImportError, match="matplotlib"):
        scrm.plot.funnel(result)
    with pytest.raises(ImportError, match="matplotlib"):
        scrm.plot.score_distribution(scores)


@pytest.mark.skipif(not HAS_MATPLOTLIB, reason="matplotlib is not installed")
def test_charts_with_matplotlib(funnel):
    import matplotlib

    matplotlib.use("Agg")
    result, scores = funnel
    ax = scrm.plot.funnel(result)
    assert [p.get_width() for p in ax.patches] == [2, 1, 0, 0]
    ax = scrm.plot.score_distribution(scores, bins=5)
    assert ax.get_xlabel() == "scores"
    with pytest.raises(ValueError):
        scrm.plot.funnel(result, measure="nope")
