//! Node.js binding of the scrm engine (napi-rs): the `Engine` class, `formatSegment` and the
//! lifecycle models' functions ([`models`]).
//!
//! Thin by design: every call converts its arguments, calls the core, and converts the
//! result or the error. Heavy calls run on the libuv thread pool and return Promises. The
//! TypeScript types in `index.d.ts` are generated from the types in [`types`].

pub mod constants;
mod engine;
mod errors;
pub mod models;
mod task;
mod types;

use napi::Env;
use napi_derive::napi;

pub use engine::Engine;

/// Parses a segment expression and returns it in canonical form (lower-case keywords,
/// single spaces, the fewest parentheses); throws `SEGMENT_SYNTAX` with `line` and `column`.
#[napi]
pub fn format_segment(env: Env, text: String) -> napi::Result<String> {
    errors::check(&env, scrm::format_segment(&text).map_err(scrm::Error::from))
}
