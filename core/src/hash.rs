//! The hash map used on hot paths: std's map with foldhash, a fast hasher seeded per process
//! (so keys from outside cannot be chosen to collide).

/// A `HashMap` with foldhash's randomly seeded fast hasher.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A `HashSet` with the same hasher.
pub(crate) type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
