//! The relationship graph through the engine: edges in and out, merges, events, walks,
//! analytics, the segment predicates over the graph, and durability.

use chrono::{TimeZone, Utc};
use scrm::{
    edge_kinds::{FOLLOWS, FRIEND, INTERACTED, REFERRED},
    CommunityOptions, CustomerInput, EdgeDirection, EdgeInput, EdgeSelection, Engine, EventInput,
    MergeRequest, PageRankOptions,
};

fn engine_with(ids: &[&str]) -> Engine {
    let engine = Engine::in_memory();
    let inputs: Vec<_> = ids.iter().map(|id| CustomerInput::new(*id)).collect();
    engine.upsert_customers(&inputs).unwrap();
    engine
}

fn kinds(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

fn refer(engine: &Engine, pairs: &[(&str, &str)]) {
    let edges: Vec<_> = pairs
        .iter()
        .map(|(a, b)| EdgeInput::new(*a, *b, REFERRED))
        .collect();
    engine.add_edges(&edges).unwrap();
}

#[test]
fn edges_are_put_once_per_kind_and_mutual_kinds_go_both_ways() {
    let engine = engine_with(&["a", "b", "c"]);
    let report = engine
        .add_edges(&[
            EdgeInput::new("a", "b", FOLLOWS),
            EdgeInput::new("a", "b", "Follows").weight(3.0),
            EdgeInput::new("b", "c", FRIEND),
        ])
        .unwrap();
    assert_eq!((report.inserted, report.updated), (3, 0));
    let again = engine
        .add_edge(&EdgeInput::new("a", "b", FOLLOWS).weight(2.0))
        .unwrap();
    assert_eq!((again.inserted, again.updated), (0, 1));
    let out = engine.edges_of("a", EdgeDirection::Out, &[]).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].target.as_str(), out[0].weight), ("b", 2.0));
    assert_eq!(
        engine.neighbours("c", EdgeDirection::Out, &[]).unwrap(),
        ["b"]
    );
    assert_eq!(
        engine.neighbours("b", EdgeDirection::Both, &[]).unwrap(),
        ["a", "c"]
    );
    assert_eq!(
        engine
            .degree("b", EdgeDirection::In, &kinds(&[FOLLOWS]))
            .unwrap(),
        1
    );
    assert_eq!(engine.stats().edges, 3);
    assert!(engine.remove_edge("c", "b", FRIEND).unwrap());
    assert!(!engine.remove_edge("c", "b", FRIEND).unwrap());
    assert_eq!(engine.stats().edges, 1);
}

#[test]
fn bad_edges_are_typed_errors_and_change_nothing() {
    let engine = engine_with(&["a", "b", "c"]);
    let cases = [
        (
            EdgeInput::new("a", "zz", FOLLOWS),
            "VALIDATION",
            Some("edges[1].target"),
        ),
        (
            EdgeInput::new("a", "a", FOLLOWS),
            "VALIDATION",
            Some("edges[1].target"),
        ),
        (
            EdgeInput::new("a", "b", "no way"),
            "VALIDATION",
            Some("edges[1].kind"),
        ),
        (
            EdgeInput::new("a", "b", INTERACTED),
            "VALIDATION",
            Some("edges[1].kind"),
        ),
        (
            EdgeInput::new("a", "b", FOLLOWS).weight(f64::NAN),
            "VALIDATION",
            Some("edges[1].weight"),
        ),
        (
            EdgeInput::new("a", "b", FOLLOWS).weight(-1.0),
            "VALIDATION",
            Some("edges[1].weight"),
        ),
        (EdgeInput::new("c", "b", REFERRED), "CONFLICT", None),
    ];
    for (bad, code, field) in cases {
        let batch = [EdgeInput::new("a", "b", REFERRED), bad.clone()];
        let err = engine.add_edges(&batch).unwrap_err();
        assert_eq!((err.code(), err.field()), (code, field), "{bad:?}: {err}");
        assert_eq!(engine.stats().edges, 0, "{bad:?}");
    }
    refer(&engine, &[("a", "b")]);
    let err = engine
        .add_edge(&EdgeInput::new("c", "b", REFERRED))
        .unwrap_err();
    assert_eq!(err.code(), "CONFLICT");
    // The same referral again is no conflict.
    engine
        .add_edge(&EdgeInput::new("a", "b", REFERRED))
        .unwrap();
    let err = engine.remove_edge("a", "b", INTERACTED).unwrap_err();
    assert_eq!(err.field(), Some("kind"));
    assert_eq!(
        engine
            .neighbours("nobody", EdgeDirection::Out, &[])
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );
}

