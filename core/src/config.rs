//! Engine configuration: identity normalisation and the merge policy.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::identity::IdentityConfig;
use crate::merge::MergePolicy;
use crate::names::check_key;

/// How an engine resolves identities. Not stored in the file: pass the same configuration
/// each time a store is opened.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    /// Identity normalisation.
    pub identity: IdentityConfig,
    /// Identity resolution and attribute merge strategies.
    pub merge: MergePolicy,
}

impl EngineConfig {
    /// Checks the configuration.
    pub fn validate(&self) -> Result<()> {
        self.identity.validate()?;
        for key in self.merge.strategies.keys() {
            check_key(|| format!("merge.strategies.{key}"), key)?;
        }
        Ok(())
    }
}
