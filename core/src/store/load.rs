//! Rebuilding the in-memory state from a store file, checking every invariant on the way.

use std::collections::BTreeMap;
use std::sync::Arc;

use compact_str::CompactString;
use roaring::RoaringBitmap;
use rusqlite::{Connection, Row};
use serde::de::DeserializeOwned;

use crate::error::{Result, StoreError};
use crate::event::{Direction, EventRow};
use crate::lifecycle::{check_definition, Move, Scores, ScoringConfig};
use crate::merge::ConflictStatus;
use crate::referral::ReferralOp;
use crate::relations::{EdgeData, StoredEdge};
use crate::segment::{self, Deps, LiveNode, NodeKey, NEVER};
use crate::state::{
    live_profile, ConflictEntry, EventRef, IdentityKey, MergeEntry, Slot, State, TagOp,
};
use crate::tags::{TagMeta, TagSource};
use crate::time::check_micros;

fn corrupt(what: impl Into<String>) -> StoreError {
    StoreError::Corrupt(what.into())
}

fn json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what}: {e}")).into())
}

fn time(what: &str, micros: i64) -> Result<i64> {
    check_micros(|| what.to_string(), micros)
        .map_err(|_| corrupt(format!("{what}: bad time")).into())
}

/// Reads every table into a fresh [`State`].
pub(crate) fn load(conn: &Connection) -> Result<State> {
    let mut state = State::default();
    load_customers(conn, &mut state)?;
    load_identities(conn, &mut state)?;
    load_events(conn, &mut state)?;
    load_merges(conn, &mut state)?;
    load_conflicts(conn, &mut state)?;
    for (idx, slot) in state.customers.iter().enumerate() {
        state.index.update(idx as u32, None, slot);
    }
    load_tags(conn, &mut state)?;
    load_live(conn, &mut state)?;
    load_edges(conn, &mut state)?;
    load_referrals(conn, &mut state)?;
    if let Some(config) = setting::<ScoringConfig>(conn, "scoring")? {
        let config = config
            .normalized()
            .map_err(|e| corrupt(format!("settings.scoring: {e}")))?;
        state.scores = Scores::new(config);
    }
    state.rebuild_scores();
    state.churn.model = setting(conn, "churn_model")?;
    load_ladders(conn, &mut state)?;
    Ok(state)
}

/// Replays the referral operations in order.
fn load_referrals(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare("SELECT op FROM referral_ops ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let op: ReferralOp = json("referral_ops.op", &row.get::<_, String>(0)?)?;
        // Points go to the accounts of the profiles' survivors, as live merges move them.
        let State {
            customers,
            index,
            referrals,
            ..
        } = &mut *state;
        let live = |idx: u32| live_profile(customers, &index.live, idx);
        referrals
            .check(&op, customers.len(), &live)
            .map_err(corrupt)?;
        referrals.apply(op, &live);
    }
    Ok(())
}

/// Reads the stored ladders (the built-in ones fill in the rest) and their moves; each
/// customer's current stage is the one their last move entered.
fn load_ladders(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare("SELECT name, stages, defined_at FROM ladders ORDER BY name")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(0)?;
        let stages: Vec<(String, String)> = json("ladders.stages", &row.get::<_, String>(1)?)?;
        let stages: Vec<(&str, &str)> = stages
            .iter()
            .map(|(s, r)| (s.as_str(), r.as_str()))
            .collect();
        check_definition(&name, &stages).map_err(|e| corrupt(format!("ladder {name:?}: {e}")))?;
        let defined_at = time("ladders.defined_at", row.get(2)?)?;
        state
            .install_ladder(&name, &stages, false, defined_at)
            .map_err(corrupt)?;
    }
    let mut stmt = conn.prepare(
        "SELECT ladder, customer, from_stage, to_stage, at FROM stage_moves ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let n = state.customers.len();
    while let Some(row) = rows.next()? {
        let ladder: String = row.get(0)?;
        let customer = index(state, "stage_moves.customer", row.get(1)?)?;
        let (from, to): (String, String) = (row.get(2)?, row.get(3)?);
        let at = time("stage_moves.at", row.get(4)?)?;
        let (from_sym, to_sym) = (state.symbols.intern(&from), state.symbols.intern(&to));
        let Some(l) = state.ladders.list.iter_mut().find(|l| l.name == ladder) else {
            continue;
        };
        if l.current.len() < n {
            l.current.resize(n, 0);
        }
        l.current[customer as usize] = l.position(&to).unwrap_or(0) as u8;
        l.moves.push(Move {
            customer,
            from: from_sym,
            to: to_sym,
            at,
        });
    }
    Ok(())
}

