//! The `Engine` class: opening and closing, the clock and statistics. The other calls live
//! in the submodules, one per area of the core API.
//!
//! Heavy calls return Promises and run on the libuv thread pool; the rest run on the
//! JavaScript thread. Every call is a core call and a conversion, nothing more.

mod customers;
mod events;
mod graph;
mod lifecycle;
mod referrals;
mod segments;
mod tags;

use std::sync::{Arc, PoisonError, RwLock};

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Task};
use napi_derive::napi;

use crate::errors::{check, closed};
use crate::task::{spawn, Job};
use crate::types::config::{EngineConfig, EngineOptions};
use crate::types::stats::Stats;
use crate::types::time::{optional, DateInput};

/// The social CRM engine: in memory, or durable in one store file.
///
/// ```js
/// const { Engine } = require('scrm')
/// const engine = new Engine()                      // in memory
/// const durable = new Engine({ path: 'crm.scrm' }) // one SQLite file, locked while open
/// ```
#[napi]
pub struct Engine {
    /// The core engine; `None` once closed. Async calls hold their own reference.
    inner: RwLock<Option<Arc<scrm::Engine>>>,
}

impl Engine {
    fn wrap(engine: scrm::Engine) -> Self {
        Engine {
            inner: RwLock::new(Some(Arc::new(engine))),
        }
    }

    /// The core engine, or `None` once closed (Promise calls reject then).
    fn shared(&self) -> Option<Arc<scrm::Engine>> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        inner.as_ref().map(Arc::clone)
    }

    /// The core engine, or a `STORE` error once closed.
    fn core(&self, env: &Env) -> napi::Result<Arc<scrm::Engine>> {
        self.shared().ok_or_else(|| closed(env))
    }
}

/// Opens the engine the options describe.
fn open(options: Option<EngineOptions>) -> scrm::Result<scrm::Engine> {
    let (path, config) = match options {
        Some(o) => (o.path, o.config.map(EngineConfig::into_core)),
        None => (None, None),
    };
    let config = config.unwrap_or_default();
    match path {
        Some(path) => scrm::Engine::open_with(path, config),
        None => scrm::Engine::in_memory_with(config),
    }
}

/// Opens a store file on the thread pool (reopening rebuilds the indexes from the file).
pub struct OpenTask(Option<EngineOptions>);

impl Task for OpenTask {
    type Output = scrm::Result<scrm::Engine>;
    type JsValue = Engine;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(open(self.0.take()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Engine> {
        check(&env, output).map(Engine::wrap)
    }
}

#[napi]
impl Engine {
    /// Opens an engine: in memory without `path`, else the store file at `path` (created if
    /// missing). Opening a large store rebuilds its indexes; `Engine.open` does that off the
    /// main thread.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<EngineOptions>) -> napi::Result<Self> {
        check(&env, open(options)).map(Engine::wrap)
    }

    /// Like `new Engine(options)`, but opens the store on the thread pool.
    #[napi(ts_return_type = "Promise<Engine>")]
    pub fn open(options: Option<EngineOptions>) -> AsyncTask<OpenTask> {
        AsyncTask::new(OpenTask(options))
    }

    /// Releases the engine (and the lock on its store file once running calls finish).
    /// Later calls throw a `STORE` error. Closing twice is harmless.
    #[napi]
    pub fn close(&self) {
        self.inner
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }

    /// The configuration the engine runs with, every field filled in.
    #[napi]
    pub fn config(&self, env: Env) -> napi::Result<EngineConfig> {
        Ok(EngineConfig::from_core(self.core(&env)?.config()))
    }

    /// Sizes of the engine's contents.
    #[napi]
    pub fn stats(&self, env: Env) -> napi::Result<Stats> {
        Ok(self.core(&env)?.stats().into())
    }

    /// The engine clock: the system clock, or the manual one `setClock` set.
    #[napi]
    pub fn now(&self, env: Env) -> napi::Result<DateTime<Utc>> {
        Ok(self.core(&env)?.now())
    }

    /// Sets a manual clock, or returns to the system clock without an argument (or `null`).
    /// Segment time windows end at this clock.
    #[napi]
    pub fn set_clock(&self, env: Env, at: Option<DateInput>) -> napi::Result<()> {
        let engine = self.core(&env)?;
        check(
            &env,
            optional(&at, || "clock".to_string()).and_then(|at| engine.set_clock(at)),
        )
    }

    /// Brings every saved segment and tag rule to the current clock now, instead of at the
    /// next read or write.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn refresh(&self) -> AsyncTask<Job<(), ()>> {
        spawn(
            self.shared(),
            |e| {
                e.refresh();
                Ok(())
            },
            |()| (),
        )
    }
}
