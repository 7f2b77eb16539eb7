//! Tags, segment queries, saved segments and tag rules.

use super::Engine;
use crate::errors::Result;
use crate::segment::{Explanation, SavedSegmentInfo, SegmentChanges, SegmentPage, TagRuleInfo};
use crate::tags::{TagAssignment, TagCount, TagReport, TagSource};

/// The core source; `Manual` when not given, as in the core's default.
fn source(source: Option<TagSource>) -> scrm::TagSource {
    source.map(Into::into).unwrap_or_default()
}

#[uniffi::export]
impl Engine {
    /// Sets tags on customers by external id (all or nothing). Tags already present keep
    /// their original time and source.
    #[uniffi::method(default(source = None))]
    pub fn tag_customers(
        &self,
        ids: Vec<String>,
        tags: Vec<String>,
        source: Option<TagSource>,
    ) -> Result<TagReport> {
        let report = self
            .inner
            .tag_customers(&ids, &tags, self::source(source))?;
        Ok(report.into())
    }

    /// Removes tags from customers by external id.
    pub fn untag_customers(&self, ids: Vec<String>, tags: Vec<String>) -> Result<TagReport> {
        Ok(self.inner.untag_customers(&ids, &tags)?.into())
    }

    /// Sets tags on every customer matching a segment expression.
    #[uniffi::method(default(source = None))]
    pub fn tag_segment(
        &self,
        expression: String,
        tags: Vec<String>,
        source: Option<TagSource>,
    ) -> Result<TagReport> {
        let report = self
            .inner
            .tag_segment(&expression, &tags, self::source(source))?;
        Ok(report.into())
    }

    /// Removes tags from every customer matching a segment expression.
    pub fn untag_segment(&self, expression: String, tags: Vec<String>) -> Result<TagReport> {
        Ok(self.inner.untag_segment(&expression, &tags)?.into())
    }

    /// A customer's tags, sorted by name.
    pub fn tags_of(&self, id: String) -> Result<Vec<TagAssignment>> {
        Ok(self
            .inner
            .tags_of(&id)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Every tag in use with its number of customers, sorted by name.
    pub fn tag_counts(&self) -> Vec<TagCount> {
        self.inner
            .tag_counts()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Number of customers matching a segment expression.
    pub fn count(&self, expression: String) -> Result<u64> {
        Ok(self.inner.count(&expression)?)
    }

    /// Members of a segment: `limit` of them (all when `null`) from position `offset`, in
    /// creation order, with the total count. No cap on the page size.
    #[uniffi::method(default(offset = 0, limit = None))]
    pub fn query(
        &self,
        expression: String,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<SegmentPage> {
        Ok(self.inner.query(&expression, offset, limit)?.into())
    }

    /// Why a customer is or is not in a segment, predicate by predicate.
    pub fn explain(&self, id: String, expression: String) -> Result<Explanation> {
        Ok(self.inner.explain(&id, &expression)?.into())
    }

    /// Saves (or replaces) a named segment, kept current after every write and as the
    /// clock moves. Replacing keeps the checkpoint.
    pub fn save_segment(&self, name: String, expression: String) -> Result<SavedSegmentInfo> {
        Ok(self.inner.save_segment(&name, &expression)?.into())
    }

    /// Adds (or replaces) a tag rule: the tag is set on every matching customer and removed,
    /// if the rule set it, when they stop matching.
    pub fn add_tag_rule(&self, tag: String, expression: String) -> Result<TagRuleInfo> {
        Ok(self.inner.add_tag_rule(&tag, &expression)?.into())
    }

    /// Drops a saved segment. Fails (`Conflict`) if other segments or rules read it.
    pub fn drop_segment(&self, name: String) -> Result<()> {
        Ok(self.inner.drop_segment(&name)?)
    }

    /// Drops a tag rule and clears the tags it set.
    pub fn drop_tag_rule(&self, tag: String) -> Result<()> {
        Ok(self.inner.drop_tag_rule(&tag)?)
    }

    /// Every saved segment, in dependency order.
    pub fn saved_segments(&self) -> Vec<SavedSegmentInfo> {
        self.inner
            .saved_segments()
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Every tag rule, in dependency order.
    pub fn tag_rules(&self) -> Vec<TagRuleInfo> {
        self.inner.tag_rules().into_iter().map(Into::into).collect()
    }

    /// Members of a saved segment, paged like `query`.
    #[uniffi::method(default(offset = 0, limit = None))]
    pub fn segment_members(
        &self,
        name: String,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<SegmentPage> {
        Ok(self.inner.segment_members(&name, offset, limit)?.into())
    }

    /// Who entered and who left a saved segment since its last checkpoint.
    pub fn segment_changes(&self, name: String) -> Result<SegmentChanges> {
        Ok(self.inner.segment_changes(&name)?.into())
    }

    /// The changes since the last checkpoint; moves the checkpoint to now.
    pub fn checkpoint_segment(&self, name: String) -> Result<SegmentChanges> {
        Ok(self.inner.checkpoint_segment(&name)?.into())
    }
}
