"""The relationship graph through the binding: edges in and out (records, tuples, tables),
walks, analytics, the graph segment predicates, errors, and agreement with networkx."""

import datetime as dt
import math
import random
import sys
import threading
import time

import pytest

import scrm
from conftest import UTC, at

FOLLOWS = scrm.edge_kinds.FOLLOWS
FRIEND = scrm.edge_kinds.FRIEND
REFERRED = scrm.edge_kinds.REFERRED


def customers(engine, *ids):
    engine.upsert_customers([{"id": i} for i in ids])


def refer(engine, *pairs):
    engine.add_edges([(a, b, REFERRED) for a, b in pairs])


def test_edge_kinds_module():
    assert (scrm.edge_kinds.REFERRED, scrm.edge_kinds.FOLLOWS, scrm.edge_kinds.FRIEND) == (
        "referred", "follows", "friend")
    assert scrm.edge_kinds.INTERACTED == "interacted"
    assert scrm.edge_kinds.COLLEAGUE == "colleague"
    import scrm.edge_kinds as edge_kinds

    assert edge_kinds.FOLLOWS == "follows"


def test_edges_are_put_read_and_removed(engine):
    customers(engine, "a", "b", "c")
    report = engine.add_edges([
        {"source": "a", "target": "b", "kind": "follows"},
        ("a", "b", "Follows", 3.0),
        ("b", "c", FRIEND, None, at(2)),
    ])
    assert report == {"inserted": 3, "updated": 0}
    assert engine.add_edge("a", "b", FOLLOWS, weight=2) == {"inserted": 0, "updated": 1}
    [edge] = engine.edges_of("a", "out")
    assert edge == {"source": "a", "target": "b", "kind": "follows", "weight": 2.0,
                    "created_at": at(30)}
    assert edge["created_at"].tzinfo is not None
    assert [e["created_at"] for e in engine.edges_of("c")] == [at(2), at(2)]
    assert [(e["source"], e["target"]) for e in engine.edges_of("b", "both", [FRIEND])] == [
        ("b", "c"), ("c", "b")]
    assert engine.edges_of("b", direction="in", kinds=[FRIEND]) == [
        {"source": "c", "target": "b", "kind": "friend", "weight": 1.0, "created_at": at(2)}]
    assert engine.edges_of("a", kinds=["nothing_like_it"]) == []
    assert engine.neighbours("c", "out") == ["b"]
    assert engine.neighbours("b") == ["a", "c"]
    assert engine.neighbours("b", direction="in", kinds=[FOLLOWS]) == ["a"]
    assert engine.degree("b", "in", [FOLLOWS]) == 1
    assert engine.degree("b") == 2
    assert engine.stats()["edges"] == 3
    assert engine.remove_edge("c", "b", FRIEND) is True
    assert engine.remove_edge("c", "b", FRIEND) is False
    assert engine.stats()["edges"] == 1


def test_events_with_a_target_make_interacted_edges(engine):
    customers(engine, "a", "b")
    for day in (1, 2):
        engine.record_event("a", "message", "wechat", at(day), target="b")
    [edge] = engine.edges_of("a", "out", [scrm.edge_kinds.INTERACTED])
    assert (edge["target"], edge["weight"]) == ("b", 2.0)


