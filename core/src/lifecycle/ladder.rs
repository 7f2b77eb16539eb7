//! Stage ladders: ordered stages, each after the first entered by a rule in the segment
//! language; a customer is at the highest stage whose rule they match.
//!
//! Each stage rule is a live node of the saved-segment machinery (`NodeKey::Stage`), so it
//! is kept current after every write and as the clock moves. After the nodes are brought
//! up to date, the customers whose stage nodes changed get their stage recomputed, and
//! every change is recorded as a move `(from, to, at)`.

use roaring::RoaringBitmap;
use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::state::State;
use crate::time::Timestamp;

/// Longest ladder or stage name, in bytes.
pub const MAX_STAGE_NAME_LEN: usize = 64;
/// Most stages of a ladder.
pub const MAX_STAGES: usize = 32;

/// The brand ladder, built into every engine.
pub(crate) const BRAND: &[(&str, &str)] = &[
    ("unaware", ""),
    ("follower", "channel:wechat or events(follow) >= 1"),
    (
        "interactor",
        "events(click) >= 1 or events(comment) >= 1 or events(share) >= 1 \
         or events(survey) >= 1 or events(signup) >= 1 or events(purchase) >= 1",
    ),
    ("advocate", "events(share) >= 3 or tag:advocate"),
];

/// The commercial ladder, built into every engine.
pub(crate) const COMMERCIAL: &[(&str, &str)] = &[
    ("prospect", ""),
    ("customer", "events(purchase) >= 1"),
    ("member", "attr.member = true or tag:member"),
    ("fan", "events(purchase) >= 3 and events(share) >= 2"),
];

/// The built-in ladders by name.
pub(crate) const BUILT_IN: &[(&str, &[(&str, &str)])] =
    &[("brand", BRAND), ("commercial", COMMERCIAL)];

/// A ladder as [`crate::Engine::ladders`] shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderInfo {
    /// Name.
    pub name: String,
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Entry rule of each stage in canonical form (empty for the first).
    pub rules: Vec<String>,
    /// Whether it is one of the built-in ladders (`brand`, `commercial`) as shipped.
    pub built_in: bool,
    /// Live customers at each stage.
    pub counts: Vec<u64>,
}

/// One stage transition of a customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageMove {
    /// External id of the customer (the survivor's, after merges).
    pub customer: String,
    /// Stage left.
    pub from: String,
    /// Stage entered.
    pub to: String,
    /// Engine clock when the engine saw the move.
    pub at: Timestamp,
}

/// Customers who moved between two stages in a period, as columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedTable {
    /// External ids, one row per move (a customer moving twice appears twice).
    pub ids: Vec<String>,
    /// When each move happened.
    pub at: Vec<Timestamp>,
}

/// Time a customer has spent at each stage of a ladder, as columns.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTimes {
    /// Stage names, lowest first.
    pub stages: Vec<String>,
    /// Seconds spent at each stage, from the customer's creation (or the ladder's
    /// definition, if later) to the engine clock.
    pub seconds: Vec<f64>,
}

/// A stage move in memory: stage indexes into the ladder's stages at the time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Move {
    pub customer: u32,
    /// Stage name symbols.
    pub from: u32,
    pub to: u32,
    pub at: i64,
}

/// A move not yet written to the store.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingMove {
    /// Ladder name symbol.
    pub ladder: u32,
    pub moved: Move,
}

/// One ladder: its definition, every customer's current stage and its moves.
#[derive(Clone, Debug)]
pub(crate) struct Ladder {
    pub name: String,
    pub stages: Vec<String>,
    /// Canonical rule text per stage (empty for the first).
    pub rules: Vec<String>,
    pub built_in: bool,
    /// When it was defined (microseconds; `i64::MIN` for built-ins).
    pub defined_at: i64,
    /// Current stage of each customer index (0 when never placed).
    pub current: Vec<u8>,
    pub moves: Vec<Move>,
}

impl Ladder {
    /// Position of a stage by name.
    pub fn position(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == stage)
    }

    /// Current stage of a customer.
    pub fn stage_of(&self, idx: u32) -> u8 {
        self.current.get(idx as usize).copied().unwrap_or(0)
    }
}

