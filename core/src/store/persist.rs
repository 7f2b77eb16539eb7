//! Writing one call's changes to the store in a single transaction.

use rusqlite::params;

use super::Store;
use crate::error::{Result, StoreError};
use crate::event::Direction;
use crate::state::{Changes, State};

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
        tx.commit()?;
        Ok(())
    }
}