def test_bad_edges_raise_typed_errors_and_change_nothing(engine):
    customers(engine, "a", "b", "c")
    cases = [
        (("a", "zz", FOLLOWS), scrm.ValidationError, "edges[1].target"),
        (("a", "a", FOLLOWS), scrm.ValidationError, "edges[1].target"),
        (("a", "b", "no way"), scrm.ValidationError, "edges[1].kind"),
        (("a", "b", scrm.edge_kinds.INTERACTED), scrm.ValidationError, "edges[1].kind"),
        (("a", "b", FOLLOWS, math.nan), scrm.ValidationError, "edges[1].weight"),
        (("a", "b", FOLLOWS, -1.0), scrm.ValidationError, "edges[1].weight"),
        (("a", "b", FOLLOWS, "heavy"), scrm.ValidationError, "edges[1].weight"),
        (("a", "b", FOLLOWS, 1.0, dt.datetime(2026, 6, 1)), scrm.ValidationError, "edges[1].at"),
        (("a", "b"), scrm.ValidationError, "edges[1]"),
        ((None, "b", FOLLOWS), scrm.ValidationError, "edges[1].source"),
        ((1, "b", FOLLOWS), scrm.ValidationError, "edges[1].source"),
        ({"source": "a", "target": "b", "kind": FOLLOWS, "colour": "red"},
         scrm.ValidationError, "edges[1].colour"),
        ({"source": "a", "kind": FOLLOWS}, scrm.ValidationError, "edges[1].target"),
        ("a->b", scrm.ValidationError, "edges[1]"),
        (("c", "b", REFERRED), scrm.ConflictError, None),
    ]
    for bad, error, field in cases:
        with pytest.raises(error) as info:
            engine.add_edges([("a", "b", REFERRED), bad])
        assert info.value.field == field, bad
        assert engine.stats()["edges"] == 0, bad
    with pytest.raises(scrm.ValidationError) as info:
        engine.add_edges({"source": ["a"], "target": ["b"], "kind": [FOLLOWS], "colour": ["x"]})
    assert info.value.field == "edges.colour"
    with pytest.raises(scrm.ValidationError):
        engine.add_edges("a,b,follows")
    with pytest.raises(scrm.ValidationError) as info:
        engine.add_edge("a", "b", FOLLOWS, at=dt.datetime(2026, 6, 1))
    assert info.value.field == "edges[0].at"

    refer(engine, ("a", "b"))
    with pytest.raises(scrm.ConflictError) as info:
        engine.add_edge("c", "b", REFERRED)
    assert info.value.code == "CONFLICT"
    engine.add_edge("a", "b", REFERRED)  # the same referral again is no conflict
    with pytest.raises(scrm.ValidationError) as info:
        engine.remove_edge("a", "b", scrm.edge_kinds.INTERACTED)
    assert info.value.field == "kind"


@pytest.mark.parametrize("call", [
    lambda e: e.edges_of("nobody"),
    lambda e: e.neighbours("nobody"),
    lambda e: e.degree("nobody"),
    lambda e: e.reach("nobody", 2),
    lambda e: e.shortest_path("a", "nobody"),
    lambda e: e.shortest_path("nobody", "a"),
    lambda e: e.downline("nobody", 2),
    lambda e: e.upline("nobody"),
    lambda e: e.personalized_pagerank(["nobody"]),
    lambda e: e.remove_edge("a", "nobody", FOLLOWS),
])
def test_unknown_customers_raise_not_found(engine, call):
    customers(engine, "a")
    with pytest.raises(scrm.NotFoundError) as info:
        call(engine)
    assert info.value.code == "NOT_FOUND"


@pytest.mark.parametrize("call, field", [
    (lambda e: e.neighbours("a", "sideways"), "direction"),
    (lambda e: e.edges_of("a", direction="OUT"), "direction"),
    (lambda e: e.degree("a", "up"), "direction"),
    (lambda e: e.reach("a", 2, "down"), "direction"),
    (lambda e: e.shortest_path("a", "b", "across"), "direction"),
    (lambda e: e.neighbours("a", kinds="follows"), "kinds"),
    (lambda e: e.neighbours("a", kinds=[1]), "kinds[0]"),
    (lambda e: e.pagerank(kinds="follows"), "kinds"),
    (lambda e: e.pagerank(reversed="referred"), "reversed"),
    (lambda e: e.pagerank(damping=1.5), "damping"),
    (lambda e: e.pagerank(tol=-1.0), "tol"),
    (lambda e: e.pagerank(max_iter=0), "max_iter"),
    (lambda e: e.pagerank(tol=1e-300, max_iter=1), "max_iter"),
    (lambda e: e.personalized_pagerank([]), "seeds"),
    (lambda e: e.personalized_pagerank("a"), "seeds"),
    (lambda e: e.communities(resolution=0.0), "resolution"),
    (lambda e: e.communities(kinds=["no way"]), "edges.kinds[0]"),
    (lambda e: e.strongly_connected_components(kinds="friend"), "kinds"),
])
def test_bad_options_raise_validation_errors_with_the_field(engine, call, field):
    customers(engine, "a", "b", "c")
    engine.add_edges([("a", "b", FOLLOWS), ("b", "c", FOLLOWS)])
    with pytest.raises(scrm.ValidationError) as info:
        call(engine)
    assert info.value.field == field