#[test]
fn events_with_a_target_count_interactions() {
    let engine = engine_with(&["a", "b"]);
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let share = EventInput::new("a", "share", "wechat", at).target("b");
    engine.record_events(&[share.clone(), share]).unwrap();
    let edges = engine
        .edges_of("b", EdgeDirection::In, &kinds(&[INTERACTED]))
        .unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!((edges[0].source.as_str(), edges[0].weight), ("a", 2.0));
    assert_eq!(edges[0].created_at, at);
}

#[test]
fn merged_customers_keep_their_edges() {
    let engine = engine_with(&["a", "b", "c", "d"]);
    engine
        .add_edges(&[
            EdgeInput::new("b", "c", FOLLOWS),
            EdgeInput::new("a", "c", FOLLOWS),
            EdgeInput::new("b", "a", FOLLOWS),
            EdgeInput::new("d", "b", REFERRED),
        ])
        .unwrap();
    let merge = MergeRequest {
        survivor: "a".into(),
        merged: "b".into(),
        actor: "test".into(),
        ..MergeRequest::default()
    };
    engine.merge_customers(&merge).unwrap();
    // b's edges are a's now; the a-b edge became a loop and is not shown.
    assert_eq!(
        engine.neighbours("a", EdgeDirection::Out, &[]).unwrap(),
        ["c"]
    );
    assert_eq!(
        engine.neighbours("b", EdgeDirection::Out, &[]).unwrap(),
        ["c"]
    );
    assert_eq!(engine.upline("a").unwrap().chain, ["d"]);
    assert_eq!(engine.downline("d", 3).unwrap(), [vec!["a".to_string()]]);
    // Putting the edge again updates the one recorded on b rather than adding a second.
    let report = engine
        .add_edge(&EdgeInput::new("a", "c", FOLLOWS).weight(5.0))
        .unwrap();
    assert_eq!(report.updated, 1);
    let ranks = engine.pagerank(&PageRankOptions::default()).unwrap();
    assert_eq!(ranks.ids.len(), 3, "merged-away profiles are not ranked");
}

#[test]
fn walks_follow_the_selected_edges() {
    let engine = engine_with(&["r", "a", "b", "c", "x"]);
    refer(&engine, &[("r", "a"), ("r", "b"), ("a", "c")]);
    engine.add_edge(&EdgeInput::new("x", "c", FOLLOWS)).unwrap();
    assert_eq!(
        engine.downline("r", 1).unwrap(),
        [vec!["a".to_string(), "b".to_string()]]
    );
    assert_eq!(engine.downline("r", 5).unwrap().len(), 2);
    let up = engine.upline("c").unwrap();
    assert_eq!((up.chain, up.cycle), (kinds(&["a", "r"]), false));
    let reach = engine.reach("r", 2, EdgeDirection::Out, &[]).unwrap();
    assert_eq!(reach, ["a", "b", "c"]);
    let path = engine
        .path("b", "x", EdgeDirection::Both, &[])
        .unwrap()
        .unwrap();
    assert_eq!(path, ["b", "r", "a", "c", "x"]);
    assert_eq!(
        engine.path("b", "x", EdgeDirection::Out, &[]).unwrap(),
        None
    );
    assert_eq!(
        engine
            .path("b", "x", EdgeDirection::Both, &kinds(&[REFERRED]))
            .unwrap(),
        None
    );
    assert_eq!(
        engine
            .reach("r", 0, EdgeDirection::Out, &[])
            .unwrap_err()
            .field(),
        Some("hops")
    );
}

#[test]
fn bad_walks_name_their_argument() {
    let engine = engine_with(&["r", "a"]);
    assert_eq!(engine.downline("r", 65).unwrap_err().field(), Some("depth"));
    assert_eq!(
        engine
            .remove_edge("r", "ghost", FOLLOWS)
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );
}

