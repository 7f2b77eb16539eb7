//! Saved segments and tag rules: defining them, reading their members and their changes.

use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use super::Engine;
use crate::error::{Error, Result};
use crate::segment::{
    self, describe, Ctx, Deps, LiveNode, NodeKey, PackedPage, SegmentError, SegmentErrorKind,
    SegmentPage, NEVER,
};
use crate::state::{Changes, LiveOp, State};
use crate::tags::check_tag;

/// A saved segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSegmentInfo {
    /// Name.
    pub name: String,
    /// Expression in canonical form.
    pub expression: String,
    /// Current number of members.
    pub members: u64,
    /// Whether membership moves with the clock (time windows, directly or through references).
    pub timed: bool,
}

/// A tag rule: the tag is on exactly the customers matching the expression.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRuleInfo {
    /// The tag it sets.
    pub tag: String,
    /// Expression in canonical form.
    pub expression: String,
    /// Current number of matching customers.
    pub members: u64,
    /// Whether membership moves with the clock.
    pub timed: bool,
}

/// Who entered and who left a saved segment since its last checkpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentChanges {
    /// External ids of customers who are members now but were not at the checkpoint.
    pub entered: Vec<String>,
    /// External ids of customers who were members at the checkpoint but are not now.
    pub left: Vec<String>,
}

fn not_found(entity: &'static str, key: &str) -> Error {
    Error::NotFound {
        entity,
        key: key.to_string(),
    }
}

impl Engine {
    /// Saves (or replaces) a named segment; the engine keeps its membership current after
    /// every write and as the clock moves. Replacing keeps the checkpoint.
    ///
    /// ```
    /// let engine = scrm::Engine::in_memory();
    /// engine.save_segment("vip", "tag:vip")?;
    /// engine.save_segment("vip_buyers", "segment:vip and events(purchase) >= 1")?;
    /// assert!(engine.save_segment("vip", "segment:vip_buyers").is_err()); // a cycle
    /// # Ok::<(), scrm::Error>(())
    /// ```
    pub fn save_segment(&self, name: &str, expression: &str) -> Result<SavedSegmentInfo> {
        check_tag("name", name)?;
        self.define(NodeKey::Segment(name.to_string()), expression)?;
        self.read(|s| Ok(segment_info(s, name)))
    }

    /// Adds (or replaces) a tag rule: the tag is set on every customer matching the
    /// expression and removed, if the rule set it, when they stop matching.
    pub fn add_tag_rule(&self, tag: &str, expression: &str) -> Result<TagRuleInfo> {
        check_tag("tag", tag)?;
        self.define(NodeKey::Rule(tag.to_string()), expression)?;
        self.read(|s| Ok(rule_info(s, tag)))
    }

    /// Drops a saved segment. Fails if other segments or rules read it.
    pub fn drop_segment(&self, name: &str) -> Result<()> {
        self.undefine(NodeKey::Segment(name.to_string()), "segment")
    }

    /// Drops a tag rule and clears the tags it set.
    pub fn drop_tag_rule(&self, tag: &str) -> Result<()> {
        self.undefine(NodeKey::Rule(tag.to_string()), "tag rule")
    }

    /// Every saved segment, in dependency order.
    pub fn saved_segments(&self) -> Vec<SavedSegmentInfo> {
        self.read(|s| {
            s.segments
                .nodes
                .iter()
                .filter_map(|n| match &n.key {
                    NodeKey::Segment(name) => Some(segment_info(s, name)),
                    NodeKey::Rule(_) | NodeKey::Stage { .. } => None,
                })
                .collect()
        })
    }

    /// Every tag rule, in dependency order.
    pub fn tag_rules(&self) -> Vec<TagRuleInfo> {
        self.read(|s| {
            s.segments
                .nodes
                .iter()
                .filter_map(|n| match &n.key {
                    NodeKey::Rule(tag) => Some(rule_info(s, tag)),
                    NodeKey::Segment(_) | NodeKey::Stage { .. } => None,
                })
                .collect()
        })
    }