def test_walk_depths_outside_1_to_64_are_refused(engine):
    customers(engine, "a", "b")
    engine.add_edge("a", "b", FOLLOWS)
    for call, field in ((lambda: engine.reach("a", 0), "hops"),
                        (lambda: engine.reach("a", 65), "hops"),
                        (lambda: engine.downline("a", 0), "depth")):
        with pytest.raises(scrm.ValidationError) as info:
            call()
        assert info.value.field == field
    with pytest.raises(OverflowError):
        engine.reach("a", -1)


def test_walks(engine):
    customers(engine, "a", "b", "c", "d", "e", "lone")
    refer(engine, ("a", "b"), ("b", "c"), ("b", "d"))
    engine.add_edge("d", "e", FOLLOWS)
    assert engine.reach("a", 1) == ["b"]
    assert engine.reach("a", 2, "out") == ["b", "c", "d"]
    assert engine.reach("a", 3) == ["b", "c", "d", "e"]
    assert engine.reach("a", 3, kinds=[REFERRED]) == ["b", "c", "d"]
    assert engine.reach("e", 2, direction="in") == ["d", "b"]
    assert engine.shortest_path("a", "e") == ["a", "b", "d", "e"]
    assert engine.shortest_path("e", "a", "out") is None
    assert engine.shortest_path("e", "a", "in") == ["e", "d", "b", "a"]
    assert engine.shortest_path("a", "lone") is None
    assert engine.shortest_path("a", "e", kinds=[REFERRED]) is None
    assert engine.downline("a", 1) == [["b"]]
    assert engine.downline("a", 5) == [["b"], ["c", "d"]]
    assert engine.upline("d") == {"chain": ["b", "a"], "cycle": False}
    assert engine.upline("a") == {"chain": [], "cycle": False}
    assert engine.referral_rings() == []


def test_rings_and_components(engine):
    customers(engine, "a", "b", "c", "d", "e")
    refer(engine, ("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"))
    assert engine.referral_rings() == [["a", "b", "c"]]
    up = engine.upline("a")
    assert up["cycle"] is True and set(up["chain"]) <= {"a", "b", "c"}
    scc = engine.strongly_connected_components()
    assert scc["ids"] == ["a", "b", "c", "d", "e"]
    assert scc["count"] == 3 and scc["modularity"] == 0.0
    ring = set(scc["communities"][:3])
    assert len(ring) == 1 and len(set(scc["communities"])) == 3
    assert engine.strongly_connected_components(kinds=[FOLLOWS])["count"] == 5
    # Reversing every kind keeps the components.
    assert engine.strongly_connected_components(reversed=[REFERRED])["count"] == 3


def test_pagerank_defaults_to_the_influence_selection(engine):
    """reversed=None is ["referred"]: a referral endorses the referrer, a follow the followed."""
    customers(engine, "referrer", "newcomer", "star", "fan")
    refer(engine, ("referrer", "newcomer"))
    engine.add_edge("fan", "star", FOLLOWS)
    ranks = engine.pagerank()
    scores = dict(zip(ranks["ids"], ranks["scores"]))
    assert scores["referrer"] > scores["newcomer"] and scores["star"] > scores["fan"]
    assert abs(sum(ranks["scores"]) - 1) < 1e-9
    assert ranks["iterations"] >= 1
    assert ranks["scores"] == sorted(ranks["scores"], reverse=True)
    explicit = engine.pagerank(kinds=[], reversed=[REFERRED], damping=0.85, weighted=True,
                               tol=1e-6, max_iter=100)
    assert explicit.to_dict() == ranks.to_dict()
    stored = engine.pagerank(reversed=[])
    as_stored = dict(zip(stored["ids"], stored["scores"]))
    assert as_stored["newcomer"] > as_stored["referrer"]
    top = engine.influencers(2)
    assert top["ids"] == ranks["ids"][:2]
    assert top["scores"] == pytest.approx(ranks["scores"][:2])
    assert top["iterations"] == 0
    assert engine.influencers(0).to_dict() == {"ids": [], "scores": [], "iterations": 0}
    # Nobody has acted yet: every advocacy score is 0, in creation order.
    advocates = engine.advocates(3)
    assert advocates["scores"] == [0.0, 0.0, 0.0]
    assert len(advocates["ids"]) == 3
    only_follows = engine.pagerank(kinds=[FOLLOWS])
    follows = dict(zip(only_follows["ids"], only_follows["scores"]))
    assert follows["referrer"] == pytest.approx(follows["newcomer"])


