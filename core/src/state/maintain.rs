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
        let mut changed = RoaringBitmap::new();
        let index = self.index.tags.entry(sym).or_default();
        for idx in members {
            let tags = &mut self.customers[idx as usize].tags;
            if let std::collections::btree_map::Entry::Vacant(slot) = tags.entry(sym) {
                slot.insert(TagMeta {
                    set_at: now,
                    source: TagSource::Rule,
                });
                index.insert(idx);
                changed.insert(idx);
            }
        }
        for idx in leavers {
            let tags = &mut self.customers[idx as usize].tags;
            if tags.get(&sym).is_some_and(|m| m.source == TagSource::Rule) {
                tags.remove(&sym);
                index.remove(idx);
                changed.insert(idx);
            }
        }
        changed
    }

    /// Clears the tags a dropped rule had set.
    pub fn clear_rule_tags(&mut self, tag: &str) {
        if let Some(sym) = self.symbols.get(tag) {
            let members = self.index.tags.get(&sym).cloned().unwrap_or_default();
            for idx in &members {
                let tags = &mut self.customers[idx as usize].tags;
                if tags.get(&sym).is_some_and(|m| m.source == TagSource::Rule) {
                    tags.remove(&sym);
                    if let Some(index) = self.index.tags.get_mut(&sym) {
                        index.remove(idx);
                    }
                }
            }
        }
    }
}
