//! Engine options and configuration: identity normalisation and the merge policy.

use std::collections::HashMap;

use napi_derive::napi;

/// How `new Engine()` opens: in memory without `path`, else the store file at `path`.
#[napi(object, object_to_js = false)]
pub struct EngineOptions {
    /// Store file; created if missing. Without it, the engine keeps everything in memory.
    pub path: Option<String>,
    /// Configuration; not stored in the file, so pass the same one at each open.
    pub config: Option<EngineConfig>,
}

/// Identity normalisation and resolution policy.
#[napi(object)]
pub struct EngineConfig {
    /// Identity normalisation.
    pub identity: Option<IdentityConfig>,
    /// Identity resolution and attribute merge strategies.
    pub merge: Option<MergePolicy>,
}

/// How identity values are normalised.
#[napi(object)]
pub struct IdentityConfig {
    /// Country calling code (digits, e.g. `"86"`) given to phone numbers without `+` or `00`.
    pub default_country_code: Option<String>,
}

/// The identity-resolution policy.
#[napi(object)]
pub struct MergePolicy {
    /// What an upsert does when it brings an identity another customer owns (default `merge`).
    pub on_collision: Option<CollisionPolicy>,
    /// What happens when both colliding profiles are identified (default `merge`).
    pub identified: Option<IdentifiedPolicy>,
    /// Strategy for attributes not listed in `strategies` (default `newest`).
    pub default_strategy: Option<MergeStrategy>,
    /// Strategy per attribute key.
    pub strategies: Option<HashMap<String, MergeStrategy>>,
}

/// What an upsert does when it brings an identity that already belongs to another customer.
#[napi(string_enum = "snake_case")]
pub enum CollisionPolicy {
    /// Merge the two profiles.
    Merge,
    /// Reject the whole upsert with a `CONFLICT` error.
    Reject,
}

/// What happens when both colliding profiles are identified.
#[napi(string_enum = "snake_case")]
pub enum IdentifiedPolicy {
    /// Merge them like any other collision.
    Merge,
    /// Record an identity conflict for a person to resolve instead.
    Flag,
}

/// How two values of one attribute combine when profiles merge.
#[napi(string_enum = "snake_case")]
pub enum MergeStrategy {
    /// The value set most recently wins.
    Newest,
    /// The value set first wins.
    Oldest,
    /// Numbers are added.
    Sum,
    /// The earliest-set non-empty value wins.
    FirstNonEmpty,
    /// Lists are united into a sorted list without duplicates.
    Union,
}

impl EngineConfig {
    /// The core configuration.
    pub fn into_core(self) -> scrm::EngineConfig {
        let mut config = scrm::EngineConfig::default();
        if let Some(identity) = self.identity {
            config.identity.default_country_code = identity.default_country_code;
        }
        if let Some(merge) = self.merge {
            let policy = &mut config.merge;
            if let Some(p) = merge.on_collision {
                policy.on_collision = match p {
                    CollisionPolicy::Merge => scrm::CollisionPolicy::Merge,
                    CollisionPolicy::Reject => scrm::CollisionPolicy::Reject,
                };
            }
            if let Some(p) = merge.identified {
                policy.identified = match p {
                    IdentifiedPolicy::Merge => scrm::IdentifiedPolicy::Merge,
                    IdentifiedPolicy::Flag => scrm::IdentifiedPolicy::Flag,
                };
            }
            if let Some(s) = merge.default_strategy {
                policy.default_strategy = s.into();
            }
            for (key, s) in merge.strategies.into_iter().flatten() {
                policy.strategies.insert(key, s.into());
            }
        }
        config
    }

    /// The configuration an engine runs with, every field filled in.
    pub fn from_core(config: &scrm::EngineConfig) -> Self {
        let merge = &config.merge;
        EngineConfig {
            identity: Some(IdentityConfig {
                default_country_code: config.identity.default_country_code.clone(),
            }),
            merge: Some(MergePolicy {
                on_collision: Some(match merge.on_collision {
                    scrm::CollisionPolicy::Merge => CollisionPolicy::Merge,
                    scrm::CollisionPolicy::Reject => CollisionPolicy::Reject,
                }),
                identified: Some(match merge.identified {
                    scrm::IdentifiedPolicy::Merge => IdentifiedPolicy::Merge,
                    scrm::IdentifiedPolicy::Flag => IdentifiedPolicy::Flag,
                }),
                default_strategy: Some(merge.default_strategy.into()),
                strategies: Some(
                    merge
                        .strategies
                        .iter()
                        .map(|(k, s)| (k.clone(), (*s).into()))
                        .collect(),
                ),
            }),
        }
    }
}

impl From<MergeStrategy> for scrm::MergeStrategy {
    fn from(s: MergeStrategy) -> Self {
        match s {
            MergeStrategy::Newest => scrm::MergeStrategy::Newest,
            MergeStrategy::Oldest => scrm::MergeStrategy::Oldest,
            MergeStrategy::Sum => scrm::MergeStrategy::Sum,
            MergeStrategy::FirstNonEmpty => scrm::MergeStrategy::FirstNonEmpty,
            MergeStrategy::Union => scrm::MergeStrategy::Union,
        }
    }
}

impl From<scrm::MergeStrategy> for MergeStrategy {
    fn from(s: scrm::MergeStrategy) -> Self {
        match s {
            scrm::MergeStrategy::Newest => MergeStrategy::Newest,
            scrm::MergeStrategy::Oldest => MergeStrategy::Oldest,
            scrm::MergeStrategy::Sum => MergeStrategy::Sum,
            scrm::MergeStrategy::FirstNonEmpty => MergeStrategy::FirstNonEmpty,
            scrm::MergeStrategy::Union => MergeStrategy::Union,
        }
    }
}
