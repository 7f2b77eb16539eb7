//! Tagging customers by id or by segment, and reading tags back.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::tags::{TagAssignment, TagCount, TagReport, TagSource};

/// The core source; `manual` when not given, as in the core's default.
fn source(source: Option<TagSource>) -> scrm::TagSource {
    source.map(Into::into).unwrap_or_default()
}

#[napi]
impl Engine {
    /// Sets tags on customers by id (all or nothing). Tags already present keep their time
    /// and source.
    #[napi]
    pub fn tag_customers(
        &self,
        env: Env,
        ids: Vec<String>,
        tags: Vec<String>,
        source: Option<TagSource>,
    ) -> napi::Result<TagReport> {
        let engine = self.core(&env)?;
        let result = engine.tag_customers(&ids, &tags, self::source(source));
        check(&env, result).map(Into::into)
    }

    /// Removes tags from customers by id.
    #[napi]
    pub fn untag_customers(
        &self,
        env: Env,
        ids: Vec<String>,
        tags: Vec<String>,
    ) -> napi::Result<TagReport> {
        let engine = self.core(&env)?;
        check(&env, engine.untag_customers(&ids, &tags)).map(Into::into)
    }

    /// Sets tags on every customer matching a segment expression, off the main thread.
    #[napi(ts_return_type = "Promise<TagReport>")]
    pub fn tag_segment(
        &self,
        expression: String,
        tags: Vec<String>,
        source: Option<TagSource>,
    ) -> AsyncTask<Job<scrm::TagReport, TagReport>> {
        let source = self::source(source);
        spawn(
            self.shared(),
            move |e| e.tag_segment(&expression, &tags, source),
            Into::into,
        )
    }

    /// Removes tags from every customer matching a segment expression, off the main thread.
    #[napi(ts_return_type = "Promise<TagReport>")]
    pub fn untag_segment(
        &self,
        expression: String,
        tags: Vec<String>,
    ) -> AsyncTask<Job<scrm::TagReport, TagReport>> {
        spawn(
            self.shared(),
            move |e| e.untag_segment(&expression, &tags),
            Into::into,
        )
    }

    /// A customer's tags, sorted by name.
    #[napi]
    pub fn tags_of(&self, env: Env, id: String) -> napi::Result<Vec<TagAssignment>> {
        let engine = self.core(&env)?;
        check(&env, engine.tags_of(&id)).map(|tags| tags.into_iter().map(Into::into).collect())
    }

    /// Every tag in use with its number of customers, sorted by name.
    #[napi]
    pub fn tag_counts(&self, env: Env) -> napi::Result<Vec<TagCount>> {
        let counts = self.core(&env)?.tag_counts();
        Ok(counts.into_iter().map(Into::into).collect())
    }
}
