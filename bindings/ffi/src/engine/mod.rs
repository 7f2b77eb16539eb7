//! The [`Engine`] object: opening, configuration, the clock and stats here; profiles and
//! events in `profiles.rs`, tags and segments in `segments.rs`, the relationship graph in
//! `graph.rs`, referral programmes and the points ledger in `referrals.rs`, engagement
//! scores, RFM, stage ladders, the churn model and the lifecycle measures in `lifecycle.rs`.
//!
//! Every method blocks the calling thread until the engine answers (writes are durable on
//! return in file mode). The object is shared (`Arc`) and thread-safe: reads run in
//! parallel, writes are serialised by the core. From Kotlin, run heavy calls on
//! `Dispatchers.IO`; from Swift, in a `Task` or on a background queue.

mod graph;
mod lifecycle;
mod profiles;
mod referrals;
mod segments;

use std::sync::Arc;
use std::time::SystemTime;

use crate::config::EngineConfig;
use crate::errors::Result;
use crate::stats::Stats;
use crate::time;

/// The social CRM engine. Close it (`close()` in Kotlin, end of scope in Swift) to release a
/// store file; the file stays locked while any reference is alive.
#[derive(uniffi::Object)]
pub struct Engine {
    inner: scrm::Engine,
}

impl Engine {
    fn wrap(inner: scrm::Engine) -> Arc<Self> {
        Arc::new(Engine { inner })
    }
}

#[uniffi::export]
impl Engine {
    /// An engine that keeps everything in memory (nothing survives the process).
    #[uniffi::constructor]
    pub fn in_memory() -> Arc<Self> {
        Engine::wrap(scrm::Engine::in_memory())
    }

    /// An in-memory engine with a configuration.
    #[uniffi::constructor]
    pub fn in_memory_with(config: EngineConfig) -> Result<Arc<Self>> {
        Ok(Engine::wrap(scrm::Engine::in_memory_with(
            config.into_core(),
        )?))
    }

    /// Opens or creates a durable store file with the default configuration; the in-memory
    /// indexes are rebuilt from it (blocking: proportional to the file's size).
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>> {
        Ok(Engine::wrap(scrm::Engine::open(path)?))
    }

    /// Opens or creates a durable store file with a configuration.
    #[uniffi::constructor]
    pub fn open_with(path: String, config: EngineConfig) -> Result<Arc<Self>> {
        Ok(Engine::wrap(scrm::Engine::open_with(
            path,
            config.into_core(),
        )?))
    }

    /// The configuration the engine runs with, every field filled in.
    pub fn config(&self) -> EngineConfig {
        EngineConfig::from_core(self.inner.config())
    }

    /// The engine's current time.
    pub fn now(&self) -> SystemTime {
        time::from_core(self.inner.now())
    }

    /// Sets a manual clock, or returns to the system clock with `null`. Time windows in
    /// segments (`events(purchase, 30d)`) end at this clock.
    #[uniffi::method(default(at = None))]
    pub fn set_clock(&self, at: Option<SystemTime>) -> Result<()> {
        let at = time::optional(|| "clock".to_string(), at)?;
        Ok(self.inner.set_clock(at)?)
    }

    /// Sizes of the engine's contents.
    pub fn stats(&self) -> Stats {
        self.inner.stats().into()
    }

    /// Brings every saved segment and tag rule to the current clock now, instead of at the
    /// next read or write.
    pub fn refresh(&self) {
        self.inner.refresh()
    }
}
