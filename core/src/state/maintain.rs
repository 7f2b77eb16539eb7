//! Keeping saved segments and tag rules current after every write and as the clock moves.

use roaring::RoaringBitmap;

use super::{Facts, State};
use crate::segment::{reads, Ctx, NodeKey, NEVER};
use crate::tags::{TagMeta, TagSource};

/// Up to this many touched customers, nodes are evaluated customer by customer.
const ROW_BY_ROW: u64 = 64;

/// What one evaluation of a node found.
#[derive(Default)]
struct Verdict {
    /// Everyone in the evaluated scope who matches (left empty by row-by-row evaluations
    /// of segments, which do not need it).
    matching: RoaringBitmap,
    /// Customers who became members.
    entered: RoaringBitmap,
    /// Customers who stopped being members.
    left: RoaringBitmap,
}

/// Moves a verdict's entrants into `members` and its leavers out: one by one when they are
/// few (a union with a bitmap copies each container it touches), with bitmap operations
/// when they are many.
fn update(members: &mut RoaringBitmap, verdict: &Verdict) {
    if verdict.entered.len() + verdict.left.len() <= ROW_BY_ROW {
        verdict.left.iter().for_each(|idx| {
            members.remove(idx);
        });
        members.extend(&verdict.entered);
    } else {
        *members -= &verdict.left;
        *members |= &verdict.entered;
    }
}

impl State {
    /// Re-evaluates, in dependency order, the live nodes that read what a write changed
    /// (for the customers it touched), and fully the nodes never evaluated or whose clock
    /// moved. A node whose membership moved counts as changed for the nodes reading it.
    /// Rule nodes set their tag on members and clear it (if they set it) on leavers; the
    /// customers they change count as touched for the nodes after them.
    pub fn maintain(&mut self, facts: Facts, now: i64) {
        let mut dirty = facts.touched;
        let mut moved: Vec<NodeKey> = Vec::new();
        // Customers whose stage nodes changed, by ladder.
        let mut staged: Vec<(String, RoaringBitmap)> = Vec::new();
        for i in 0..self.segments.nodes.len() {
            let node = &self.segments.nodes[i];
            let full = node.evaluated_at == NEVER
                || (node.timed && node.evaluated_at != now)
                || (node.deps.graph && (facts.graph || facts.profiles))
                || (node.deps.population && (facts.events || facts.profiles));
            let affected = facts.profiles
                || (facts.events && node.deps.events)
                || node
                    .deps
                    .attributes
                    .iter()
                    .any(|a| facts.attributes.contains(a))
                || node.deps.tags.iter().any(|t| facts.tags.contains(t))
                || matches!(&node.key, NodeKey::Rule(own) if facts.tags.contains(own))
                || moved.iter().any(|key| reads(&node.deps, key));
            if !full && (dirty.is_empty() || !affected) {
                continue;
            }
            let verdict = if !full && dirty.len() <= ROW_BY_ROW {
                self.verdict_by_row(i, &dirty, now)
            } else {
                let scope = if full {
                    &self.index.live | &node.members
                } else {
                    dirty.clone()
                };
                self.verdict_by_bitmap(i, &scope, now)
            };
            let node = &mut self.segments.nodes[i];
            node.evaluated_at = now;
            if !verdict.entered.is_empty() || !verdict.left.is_empty() {
                moved.push(node.key.clone());
            }
            update(&mut node.members, &verdict);
            if let NodeKey::Stage { ladder, .. } = &node.key {
                if !verdict.entered.is_empty() || !verdict.left.is_empty() {
                    let at = match staged.iter().position(|(l, _)| l == ladder) {
                        Some(at) => at,
                        None => {
                            staged.push((ladder.clone(), RoaringBitmap::new()));
                            staged.len() - 1
                        }
                    };
                    staged[at].1 |= &verdict.entered;
                    staged[at].1 |= &verdict.left;
                }
            }
            if let NodeKey::Rule(tag) = &node.key {
                let tag = tag.clone();
                dirty |= self.apply_rule(&tag, &verdict.matching, &verdict.left, now);
            }
            dirty |= verdict.entered;
            dirty |= verdict.left;
        }
        for (ladder, customers) in staged {
            self.settle_stages(&ladder, &customers, now);
        }
    }

    /// Evaluates node `i` for a few customers one by one.
    fn verdict_by_row(&self, i: usize, customers: &RoaringBitmap, now: i64) -> Verdict {
        let node = &self.segments.nodes[i];
        let ctx = Ctx { state: self, now };
        let mut verdict = Verdict::default();
        // Only rules read `matching`; segments need just who moved.
        let rule = matches!(node.key, NodeKey::Rule(_));
        for idx in customers {
            let is = self.index.live.contains(idx) && node.expr.matches(&ctx, idx);
            let was = node.members.contains(idx);
            if is && rule {
                verdict.matching.insert(idx);
            }
            match (was, is) {
                (false, true) => verdict.entered.insert(idx),
                (true, false) => verdict.left.insert(idx),
                _ => false,
            };
        }
        verdict
    }

    /// Evaluates node `i` over `scope` with bitmaps.
    fn verdict_by_bitmap(&self, i: usize, scope: &RoaringBitmap, now: i64) -> Verdict {
        let node = &self.segments.nodes[i];
        let ctx = Ctx { state: self, now };
        let matching = node
            .expr
            .evaluate(&ctx, &(scope & &self.index.live))
            .into_roaring();
        let before = &node.members & scope;
        Verdict {
            entered: &matching - &before,
            left: &before - &matching,
            matching,
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
