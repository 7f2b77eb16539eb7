//! A profile's attributes: a small sorted vector with inline keys. Most profiles hold a
//! handful of attributes, where a vector is a fraction of a B-tree's size (a B-tree node
//! reserves room for eleven entries).

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::StoredAttribute;

/// Attributes by key, sorted by key.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct AttrMap(Vec<(CompactString, StoredAttribute)>);

impl AttrMap {
    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The attribute under `key`.
    pub fn get(&self, key: &str) -> Option<&StoredAttribute> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// Sets `key`, returning the previous attribute.
    pub fn insert(&mut self, key: &str, attribute: StoredAttribute) -> Option<StoredAttribute> {
        match self.position(key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, attribute)),
            Err(i) => {
                self.0.insert(i, (key.into(), attribute));
                None
            }
        }
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) -> Option<StoredAttribute> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Keys whose attribute differs between `self` and `other` (added, removed or changed).
    pub fn changed_keys<'a>(&'a self, other: &'a AttrMap) -> impl Iterator<Item = &'a str> {
        let differs = |key: &str| self.get(key) != other.get(key);
        self.iter()
            .chain(other.iter())
            .map(|(k, _)| k)
            .filter(move |k| differs(k))
    }

    /// Attributes in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &StoredAttribute)> {
        self.0.iter().map(|(k, a)| (k.as_str(), a))
    }
}

impl IntoIterator for AttrMap {
    type Item = (CompactString, StoredAttribute);
    type IntoIter = std::vec::IntoIter<(CompactString, StoredAttribute)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for AttrMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for AttrMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, StoredAttribute>::deserialize(deserializer)?;
        Ok(AttrMap(
            map.into_iter().map(|(k, a)| (k.into(), a)).collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::AttributeValue;

    fn at(v: i64) -> StoredAttribute {
        StoredAttribute {
            value: AttributeValue::Int(v),
            set_at: 0,
        }
    }

    #[test]
    fn behaves_like_a_sorted_map() {
        let mut m = AttrMap::default();
        assert!(m.insert("b", at(2)).is_none());
        assert!(m.insert("a", at(1)).is_none());
        assert_eq!(m.insert("b", at(3)), Some(at(2)));
        assert_eq!(m.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.get("b"), Some(&at(3)));
        assert_eq!(m.remove("a"), Some(at(1)));
        assert_eq!(m.iter().count(), 1);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<AttrMap>(&json).unwrap(), m);
    }
}
