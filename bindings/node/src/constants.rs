//! The core's constants, under their Rust names: size limits (`MAX_ID_LEN`...), the referral
//! constants (`REFUND`, `REFUNDED`, `CODE_ALPHABET`, `MAX_LEVELS`, `MAX_POINTS`), the
//! well-known event kinds (`kinds.VIEW`) and the built-in edge kinds (`edgeKinds.REFERRED`).
//! Any other kind name is allowed too.

use napi_derive::napi;

/// Longest external customer id, in bytes.
#[napi]
pub const MAX_ID_LEN: u32 = scrm::MAX_ID_LEN as u32;
/// Longest string attribute (or list item), in bytes.
#[napi]
pub const MAX_STRING_LEN: u32 = scrm::MAX_STRING_LEN as u32;
/// Longest identity value, in bytes, after normalisation.
#[napi]
pub const MAX_IDENTITY_LEN: u32 = scrm::MAX_IDENTITY_LEN as u32;
/// Longest attribute key, in bytes.
#[napi]
pub const MAX_KEY_LEN: u32 = scrm::MAX_KEY_LEN as u32;
/// Longest channel or event-kind name, in bytes.
#[napi]
pub const MAX_NAME_LEN: u32 = scrm::MAX_NAME_LEN as u32;
/// Longest tag name, in bytes.
#[napi]
pub const MAX_TAG_LEN: u32 = scrm::MAX_TAG_LEN as u32;
/// Longest actor name or merge note, in bytes.
#[napi]
pub const MAX_NOTE_LEN: u32 = scrm::MAX_NOTE_LEN as u32;
/// Longest accepted segment expression, in bytes.
#[napi]
pub const MAX_EXPRESSION_LEN: u32 = scrm::MAX_EXPRESSION_LEN as u32;
/// Most stages of a ladder.
#[napi]
pub const MAX_STAGES: u32 = scrm::MAX_STAGES as u32;
/// Longest ladder or stage name, in bytes.
#[napi]
pub const MAX_STAGE_NAME_LEN: u32 = scrm::MAX_STAGE_NAME_LEN as u32;
/// Most levels of a multi-level referral programme.
#[napi]
pub const MAX_LEVELS: u32 = scrm::MAX_LEVELS as u32;
/// Largest reward, cap or milestone, in points (10^12, exact as a number).
#[napi]
pub const MAX_POINTS: f64 = scrm::MAX_POINTS as f64;
/// The characters of invite codes.
#[napi]
pub const CODE_ALPHABET: &str = scrm::CODE_ALPHABET;
/// Length of an invite code unless configured otherwise.
#[napi]
pub const DEFAULT_CODE_LEN: u32 = scrm::DEFAULT_CODE_LEN as u32;
/// The event kind of a refund.
#[napi]
pub const REFUND: &str = scrm::REFUND;
/// The property of a refund event naming the refunded purchase's idempotency key.
#[napi]
pub const REFUNDED: &str = scrm::REFUNDED;

/// Well-known event kinds.
#[napi]
pub mod kinds {
    /// Viewed content (article, product, mini-program page).
    #[napi]
    pub const VIEW: &str = scrm::kinds::VIEW;
    /// Clicked a link or button.
    #[napi]
    pub const CLICK: &str = scrm::kinds::CLICK;
    /// Sent or received a message.
    #[napi]
    pub const MESSAGE: &str = scrm::kinds::MESSAGE;
    /// Commented on content.
    #[napi]
    pub const COMMENT: &str = scrm::kinds::COMMENT;
    /// Shared content with others.
    #[napi]
    pub const SHARE: &str = scrm::kinds::SHARE;
    /// Bought something; `amount` holds the value.
    #[napi]
    pub const PURCHASE: &str = scrm::kinds::PURCHASE;
    /// Signed up.
    #[napi]
    pub const SIGNUP: &str = scrm::kinds::SIGNUP;
    /// Followed the brand's account.
    #[napi]
    pub const FOLLOW: &str = scrm::kinds::FOLLOW;
    /// Answered a survey.
    #[napi]
    pub const SURVEY: &str = scrm::kinds::SURVEY;
}

/// Built-in edge kinds (any other kind is a custom, directed kind).
#[napi(js_name = "edgeKinds")]
pub mod edge_kinds {
    /// `referrer -> referred customer`. A customer has at most one referrer.
    #[napi]
    pub const REFERRED: &str = scrm::edge_kinds::REFERRED;
    /// `follower -> followed`.
    #[napi]
    pub const FOLLOWS: &str = scrm::edge_kinds::FOLLOWS;
    /// Mutual: putting or removing `a -> b` does the same to `b -> a`.
    #[napi]
    pub const FRIEND: &str = scrm::edge_kinds::FRIEND;
    /// Derived from the event log (events with a target): it cannot be put or removed by
    /// hand.
    #[napi]
    pub const INTERACTED: &str = scrm::edge_kinds::INTERACTED;
    /// Mutual, between internal customers (staff serving customers, teams).
    #[napi]
    pub const COLLEAGUE: &str = scrm::edge_kinds::COLLEAGUE;
}