/// Every ladder, in definition order, and the moves not yet stored.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ladders {
    pub list: Vec<Ladder>,
    pub pending: Vec<PendingMove>,
}

impl Ladders {
    /// A ladder by name.
    pub fn get(&self, name: &str) -> Option<&Ladder> {
        self.list.iter().find(|l| l.name == name)
    }

    /// Installs or replaces a ladder; a replaced ladder keeps its moves and, by stage
    /// name, its customers' current stages.
    pub fn install(&mut self, mut ladder: Ladder) {
        if let Some(i) = self.list.iter().position(|l| l.name == ladder.name) {
            let old = self.list.remove(i);
            ladder.current = old
                .current
                .iter()
                .map(|&s| {
                    let name = &old.stages[usize::from(s)];
                    ladder.position(name).unwrap_or(0) as u8
                })
                .collect();
            ladder.moves = old.moves;
        }
        self.list.push(ladder);
    }
}

/// Checks a ladder or stage name: lower-case ASCII letters, digits and `_`, starting with a
/// letter, 1 to 64 bytes (so the segment language reads it as one word).
pub(crate) fn check_stage_name(field: impl Fn() -> String, name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= MAX_STAGE_NAME_LEN
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            field(),
            format!(
                "{name:?} must be 1 to {MAX_STAGE_NAME_LEN} lower-case letters, digits or '_', \
                 starting with a letter"
            ),
        ))
    }
}

