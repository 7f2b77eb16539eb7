//! # scrm: an embeddable social CRM engine
//!
//! One person seen on many channels becomes one customer; every interaction lands in a
//! two-way event log; identities that collide merge profiles with an audit trail. Everything
//! is held in memory for speed and, in file mode, in one SQLite file for durability.
//!
//! Start with [`Engine`]: [`Engine::open`] for a durable store, [`Engine::in_memory`] for a
//! throwaway one.

mod bitset;
mod config;
mod customer;
mod engine;
mod error;
mod event;
mod graph;
mod hash;
mod identity;
mod lifecycle;
mod merge;
mod names;
mod parallel;
mod prefetch;
mod referral;
mod relations;
mod segment;
mod sorted;
mod state;
mod store;
mod tags;
mod time;
mod writes;

pub use config::EngineConfig;
pub use customer::{
    Activity, AttributeValue, Customer, CustomerInput, UpsertOutcome, MAX_ID_LEN, MAX_STRING_LEN,
};
pub use engine::{
    Engine, MergeRequest, SavedSegmentInfo, SegmentChanges, Stats, TagCount, TagRuleInfo,
    MAX_NOTE_LEN,
};
pub use error::{Error, Result, StoreError};
pub use event::{kinds, Direction, Event, EventInput, IngestReport};
pub use identity::{Identity, IdentityConfig, MAX_IDENTITY_LEN};
pub use lifecycle::{
    customer_lifetime_value, predict, simulate, ActivityRate, BgNbd, BgNbdFit, ChurnModel,
    ChurnOptions, ChurnTable, CohortRetention, EventWeight, Fit, FitOptions, Funnel, GammaGamma,
    GammaGammaFit, LadderInfo, LogLikelihood, MonthlyCounts, MovedTable, PredictOptions,
    Predictions, PurchaseSummary, RfmSegment, RfmTable, ScoreTable, ScoringConfig, StageMove,
    StageTimes, SummaryTable, MAX_STAGES, MAX_STAGE_NAME_LEN,
};
pub use merge::{
    CollisionPolicy, ConflictResolution, ConflictStatus, IdentifiedPolicy, IdentityConflict,
    MergePolicy, MergeReason, MergeRecord, MergeStrategy,
};
pub use names::{MAX_KEY_LEN, MAX_NAME_LEN};
pub use referral::{
    Allowance, AllowanceUnit, Balance, Caps, EntryKind, HoldReason, InviteCode, LedgerEntry,
    Milestone, Programme, Referral, ReferralFunnel, ReferralPolicy, ReferralStatus,
    ReferrerStanding, Trigger, Window, CODE_ALPHABET, DEFAULT_CODE_LEN, MAX_LEVELS, MAX_POINTS,
    REFUND, REFUNDED,
};
pub use relations::{
    edge_kinds, CommunityOptions, CommunityReport, Edge, EdgeDirection, EdgeInput, EdgeReport,
    EdgeSelection, PageRankOptions, Ranking, Upline,
};
pub use segment::{
    format_segment, ExplainStep, Explanation, PackedPage, SegmentError, SegmentErrorKind,
    SegmentPage, MAX_EXPRESSION_LEN,
};
pub use tags::{TagAssignment, TagReport, TagSource, MAX_TAG_LEN};
pub use time::Timestamp;

/// Compiles and runs the README's Rust snippet as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