#[test]
fn rings_and_components() {
    let engine = engine_with(&["a", "b", "c", "d"]);
    refer(&engine, &[("a", "b"), ("b", "c"), ("c", "a")]);
    assert_eq!(engine.referral_rings().unwrap(), [kinds(&["a", "b", "c"])]);
    assert!(engine.upline("a").unwrap().cycle);
    let scc = engine
        .strongly_connected_components(&EdgeSelection::all())
        .unwrap();
    assert_eq!(scc.count, 2);
    assert_eq!(scc.communities[0], scc.communities[2]);
    assert_ne!(scc.communities[0], scc.communities[3]);
}

#[test]
fn pagerank_ranks_the_followed_and_the_referrer() {
    let engine = engine_with(&["star", "f1", "f2", "f3", "newbie"]);
    let follows: Vec<_> = ["f1", "f2", "f3"]
        .iter()
        .map(|f| EdgeInput::new(*f, "star", FOLLOWS))
        .collect();
    engine.add_edges(&follows).unwrap();
    refer(&engine, &[("f1", "newbie")]);
    let ranks = engine.pagerank(&PageRankOptions::default()).unwrap();
    assert_eq!(ranks.ids[0], "star");
    let sum: f64 = ranks.scores.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9);
    let rank_of = |id: &str| ranks.scores[ranks.ids.iter().position(|i| i == id).unwrap()];
    assert!(
        rank_of("f1") > rank_of("f2"),
        "the referral endorses its referrer"
    );
    assert_eq!(engine.influencers(2).ids, &ranks.ids[..2]);
    let near = engine
        .personalized_pagerank(&kinds(&["newbie"]), &PageRankOptions::default())
        .unwrap();
    // The seed first, then whom its rank flows to: its referrer, and whom the referrer follows.
    assert_eq!(near.ids[..3], ["newbie", "f1", "star"], "{near:?}");
    assert_eq!(near.scores[3], 0.0);
    let bad = PageRankOptions {
        damping: 1.5,
        ..PageRankOptions::default()
    };
    assert_eq!(engine.pagerank(&bad).unwrap_err().field(), Some("damping"));
    let err = engine
        .personalized_pagerank(&kinds(&["ghost"]), &bad)
        .unwrap_err();
    assert_eq!(err.code(), "NOT_FOUND");
}

