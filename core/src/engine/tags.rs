//! Tagging customers by id or by segment, and reading tags back.

use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use super::Engine;
use crate::error::{invalid, unknown_customer, Result};
use crate::segment::{self, Ctx};
use crate::state::State;
use crate::tags::{TagAssignment, TagMeta, TagReport, TagSource};
use crate::writes::ProfileTxn;

/// Which customers a tagging call addresses.
enum Targets<'a> {
    Ids(&'a [String]),
    Segment(&'a str),
}

/// How many customers carry a tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    /// Tag name.
    pub tag: String,
    /// Number of live customers carrying it.
    pub customers: u64,
}

impl Engine {
    /// Sets tags on customers by external id (all or nothing). Tags already present keep
    /// their original time and source.
    pub fn tag_customers(
        &self,
        ids: &[String],
        tags: &[String],
        source: TagSource,
    ) -> Result<TagReport> {
        self.retag(Targets::Ids(ids), tags, Some(source))
    }

    /// Removes tags from customers by external id.
    pub fn untag_customers(&self, ids: &[String], tags: &[String]) -> Result<TagReport> {
        self.retag(Targets::Ids(ids), tags, None)
    }

    /// Sets tags on every customer matching a segment expression.
    pub fn tag_segment(
        &self,
        expression: &str,
        tags: &[String],
        source: TagSource,
    ) -> Result<TagReport> {
        self.retag(Targets::Segment(expression), tags, Some(source))
    }

    /// Removes tags from every customer matching a segment expression.
    pub fn untag_segment(&self, expression: &str, tags: &[String]) -> Result<TagReport> {
        self.retag(Targets::Segment(expression), tags, None)
    }

    /// A customer's tags, sorted by name.
    pub fn tags_of(&self, id: &str) -> Result<Vec<TagAssignment>> {
        self.read(|s| {
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(s.render_tags(idx))
        })
    }

    /// Every tag in use with its number of customers, sorted by name.
    pub fn tag_counts(&self) -> Vec<TagCount> {
        self.read(|s| {
            let mut counts: Vec<TagCount> = s
                .tags
                .by_tag
                .iter()
                .filter(|(_, entry)| !entry.members.is_empty())
                .map(|(tag, entry)| TagCount {
                    tag: s.symbols.name(*tag).to_string(),
                    customers: entry.members.len(),
                })
                .collect();
            counts.sort_by(|a, b| a.tag.cmp(&b.tag));
            counts
        })
    }

    fn retag(
        &self,
        targets: Targets,
        tags: &[String],
        source: Option<TagSource>,
    ) -> Result<TagReport> {
        let expr = match targets {
            Targets::Segment(text) => Some(segment::parse(text)?),
            Targets::Ids(_) => None,
        };
        let now = self.clock_micros();
        let meta = source.map(|source| TagMeta {
            set_at: now,
            source,
        });
        self.write(|state| {
            let customers = match (&targets, &expr) {
                (Targets::Segment(_), Some(expr)) => {
                    let ctx = Ctx { state, now };
                    expr.check(&ctx)?;
                    expr.evaluate(&ctx, &state.index.live).into_roaring()
                }
                (Targets::Ids(ids), _) => resolve_all(state, ids)?,
                (Targets::Segment(_), None) => RoaringBitmap::new(),
            };
            let mut txn = ProfileTxn::new(state, &self.config.merge);
            let tag_ids = txn.tag_ids(tags)?;
            let report = txn.retag(&customers, &tag_ids, meta);
            Ok((txn.into_changes(), report))
        })
    }
}

/// Resolves external ids to live profiles, naming the first unknown one.
fn resolve_all(state: &State, ids: &[String]) -> Result<RoaringBitmap> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            state
                .resolve(id)
                .ok_or_else(|| invalid(format!("ids[{i}]"), format!("unknown customer {id:?}")))
        })
        .collect()
}
