//! Properties of identity resolution: merges are order-independent and idempotent, and
//! identity normalisation is idempotent.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use scrm::{
    CustomerInput, Engine, EngineConfig, EventInput, Identity, IdentityConfig, MergePolicy,
    MergeRequest, MergeStrategy,
};

/// One profile before any merge.
#[derive(Clone, Debug)]
struct Profile {
    anonymous: bool,
    day: u32,
    newest: String,
    oldest: String,
    sum: i64,
    union: Vec<String>,
    first: String,
}

fn profile() -> impl Strategy<Value = Profile> {
    let word = "[a-c]{0,2}";
    (
        any::<bool>(),
        1u32..5,
        word,
        word,
        -50i64..50,
        prop::collection::vec("[a-d]", 0..3),
        word,
    )
        .prop_map(
            |(anonymous, day, newest, oldest, sum, union, first)| Profile {
                anonymous,
                day,
                newest,
                oldest,
                sum,
                union,
                first,
            },
        )
}

/// Profiles, plus for each profile i > 0 the earlier profile it is linked to.
fn linked_profiles() -> impl Strategy<Value = (Vec<Profile>, Vec<usize>)> {
    prop::collection::vec(profile(), 2..6).prop_flat_map(|profiles| {
        let parents: Vec<_> = (1..profiles.len()).map(|i| 0..i).collect();
        (Just(profiles), parents)
    })
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, day, 0, 0, 0).unwrap()
}

fn config() -> EngineConfig {
    let strategies = BTreeMap::from([
        ("oldest".to_string(), MergeStrategy::Oldest),
        ("sum".to_string(), MergeStrategy::Sum),
        ("union".to_string(), MergeStrategy::Union),
        ("first".to_string(), MergeStrategy::FirstNonEmpty),
    ]);
    EngineConfig {
        merge: MergePolicy {
            strategies,
            ..MergePolicy::default()
        },
        ..EngineConfig::default()
    }
}

/// Creates the profiles; profile `parents[i-1]` holds the link identity of profile `i`.
fn create(profiles: &[Profile], parents: &[usize]) -> Engine {
    let engine = Engine::in_memory_with(config()).unwrap();
    for (i, p) in profiles.iter().enumerate() {
        let mut input = CustomerInput::new(format!("p{i}"))
            .at(at(p.day))
            .anonymous(p.anonymous)
            .attribute("newest", p.newest.as_str())
            .attribute("oldest", p.oldest.as_str())
            .attribute("sum", p.sum)
            .attribute("union", p.union.clone())
            .attribute("first", p.first.as_str());
        for (child, &parent) in parents.iter().enumerate() {
            if parent == i {
                input = input.identity("link", format!("{}", child + 1));
            }
        }
        engine.upsert_customer(&input).unwrap();
        let event = EventInput::new(format!("p{i}"), "view", "app", at(p.day)).amount(i as f64);
        engine.record_event(&event).unwrap();
    }
    engine
}

/// Upserts profile `i` with its link identity, which merges it with its parent.
fn link(engine: &Engine, i: usize) {
    let input = CustomerInput::new(format!("p{i}"))
        .at(at(10 + i as u32))
        .identity("link", format!("{i}"));
    engine.upsert_customer(&input).unwrap();
}

fn outcome(engine: &Engine) -> serde_json::Value {
    let ids = engine.customer_ids();
    let customers: Vec<_> = ids
        .iter()
        .map(|id| {
            let mut customer = serde_json::to_value(engine.customer(id).unwrap()).unwrap();
            customer["events"] = serde_json::to_value(engine.events_of(id).unwrap()).unwrap();
            customer
        })
        .collect();
    serde_json::Value::Array(customers)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn merges_do_not_depend_on_order((profiles, parents) in linked_profiles(), seed in any::<u64>()) {
        let forward: Vec<usize> = (1..profiles.len()).collect();
        let mut shuffled = forward.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let a = create(&profiles, &parents);
        forward.iter().for_each(|&i| link(&a, i));
        let b = create(&profiles, &parents);
        shuffled.iter().for_each(|&i| link(&b, i));
        prop_assert_eq!(a.customer_ids().len(), 1, "every profile is linked into one");
        prop_assert_eq!(outcome(&a), outcome(&b));

        let total: i64 = profiles.iter().map(|p| p.sum).sum();
        let survivor = a.customer(&a.customer_ids()[0]).unwrap();
        prop_assert_eq!(&survivor.attributes["sum"], &scrm::AttributeValue::Int(total));
        prop_assert_eq!(survivor.activity.inbound, profiles.len() as u64);
    }

    #[test]
    fn merging_again_changes_nothing((profiles, parents) in linked_profiles()) {
        let engine = create(&profiles, &parents);
        (1..profiles.len()).for_each(|i| link(&engine, i));
        let once = outcome(&engine);
        let merges = engine.merges().len();
        (1..profiles.len()).for_each(|i| link(&engine, i));
        for i in 1..profiles.len() {
            let request = MergeRequest {
                survivor: "p0".into(),
                merged: format!("p{i}"),
                actor: "tester".into(),
                ..MergeRequest::default()
            };
            prop_assert!(engine.merge_customers(&request).unwrap().is_none());
        }
        prop_assert_eq!(outcome(&engine), once);
        prop_assert_eq!(engine.merges().len(), merges);
    }

    #[test]
    fn normalising_twice_is_normalising_once(
        channel in prop::sample::select(vec!["phone", "email", "wechat_openid"]),
        value in "[ +()0-9a-zA-Z@._-]{0,24}",
        country in prop::option::of("[1-9][0-9]{0,2}"),
    ) {
        let cfg = IdentityConfig { default_country_code: country };
        if let Ok(once) = cfg.normalize("identity", &Identity::new(channel, value)) {
            let twice = cfg.normalize("identity", &once).unwrap();
            prop_assert_eq!(twice, once);
        }
    }
}
