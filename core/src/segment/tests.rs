//! Property tests of the segment language: printing and parsing agree, and the bitmap and
//! flat-bitset evaluators agree with the row-by-row one on random expressions over random
//! customers.

use chrono::{Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::{format_segment, parse, Ctx};
use crate::bitset::DenseBits;
use crate::{CustomerInput, Engine, EventInput, TagSource};

fn leaf() -> impl Strategy<Value = String> {
    let op = prop::sample::select(vec!["=", "!=", "<", "<=", ">", ">="]);
    let city = prop::sample::select(vec!["Shanghai", "Beijing", "Chengdu", "Suzhou"]);
    prop_oneof![
        (0..5u8).prop_map(|t| format!("tag:t{t}")),
        (op.clone(), 15..70i64).prop_map(|(op, n)| format!("attr.age {op} {n}")),
        (op, -5..105i64).prop_map(|(op, n)| format!("attr.score {op} {n}.5")),
        city.clone().prop_map(|c| format!("attr.city = \"{c}\"")),
        (city.clone(), city.clone(), any::<bool>()).prop_map(|(a, b, not)| {
            format!(
                "attr.city {}in (\"{a}\", \"{b}\")",
                if not { "not " } else { "" }
            )
        }),
        (20..40i64, 40..60i64, any::<bool>()).prop_map(|(lo, hi, not)| {
            format!(
                "attr.age {}between {lo} and {hi}",
                if not { "not " } else { "" }
            )
        }),
        prop::sample::select(vec![
            "attr.city exists",
            "attr.city missing",
            "attr.city contains \"ng\"",
            "attr.city starts_with \"S\"",
            "attr.city ends_with \"du\"",
            "attr.city matches \"^[BC]\"",
            "channel:wechat",
            "channel:phone",
        ])
        .prop_map(str::to_string),
        (
            prop::sample::select(vec!["view", "purchase", "never_recorded"]),
            prop::sample::select(vec![">=", "<", "=", "!="]),
            0..4u32,
            prop::option::of(1..40i64)
        )
            .prop_map(|(kind, cmp, n, days)| match days {
                Some(d) => format!("events({kind}, {d}d) {cmp} {n}"),
                None => format!("events({kind}) {cmp} {n}"),
            }),
        (
            prop::sample::select(vec!["purchase", "view"]),
            prop::sample::select(vec![">", "<=", "=", "!="]),
            prop::option::of(1..60i64),
            0..300u32
        )
            .prop_map(|(kind, cmp, days, x)| match days {
                Some(d) => format!("amount({kind}, {d}d) {cmp} {x}"),
                None => format!("amount({kind}) {cmp} {x}"),
            }),
        (1..60i64).prop_map(|d| format!("last_seen within {d}d")),
        (1..60i64).prop_map(|d| format!("first_seen within {d}d")),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
            inner.prop_map(|a| format!("not ({a})")),
        ]
    })
}