/// A JSON setting, if stored.
fn setting<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let mut stmt = conn.prepare("SELECT value FROM settings WHERE key = ?1")?;
    let mut rows = stmt.query([key])?;
    match rows.next()? {
        Some(row) => Ok(Some(json(
            &format!("settings.{key}"),
            &row.get::<_, String>(0)?,
        )?)),
        None => Ok(None),
    }
}

/// Reads the stored edges, then counts the `interacted` edges from the event log.
fn load_edges(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT source, target, kind, weight, created_at FROM edges ORDER BY rowid")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let source = index(state, "edges.source", row.get(0)?)?;
        let target = index(state, "edges.target", row.get(1)?)?;
        let weight: f64 = row.get(3)?;
        if !(weight.is_finite() && (0.0..=f64::from(f32::MAX)).contains(&weight))
            || source == target
        {
            return Err(corrupt(format!("edge {source} -> {target}: bad weight or a loop")).into());
        }
        let data = EdgeData {
            kind: state.symbols.intern(&row.get::<_, String>(2)?),
            weight: weight as f32,
            created_at: time("edges.created_at", row.get(4)?)?,
        };
        // Rows are unique by (source, target, kind).
        state.graph.insert(StoredEdge {
            source,
            target,
            data,
        });
    }
    for seq in 0..state.events.len() as u32 {
        let row = *state.events.row(seq);
        state.count_interaction(&row);
    }
    Ok(())
}

/// Replays the tag operations in order.
fn load_tags(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare("SELECT tag, set_at, source, members FROM tag_ops ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let tag: String = row.get(0)?;
        let blob: Vec<u8> = row.get(3)?;
        let customers = RoaringBitmap::deserialize_from(&blob[..])
            .map_err(|e| corrupt(format!("members of a tag {tag:?} operation: {e}")))?;
        if customers
            .max()
            .is_some_and(|m| m as usize >= state.customers.len())
        {
            return Err(corrupt(format!("tag {tag:?} refers to missing customers")).into());
        }
        let meta = match (
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, Option<String>>(2)?,
        ) {
            (Some(t), Some(source)) => Some(TagMeta {
                set_at: time("tag_ops.set_at", t)?,
                source: TagSource::parse(&source)
                    .ok_or_else(|| corrupt(format!("tag source {source:?}")))?,
            }),
            _ => None,
        };
        let op = TagOp {
            tag: state.symbols.intern(&tag),
            customers,
            meta,
        };
        state.tags.apply(&op);
    }
    Ok(())
}

/// Reads saved segments and tag rules; they are evaluated when the engine opens.
fn load_live(conn: &Connection, state: &mut State) -> Result<()> {
    let mut nodes = Vec::new();
    let mut stmt =
        conn.prepare("SELECT name, expression, checkpoint FROM segments ORDER BY name")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(0)?;
        let blob: Vec<u8> = row.get(2)?;
        let checkpoint = RoaringBitmap::deserialize_from(&blob[..])
            .map_err(|e| corrupt(format!("checkpoint of segment {name:?}: {e}")))?;
        nodes.push((NodeKey::Segment(name), row.get::<_, String>(1)?, checkpoint));
    }
    let mut stmt = conn.prepare("SELECT tag, expression FROM tag_rules ORDER BY tag")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        nodes.push((
            NodeKey::Rule(row.get(0)?),
            row.get(1)?,
            RoaringBitmap::new(),
        ));
    }
    for (key, text, checkpoint) in nodes {
        let expr = segment::parse(&text)
            .map_err(|e| corrupt(format!("stored expression {text:?}: {e}")))?;
        let mut deps = Deps::default();
        expr.deps(&mut deps);
        state.segments.install(LiveNode {
            key,
            text,
            expr,
            deps,
            timed: false,
            members: RoaringBitmap::new(),
            checkpoint,
            evaluated_at: NEVER,
        });
    }
    Ok(())
}

fn index(state: &State, what: &str, idx: i64) -> Result<u32> {
    match u32::try_from(idx) {
        Ok(i) if (i as usize) < state.customers.len() => Ok(i),
        _ => Err(corrupt(format!("{what} refers to missing customer {idx}")).into()),
    }
}

