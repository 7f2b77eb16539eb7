//! # scrm-ffi: the scrm engine for Kotlin and Swift
//!
//! A thin [uniffi](https://mozilla.github.io/uniffi-rs/) layer over the `scrm` core: records,
//! enums and one object ([`Engine`]) that only convert types and map errors; all logic stays
//! in the core. The interface is declared with proc-macros (no UDL); Kotlin and Swift sources
//! are generated from the built library by `bindings/ffi/generate.sh`.
//!
//! Conventions across the boundary:
//! - times are `SystemTime` here: `java.time.Instant` in Kotlin, `Date` in Swift. The engine
//!   keeps microseconds, so finer digits are dropped;
//! - counts are `u64` (`ULong` in Kotlin, `UInt64` in Swift), as in the core;
//! - every fallible call throws [`ScrmError`] (`ScrmException` in Kotlin), one case per
//!   stable error code;
//! - [`Engine`] is shared (`Arc`) and thread-safe; every call blocks the calling thread until
//!   the engine answers, so call heavy ones (batches, segment queries) off the UI thread.

mod config;
mod constants;
mod customer;
mod engine;
mod errors;
mod event;
mod graph;
mod jna;
mod lifecycle;
mod merge;
mod models;
mod referral;
mod segment;
mod stats;
mod tags;
mod time;
mod values;

pub use config::{
    CollisionPolicy, EngineConfig, IdentifiedPolicy, IdentityConfig, MergePolicy, MergeStrategy,
};
pub use constants::{constants, Constants};
pub use customer::{Activity, Customer, CustomerInput, Identity, UpsertOutcome};
pub use engine::Engine;
pub use errors::ScrmError;
pub use event::{Direction, Event, EventInput, IngestReport};
pub use graph::{
    CommunityOptions, CommunityReport, Edge, EdgeDirection, EdgeInput, EdgeReport, EdgeSelection,
    PageRankOptions, Ranking, Upline,
};
pub use lifecycle::{
    ActivityRate, BgNbd, ChurnModel, ChurnOptions, ChurnTable, CohortRetention, EventWeight,
    FitOptions, Funnel, GammaGamma, LadderInfo, MonthlyCounts, MovedTable, RfmSegment, RfmTable,
    ScoreTable, ScoringConfig, StageInput, StageMove, StageTimes, SummaryTable,
};
pub use merge::{
    ConflictResolution, ConflictStatus, IdentityConflict, MergeReason, MergeRecord, MergeRequest,
};
pub use models::{
    expected_purchases_new, fit_bgnbd, fit_gamma_gamma, predict, simulate, BgNbdFit, GammaGammaFit,
    LogLikelihood, PredictOptions, Predictions, Summaries,
};
pub use referral::{
    Allowance, AllowanceUnit, Balance, Caps, EntryKind, HoldReason, InviteCode, LedgerEntry,
    Milestone, Programme, Referral, ReferralFunnel, ReferralPolicy, ReferralStatus,
    ReferrerStanding, Trigger, Window,
};
pub use segment::{
    format_segment, ExplainStep, Explanation, SavedSegmentInfo, SegmentChanges, SegmentPage,
    TagRuleInfo,
};
pub use stats::Stats;
pub use tags::{TagAssignment, TagCount, TagReport, TagSource};
pub use values::AttributeValue;

uniffi::setup_scaffolding!("scrm");
