//! The durable embedded store: one SQLite file in WAL mode, written once per engine call.

mod load;
mod persist;
mod schema;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use crate::error::{Error, Result, StoreError};
use crate::state::State;

/// An open store file, held exclusively by one engine.
pub(crate) struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (or creates) the store at `path` and rebuilds the in-memory state from it.
    ///
    /// The file is locked for as long as the store is open (`locking_mode=EXCLUSIVE`), so a
    /// second engine on the same file gets [`StoreError::Locked`] instead of diverging.
    pub fn open(path: &Path) -> Result<(Store, State)> {
        let name = path.display().to_string();
        Store::open_unlocked(path, &name).map_err(|e| match e {
            Error::Store(StoreError::Sqlite(ref s))
                if matches!(
                    s.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) =>
            {
                StoreError::Locked(name).into()
            }
            e => e,
        })
    }

    fn open_unlocked(path: &Path, name: &str) -> Result<(Store, State)> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::ZERO)?;
        let foreign = |reason: String| StoreError::Foreign {
            path: name.to_string(),
            reason,
        };
        let app_id: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => foreign("not a SQLite database".into()),
                _ => StoreError::Sqlite(e),
            })?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if app_id != schema::APPLICATION_ID && !(app_id == 0 && tables == 0) {
            return Err(foreign(format!(
                "a SQLite database of another application (application_id {app_id}, {tables} schema objects)"
            ))
            .into());
        }
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")?;
        if tables == 0 {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(schema::CREATE)?;
            for migration in schema::MIGRATIONS {
                tx.execute_batch(migration)?;
            }
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
            tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
            tx.commit()?;
        }
        let mut version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if (1..schema::SCHEMA_VERSION).contains(&version) {
            let tx = conn.unchecked_transaction()?;
            for migration in &schema::MIGRATIONS[version as usize - 1..] {
                tx.execute_batch(migration)?;
            }
            tx.pragma_update(None, "user_version", schema::SCHEMA_VERSION)?;
            tx.commit()?;
            version = schema::SCHEMA_VERSION;
        }
        if version != schema::SCHEMA_VERSION {
            return Err(StoreError::Version {
                found: version,
                supported: schema::SCHEMA_VERSION,
            }
            .into());
        }
        let state = load::load(&conn)?;
        Ok((Store { conn }, state))
    }
}
