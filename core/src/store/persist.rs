//! Writing one call's changes to the store in a single transaction.

use roaring::RoaringBitmap;
use rusqlite::{params, Transaction};

use super::Store;
use crate::error::{Result, StoreError};
use crate::event::Direction;
use crate::lifecycle::{Move, PendingMove};
use crate::segment::NodeKey;
use crate::state::{Changes, EdgeOp, LiveOp, State, Symbols};
use crate::tags::TagSource;

impl Store {
    /// Makes `changes` durable, all or nothing. `state` is the state they were planned on.
    pub fn persist(&mut self, changes: &Changes, state: &State) -> Result<()> {
        let tx = self.conn.transaction()?;
        let name = |id: u32| changes.name(&state.symbols, id);
        if !changes.slots.is_empty() {
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO customers
                 (idx, ext_id, anonymous, created_at, updated_at, merged_into, attributes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (idx, slot) in &changes.slots {
                let attributes =
                    serde_json::to_string(&slot.attributes).map_err(StoreError::Json)?;
                put.execute(params![
                    idx,
                    &*slot.id,
                    slot.anonymous,
                    slot.created_at,
                    slot.updated_at,
                    slot.merged_into,
                    attributes
                ])?;
            }
        }
        if !changes.identities.is_empty() {
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO identities (channel, value, customer) VALUES (?1, ?2, ?3)",
            )?;
            for (key, owner) in &changes.identities {
                put.execute(params![name(key.channel), &*key.value, owner])?;
            }
        }
        for m in &changes.merges {
            let reason = serde_json::to_string(&m.reason).map_err(StoreError::Json)?;
            tx.execute(
                "INSERT INTO merges (survivor, merged, at, actor, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![m.survivor, m.merged, m.at, m.actor, reason],
            )?;
        }
        for (offset, c) in changes.conflicts.iter().enumerate() {
            tx.execute(
                "INSERT INTO conflicts (id, channel, value, owner, claimant, at, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    (state.conflicts.len() + offset) as i64,
                    name(c.key.channel),
                    &*c.key.value,
                    c.owner,
                    c.claimant,
                    c.at,
                    c.status.as_str()
                ],
            )?;
        }
        for (id, status) in &changes.conflict_status {
            tx.execute(
                "UPDATE conflicts SET status = ?1 WHERE id = ?2",
                params![status.as_str(), *id as i64],
            )?;
        }
        if !changes.events.is_empty() {
            let mut put = tx.prepare_cached(
                "INSERT INTO events
                 (seq, customer, kind, channel, direction, at, amount, target, properties, idem_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            let first = state.events.len();
            for (offset, e) in changes.events.iter().enumerate() {
                let row = &e.row;
                let properties = match e.properties.is_empty() {
                    true => None,
                    false => Some(serde_json::to_string(&e.properties).map_err(StoreError::Json)?),
                };
                put.execute(params![
                    (first + offset) as i64,
                    row.customer,
                    name(row.kind),
                    name(row.channel),
                    matches!(row.direction, Direction::Outbound),
                    row.at,
                    row.amount,
                    row.target,
                    properties,
                    e.key.as_deref()
                ])?;
            }
        }
        for op in changes
            .tag_ops
            .iter()
            .filter(|op| op.meta.is_none_or(|m| m.source != TagSource::Rule))
        {
            tx.execute(
                "INSERT INTO tag_ops (tag, set_at, source, members) VALUES (?1, ?2, ?3, ?4)",
                params![
                    name(op.tag),
                    op.meta.map(|m| m.set_at),
                    op.meta.map(|m| m.source.as_str()),
                    bitmap_bytes(&op.customers)?
                ],
            )?;
        }
        for op in &changes.live {
            persist_live(&tx, op, state)?;
        }
        for op in &changes.edges {
            persist_edge(&tx, op, &name)?;
        }
        if !changes.referral_ops.is_empty() {
            let mut put = tx.prepare_cached("INSERT INTO referral_ops (op) VALUES (?1)")?;
            for op in &changes.referral_ops {
                put.execute([serde_json::to_string(op).map_err(StoreError::Json)?])?;
            }
        }
        if let Some(config) = &changes.scoring {
            put_setting(&tx, "scoring", config)?;
        }
        if let Some(model) = &changes.churn {
            put_setting(&tx, "churn_model", model)?;
        }
        if let Some(ladder) = &changes.ladder {
            let stages: Vec<(&str, &str)> = ladder
                .stages
                .iter()
                .zip(&ladder.rules)
                .map(|(s, r)| (s.as_str(), r.as_str()))
                .collect();
            tx.execute(
                "INSERT OR REPLACE INTO ladders (name, stages, defined_at) VALUES (?1, ?2, ?3)",
                params![
                    ladder.name,
                    serde_json::to_string(&stages).map_err(StoreError::Json)?,
                    ladder.defined_at
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl Store {
    /// Appends stage moves, all or nothing; `symbols` names their ladders and stages.
    pub fn persist_moves(&mut self, moves: &[PendingMove], symbols: &Symbols) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO stage_moves (ladder, customer, from_stage, to_stage, at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            let name = |sym: u32| symbols.name(sym);
            for m in moves {
                let Move {
                    customer,
                    from,
                    to,
                    at,
                } = m.moved;
                put.execute(params![name(m.ladder), customer, name(from), name(to), at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// Stores a JSON setting.
fn put_setting(tx: &Transaction, key: &str, value: &impl serde::Serialize) -> Result<()> {
    let text = serde_json::to_string(value).map_err(StoreError::Json)?;
    tx.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![key, text],
    )?;
    Ok(())
}

fn bitmap_bytes(bitmap: &RoaringBitmap) -> Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(bitmap.serialized_size());
    bitmap
        .serialize_into(&mut bytes)
        .map_err(|e| StoreError::Corrupt(format!("bitmap encoding: {e}")))?;
    Ok(bytes)
}

fn persist_edge<'a>(tx: &Transaction, op: &EdgeOp, name: &dyn Fn(u32) -> &'a str) -> Result<()> {
    match op {
        EdgeOp::Put(e) | EdgeOp::Insert(e) => tx
            .prepare_cached(
                "INSERT INTO edges (source, target, kind, weight, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (source, target, kind) DO UPDATE SET weight = excluded.weight",
            )?
            .execute(params![
                e.source,
                e.target,
                name(e.data.kind),
                f64::from(e.data.weight),
                e.data.created_at
            ])?,
        EdgeOp::Remove {
            source,
            target,
            kind,
        } => tx
            .prepare_cached("DELETE FROM edges WHERE source = ?1 AND target = ?2 AND kind = ?3")?
            .execute(params![source, target, name(*kind)])?,
    };
    Ok(())
}

fn persist_live(tx: &Transaction, op: &LiveOp, state: &State) -> Result<()> {
    match op {
        LiveOp::Define(node) => match &node.key {
            NodeKey::Segment(name) => tx.execute(
                "INSERT INTO segments (name, expression, checkpoint) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name) DO UPDATE SET expression = excluded.expression",
                params![name, node.text, bitmap_bytes(&RoaringBitmap::new())?],
            )?,
            NodeKey::Rule(tag) => tx.execute(
                "INSERT OR REPLACE INTO tag_rules (tag, expression) VALUES (?1, ?2)",
                params![tag, node.text],
            )?,
            // Stage rules are stored with their ladder.
            NodeKey::Stage { .. } => 0,
        },
        LiveOp::Drop(NodeKey::Stage { .. }) => 0,
        LiveOp::Drop(NodeKey::Segment(name)) => {
            tx.execute("DELETE FROM segments WHERE name = ?1", params![name])?
        }
        LiveOp::Drop(NodeKey::Rule(tag)) => {
            tx.execute("DELETE FROM tag_rules WHERE tag = ?1", params![tag])?
        }
        LiveOp::Checkpoint(name) => {
            let members = state.segments.members(name).cloned().unwrap_or_default();
            tx.execute(
                "UPDATE segments SET checkpoint = ?1 WHERE name = ?2",
                params![bitmap_bytes(&members)?, name],
            )?
        }
    };
    Ok(())
}