def test_weights_and_personalized_pagerank(engine):
    customers(engine, "a", "b", "c")
    engine.add_edges([("a", "b", FOLLOWS, 9.0), ("a", "c", FOLLOWS, 1.0)])
    weighted = dict(zip(*[engine.pagerank()[k] for k in ("ids", "scores")]))
    flat = dict(zip(*[engine.pagerank(weighted=False)[k] for k in ("ids", "scores")]))
    assert weighted["b"] > weighted["c"]
    assert flat["b"] == pytest.approx(flat["c"])
    near = engine.personalized_pagerank(["a"])
    assert near["ids"][0] == "a"
    assert abs(sum(near["scores"]) - 1) < 1e-9
    assert engine.personalized_pagerank(seeds=["b", "c"], weighted=False)["ids"][:2] == ["b", "c"]


def test_columnar_results_make_dataframes(engine):
    pd = pytest.importorskip("pandas")
    customers(engine, "a", "b", "c", "d")
    engine.add_edges([("a", "b", FRIEND), ("c", "d", FRIEND)])
    ranks = engine.pagerank().to_pandas()
    assert list(ranks.columns) == ["ids", "scores"] and len(ranks) == 4
    found = engine.communities().to_pandas()
    assert len(found) == 4 and list(found.columns) == ["ids", "communities"]
    assert found.set_index("ids")["communities"].to_dict()["a"] == found.set_index("ids")[
        "communities"].to_dict()["b"]
    assert len(engine.influencers(0).to_pandas()) == 0


def test_communities_split_two_cliques(engine):
    left, right = [f"l{i}" for i in range(5)], [f"r{i}" for i in range(5)]
    customers(engine, *left, *right, "alone")
    edges = [(a, b, FRIEND) for group in (left, right) for i, a in enumerate(group)
             for b in group[i + 1:]]
    engine.add_edges(edges + [("l0", "r0", FOLLOWS)])
    report = engine.communities()
    assert report["ids"] == left + right + ["alone"]
    assert report["count"] == 3
    by_id = dict(zip(report["ids"], report["communities"]))
    assert len({by_id[i] for i in left}) == 1 and len({by_id[i] for i in right}) == 1
    assert by_id["l0"] != by_id["r0"] and by_id["alone"] == 2
    assert 0.3 < report["modularity"] < 0.5
    assert engine.communities(seed=7)["count"] == 3
    assert engine.communities(kinds=[FOLLOWS])["count"] == 10
    assert engine.communities(resolution=100.0)["count"] > 3
    assert engine.count("community = 0") == 5
    assert engine.count("community != 0") == 6


