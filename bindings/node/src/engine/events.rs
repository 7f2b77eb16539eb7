//! Recording events and reading a customer's history.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::event::{batch_into_core, Event, EventBatch, EventInput, IngestReport};

#[napi]
impl Engine {
    /// Records one event.
    #[napi]
    pub fn record_event(&self, env: Env, event: EventInput) -> napi::Result<IngestReport> {
        let engine = self.core(&env)?;
        let result = event
            .into_core(0)
            .and_then(|event| engine.record_event(&event));
        check(&env, result).map(Into::into)
    }

    /// Records a batch atomically (all of it, less duplicates, or nothing), off the main
    /// thread. Only reading the JavaScript objects happens on the main thread.
    #[napi(
        ts_args_type = "events: Array<EventInput>",
        ts_return_type = "Promise<IngestReport>"
    )]
    pub fn record_events(
        &self,
        events: EventBatch,
    ) -> AsyncTask<Job<scrm::IngestReport, IngestReport>> {
        spawn(
            self.shared(),
            move |e| e.record_events(&batch_into_core(events)?),
            Into::into,
        )
    }

    /// A customer's events (including those of profiles merged into it), oldest first.
    #[napi]
    pub fn events_of(&self, env: Env, id: String) -> napi::Result<Vec<Event>> {
        let engine = self.core(&env)?;
        check(&env, engine.events_of(&id))
            .map(|events| events.into_iter().map(Into::into).collect())
    }
}
