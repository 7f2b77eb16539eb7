//! Combining the attributes of two merging profiles, one strategy per attribute.

use std::cmp::Ordering;

use super::{MergePolicy, MergeStrategy};
use crate::customer::{AttrMap, AttributeValue, StoredAttribute};

/// Folds `other`'s attributes into `into` following the policy's strategy per key.
pub(crate) fn combine_attributes(into: &mut AttrMap, other: AttrMap, policy: &MergePolicy) {
    for (key, theirs) in other {
        let combined = match into.remove(&key) {
            Some(ours) => combine(policy.strategy(&key), ours, theirs),
            None => theirs,
        };
        into.insert(&key, combined);
    }
}

fn combine(strategy: MergeStrategy, a: StoredAttribute, b: StoredAttribute) -> StoredAttribute {
    match strategy {
        MergeStrategy::Newest => newest(a, b),
        MergeStrategy::Oldest => oldest(a, b),
        MergeStrategy::FirstNonEmpty => match (a.value.is_empty(), b.value.is_empty()) {
            (false, true) => a,
            (true, false) => b,
            _ => oldest(a, b),
        },
        MergeStrategy::Sum => {
            let value = match (&a.value, &b.value) {
                (AttributeValue::Int(x), AttributeValue::Int(y)) => {
                    AttributeValue::Int(x.saturating_add(*y))
                }
                (x, y) => match (as_float(x), as_float(y)) {
                    (Some(x), Some(y)) => AttributeValue::Float(x + y),
                    _ => return newest(a, b),
                },
            };
            StoredAttribute {
                value,
                set_at: a.set_at.max(b.set_at),
            }
        }
        MergeStrategy::Union => match (&a.value, &b.value) {
            (AttributeValue::List(x), AttributeValue::List(y)) => {
                let mut all: Vec<String> = x.iter().chain(y).cloned().collect();
                all.sort();
                all.dedup();
                StoredAttribute {
                    value: AttributeValue::List(all),
                    set_at: a.set_at.max(b.set_at),
                }
            }
            _ => newest(a, b),
        },
    }
}

fn as_float(v: &AttributeValue) -> Option<f64> {
    match v {
        AttributeValue::Int(i) => Some(*i as f64),
        AttributeValue::Float(f) => Some(*f),
        _ => None,
    }
}

/// Later `set_at` wins; equal times fall back to the value order so the result never
/// depends on which profile came first.
fn newest(a: StoredAttribute, b: StoredAttribute) -> StoredAttribute {
    match a.set_at.cmp(&b.set_at).then(a.value.total_cmp(&b.value)) {
        Ordering::Less => b,
        _ => a,
    }
}

fn oldest(a: StoredAttribute, b: StoredAttribute) -> StoredAttribute {
    match a.set_at.cmp(&b.set_at).then(a.value.total_cmp(&b.value)) {
        Ordering::Greater => b,
        _ => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: impl Into<AttributeValue>, set_at: i64) -> StoredAttribute {
        StoredAttribute {
            value: value.into(),
            set_at,
        }
    }

    fn merged(strategy: MergeStrategy, a: StoredAttribute, b: StoredAttribute) -> AttributeValue {
        let policy = MergePolicy {
            default_strategy: strategy,
            ..MergePolicy::default()
        };
        let mut into = AttrMap::default();
        into.insert("k", a);
        let mut other = AttrMap::default();
        other.insert("k", b);
        combine_attributes(&mut into, other, &policy);
        into.remove("k").unwrap().value
    }

    #[test]
    fn each_strategy_picks_as_documented() {
        use MergeStrategy::*;
        assert_eq!(merged(Newest, at("old", 1), at("new", 2)), "new".into());
        assert_eq!(merged(Oldest, at("old", 1), at("new", 2)), "old".into());
        assert_eq!(merged(FirstNonEmpty, at("", 1), at("x", 2)), "x".into());
        assert_eq!(merged(FirstNonEmpty, at("a", 1), at("b", 2)), "a".into());
        assert_eq!(
            merged(Sum, at(2i64, 1), at(3i64, 2)),
            AttributeValue::Int(5)
        );
        assert_eq!(
            merged(Sum, at(2i64, 1), at(0.5, 2)),
            AttributeValue::Float(2.5)
        );
        assert_eq!(merged(Sum, at("a", 1), at("b", 2)), "b".into());
        let l = |v: &[&str]| AttributeValue::List(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            merged(Union, at(l(&["b", "a"]), 1), at(l(&["c", "a"]), 2)),
            l(&["a", "b", "c"])
        );
    }

    #[test]
    fn ties_do_not_depend_on_argument_order() {
        for s in [
            MergeStrategy::Newest,
            MergeStrategy::Oldest,
            MergeStrategy::FirstNonEmpty,
        ] {
            assert_eq!(
                merged(s, at("x", 5), at("y", 5)),
                merged(s, at("y", 5), at("x", 5))
            );
        }
    }
}
