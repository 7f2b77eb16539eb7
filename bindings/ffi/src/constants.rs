//! The core's constants, which uniffi cannot export as constants: [`constants`] returns them
//! as one record (`constants().maxIdLen`, `constants().eventKinds` in Kotlin).

/// Size limits, referral constants and the well-known kind names of the core.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Constants {
    /// Longest external customer id, in bytes.
    pub max_id_len: u32,
    /// Longest string attribute (or list item), in bytes.
    pub max_string_len: u32,
    /// Longest identity value, in bytes, after normalisation.
    pub max_identity_len: u32,
    /// Longest attribute key, in bytes.
    pub max_key_len: u32,
    /// Longest channel or event-kind name, in bytes.
    pub max_name_len: u32,
    /// Longest tag name, in bytes.
    pub max_tag_len: u32,
    /// Longest actor name or merge note, in bytes.
    pub max_note_len: u32,
    /// Longest accepted segment expression, in bytes.
    pub max_expression_len: u32,
    /// Most stages of a ladder.
    pub max_stages: u32,
    /// Longest ladder or stage name, in bytes.
    pub max_stage_name_len: u32,
    /// Most levels of a multi-level referral programme.
    pub max_levels: u32,
    /// Largest reward, cap or milestone, in points.
    pub max_points: i64,
    /// The characters of invite codes.
    pub code_alphabet: String,
    /// Length of an invite code unless configured otherwise.
    pub default_code_len: u32,
    /// The event kind of a refund.
    pub refund: String,
    /// The property of a refund event naming the refunded purchase's idempotency key.
    pub refunded: String,
    /// The well-known event kinds (`view`, `click`, ... `survey`); any other name is allowed.
    pub event_kinds: Vec<String>,
    /// The built-in edge kinds (`referred`, `follows`, `friend`, `interacted`, `colleague`);
    /// any other name is a custom, directed kind.
    pub edge_kinds: Vec<String>,
}

/// The core's constants.
#[uniffi::export]
pub fn constants() -> Constants {
    let names = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
    Constants {
        max_id_len: scrm::MAX_ID_LEN as u32,
        max_string_len: scrm::MAX_STRING_LEN as u32,
        max_identity_len: scrm::MAX_IDENTITY_LEN as u32,
        max_key_len: scrm::MAX_KEY_LEN as u32,
        max_name_len: scrm::MAX_NAME_LEN as u32,
        max_tag_len: scrm::MAX_TAG_LEN as u32,
        max_note_len: scrm::MAX_NOTE_LEN as u32,
        max_expression_len: scrm::MAX_EXPRESSION_LEN as u32,
        max_stages: scrm::MAX_STAGES as u32,
        max_stage_name_len: scrm::MAX_STAGE_NAME_LEN as u32,
        max_levels: scrm::MAX_LEVELS as u32,
        max_points: scrm::MAX_POINTS,
        code_alphabet: scrm::CODE_ALPHABET.to_string(),
        default_code_len: scrm::DEFAULT_CODE_LEN as u32,
        refund: scrm::REFUND.to_string(),
        refunded: scrm::REFUNDED.to_string(),
        event_kinds: names(&scrm::kinds::ALL),
        edge_kinds: names(&scrm::edge_kinds::ALL),
    }
}