def test_graph_segment_predicates(engine):
    customers(engine, "vip", "k1", "k2", "plain", "far", "other")
    engine.tag_customers(["vip"], ["vip"])
    refer(engine, ("vip", "k1"), ("vip", "k2"), ("plain", "far"))
    engine.add_edges([("k1", "plain", FOLLOWS), ("other", "vip", FOLLOWS)])
    assert engine.query("referred_by(tag:vip)")["ids"] == ["k1", "k2"]
    assert engine.count("not referred_by(tag:vip)") == 4
    assert engine.query('within 1 hop of "plain"')["ids"] == ["k1", "far"]
    assert engine.count('within 2 hops of "plain"') == 3
    top = engine.influencers(1)["ids"]
    assert engine.query("influence_top 1")["ids"] == top
    assert engine.count("influence > 0") == 6
    threshold = engine.influencers(2)["scores"][1]
    assert engine.count(f"influence >= {threshold!r}") >= 2
    assert engine.count("community = 0") >= 1
    with pytest.raises(scrm.NotFoundError):
        engine.count('within 2 hops of "ghost"')
    with pytest.raises(scrm.SegmentSyntaxError) as info:
        engine.count("within 0 hops of \"vip\"")
    assert info.value.line == 1
    saved = engine.save_segment("vip_referrals", "referred_by(tag:vip)")
    assert saved["members"] == 2
    engine.add_edge("vip", "other", REFERRED)
    assert engine.segment_members("vip_referrals")["ids"] == ["k1", "k2", "other"]


def test_a_dataframe_of_edges_round_trips(engine):
    pd = pytest.importorskip("pandas")
    customers(engine, "a", "b", "c", "d")
    frame = pd.DataFrame({
        "source": ["a", "a", "b", "c"],
        "target": ["b", "c", "c", "d"],
        "kind": ["follows", "referred", "friend", "mentions"],
        "weight": [2.5, math.nan, 1.0, 4],
        "at": pd.to_datetime(["2026-06-01", "2026-06-02", None, "2026-06-03"], utc=True),
    })
    assert engine.add_edges(frame) == {"inserted": 5, "updated": 0}
    out = pd.DataFrame([e for i in ("a", "b", "c", "d") for e in engine.edges_of(i, "out")])
    assert out[["source", "target", "kind", "weight"]].values.tolist() == [
        ["a", "b", "follows", 2.5],
        ["a", "c", "referred", 1.0],
        ["b", "c", "friend", 1.0],
        ["c", "b", "friend", 1.0],
        ["c", "d", "mentions", 4.0],
    ]
    assert out["created_at"].tolist() == [at(1), at(2), at(30), at(30), at(3)]
    # The exported frame goes back in as it is (its created_at column renamed to at).
    again = out.rename(columns={"created_at": "at"})
    assert engine.add_edges(again) == {"inserted": 0, "updated": 5}
    # A dict of columns works as well; missing optional columns take the defaults.
    assert engine.add_edges({"source": ["d"], "target": ["a"], "kind": ["follows"]}) == {
        "inserted": 1, "updated": 0}
    assert engine.edges_of("d", "out")[0]["weight"] == 1.0
    with pytest.raises(scrm.ValidationError) as info:
        engine.add_edges(pd.DataFrame({"source": ["a"], "target": ["zz"], "kind": ["follows"]}))
    assert info.value.field == "edges[0].target"
    with pytest.raises(scrm.ValidationError) as info:
        engine.add_edges(pd.DataFrame({"source": ["a"], "kind": ["follows"]}))
    assert info.value.field == "edges[0].target"


def test_polars_edges(engine):
    pl = pytest.importorskip("polars")
    customers(engine, "a", "b")
    frame = pl.DataFrame({"source": ["a"], "target": ["b"], "kind": ["follows"], "weight": [3.0]})
    assert engine.add_edges(frame) == {"inserted": 1, "updated": 0}
    assert engine.edges_of("a")[0]["weight"] == 3.0


def test_threads_read_the_graph_while_one_writes_edges():
    with scrm.Engine() as engine:
        ids = [f"c{i}" for i in range(300)]
        engine.upsert_customers([{"id": i} for i in ids])
        rng = random.Random(5)
        errors = []

        def writer():
            try:
                for _ in range(50):
                    engine.add_edges([(rng.choice(ids[:150]), rng.choice(ids[150:]), FOLLOWS)
                                      for _ in range(20)])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        def reader():
            try:
                for _ in range(20):
                    assert len(engine.pagerank()["ids"]) == 300
                    assert len(engine.communities()["ids"]) == 300
                    engine.reach("c0", 3)
                    engine.shortest_path("c0", "c299")
                    engine.count("influence_top 5")
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader)
                                                       for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert engine.stats()["edges"] == sum(engine.degree(i, "out") for i in ids)


