"""The engine's life: in memory or in a store file, context manager, close, configuration,
and the package surface (constants, kinds, docstrings)."""

import inspect
import pickle

import pytest

import scrm
from conftest import at


def test_in_memory_engine():
    engine = scrm.Engine()
    assert engine.path is None and not engine.closed
    assert repr(engine) == "<scrm.Engine in memory>"
    engine.close()
    assert engine.closed and repr(engine) == "<scrm.Engine in memory, closed>"
    engine.close()  # idempotent


def test_the_engine_summary_renders_as_html():
    engine = scrm.Engine()
    engine.upsert_customer("a<b>", identities=[("phone", "+8613800000001")])
    html = engine._repr_html_()
    assert html.startswith("<table>") and "&lt;scrm.Engine in memory&gt;" in html
    assert "<tr><th>customers</th><td>1</td></tr>" in html
    assert "<tr><th>identities</th><td>1</td></tr>" in html
    engine.close()
    assert engine._repr_html_().count("<tr>") == 1, "a closed engine shows only where it was"


def test_context_manager_closes_even_on_error():
    with pytest.raises(RuntimeError):
        with scrm.Engine() as engine:
            engine.upsert_customer("a")
            raise RuntimeError("boom")
    assert engine.closed


def test_every_call_on_a_closed_engine_raises_store_error():
    engine = scrm.Engine()
    engine.close()
    with pytest.raises(scrm.StoreError) as info:
        engine.stats()
    assert info.value.code == "STORE"
    assert str(info.value) == "the engine is closed"
    with pytest.raises(scrm.StoreError):
        engine.upsert_customer("a")
    with pytest.raises(scrm.StoreError):
        engine.config


def test_store_file_survives_a_reopen(tmp_path):
    path = tmp_path / "crm.scrm"
    with scrm.Engine(path) as engine:
        assert engine.path == path
        engine.upsert_customer("a", attributes={"city": "Shanghai"}, identities=[("email", "a@x.cn")], at=at(1))
        engine.record_event("a", "view", "app", at(2))
        engine.tag_customers(["a"], ["vip"])
        engine.save_segment("vips", "tag:vip")
    with scrm.Engine(str(path)) as engine:
        assert engine.customer("a")["attributes"] == {"city": "Shanghai"}
        assert engine.lookup_identity("email", "A@x.cn") == "a"
        assert engine.stats()["events"] == 1
        assert engine.segment_members("vips")["ids"] == ["a"]


def test_a_locked_store_raises_store_error(tmp_path):
    path = tmp_path / "crm.scrm"
    with scrm.Engine(path):
        with pytest.raises(scrm.StoreError) as info:
            scrm.Engine(path)
        assert info.value.code == "STORE"
        assert "locked" in str(info.value)
    # Closing released the lock.
    with scrm.Engine(path) as engine:
        assert engine.stats()["customers"] == 0


def test_a_foreign_file_raises_store_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just some words " * 100)
    with pytest.raises(scrm.StoreError):
        scrm.Engine(path)


def test_configuration():
    config = {
        "identity": {"default_country_code": "86"},
        "merge": {"on_collision": "merge", "identified": "flag", "default_strategy": "oldest",
                  "strategies": {"tags": "union"}},
    }
    with scrm.Engine(config=config) as engine:
        assert engine.config == config
    with scrm.Engine() as engine:
        assert engine.config["merge"]["identified"] == "merge"


@pytest.mark.parametrize(
    "config, field",
    [
        ({"merge": {"identified": "ask"}}, "config"),
        ({"murge": {}}, "config"),
        ("flag", "config"),
        ({"merge": {"strategies": {"2x": "sum"}}}, "merge.strategies.2x"),
    ],
)
def test_bad_configuration_raises_validation_error(config, field):
    with pytest.raises(scrm.ValidationError) as info:
        scrm.Engine(config=config)
    assert info.value.field == field


