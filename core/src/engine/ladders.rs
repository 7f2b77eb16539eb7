//! Stage ladders: defining them, reading a customer's stage, their moves and time per stage.
//!
//! Two preset ladders come with the engine, `brand` (unaware, follower, interactor,
//! advocate) and `commercial` (prospect, customer, member, fan), off until
//! [`Engine::enable_ladder`] turns them on; [`Engine::define_ladder`] adds custom ones or
//! replaces one. Every ladder is stored.

use super::Engine;
use crate::error::{invalid, unknown_customer, Error, Result};
use crate::lifecycle::{
    check_definition, stage_node, Ladder, LadderInfo, MovedTable, StageMove, StageTimes, BUILT_IN,
};
use crate::segment::{self, describe, Ctx, NodeKey, SegmentError, SegmentErrorKind};
use crate::state::{Changes, LiveOp, State};
use crate::time::{from_micros, to_micros, Timestamp};

fn no_ladder(name: &str) -> Error {
    Error::NotFound {
        entity: "ladder",
        key: name.to_string(),
    }
}

/// A ladder by name, or `NOT_FOUND`.
pub(super) fn ladder<'s>(state: &'s State, name: &str) -> Result<&'s Ladder> {
    state.ladders.get(name).ok_or_else(|| no_ladder(name))
}

/// A stage's position on a ladder, or a validation error at `field`.
fn position(ladder: &Ladder, field: &str, stage: &str) -> Result<usize> {
    ladder.position(stage).ok_or_else(|| {
        invalid(
            field,
            format!(
                "ladder {} has no stage {stage:?}; its stages are {}",
                ladder.name,
                ladder.stages.join(", ")
            ),
        )
    })
}

impl Engine {
    /// Defines (or replaces) a ladder: stages lowest first, each `(name, rule)`; the first
    /// stage is the default and takes an empty rule, every other stage an expression of the
    /// segment language. A customer is at the highest stage whose rule they match; the
    /// engine keeps stages current after every write and as the clock moves, and records
    /// every move. Replacing a ladder keeps its history and, by stage name, the customers'
    /// stages (moves that follow from the new rules are recorded).
    ///
    /// Fails on a bad ladder or stage name, a duplicate stage, a rule on the first stage or
    /// a missing one (`VALIDATION`, `stages[2].name`), a bad expression (`SEGMENT_*` with
    /// its line and column, the message naming the stage), a rule reading its own ladder or
    /// a stage without naming the ladder (`stages[i].rule`), or a cycle (`CONFLICT`).
    ///
    /// ```
    /// use scrm::{CustomerInput, Engine, TagSource};
    /// let engine = Engine::in_memory();
    /// let stages = [("basic", ""), ("silver", "tag:silver"), ("gold", "tag:gold")];
    /// engine.define_ladder("loyalty", &stages)?;
    /// engine.upsert_customer(&CustomerInput::new("c-1"))?;
    /// engine.tag_customers(&["c-1".into()], &["gold".into()], TagSource::Manual)?;
    /// assert_eq!(engine.stage("c-1", "loyalty")?, "gold");
    /// assert_eq!(engine.count("stage(loyalty) >= silver")?, 1);
    /// # Ok::<(), scrm::Error>(())
    /// ```
    pub fn define_ladder(&self, name: &str, stages: &[(&str, &str)]) -> Result<LadderInfo> {
        check_definition(name, stages)?;
        let mut exprs = Vec::with_capacity(stages.len());
        for (stage, rule) in stages.iter().skip(1) {
            let expr = segment::parse(rule).map_err(|e| SegmentError {
                message: format!("stage {stage}: {}", e.message),
                ..e
            })?;
            exprs.push(expr);
        }
        let now = self.clock_micros();
        let defined_at = self.write_time();
        self.write(|state| {
            let ctx = Ctx { state, now };
            let mut live = Vec::new();
            for (i, expr) in exprs.into_iter().enumerate() {
                let stage = stages[i + 1].0;
                let node = stage_node(name, i as u8 + 1, expr);
                if node.deps.any_stage || node.deps.stages.iter().any(|l| l == name) {
                    return Err(invalid(
                        format!("stages[{}].rule", i + 1),
                        "a stage rule must name the ladders it reads (stage(brand) = follower) \
                         and must not read its own ladder",
                    ));
                }
                node.expr.check(&ctx).map_err(|e| SegmentError {
                    message: format!("stage {stage}: {}", e.message),
                    ..e
                })?;
                state
                    .segments
                    .check(&node.key, &node.deps)
                    .map_err(|cycle| SegmentError {
                        kind: SegmentErrorKind::Cycle,
                        message: format!(
                            "stage {stage}: this would make a cycle through {}",
                            describe(&cycle)
                        ),
                        line: 1,
                        column: 1,
                    })?;
                live.push(LiveOp::Define(Box::new(node)));
            }
            if let Some(old) = state.segments.stage_nodes(name) {
                for stage in stages.len()..=old.len() {
                    live.push(LiveOp::Drop(NodeKey::Stage {
                        ladder: name.to_string(),
                        stage: stage as u8,
                    }));
                }
            }
            let rules = std::iter::once(String::new())
                .chain(live.iter().filter_map(|op| match op {
                    LiveOp::Define(node) => Some(node.text.clone()),
                    _ => None,
                }))
                .collect();
            let preset = BUILT_IN.iter().any(|(n, s)| *n == name && *s == stages);
            let ladder = Ladder {
                name: name.to_string(),
                stages: stages.iter().map(|(s, _)| s.to_string()).collect(),
                rules,
                built_in: preset,
                defined_at,
                current: Vec::new(),
                moves: Vec::new(),
            };
            Ok((
                Changes {
                    live,
                    ladder: Some(ladder),
                    ..Changes::default()
                },
                (),
            ))
        })?;
        self.read(|s| Ok(info(s, ladder(s, name)?)))
    }

