//! Engine configuration: identity normalisation and the merge policy. Every field has a
//! default, so `EngineConfig()` in Kotlin is the core's default configuration; `null`
//! policies mean the core's default. [`crate::Engine::config`] returns every field filled in.

use std::collections::HashMap;

/// How an engine resolves identities. Not stored in the file: pass the same configuration
/// each time a store is opened.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct EngineConfig {
    /// Identity normalisation.
    #[uniffi(default)]
    pub identity: IdentityConfig,
    /// Identity resolution and attribute merge strategies.
    #[uniffi(default)]
    pub merge: MergePolicy,
}

/// How identity values are normalised.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct IdentityConfig {
    /// Country calling code (digits, e.g. `"86"`) given to phone numbers without `+` or `00`.
    #[uniffi(default)]
    pub default_country_code: Option<String>,
}

/// The identity-resolution policy.
#[derive(Clone, Debug, Default, PartialEq, uniffi::Record)]
pub struct MergePolicy {
    /// What an upsert does when it brings an identity another customer owns (`null`: the
    /// core's default, `Merge`).
    #[uniffi(default)]
    pub on_collision: Option<CollisionPolicy>,
    /// What happens when both colliding profiles are identified (`null`: `Merge`).
    #[uniffi(default)]
    pub identified: Option<IdentifiedPolicy>,
    /// Strategy for attributes not listed in `strategies` (`null`: `Newest`).
    #[uniffi(default)]
    pub default_strategy: Option<MergeStrategy>,
    /// Strategy per attribute key.
    #[uniffi(default)]
    pub strategies: HashMap<String, MergeStrategy>,
}

/// What an upsert does when it brings an identity that already belongs to another customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CollisionPolicy {
    /// Merge the two profiles.
    Merge,
    /// Reject the whole upsert with a `Conflict` error.
    Reject,
}

/// What happens when both colliding profiles are identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum IdentifiedPolicy {
    /// Merge them like any other collision.
    Merge,
    /// Record an identity conflict for a person to resolve instead.
    Flag,
}

/// How two values of one attribute combine when profiles merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
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
        config.identity.default_country_code = self.identity.default_country_code;
        let policy = &mut config.merge;
        if let Some(p) = self.merge.on_collision {
            policy.on_collision = match p {
                CollisionPolicy::Merge => scrm::CollisionPolicy::Merge,
                CollisionPolicy::Reject => scrm::CollisionPolicy::Reject,
            };
        }
        if let Some(p) = self.merge.identified {
            policy.identified = match p {
                IdentifiedPolicy::Merge => scrm::IdentifiedPolicy::Merge,
                IdentifiedPolicy::Flag => scrm::IdentifiedPolicy::Flag,
            };
        }
        if let Some(s) = self.merge.default_strategy {
            policy.default_strategy = s.into();
        }
        policy.strategies = self
            .merge
            .strategies
            .into_iter()
            .map(|(k, s)| (k, s.into()))
            .collect();
        config
    }

    /// The configuration an engine runs with.
    pub fn from_core(config: &scrm::EngineConfig) -> Self {
        let merge = &config.merge;
        EngineConfig {
            identity: IdentityConfig {
                default_country_code: config.identity.default_country_code.clone(),
            },
            merge: MergePolicy {
                on_collision: Some(match merge.on_collision {
                    scrm::CollisionPolicy::Merge => CollisionPolicy::Merge,
                    scrm::CollisionPolicy::Reject => CollisionPolicy::Reject,
                }),
                identified: Some(match merge.identified {
                    scrm::IdentifiedPolicy::Merge => IdentifiedPolicy::Merge,
                    scrm::IdentifiedPolicy::Flag => IdentifiedPolicy::Flag,
                }),
                default_strategy: Some(merge.default_strategy.into()),
                strategies: merge
                    .strategies
                    .iter()
                    .map(|(k, s)| (k.clone(), (*s).into()))
                    .collect(),
            },
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