def test_package_surface():
    assert scrm.__version__
    assert scrm.MAX_ID_LEN == 256 and scrm.MAX_TAG_LEN == 128
    for name in ("MAX_STRING_LEN", "MAX_IDENTITY_LEN", "MAX_KEY_LEN", "MAX_NAME_LEN", "MAX_NOTE_LEN", "MAX_EXPRESSION_LEN",
                 "MAX_POINTS", "MAX_LEVELS"):
        assert isinstance(getattr(scrm, name), int)
    assert scrm.kinds.VIEW == "view" and scrm.kinds.PURCHASE == "purchase"
    import scrm.kinds as kinds

    assert kinds.SURVEY == "survey"
    assert scrm.edge_kinds.REFERRED == "referred"
    assert (scrm.REFUND, scrm.REFUNDED) == ("refund", "purchase")
    assert set(scrm.__all__) <= set(dir(scrm))


PUBLIC_METHODS = [
    "close", "upsert_customer", "upsert_customers", "customer", "contains", "customer_ids",
    "lookup_identity", "merge_customers", "merge_history", "merges", "conflicts", "resolve_conflict",
    "record_event", "record_events", "events_of", "stats", "now", "set_clock", "tag_customers",
    "untag_customers", "tag_segment", "untag_segment", "tags_of", "tag_counts", "count", "query",
    "explain", "save_segment", "drop_segment", "saved_segments", "segment_members",
    "segment_changes", "checkpoint_segment", "add_tag_rule", "drop_tag_rule", "tag_rules", "refresh",
    "upsert_customers_frame", "record_events_frame",
    "add_edge", "add_edges", "remove_edge", "edges_of", "neighbours", "degree", "reach", "shortest_path",
    "downline", "upline", "pagerank", "personalized_pagerank", "influencers", "advocates", "communities",
    "strongly_connected_components", "referral_rings",
    "set_referral_policy", "referral_policy", "define_programme", "programmes", "issue_code",
    "lookup_code", "redeem_code", "referral", "referral_of", "referrals", "approve_referral",
    "reject_referral", "balance", "ledger", "redeem_points", "adjust_points", "expire_points",
    "referral_leaderboard", "referral_funnel",
    "set_scoring", "scoring", "score", "scores", "rfm",
    "define_ladder", "enable_ladder", "ladders", "stage", "stage_history", "time_in_stages", "moved",
    "purchase_summaries", "fit_churn_model", "churn_model", "churn_table",
    "funnel", "activity_rate", "entries_per_month", "cohort_retention",
]


def test_public_methods_lists_every_engine_method():
    runtime = {n for n in dir(scrm.Engine) if not n.startswith("_")}
    assert runtime - {"closed", "path", "config"} == set(PUBLIC_METHODS)


@pytest.mark.parametrize("name", PUBLIC_METHODS)
def test_every_method_has_a_docstring_and_signature(name):
    method = getattr(scrm.Engine, name)
    assert method.__doc__ and len(method.__doc__) > 20
    inspect.signature(method)  # text signatures are present


def test_docstrings_everywhere():
    assert "social CRM" in scrm.__doc__
    assert "naive" in scrm.Engine.__doc__
    assert scrm.format_segment.__doc__
    for prop in ("closed", "path", "config"):
        assert getattr(scrm.Engine, prop).__doc__
    for error in (scrm.ScrmError, scrm.ValidationError, scrm.NotFoundError, scrm.ConflictError,
                  scrm.SegmentSyntaxError, scrm.SegmentTypeError, scrm.StoreError):
        assert error.__doc__
    text = pydoc_text(scrm.Engine)
    assert "upsert_customer(" in text and "anonymous=None" in text
    assert "Inserts or updates one customer" in text


def pydoc_text(obj):
    import pydoc

    return pydoc.render_doc(obj, renderer=pydoc.plaintext)


def test_engine_is_not_picklable():
    with scrm.Engine() as engine, pytest.raises(TypeError):
        pickle.dumps(engine)


def test_the_readme_example_runs():
    """The package README's example is executed, so it cannot rot."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [code] = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    exec(compile(code, "README.md", "exec"), {})


def test_the_package_docstring_example_runs():
    import textwrap

    example = scrm.__doc__.split("Example::", 1)[1]
    exec(compile(textwrap.dedent(example), "scrm.__doc__", "exec"), {})
