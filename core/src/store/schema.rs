//! The SQLite schema of a scrm store file.

/// `PRAGMA application_id` of scrm stores ("SCRM" in ASCII), so foreign files are recognised.
pub(crate) const APPLICATION_ID: i64 = 0x5343_524D;
/// `PRAGMA user_version` this library writes and reads.
pub(crate) const SCHEMA_VERSION: i64 = 4;

/// Upgrades from older versions, run in order from the file's version: entry `i` takes a
/// store from version `i + 1` to `i + 2`.
pub(crate) const MIGRATIONS: &[&str] = &[EDGES, REFERRALS, LIFECYCLE];

/// Version 2: the relationship graph. Edges from events (`interacted`) are not stored: they
/// are counted again from the event log when the store opens.
const EDGES: &str = "
CREATE TABLE edges (
    source     INTEGER NOT NULL,
    target     INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    weight     REAL NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (source, target, kind)
);
";

/// Version 4: lifecycle scoring. `settings` holds JSON values by key (`scoring`, the
/// scoring configuration; `churn_model`, the fitted BG/NBD and Gamma-Gamma models);
/// `ladders` the stage ladders defined by hand (JSON `[[stage, rule or null], ...]`);
/// `stage_moves` every stage transition, by stage name.
const LIFECYCLE: &str = "
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE ladders (
    name       TEXT PRIMARY KEY,
    stages     TEXT NOT NULL,
    defined_at INTEGER NOT NULL
);
CREATE TABLE stage_moves (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    ladder     TEXT NOT NULL,
    customer   INTEGER NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage   TEXT NOT NULL,
    at         INTEGER NOT NULL
);
";

/// Tables of a new store. Times are microseconds since the epoch; customers are dense indexes.
pub(crate) const CREATE: &str = "
CREATE TABLE customers (
    idx         INTEGER PRIMARY KEY,
    ext_id      TEXT NOT NULL UNIQUE,
    anonymous   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    merged_into INTEGER,
    attributes  TEXT NOT NULL
);
CREATE TABLE tag_ops (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    tag      TEXT NOT NULL,
    set_at   INTEGER,
    source   TEXT,
    members  BLOB NOT NULL
);
CREATE TABLE identities (
    channel  TEXT NOT NULL,
    value    TEXT NOT NULL,
    customer INTEGER NOT NULL,
    PRIMARY KEY (channel, value)
) WITHOUT ROWID;
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    customer   INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    direction  INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    amount     REAL,
    target     INTEGER,
    properties TEXT,
    idem_key   TEXT
);
CREATE UNIQUE INDEX events_idem_key ON events (idem_key) WHERE idem_key IS NOT NULL;
CREATE TABLE merges (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    survivor INTEGER NOT NULL,
    merged   INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL,
    reason   TEXT NOT NULL
);
CREATE TABLE segments (
    name       TEXT PRIMARY KEY,
    expression TEXT NOT NULL,
    checkpoint BLOB NOT NULL
);
CREATE TABLE tag_rules (
    tag        TEXT PRIMARY KEY,
    expression TEXT NOT NULL
);
CREATE TABLE conflicts (
    id       INTEGER PRIMARY KEY,
    channel  TEXT NOT NULL,
    value    TEXT NOT NULL,
    owner    INTEGER NOT NULL,
    claimant INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    status   TEXT NOT NULL
);
";

/// Version 3: referral programmes, codes, referrals and the points ledger, as the log of
/// operations that built them (JSON), replayed when the store opens.
const REFERRALS: &str = "
CREATE TABLE referral_ops (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op  TEXT NOT NULL
);
";