    /// Turns on one of the ladders that come with the engine, `brand` (unaware, follower,
    /// interactor, advocate) or `commercial` (prospect, customer, member, fan), as
    /// [`Engine::define_ladder`] with its preset stages would. They are off until asked
    /// for, so that an engine that does not use them does not pay for keeping them current
    /// on every write; once on, they are stored like any other ladder.
    pub fn enable_ladder(&self, name: &str) -> Result<LadderInfo> {
        let (_, stages) =
            BUILT_IN
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| Error::NotFound {
                    entity: "built-in ladder",
                    key: name.to_string(),
                })?;
        self.define_ladder(name, stages)
    }

    /// Every ladder, in the order defined, with its stages, rules and customers per stage.
    pub fn ladders(&self) -> Vec<LadderInfo> {
        self.read(|s| s.ladders.list.iter().map(|l| info(s, l)).collect())
    }

    /// A customer's current stage on a ladder.
    pub fn stage(&self, id: &str, ladder_name: &str) -> Result<String> {
        self.read(|s| {
            let l = ladder(s, ladder_name)?;
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            Ok(l.stages[usize::from(l.stage_of(idx))].clone())
        })
    }

    /// A customer's stage moves on a ladder, oldest first. Moves are recorded per profile:
    /// after a merge the survivor's history goes on, the absorbed profile's stays with it.
    pub fn stage_history(&self, id: &str, ladder_name: &str) -> Result<Vec<StageMove>> {
        self.read(|s| {
            let l = ladder(s, ladder_name)?;
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            let name = s.external_id(idx);
            Ok(l.moves
                .iter()
                .filter(|m| m.customer == idx)
                .map(|m| StageMove {
                    customer: name.clone(),
                    from: s.symbols.name(m.from).to_string(),
                    to: s.symbols.name(m.to).to_string(),
                    at: from_micros(m.at),
                })
                .collect())
        })
    }

    /// How long a customer has been at each stage of a ladder, from their creation (or the
    /// ladder's definition, if later) to the engine clock. Time at a stage that a
    /// redefinition removed is left out.
    pub fn time_in_stages(&self, id: &str, ladder_name: &str) -> Result<StageTimes> {
        let now = self.clock_micros();
        self.read(|s| {
            let l = ladder(s, ladder_name)?;
            let idx = s.resolve(id).ok_or_else(|| unknown_customer(id))?;
            let mut seconds = vec![0.0; l.stages.len()];
            let mut add = |stage: &str, from: i64, to: i64| {
                if let Some(k) = l.position(stage) {
                    seconds[k] += (to - from).max(0) as f64 / 1e6;
                }
            };
            let mut start = s.customers[idx as usize].created_at.max(l.defined_at);
            let mut current = l.stages[0].as_str();
            for m in l.moves.iter().filter(|m| m.customer == idx) {
                add(s.symbols.name(m.from), start, m.at);
                start = start.max(m.at);
                current = s.symbols.name(m.to);
            }
            add(current, start, now);
            Ok(StageTimes {
                stages: l.stages.clone(),
                seconds,
            })
        })
    }

    /// The moves from stage `from` to stage `to` of a ladder recorded at `since` or later
    /// and before `until`, oldest first, with the customers' current ids.
    pub fn moved(
        &self,
        ladder_name: &str,
        from: &str,
        to: &str,
        since: Timestamp,
        until: Timestamp,
    ) -> Result<MovedTable> {
        let since = to_micros(|| "since".into(), since)?;
        let until = to_micros(|| "until".into(), until)?;
        self.read(|s| {
            let l = ladder(s, ladder_name)?;
            position(l, "from", from)?;
            position(l, "to", to)?;
            let (Some(f), Some(t)) = (s.symbols.get(from), s.symbols.get(to)) else {
                return Ok(MovedTable::default());
            };
            let mut table = MovedTable::default();
            for m in &l.moves {
                if m.from == f && m.to == t && (since..until).contains(&m.at) {
                    let idx = s.canonical(m.customer);
                    table.ids.push(s.external_id(idx));
                    table.at.push(from_micros(m.at));
                }
            }
            Ok(table)
        })
    }
}

/// The public view of a ladder.
fn info(state: &State, ladder: &Ladder) -> LadderInfo {
    let mut counts = vec![0u64; ladder.stages.len()];
    if let Some(sets) = state.stage_sets(&ladder.name, &state.index.live) {
        for (count, set) in counts.iter_mut().zip(&sets) {
            *count = set.len();
        }
    }
    LadderInfo {
        name: ladder.name.clone(),
        stages: ladder.stages.clone(),
        rules: ladder.rules.clone(),
        built_in: ladder.built_in,
        counts,
    }
}