/// A small random population with attributes, tags, identities and events.
fn population(seed: u64) -> Engine {
    let engine = Engine::in_memory();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut x = seed | 1;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let cities = ["Shanghai", "Beijing", "Chengdu", "Suzhou", ""];
    let mut events = Vec::new();
    for i in 0..60 {
        let id = format!("c{i}");
        let mut c = CustomerInput::new(id.as_str()).at(start);
        if next(5) > 0 {
            c = c.attribute("age", 18 + next(50) as i64);
        }
        if next(4) > 0 {
            c = c.attribute("city", cities[next(5) as usize]);
        }
        c = c.attribute("score", next(1000) as f64 / 10.0);
        if next(2) == 0 {
            c = c.identity("wechat_openid", format!("o{i}"));
        }
        if next(3) == 0 {
            c = c.identity("phone", format!("+86138{i:08}"));
        }
        engine.upsert_customer(&c).unwrap();
        for t in 0..5 {
            if next(3) == 0 {
                engine
                    .tag_customers(
                        std::slice::from_ref(&id),
                        &[format!("t{t}")],
                        TagSource::Manual,
                    )
                    .unwrap();
            }
        }
        for _ in 0..next(6) {
            let kind = if next(3) == 0 { "purchase" } else { "view" };
            let at = start + Duration::days(next(90) as i64);
            let mut e = EventInput::new(id.as_str(), kind, "app", at);
            if kind == "purchase" {
                e = e.amount(next(200) as f64);
            }
            events.push(e);
        }
    }
    engine.record_events(&events).unwrap();
    // A few merges, so merged profiles' events count for their survivors.
    for i in (7..60).step_by(13) {
        let request = crate::MergeRequest {
            survivor: format!("c{}", i - 1),
            merged: format!("c{i}"),
            actor: "test".into(),
            note: String::new(),
            at: None,
        };
        engine.merge_customers(&request).unwrap();
    }
    engine.set_clock(Some(start + Duration::days(75))).unwrap();
    engine
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn printing_then_parsing_is_stable(text in expression()) {
        let once = format_segment(&text).unwrap();
        let twice = format_segment(&once).unwrap();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn bitmap_dense_and_row_evaluators_agree(text in expression(), seed in any::<u64>()) {
        let engine = population(seed);
        let expr = parse(&text).unwrap();
        let state = engine.state.read().unwrap();
        let ctx = Ctx { state: &state, now: engine.clock_micros() };
        let rows: Vec<u32> = state.index.live.iter().filter(|&i| expr.matches(&ctx, i)).collect();
        let bitmap = expr.select(&ctx, &state.index.live);
        prop_assert_eq!(bitmap.iter().collect::<Vec<_>>(), rows.clone(), "{}", text);
        let live = DenseBits::from_roaring(&state.index.live, state.customers.len());
        let dense = expr.select(&ctx, &live);
        prop_assert_eq!(dense.iter().collect::<Vec<_>>(), rows, "dense: {}", text);
    }

    #[test]
    fn any_input_parses_or_fails_cleanly(text in "\\PC{0,60}") {
        if let Err(e) = format_segment(&text) {
            prop_assert!(e.line >= 1 && e.column >= 1);
        }
    }
}

#[test]
fn errors_name_line_and_column() {
    let cases = [
        ("tag:vip and", 1, 12, "expected a predicate"),
        ("attr.age >", 1, 11, "expected a string"),
        ("(tag:a or\n  tag:b", 2, 8, "expected ')'"),
        ("events(purchase, 30y) > 1", 1, 18, "unknown duration unit"),
        (
            "attr.name matches \"(\"",
            1,
            19,
            "invalid regular expression",
        ),
        ("wat:x", 1, 1, "unknown predicate 'wat'"),
        ("attr.age not 3", 1, 14, "expected 'in' or 'between'"),
        ("tag:vip tag:x", 1, 9, "expected 'and', 'or' or the end"),
    ];
    for (text, line, column, message) in cases {
        let err = format_segment(text).unwrap_err();
        assert_eq!((err.line, err.column), (line, column), "{text}: {err}");
        assert!(err.message.contains(message), "{text}: {err}");
    }
    let deep = format!("{}tag:a{}", "(".repeat(500), ")".repeat(500));
    assert!(format_segment(&deep)
        .unwrap_err()
        .message
        .contains("nests deeper"));
}

#[test]
fn keywords_are_case_insensitive_and_output_is_canonical() {
    let text = "NOT Tag:vip AND (Attr.age Between 30 And 39 OR attr.city IN (\"a\", \"b\")) or Last_Seen WITHIN 14d";
    assert_eq!(
        format_segment(text).unwrap(),
        "not tag:vip and (attr.age between 30 and 39 or attr.city in (\"a\", \"b\")) or last_seen within 2w"
    );
    assert_eq!(
        format_segment("tag:\"interest:travel\"").unwrap(),
        "tag:interest:travel"
    );
    assert_eq!(
        format_segment("tag:\"has space\"").unwrap(),
        "tag:\"has space\""
    );
}
