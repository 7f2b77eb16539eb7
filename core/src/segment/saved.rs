//! Live expressions: saved segments and tag rules, whose membership the engine keeps current.
//!
//! They form a graph: a node that reads `segment:x` comes after segment `x`, and one that
//! reads `tag:t` comes after the rule that sets `t`. Nodes are kept in that order, so one
//! pass re-evaluates everything after a write, and cycles are refused when a node is defined.

use std::collections::BTreeMap;

use roaring::RoaringBitmap;

use super::{Deps, Expr};

/// Evaluation time of a node that has never been evaluated.
pub(crate) const NEVER: i64 = i64::MIN;

/// What a live node maintains.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NodeKey {
    /// A saved segment, by name.
    Segment(String),
    /// A tag rule, by the tag it sets.
    Rule(String),
    /// The entry rule of stage `stage` (1 and up; stage 0 has none) of a ladder.
    Stage { ladder: String, stage: u8 },
}

/// One saved segment or tag rule.
#[derive(Debug)]
pub(crate) struct LiveNode {
    pub key: NodeKey,
    /// The expression in canonical form.
    pub text: String,
    pub expr: Expr,
    pub deps: Deps,
    /// True when the node reads the clock, directly or through nodes it depends on.
    pub timed: bool,
    /// Current members.
    pub members: RoaringBitmap,
    /// Members at the last checkpoint (segments), to report who entered and who left.
    pub checkpoint: RoaringBitmap,
    /// Clock value of the last evaluation, or [`NEVER`].
    pub evaluated_at: i64,
}

/// All live nodes, in dependency order.
#[derive(Debug, Default)]
pub(crate) struct SavedSegments {
    pub nodes: Vec<LiveNode>,
    /// Positions of each ladder's stage nodes (entry `s - 1` for stage `s`).
    stages: BTreeMap<String, Vec<Option<usize>>>,
}

impl SavedSegments {
    /// Position of a node.
    pub fn find(&self, key: &NodeKey) -> Option<usize> {
        self.nodes.iter().position(|n| &n.key == key)
    }

    /// Current members of a saved segment.
    pub fn members(&self, name: &str) -> Option<&RoaringBitmap> {
        let key = NodeKey::Segment(name.to_string());
        self.find(&key).map(|i| &self.nodes[i].members)
    }

    /// The nodes that read `key` (directly).
    pub fn dependents(&self, key: &NodeKey) -> Vec<&NodeKey> {
        self.nodes
            .iter()
            .filter(|n| reads(&n.deps, key))
            .map(|n| &n.key)
            .collect()
    }

    /// Checks that a node `key` reading `deps` fits the graph without a cycle.
    pub fn check(&self, key: &NodeKey, deps: &Deps) -> Result<(), Vec<NodeKey>> {
        let mut items: Vec<(&NodeKey, &Deps)> = self
            .nodes
            .iter()
            .filter(|n| &n.key != key)
            .map(|n| (&n.key, &n.deps))
            .collect();
        items.push((key, deps));
        order(&items).map(drop)
    }

    /// Inserts or replaces a node (keeping a replaced segment's checkpoint) and restores
    /// dependency order. The caller has [`check`](Self::check)ed it.
    pub fn install(&mut self, mut node: LiveNode) {
        if let Some(old) = self.remove(&node.key) {
            node.checkpoint = old.checkpoint;
        }
        self.nodes.push(node);
        self.sort();
    }

    /// Removes a node.
    pub fn remove(&mut self, key: &NodeKey) -> Option<LiveNode> {
        let node = self.find(key).map(|i| self.nodes.remove(i));
        self.index_stages();
        node
    }

    /// Positions of a ladder's stage nodes, entry `s - 1` for stage `s`.
    pub fn stage_nodes(&self, ladder: &str) -> Option<&[Option<usize>]> {
        self.stages.get(ladder).map(Vec::as_slice)
    }

    fn index_stages(&mut self) {
        self.stages.clear();
        for (i, node) in self.nodes.iter().enumerate() {
            if let NodeKey::Stage { ladder, stage } = &node.key {
                let list = self.stages.entry(ladder.clone()).or_default();
                let at = usize::from(*stage).saturating_sub(1);
                if list.len() <= at {
                    list.resize(at + 1, None);
                }
                list[at] = Some(i);
            }
        }
    }

    /// Sorts the nodes so every node follows those it reads, and recomputes `timed`.
    /// A cycle (only possible in a tampered store) leaves the order as it was.
    fn sort(&mut self) {
        let items: Vec<(&NodeKey, &Deps)> = self.nodes.iter().map(|n| (&n.key, &n.deps)).collect();
        let Ok(order) = order(&items) else {
            return;
        };
        let mut slots: Vec<Option<LiveNode>> = std::mem::take(&mut self.nodes)
            .into_iter()
            .map(Some)
            .collect();
        for i in order {
            if let Some(mut node) = slots[i].take() {
                node.timed = node.deps.time
                    || self
                        .nodes
                        .iter()
                        .any(|e| e.timed && reads(&node.deps, &e.key));
                self.nodes.push(node);
            }
        }
        self.index_stages();
    }

    /// Marks the nodes whose dependencies satisfy `reads` for a full re-evaluation (after a
    /// change that moves everyone's result, such as a new scoring configuration).
    pub fn invalidate(&mut self, reads: impl Fn(&Deps) -> bool) {
        for node in &mut self.nodes {
            if reads(&node.deps) {
                node.evaluated_at = NEVER;
            }
        }
    }

    /// True when a timed node was last evaluated at another time than `now`.
    pub fn stale(&self, now: i64) -> bool {
        self.nodes
            .iter()
            .any(|n| n.evaluated_at == NEVER || (n.timed && n.evaluated_at != now))
    }
}

/// Positions of `items` in an order where each follows every item it reads; on a cycle
/// (including a node reading itself), the keys that could not be placed.
fn order(items: &[(&NodeKey, &Deps)]) -> Result<Vec<usize>, Vec<NodeKey>> {
    let mut placed = vec![false; items.len()];
    let mut out = Vec::with_capacity(items.len());
    while out.len() < items.len() {
        let ready = (0..items.len()).find(|&i| {
            !placed[i] && (0..items.len()).all(|j| placed[j] || !reads(items[i].1, items[j].0))
        });
        match ready {
            Some(i) => {
                placed[i] = true;
                out.push(i);
            }
            None => {
                let stuck = (0..items.len())
                    .filter(|&i| !placed[i])
                    .map(|i| items[i].0.clone());
                return Err(stuck.collect());
            }
        }
    }
    Ok(out)
}

/// Whether an expression with `deps` reads node `key`.
pub(crate) fn reads(deps: &Deps, key: &NodeKey) -> bool {
    match key {
        NodeKey::Segment(name) => deps.segments.contains(name),
        NodeKey::Rule(tag) => deps.tags.contains(tag),
        NodeKey::Stage { ladder, .. } => deps.any_stage || deps.stages.contains(ladder),
    }
}

/// Names used by nodes, for messages: `segment "x"`, `rule for tag "t"`.
pub(crate) fn describe(keys: &[NodeKey]) -> String {
    let names: BTreeMap<String, ()> = keys
        .iter()
        .map(|k| match k {
            NodeKey::Segment(n) => (format!("segment {n:?}"), ()),
            NodeKey::Rule(t) => (format!("rule for tag {t:?}"), ()),
            NodeKey::Stage { ladder, stage } => (format!("stage {stage} of ladder {ladder:?}"), ()),
        })
        .collect();
    names.into_keys().collect::<Vec<_>>().join(", ")
}
