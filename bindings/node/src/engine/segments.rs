//! Segment queries, saved segments with their changes, and tag rules.

use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;

use super::Engine;
use crate::errors::check;
use crate::task::{spawn, Job};
use crate::types::segment::{
    Explanation, SavedSegmentInfo, SegmentChanges, SegmentPage, TagRuleInfo,
};
use crate::types::whole;

/// The core's `offset` (default 0) and `limit` (default: all).
fn paging(offset: Option<f64>, limit: Option<f64>) -> scrm::Result<(u64, Option<u64>)> {
    let offset = offset.map(|n| whole("offset", n)).transpose()?;
    let limit = limit.map(|n| whole("limit", n)).transpose()?;
    Ok((offset.unwrap_or(0), limit))
}

#[napi]
impl Engine {
    /// Number of customers matching a segment expression, off the main thread.
    #[napi(ts_return_type = "Promise<number>")]
    pub fn count(&self, expression: String) -> AsyncTask<Job<u64, f64>> {
        spawn(
            self.shared(),
            move |e| e.count(&expression),
            crate::types::count,
        )
    }

    /// Members of a segment in creation order: `limit` of them (all when not given) from
    /// position `offset` (default 0), with the total. Off the main thread.
    #[napi(ts_return_type = "Promise<SegmentPage>")]
    pub fn query(
        &self,
        expression: String,
        offset: Option<f64>,
        limit: Option<f64>,
    ) -> AsyncTask<Job<scrm::SegmentPage, SegmentPage>> {
        spawn(
            self.shared(),
            move |e| {
                let (offset, limit) = paging(offset, limit)?;
                e.query(&expression, offset, limit)
            },
            Into::into,
        )
    }

    /// Why a customer is or is not in a segment, predicate by predicate.
    #[napi]
    pub fn explain(&self, env: Env, id: String, expression: String) -> napi::Result<Explanation> {
        let engine = self.core(&env)?;
        check(&env, engine.explain(&id, &expression)).map(Into::into)
    }

    /// Saves (or replaces) a named segment kept current after every write and as the clock
    /// moves. Off the main thread (it evaluates the segment over every customer).
    #[napi(ts_return_type = "Promise<SavedSegmentInfo>")]
    pub fn save_segment(
        &self,
        name: String,
        expression: String,
    ) -> AsyncTask<Job<scrm::SavedSegmentInfo, SavedSegmentInfo>> {
        spawn(
            self.shared(),
            move |e| e.save_segment(&name, &expression),
            Into::into,
        )
    }

    /// Drops a saved segment. `CONFLICT` if other segments or rules read it.
    #[napi]
    pub fn drop_segment(&self, env: Env, name: String) -> napi::Result<()> {
        let engine = self.core(&env)?;
        check(&env, engine.drop_segment(&name))
    }

    /// Every saved segment, in dependency order.
    #[napi]
    pub fn saved_segments(&self, env: Env) -> napi::Result<Vec<SavedSegmentInfo>> {
        let segments = self.core(&env)?.saved_segments();
        Ok(segments.into_iter().map(Into::into).collect())
    }

    /// Members of a saved segment, paged like `query`.
    #[napi]
    pub fn segment_members(
        &self,
        env: Env,
        name: String,
        offset: Option<f64>,
        limit: Option<f64>,
    ) -> napi::Result<SegmentPage> {
        let engine = self.core(&env)?;
        let result = paging(offset, limit)
            .and_then(|(offset, limit)| engine.segment_members(&name, offset, limit));
        check(&env, result).map(Into::into)
    }

    /// Who entered and who left a saved segment since its last checkpoint.
    #[napi]
    pub fn segment_changes(&self, env: Env, name: String) -> napi::Result<SegmentChanges> {
        let engine = self.core(&env)?;
        check(&env, engine.segment_changes(&name)).map(Into::into)
    }

    /// Returns the changes since the last checkpoint and moves the checkpoint to now.
    #[napi]
    pub fn checkpoint_segment(&self, env: Env, name: String) -> napi::Result<SegmentChanges> {
        let engine = self.core(&env)?;
        check(&env, engine.checkpoint_segment(&name)).map(Into::into)
    }

    /// Adds (or replaces) a tag rule: the tag is on exactly the customers matching the
    /// expression. Off the main thread.
    #[napi(ts_return_type = "Promise<TagRuleInfo>")]
    pub fn add_tag_rule(
        &self,
        tag: String,
        expression: String,
    ) -> AsyncTask<Job<scrm::TagRuleInfo, TagRuleInfo>> {
        spawn(
            self.shared(),
            move |e| e.add_tag_rule(&tag, &expression),
            Into::into,
        )
    }

    /// Drops a tag rule and clears the tags it set.
    #[napi]
    pub fn drop_tag_rule(&self, env: Env, tag: String) -> napi::Result<()> {
        let engine = self.core(&env)?;
        check(&env, engine.drop_tag_rule(&tag))
    }

    /// Every tag rule, in dependency order.
    #[napi]
    pub fn tag_rules(&self, env: Env) -> napi::Result<Vec<TagRuleInfo>> {
        let rules = self.core(&env)?.tag_rules();
        Ok(rules.into_iter().map(Into::into).collect())
    }
}