#[test]
fn advocates_reach_people_and_act() {
    let engine = engine_with(&["star", "quiet", "f1", "f2", "f3"]);
    let at = Utc::now();
    engine.set_clock(Some(at)).unwrap();
    let follows: Vec<_> = ["f1", "f2", "f3"]
        .iter()
        .flat_map(|f| {
            [
                EdgeInput::new(*f, "star", FOLLOWS),
                EdgeInput::new(*f, "quiet", FOLLOWS),
            ]
        })
        .collect();
    engine.add_edges(&follows).unwrap();
    // Both are followed alike; only the star shares.
    engine
        .record_events(&[
            EventInput::new("star", "share", "wechat", at),
            EventInput::new("f1", "view", "app", at),
        ])
        .unwrap();
    let top = engine.advocates(2);
    assert_eq!(top.ids[0], "star");
    assert!(top.scores[0] > 0.0);
    let all = engine.advocates(5);
    let quiet = all.ids.iter().position(|id| id == "quiet").unwrap();
    assert_eq!(
        all.scores[quiet], 0.0,
        "influence without activity is no advocacy"
    );
    assert!(all.scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn communities_split_two_cliques() {
    let ids: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    let engine = engine_with(&ids.iter().map(String::as_str).collect::<Vec<_>>());
    let mut edges = Vec::new();
    for group in [0..5, 5..10] {
        for i in group.clone() {
            for j in group.clone().filter(|&j| j > i) {
                edges.push(EdgeInput::new(&ids[i], &ids[j], FRIEND));
            }
        }
    }
    edges.push(EdgeInput::new("c0", "c5", FOLLOWS));
    engine.add_edges(&edges).unwrap();
    let found = engine.communities(&CommunityOptions::default()).unwrap();
    assert_eq!(found.count, 2);
    assert!(found.modularity > 0.4, "{}", found.modularity);
    assert!(found.communities[..5]
        .iter()
        .all(|&c| c == found.communities[0]));
    assert!(found.communities[5..]
        .iter()
        .all(|&c| c == found.communities[5]));
    assert_eq!(engine.count("community = 0").unwrap(), 5);
    assert_eq!(engine.count("community != 0").unwrap(), 5);
}

#[test]
fn segment_predicates_read_the_graph() {
    let engine = engine_with(&["vip", "plain", "k1", "k2", "k3", "far"]);
    engine
        .tag_customers(&kinds(&["vip"]), &kinds(&["vip"]), scrm::TagSource::Manual)
        .unwrap();
    refer(&engine, &[("vip", "k1"), ("vip", "k2"), ("plain", "k3")]);
    engine
        .add_edge(&EdgeInput::new("k3", "far", FOLLOWS))
        .unwrap();
    let page = engine.query("referred_by(tag:vip)", 0, None).unwrap();
    assert_eq!(page.ids, ["k1", "k2"]);
    assert_eq!(
        engine.count("not referred_by(tag:vip or tag:vip)").unwrap(),
        4
    );
    let hops = engine.query("within 2 hops of \"plain\"", 0, None).unwrap();
    assert_eq!(hops.ids, ["k3", "far"]);
    assert_eq!(engine.count("within 1 hop of \"plain\"").unwrap(), 1);
    let top = engine.query("influence_top 1", 0, None).unwrap();
    assert_eq!(top.ids, &engine.influencers(1).ids[..]);
    assert_eq!(engine.count("influence > 0").unwrap(), 6);
    let why = engine.explain("k1", "referred_by(tag:vip)").unwrap();
    assert!(
        why.matched && why.steps[0].observed.contains("vip"),
        "{why:?}"
    );
    for (text, code) in [
        ("within 2 hops of \"ghost\"", "NOT_FOUND"),
        ("referred_by(segment:ghost)", "NOT_FOUND"),
        ("referred_by(tag:vip", "SEGMENT_SYNTAX"),
        ("within 0 hops of \"vip\"", "SEGMENT_SYNTAX"),
        ("influence_top 1.5", "SEGMENT_SYNTAX"),
        ("community > 2", "SEGMENT_SYNTAX"),
    ] {
        assert_eq!(engine.count(text).unwrap_err().code(), code, "{text}");
    }
    for text in [
        "referred_by(tag:vip and not attr.x exists)",
        "within 3 hops of \"k1\"",
        "influence >= 0.001",
        "community = 17",
    ] {
        let canonical = scrm::format_segment(text).unwrap();
        assert_eq!(scrm::format_segment(&canonical).unwrap(), canonical);
    }
}

#[test]
fn saved_segments_follow_graph_changes() {
    let engine = engine_with(&["vip", "a", "b"]);
    engine
        .tag_customers(&kinds(&["vip"]), &kinds(&["vip"]), scrm::TagSource::Manual)
        .unwrap();
    engine
        .save_segment("vip_friends", "referred_by(tag:vip)")
        .unwrap();
    engine.checkpoint_segment("vip_friends").unwrap();
    refer(&engine, &[("vip", "a")]);
    let changes = engine.segment_changes("vip_friends").unwrap();
    assert_eq!(changes.entered, ["a"]);
    assert!(engine.remove_edge("vip", "a", REFERRED).unwrap());
    assert_eq!(engine.count("segment:vip_friends").unwrap(), 0);
}

#[test]
fn edges_survive_a_reopen_and_interactions_are_recounted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.scrm");
    let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
    let before = {
        let engine = Engine::open(&path).unwrap();
        let ids = ["a", "b", "c"].map(CustomerInput::new);
        engine.upsert_customers(&ids).unwrap();
        engine
            .add_edges(&[
                EdgeInput::new("a", "b", FRIEND).at(at),
                EdgeInput::new("a", "c", REFERRED).weight(2.5).at(at),
            ])
            .unwrap();
        engine
            .add_edge(&EdgeInput::new("c", "b", FOLLOWS).at(at))
            .unwrap();
        engine.remove_edge("c", "b", FOLLOWS).unwrap();
        engine
            .record_event(&EventInput::new("c", "message", "wechat", at).target("a"))
            .unwrap();
        ["a", "b", "c"].map(|id| engine.edges_of(id, EdgeDirection::Both, &[]).unwrap())
    };
    let engine = Engine::open(&path).unwrap();
    let after = ["a", "b", "c"].map(|id| engine.edges_of(id, EdgeDirection::Both, &[]).unwrap());
    assert_eq!(before, after);
    assert_eq!(engine.stats().edges, 4);
}