def test_the_gil_is_released_during_graph_analytics():
    """As in test_threads.py: with interpreter switching off, the ticker runs only while the
    main thread is inside an engine call."""
    with scrm.Engine() as engine:
        ids = [f"c{i}" for i in range(5000)]
        engine.upsert_customers([{"id": i} for i in ids])
        rng = random.Random(9)
        engine.add_edges(list({(rng.choice(ids), rng.choice(ids), FOLLOWS)
                               for _ in range(20000)} - {(i, i, FOLLOWS) for i in ids}))
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
            before = len(ticks)
            deadline = time.perf_counter() + 0.5
            while time.perf_counter() < deadline:
                engine.pagerank(tol=1e-9)
                engine.communities()
            during = len(ticks) - before
        finally:
            sys.setswitchinterval(interval)
            done.set()
            t.join()
        assert during > 0, "the ticker never ran: graph calls hold the GIL"


# --- agreement with networkx ------------------------------------------------------------------

N_CUSTOMERS = 2_000
N_EDGES = 10_000
KINDS = [FOLLOWS, "mentions", FRIEND]


@pytest.fixture(scope="module")
def random_graph():
    """A seeded random directed graph in an engine: 2,000 customers, 10,000 edges of the
    kinds follows, mentions (custom) and friend (mutual), a third of them weighted. The last
    100 customers leave no edge (dangling) and the last 40 none at all (isolated)."""
    rng = random.Random(20260630)
    ids = [f"c{i:04d}" for i in range(N_CUSTOMERS)]
    seen, edges = set(), []
    while len(edges) < N_EDGES:
        s, t = rng.randrange(N_CUSTOMERS - 100), rng.randrange(N_CUSTOMERS - 40)
        kind = rng.choice(KINDS)
        key = (min(s, t), max(s, t), kind) if kind == FRIEND else (s, t, kind)
        if s == t or key in seen or (kind == FRIEND and t >= N_CUSTOMERS - 100):
            continue
        seen.add(key)
        weight = round(rng.uniform(0.1, 5.0), 2) if rng.random() < 0.33 else None
        edges.append((ids[s], ids[t], kind, weight))
    engine = scrm.Engine()
    engine.upsert_customers([{"id": i} for i in ids])
    report = engine.add_edges(edges)
    assert report["inserted"] == N_EDGES + sum(1 for e in edges if e[2] == FRIEND)
    # Export what the engine holds (weights as stored) rather than the input list.
    exported = [e for i in ids for e in engine.edges_of(i, "out")]
    assert len(exported) == engine.stats()["edges"]
    yield engine, ids, exported
    engine.close()


def networkx_digraph(nx, ids, exported, weighted=True):
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    for e in exported:
        s, t = e["source"], e["target"]
        if g.has_edge(s, t):
            g[s][t]["weight"] += e["weight"]  # parallel edges of several kinds add up
        else:
            g.add_edge(s, t, weight=e["weight"])
    return g


def l1(ranking, expected):
    ours = dict(zip(ranking["ids"], ranking["scores"]))
    assert set(ours) == set(expected)
    return sum(abs(ours[i] - expected[i]) for i in expected)


def test_random_graph_shape(random_graph):
    engine, ids, exported = random_graph
    sources = {e["source"] for e in exported}
    dangling = [i for i in ids if i not in sources]
    assert len(dangling) >= 100
    isolated = [i for i in ids if engine.degree(i) == 0]
    assert len(isolated) >= 40


@pytest.mark.parametrize("weighted", [True, False])
def test_pagerank_agrees_with_networkx(random_graph, weighted, record_property):
    nx = pytest.importorskip("networkx")
    pytest.importorskip("scipy")
    engine, ids, exported = random_graph
    g = networkx_digraph(nx, ids, exported)
    expected = nx.pagerank(g, alpha=0.85, tol=1e-6, weight="weight" if weighted else None)
    ranking = engine.pagerank(weighted=weighted)  # the default selection: no referrals here
    distance = l1(ranking, expected)
    record_property("l1", distance)
    print(f"pagerank weighted={weighted}: L1 vs networkx {distance:.3e}, "
          f"{ranking['iterations']} iterations")
    assert distance <= 1e-6


