//! Keeping saved segments and tag rules current after every write and as the clock moves.

use roaring::RoaringBitmap;

use super::State;
use crate::segment::{Ctx, NodeKey, NEVER};
use crate::tags::{TagMeta, TagSource};

impl State {
    /// Re-evaluates every live node, in dependency order, for the customers whose facts
    /// changed (`touched`), and fully for nodes never evaluated or whose clock moved.
    /// Rule nodes set their tag on members and clear it (if they set it) on leavers; the
    /// customers they change count as touched for the nodes after them.
    pub fn maintain(&mut self, touched: RoaringBitmap, now: i64) {
        let mut dirty = touched;
        for i in 0..self.segments.nodes.len() {
            let node = &self.segments.nodes[i];
            let full = node.evaluated_at == NEVER || (node.timed && node.evaluated_at != now);
            if !full && dirty.is_empty() {
                continue;
            }
            let scope = if full {
                &self.index.live | &node.members
            } else {
                dirty.clone()
            };
            let matched = {
                let ctx = Ctx { state: self, now };
                node.expr.select(&ctx, &(&scope & &self.index.live))
            };
            let before = &node.members & &scope;
            let added = &matched - &before;
            let removed = &before - &matched;
            let node = &mut self.segments.nodes[i];
            node.members -= &removed;
            node.members |= &added;
            node.evaluated_at = now;
            if let NodeKey::Rule(tag) = &node.key {
                let tag = tag.clone();
                dirty |= self.apply_rule(&tag, &matched, &removed, now);
            }
            dirty |= added;
            dirty |= removed;
        }
    }

    /// Makes sure `members` carry `tag` and rule-set copies leave `leavers`; returns the
    /// customers whose tags changed.
    fn apply_rule(
        &mut self,
        tag: &str,
        members: &RoaringBitmap,
        leavers: &RoaringBitmap,
        now: i64,
    ) -> RoaringBitmap {
        let sym = self.symbols.intern(tag);
        let entry = self.tags.by_tag.entry(sym).or_default();
        let meta = TagMeta {
            set_at: now,
            source: TagSource::Rule,
        };
        entry.set(members, meta) | entry.remove(leavers, Some(TagSource::Rule))
    }

    /// Clears the tags a dropped rule had set.
    pub fn clear_rule_tags(&mut self, tag: &str) {
        let entry = self
            .symbols
            .get(tag)
            .and_then(|sym| self.tags.by_tag.get_mut(&sym));
        if let Some(entry) = entry {
            let members = entry.members.clone();
            entry.remove(&members, Some(TagSource::Rule));
        }
    }
}