    /// Members of a saved segment, paged like [`Engine::query`].
    pub fn segment_members(
        &self,
        name: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<SegmentPage> {
        self.members_with(name, |s, m| {
            super::segments::page(s, m.iter(), m.len(), offset, limit)
        })
    }

    /// The page [`segment_members`](Self::segment_members) gives, its ids packed into one
    /// string.
    pub fn segment_members_packed(
        &self,
        name: &str,
        offset: u64,
        limit: Option<u64>,
    ) -> Result<PackedPage> {
        self.members_with(name, |s, m| {
            super::segments::packed_page(s, m.iter(), m.len(), offset, limit)
        })
    }

    /// A saved segment's members, made into a page by `pager`.
    fn members_with<P>(
        &self,
        name: &str,
        pager: impl FnOnce(&State, &RoaringBitmap) -> P,
    ) -> Result<P> {
        self.read(|s| {
            let members = s
                .segments
                .members(name)
                .ok_or_else(|| not_found("segment", name))?;
            Ok(pager(s, members))
        })
    }

    /// Who entered and who left a saved segment since its last checkpoint.
    pub fn segment_changes(&self, name: &str) -> Result<SegmentChanges> {
        self.read(|s| changes_of(s, name))
    }

    /// Returns the changes since the last checkpoint and moves the checkpoint to now, so
    /// the next call reports only what happens after this one. Durable in file mode.
    pub fn checkpoint_segment(&self, name: &str) -> Result<SegmentChanges> {
        self.write(|state| {
            let changes = changes_of(state, name)?;
            let live = vec![LiveOp::Checkpoint(name.to_string())];
            Ok((
                Changes {
                    live,
                    ..Changes::default()
                },
                changes,
            ))
        })
    }

    /// Brings every saved segment and tag rule to the current clock now, instead of at the
    /// next read or write.
    pub fn refresh(&self) {
        let now = self.clock_micros();
        self.refresh_at(now);
    }

    fn define(&self, key: NodeKey, expression: &str) -> Result<()> {
        let expr = segment::parse(expression)?;
        let now = self.clock_micros();
        self.write(|state| {
            expr.check(&Ctx { state, now })?;
            let mut deps = Deps::default();
            expr.deps(&mut deps);
            state
                .segments
                .check(&key, &deps)
                .map_err(|cycle| SegmentError {
                    kind: SegmentErrorKind::Cycle,
                    message: format!("this would make a cycle through {}", describe(&cycle)),
                    line: 1,
                    column: 1,
                })?;
            let node = LiveNode {
                key,
                text: expr.to_string(),
                expr,
                deps,
                timed: false,
                members: RoaringBitmap::new(),
                checkpoint: RoaringBitmap::new(),
                evaluated_at: NEVER,
            };
            let live = vec![LiveOp::Define(Box::new(node))];
            Ok((
                Changes {
                    live,
                    ..Changes::default()
                },
                (),
            ))
        })
    }

    fn undefine(&self, key: NodeKey, entity: &'static str) -> Result<()> {
        self.write(|state| {
            let name = match &key {
                NodeKey::Segment(n) | NodeKey::Rule(n) | NodeKey::Stage { ladder: n, .. } => n,
            };
            state
                .segments
                .find(&key)
                .ok_or_else(|| not_found(entity, name))?;
            let readers: Vec<NodeKey> = state
                .segments
                .dependents(&key)
                .into_iter()
                .cloned()
                .collect();
            if !readers.is_empty() {
                return Err(Error::Conflict {
                    reason: format!("{entity} {name:?} is read by {}", describe(&readers)),
                });
            }
            let live = vec![LiveOp::Drop(key.clone())];
            Ok((
                Changes {
                    live,
                    ..Changes::default()
                },
                (),
            ))
        })
    }
}

fn node_stats(state: &State, key: &NodeKey) -> (String, u64, bool) {
    match state.segments.find(key) {
        Some(i) => {
            let n = &state.segments.nodes[i];
            (n.text.clone(), n.members.len(), n.timed)
        }
        None => (String::new(), 0, false),
    }
}

fn segment_info(state: &State, name: &str) -> SavedSegmentInfo {
    let (expression, members, timed) = node_stats(state, &NodeKey::Segment(name.to_string()));
    SavedSegmentInfo {
        name: name.to_string(),
        expression,
        members,
        timed,
    }
}

fn rule_info(state: &State, tag: &str) -> TagRuleInfo {
    let (expression, members, timed) = node_stats(state, &NodeKey::Rule(tag.to_string()));
    TagRuleInfo {
        tag: tag.to_string(),
        expression,
        members,
        timed,
    }
}

fn changes_of(state: &State, name: &str) -> Result<SegmentChanges> {
    let key = NodeKey::Segment(name.to_string());
    let i = state
        .segments
        .find(&key)
        .ok_or_else(|| not_found("segment", name))?;
    let node = &state.segments.nodes[i];
    let ids = |set: RoaringBitmap| -> Vec<String> {
        set.iter().map(|idx| state.external_id(idx)).collect()
    };
    Ok(SegmentChanges {
        entered: ids(&node.members - &node.checkpoint),
        left: ids(&node.checkpoint - &node.members),
    })
}