@pytest.mark.parametrize("seeds", [["c0007"], ["c0003", "c1500", "c1990"]])
def test_personalized_pagerank_agrees_with_networkx(random_graph, seeds, record_property):
    nx = pytest.importorskip("networkx")
    pytest.importorskip("scipy")
    engine, ids, exported = random_graph
    g = networkx_digraph(nx, ids, exported)
    expected = nx.pagerank(g, alpha=0.85, tol=1e-6, weight="weight",
                           personalization={s: 1 for s in seeds})
    ranking = engine.personalized_pagerank(seeds)
    distance = l1(ranking, expected)
    record_property("l1", distance)
    print(f"personalized pagerank {seeds}: L1 vs networkx {distance:.3e}")
    assert distance <= 1e-6


def test_community_modularity_agrees_with_networkx(random_graph, record_property):
    nx = pytest.importorskip("networkx")
    from networkx.algorithms.community import modularity

    engine, ids, exported = random_graph
    report = engine.communities(seed=3)
    assert report["ids"] == ids
    g = nx.Graph()  # the undirected view: a -> b and b -> a add up
    g.add_nodes_from(ids)
    for e in exported:
        s, t = e["source"], e["target"]
        if g.has_edge(s, t):
            g[s][t]["weight"] += e["weight"]
        else:
            g.add_edge(s, t, weight=e["weight"])
    groups = {}
    for i, c in zip(report["ids"], report["communities"]):
        groups.setdefault(c, set()).add(i)
    assert len(groups) == report["count"]
    expected = modularity(g, groups.values(), weight="weight")
    difference = abs(report["modularity"] - expected)
    record_property("modularity_difference", difference)
    print(f"modularity {report['modularity']:.6f}, networkx {expected:.6f}, difference {difference:.1e}")
    assert difference <= 1e-9
    # And the partition is a good one: at least as modular as networkx's own Louvain.
    louvain = nx.algorithms.community.louvain_communities(g, weight="weight", seed=3)
    assert report["modularity"] >= modularity(g, louvain, weight="weight") - 0.02


def test_the_default_influence_selection_agrees_with_networkx_on_reversed_referrals():
    """pagerank() reads `referred` edges backwards: networkx on the graph with each referral
    turned round (weights of parallel edges added) gives the same ranks."""
    nx = pytest.importorskip("networkx")
    pytest.importorskip("scipy")
    rng = random.Random(11)
    ids = [f"p{i:03d}" for i in range(400)]
    edges = [(ids[rng.randrange(i)], ids[i], REFERRED) for i in range(1, 400) if rng.random() < 0.7]
    follows = {(rng.randrange(400), rng.randrange(400)) for _ in range(1500)}
    edges += [(ids[s], ids[t], FOLLOWS, rng.choice([1.0, 2.5])) for s, t in follows if s != t]
    with scrm.Engine() as engine:
        engine.upsert_customers([{"id": i} for i in ids])
        engine.add_edges(edges)
        exported = [e for i in ids for e in engine.edges_of(i, "out")]

        def graph(turn_referrals):
            g = nx.DiGraph()
            g.add_nodes_from(ids)
            for e in exported:
                s, t = e["source"], e["target"]
                if turn_referrals and e["kind"] == REFERRED:
                    s, t = t, s
                if g.has_edge(s, t):
                    g[s][t]["weight"] += e["weight"]
                else:
                    g.add_edge(s, t, weight=e["weight"])
            return g

        expected = nx.pagerank(graph(True), alpha=0.85, tol=1e-6, weight="weight")
        assert l1(engine.pagerank(), expected) <= 1e-6
        assert l1(engine.influencers(len(ids)), expected) <= 1e-6
        as_stored = nx.pagerank(graph(False), alpha=0.85, tol=1e-6, weight="weight")
        assert l1(engine.pagerank(reversed=[]), as_stored) <= 1e-6
        assert l1(engine.pagerank(), as_stored) > 1e-3  # the direction matters