/// Checks the shape of a ladder definition (names, duplicates, which stages have rules);
/// the rules themselves are parsed by the caller.
pub(crate) fn check_definition(name: &str, stages: &[(&str, &str)]) -> Result<()> {
    check_stage_name(|| "name".into(), name)?;
    if !(2..=MAX_STAGES).contains(&stages.len()) {
        return Err(invalid(
            "stages",
            format!(
                "a ladder has 2 to {MAX_STAGES} stages, got {}",
                stages.len()
            ),
        ));
    }
    for (i, (stage, rule)) in stages.iter().enumerate() {
        check_stage_name(|| format!("stages[{i}].name"), stage)?;
        if stages[..i].iter().any(|(s, _)| s == stage) {
            return Err(invalid(
                format!("stages[{i}].name"),
                format!("stage {stage:?} appears twice"),
            ));
        }
        match (i, rule.trim().is_empty()) {
            (0, false) => {
                return Err(invalid(
                    "stages[0].rule",
                    "the first stage is the default and takes no rule",
                ))
            }
            (1.., true) => {
                return Err(invalid(
                    format!("stages[{i}].rule"),
                    "every stage after the first needs an entry rule",
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

impl State {
    /// The stage of live customer `idx` on `ladder` from its stage nodes' members: the
    /// highest stage whose rule they match.
    pub fn stage_from_nodes(&self, ladder: &str, idx: u32) -> u8 {
        let Some(nodes) = self.segments.stage_nodes(ladder) else {
            return 0;
        };
        for (s, pos) in nodes.iter().enumerate().rev() {
            if pos.is_some_and(|p| self.segments.nodes[p].members.contains(idx)) {
                return s as u8 + 1;
            }
        }
        0
    }

    /// The customers of `within` at each stage of `ladder` (lowest first), from its stage
    /// nodes' members: each stage takes those its rule matches that no higher stage took.
    /// `None` for a ladder without stage nodes.
    pub fn stage_sets(&self, ladder: &str, within: &RoaringBitmap) -> Option<Vec<RoaringBitmap>> {
        let nodes = self.segments.stage_nodes(ladder)?;
        let mut rest = within.clone();
        let mut sets = vec![RoaringBitmap::new(); nodes.len() + 1];
        for (s, pos) in nodes.iter().enumerate().rev() {
            if let Some(p) = *pos {
                let here = &rest & &self.segments.nodes[p].members;
                rest -= &here;
                sets[s + 1] = here;
            }
        }
        sets[0] = rest;
        Some(sets)
    }

    /// Recomputes the stages of `dirty` customers on `ladder` and records their moves.
    pub fn settle_stages(&mut self, ladder: &str, dirty: &RoaringBitmap, now: i64) {
        let Some(li) = self.ladders.list.iter().position(|l| l.name == ladder) else {
            return;
        };
        let Some(sets) = self.stage_sets(ladder, &(dirty & &self.index.live)) else {
            return;
        };
        let n = self.customers.len();
        let name = self.symbols.intern(ladder);
        let stages = self.ladders.list[li].stages.clone();
        let syms: Vec<u32> = stages.iter().map(|s| self.symbols.intern(s)).collect();
        let l = &mut self.ladders.list[li];
        if l.current.len() < n {
            l.current.resize(n, 0);
        }
        for (to, members) in sets.iter().enumerate() {
            for idx in members {
                let from = std::mem::replace(&mut l.current[idx as usize], to as u8);
                if usize::from(from) == to {
                    continue;
                }
                let moved = Move {
                    customer: idx,
                    from: syms[usize::from(from)],
                    to: syms[to],
                    at: now,
                };
                l.moves.push(moved);
                self.ladders.pending.push(PendingMove {
                    ladder: name,
                    moved,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_checked() {
        let field = |name: &str, stages: &[(&str, &str)]| {
            check_definition(name, stages)
                .unwrap_err()
                .field()
                .unwrap()
                .to_string()
        };
        assert!(check_definition("brand", BRAND).is_ok());
        assert!(check_definition("commercial", COMMERCIAL).is_ok());
        assert_eq!(field("Bad", BRAND), "name");
        assert_eq!(field("x", &[("a", "")]), "stages");
        assert_eq!(field("x", &[("a", ""), ("a", "tag:v")]), "stages[1].name");
        assert_eq!(
            field("x", &[("a", "tag:v"), ("b", "tag:v")]),
            "stages[0].rule"
        );
        assert_eq!(field("x", &[("a", ""), ("b", " ")]), "stages[1].rule");
        assert_eq!(field("x", &[("a", ""), ("B-2", "tag:v")]), "stages[1].name");
    }
}

impl State {
    /// Installs a ladder whose rules are known good (built-in, or stored), with one live
    /// node per stage rule. A rule that no longer parses makes the store corrupt.
    pub fn install_ladder(
        &mut self,
        name: &str,
        stages: &[(&str, &str)],
        built_in: bool,
        defined_at: i64,
    ) -> std::result::Result<(), String> {
        let mut nodes = Vec::new();
        for (i, (stage, rule)) in stages.iter().enumerate().skip(1) {
            let expr = crate::segment::parse(rule)
                .map_err(|e| format!("ladder {name:?} stage {stage:?}: {e}"))?;
            nodes.push(stage_node(name, i as u8, expr));
        }
        let rules: Vec<String> = std::iter::once(String::new())
            .chain(nodes.iter().map(|n| n.text.clone()))
            .collect();
        self.ladders.install(Ladder {
            name: name.to_string(),
            stages: stages.iter().map(|(s, _)| s.to_string()).collect(),
            rules,
            built_in,
            defined_at,
            current: Vec::new(),
            moves: Vec::new(),
        });
        for node in nodes {
            self.segments.install(node);
        }
        Ok(())
    }
}

/// The live node of one stage rule, never evaluated yet.
pub(crate) fn stage_node(
    ladder: &str,
    stage: u8,
    expr: crate::segment::Expr,
) -> crate::segment::LiveNode {
    let mut deps = crate::segment::Deps::default();
    expr.deps(&mut deps);
    crate::segment::LiveNode {
        key: crate::segment::NodeKey::Stage {
            ladder: ladder.to_string(),
            stage,
        },
        text: expr.to_string(),
        expr,
        deps,
        timed: false,
        members: RoaringBitmap::new(),
        checkpoint: RoaringBitmap::new(),
        evaluated_at: crate::segment::NEVER,
    }
}

#[cfg(test)]
mod built_in_tests {
    use super::*;

    #[test]
    fn built_in_rules_parse() {
        let mut state = State::default();
        for (name, stages) in BUILT_IN {
            state.install_ladder(name, stages, true, 0).unwrap();
        }
        assert_eq!(state.ladders.list.len(), 2);
        assert_eq!(state.segments.stage_nodes("brand").unwrap().len(), 3);
    }
}
