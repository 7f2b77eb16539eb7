"""The type stubs describe what the native module has: same names, same Engine methods and
parameters, so a method added to the binding cannot be forgotten in __init__.pyi."""

import ast
import inspect
from pathlib import Path

import scrm

STUB = Path(scrm.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUB.read_text(encoding="utf-8"))


def stub_engine_methods():
    [engine] = [n for n in stub_tree().body if isinstance(n, ast.ClassDef) and n.name == "Engine"]
    return {f.name: f for f in engine.body if isinstance(f, ast.FunctionDef)}


def test_the_stub_and_py_typed_ship_with_the_package():
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_every_public_name_is_in_the_stub():
    names = set()
    for node in stub_tree().body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets)
    assert set(scrm.__all__) <= names


def test_engine_methods_match_the_stub():
    stubbed = stub_engine_methods()
    runtime = {n for n in dir(scrm.Engine) if not n.startswith("_")}
    assert runtime == {n for n in stubbed if not n.startswith("_")}
    for name, func in stubbed.items():
        if name.startswith("_") or name in ("closed", "path", "config"):
            continue
        args = func.args
        stub_params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs][1:]
        runtime_params = list(inspect.signature(getattr(scrm.Engine, name)).parameters)[1:]
        assert stub_params == runtime_params, name


def stub_typed_dict_keys():
    """TypedDict name -> its keys (with those of its bases), from the stub."""
    classes = {n.name: n for n in stub_tree().body if isinstance(n, ast.ClassDef)}

    def keys(name):
        node = classes[name]
        own = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign)]
        inherited = [k for b in node.bases if isinstance(b, ast.Name) and b.id in classes for k in keys(b.id)]
        return set(inherited) | set(own)

    return {name: keys(name) for name in classes}


TABLES = {
    "SegmentPage", "Ranking", "CommunityReport", "LedgerTable", "LeaderboardTable", "ScoreTable",
    "RfmTable", "StageTimes", "MovedTable", "SummaryTable", "ChurnTable", "MonthlyCounts",
}


def test_table_methods_match_the_stub():
    [table] = [n for n in stub_tree().body if isinstance(n, ast.ClassDef) and n.name == "Table"]
    stubbed = {f.name for f in table.body if isinstance(f, ast.FunctionDef)}
    runtime = {n for n in dir(scrm.Table) if not n.startswith("__") or n.startswith("__arrow")}
    runtime |= {"__len__", "__getitem__", "__class_getitem__", "__repr__"}
    assert runtime == stubbed


def test_result_shapes_match_the_stub_typed_dicts(tmp_path):
    """Every result dict has exactly the keys its TypedDict declares."""
    import datetime as dt

    utc = dt.timezone.utc
    t = dt.datetime(2026, 6, 1, tzinfo=utc)
    shapes = stub_typed_dict_keys()
    with scrm.Engine(config={"merge": {"identified": "flag"}}) as e:
        e.set_clock(t)
        results = {
            "UpsertOutcome": e.upsert_customer("a", identities=[("email", "a@x.cn")], at=t),
            "IngestReport": e.record_event("a", "view", "app", t),
        }
        e.upsert_customer("b", identities=[("email", "a@x.cn")], at=t)
        e.upsert_customer("v", anonymous=True, at=t)
        e.tag_customers(["a"], ["vip"])
        results.update({
            "Customer": e.customer("a"),
            "Activity": e.customer("a")["activity"],
            "Identity": e.customer("a")["identities"][0],
            "Event": e.events_of("a")[0],
            "Stats": e.stats(),
            "IdentityConflict": e.conflicts()[0],
            "MergeRecord": e.merge_customers("a", "v", "me", at=t),
            "TagReport": e.tag_customers(["b"], ["x"]),
            "TagAssignment": e.tags_of("a")[0],
            "TagCount": e.tag_counts()[0],
            "SegmentPage": e.query("tag:vip"),
            "Explanation": e.explain("a", "tag:vip"),
            "ExplainStep": e.explain("a", "tag:vip")["steps"][0],
            "SavedSegmentInfo": e.save_segment("s", "tag:vip"),
            "TagRuleInfo": e.add_tag_rule("r", "tag:vip"),
            "SegmentChanges": e.segment_changes("s"),
            "EngineConfig": e.config,
            "EdgeReport": e.add_edges([("a", "b", "referred"), ("b", "a", "follows")]),
            "Edge": e.edges_of("a")[0],
            "Upline": e.upline("b"),
            "Ranking": e.pagerank(),
            "CommunityReport": e.communities(),
        })
        e.upsert_customers([{"id": "n", "at": t}, {"id": "m", "at": t}])
        programme = e.define_programme("p", "first_purchase", 10, milestones=[(1, 5)],
                                       caps={"budget": 100})
        e.set_referral_policy(allowance={"limit": 1, "unit": "points", "window": "lifetime"})
        code = e.issue_code("b")
        e.record_event("n", "purchase", "app", t, amount=1.0)
        results.update({
            "Programme": programme,
            "Trigger": programme["trigger"],
            "Caps": programme["caps"],
            "Milestone": programme["milestones"][0],
            "ReferralPolicy": e.referral_policy(),
            "Allowance": e.referral_policy()["allowance"],
            "InviteCode": code,
            "Referral": e.redeem_code(code["code"], "n"),
            "Balance": e.balance("b"),
            "LedgerTable": e.ledger("b"),
            "LeaderboardTable": e.referral_leaderboard(3),
            "ReferralFunnel": e.referral_funnel(t, t + dt.timedelta(days=1)),
        })
    with scrm.Engine() as e:
        from test_lifecycle import T0, buyers

        t = T0
        e.set_clock(t)
        e.enable_ladder("commercial")
        end = buyers(e)
        model = e.fit_churn_model(end, 1)
        results.update({
            "ScoringConfig": e.scoring(),
            "EventWeight": e.scoring()["weights"][0],
            "ScoreTable": e.scores(),
            "RfmTable": e.rfm(),
            "LadderInfo": e.ladders()[0],
            "StageTimes": e.time_in_stages("p0", "commercial"),
            "MovedTable": e.moved("commercial", "prospect", "customer", t, end),
            "SummaryTable": e.purchase_summaries(end, 1),
            "ChurnModel": model,
            "BgNbd": model["purchases"],
            "GammaGamma": model["spend"],
            "ChurnTable": e.churn_table(1.0),
            "Funnel": e.funnel("commercial", t, end),
            "ActivityRate": e.activity_rate("score >= 0", 7),
            "MonthlyCounts": e.entries_per_month("commercial", "customer"),
            "CohortRetention": e.cohort_retention(1),
        })
        # StageMove uses the functional TypedDict form ("from" is a keyword).
        assert set(e.stage_history("p0", "commercial")[0]) == {"customer", "from", "to", "at"}
    for name, value in results.items():
        if name in TABLES:  # a Table: its to_dict() has the TypedDict's keys
            assert isinstance(value, scrm.Table), name
            value = value.to_dict()
        if name == "Trigger":  # total=False: the keys of one variant
            assert set(value) <= shapes[name], name
            continue
        assert set(value) == shapes[name], name