fn load_customers(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT idx, ext_id, anonymous, created_at, updated_at, merged_into, attributes
         FROM customers ORDER BY idx",
    )?;
    let mut rows = stmt.query([])?;
    let mut merged_into = Vec::new();
    while let Some(row) = rows.next()? {
        let idx: i64 = row.get(0)?;
        if idx != state.customers.len() as i64 {
            return Err(corrupt(format!("customer index {idx} is out of sequence")).into());
        }
        let id: Arc<str> = row.get::<_, String>(1)?.into();
        let mut slot = Slot::new(
            id.clone(),
            row.get(2)?,
            time("customers.created_at", row.get(3)?)?,
        );
        slot.updated_at = time("customers.updated_at", row.get(4)?)?;
        slot.attributes = json("customers.attributes", &row.get::<_, String>(6)?)?;
        merged_into.push(row.get::<_, Option<i64>>(5)?);
        if state
            .by_id
            .insert(CompactString::from(&*id), idx as u32)
            .is_some()
        {
            return Err(corrupt(format!("customer id {id:?} appears twice")).into());
        }
        state.customers.push(slot);
    }
    for (idx, target) in merged_into.into_iter().enumerate() {
        if let Some(target) = target {
            state.customers[idx].merged_into = Some(index(state, "customers.merged_into", target)?);
        }
    }
    let n = state.customers.len();
    for idx in 0..n as u32 {
        let (mut cur, mut steps) = (idx, 0);
        while let Some(next) = state.customers[cur as usize].merged_into {
            cur = next;
            steps += 1;
            if steps > n {
                return Err(corrupt(format!("customer {idx} is merged in a cycle")).into());
            }
        }
        if cur != idx {
            state.customers[cur as usize].absorbed.push(idx);
        }
    }
    Ok(())
}

fn load_identities(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare("SELECT channel, value, customer FROM identities")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let channel = state.symbols.intern(&row.get::<_, String>(0)?);
        let key = IdentityKey {
            channel,
            value: row.get::<_, String>(1)?.into(),
        };
        let owner = state.canonical(index(state, "identities.customer", row.get(2)?)?);
        state.customers[owner as usize].identities.push(key.clone());
        state.identities.insert(key, owner);
    }
    Ok(())
}

fn load_events(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, customer, kind, channel, direction, at, amount, target, properties, idem_key
         FROM events ORDER BY seq",
    )?;
    state.activity.fit(state.customers.len());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        if seq != state.events.len() as i64 {
            return Err(corrupt(format!("event {seq} is out of sequence")).into());
        }
        let event = event_row(state, row)?;
        let properties = match row.get::<_, Option<String>>(8)? {
            Some(text) => json("events.properties", &text)?,
            None => BTreeMap::new(),
        };
        let key = row.get::<_, Option<String>>(9)?.map(Box::from);
        let seq = state.events.push(event, properties, key);
        let owner = state.canonical(event.customer) as usize;
        let slot = &mut state.customers[owner];
        slot.events.push(EventRef::new(&event, seq));
        state.activity.record(owner as u32, &event);
    }
    for slot in &mut state.customers {
        slot.events.sort_unstable();
    }
    Ok(())
}

fn event_row(state: &mut State, row: &Row) -> Result<EventRow> {
    let amount: Option<f64> = row.get(6)?;
    if amount.is_some_and(|a| !a.is_finite() || a < 0.0) {
        return Err(corrupt("events.amount is negative or not finite").into());
    }
    let target = match row.get::<_, Option<i64>>(7)? {
        Some(t) => Some(index(state, "events.target", t)?),
        None => None,
    };
    Ok(EventRow {
        customer: index(state, "events.customer", row.get(1)?)?,
        kind: state.symbols.intern(&row.get::<_, String>(2)?),
        channel: state.symbols.intern(&row.get::<_, String>(3)?),
        direction: match row.get::<_, i64>(4)? {
            0 => Direction::Inbound,
            1 => Direction::Outbound,
            d => return Err(corrupt(format!("events.direction {d}")).into()),
        },
        at: time("events.at", row.get(5)?)?,
        amount,
        target,
    })
}

fn load_merges(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt =
        conn.prepare("SELECT survivor, merged, at, actor, reason FROM merges ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let entry = MergeEntry {
            survivor: index(state, "merges.survivor", row.get(0)?)?,
            merged: index(state, "merges.merged", row.get(1)?)?,
            at: time("merges.at", row.get(2)?)?,
            actor: row.get(3)?,
            reason: json("merges.reason", &row.get::<_, String>(4)?)?,
        };
        state.merges.push(entry);
    }
    Ok(())
}

fn load_conflicts(conn: &Connection, state: &mut State) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, channel, value, owner, claimant, at, status FROM conflicts ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if row.get::<_, i64>(0)? != state.conflicts.len() as i64 {
            return Err(corrupt("conflict ids are out of sequence").into());
        }
        let status: String = row.get(6)?;
        let entry = ConflictEntry {
            key: IdentityKey {
                channel: state.symbols.intern(&row.get::<_, String>(1)?),
                value: row.get::<_, String>(2)?.into(),
            },
            owner: index(state, "conflicts.owner", row.get(3)?)?,
            claimant: index(state, "conflicts.claimant", row.get(4)?)?,
            at: time("conflicts.at", row.get(5)?)?,
            status: ConflictStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("conflicts.status {status:?}")))?,
        };
        state.conflicts.push(entry);
    }
    Ok(())
}
