//! Work that runs off the JavaScript thread: a core call on the libuv thread pool whose
//! result (or error) is converted back on the main thread when its Promise settles. An
//! engine call ([`spawn`]) or a pure function of the core ([`spawn_pure`]) alike.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, ToNapiValue, TypeName};
use napi::{Env, Task};

use crate::errors::{check, closed};

/// A core call to run on the thread pool: None when its engine was closed.
type Work<O> = Box<dyn FnOnce() -> Option<scrm::Result<O>> + Send>;

/// One core call run as a napi `AsyncTask`; `O` is the core result, `J` its JavaScript form.
/// Without an engine (it was closed) the Promise rejects with a `STORE` error.
pub struct Job<O, J> {
    work: Option<Work<O>>,
    output: fn(O) -> J,
}

/// Runs `work` on `engine` on the thread pool and resolves with `output` of its result.
pub fn spawn<O, J>(
    engine: Option<Arc<scrm::Engine>>,
    work: impl FnOnce(&scrm::Engine) -> scrm::Result<O> + Send + 'static,
    output: fn(O) -> J,
) -> AsyncTask<Job<O, J>>
where
    O: Send + 'static,
    J: ToNapiValue + TypeName,
{
    AsyncTask::new(Job {
        work: Some(Box::new(move || engine.as_deref().map(work))),
        output,
    })
}

/// Runs `work`, which needs no engine, on the thread pool, like [`spawn`].
pub fn spawn_pure<O, J>(
    work: impl FnOnce() -> scrm::Result<O> + Send + 'static,
    output: fn(O) -> J,
) -> AsyncTask<Job<O, J>>
where
    O: Send + 'static,
    J: ToNapiValue + TypeName,
{
    AsyncTask::new(Job {
        work: Some(Box::new(move || Some(work()))),
        output,
    })
}

impl<O, J> Task for Job<O, J>
where
    O: Send + 'static,
    J: ToNapiValue + TypeName,
{
    /// `None` when the engine was closed.
    type Output = Option<scrm::Result<O>>;
    type JsValue = J;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let work = self
            .work
            .take()
            .ok_or_else(|| napi::Error::from_reason("an engine task ran twice"))?;
        Ok(work())
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<J> {
        match output {
            Some(result) => check(&env, result).map(self.output),
            None => Err(closed(&env)),
        }
    }
}
