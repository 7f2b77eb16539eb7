//! Rules for the names the engine stores: channels, event kinds and attribute keys.

use std::borrow::Cow;

use crate::error::{invalid, Result};

/// Longest channel or event-kind name, in bytes.
pub const MAX_NAME_LEN: usize = 64;
/// Longest attribute key, in bytes.
pub const MAX_KEY_LEN: usize = 128;

/// Normalises a channel or event-kind name: ASCII letters (folded to lower case), digits,
/// `_`, `-` and `.`, starting with a letter, at most 64 bytes. `WeChat` becomes `wechat`.
/// Borrows when the name is already lower case, as it is on the hot ingest path.
pub(crate) fn normalize_name<'a>(
    field: impl Fn() -> String,
    name: &'a str,
) -> Result<Cow<'a, str>> {
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(invalid(
            field(),
            format!("name must be 1 to {MAX_NAME_LEN} bytes, got {}", name.len()),
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(invalid(
            field(),
            format!("name {name:?} must start with a letter"),
        ));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    // One pass over the bytes on the hot path; characters only to describe a bad one.
    if !name.bytes().all(allowed) {
        let bad = name
            .chars()
            .find(|&c| !c.is_ascii() || !allowed(c as u8))
            .unwrap_or_default();
        return Err(invalid(
            field(),
            format!("name {name:?} has {bad:?}; use letters, digits, '_', '-' or '.'"),
        ));
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Ok(Cow::Owned(name.to_ascii_lowercase()))
    } else {
        Ok(Cow::Borrowed(name))
    }
}

/// Checks an attribute key: ASCII letters, digits and `_`, not starting with a digit, at most
/// 128 bytes. Keys are case-sensitive, so the segment language can name them as `attr.<key>`.
pub(crate) fn check_key(field: impl Fn() -> String, key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(invalid(
            field(),
            format!("key must be 1 to {MAX_KEY_LEN} bytes, got {}", key.len()),
        ));
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(invalid(
            field(),
            format!("key {key:?} must not start with a digit"),
        ));
    }
    if let Some(bad) = key
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(invalid(
            field(),
            format!("key {key:?} has {bad:?}; use letters, digits or '_'"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_and_reject_junk() {
        assert_eq!(
            normalize_name(|| "channel".into(), "WeChat_OpenID").unwrap(),
            "wechat_openid"
        );
        for bad in ["", "9lives", "we chat", "微信", &"x".repeat(65)] {
            let err = normalize_name(|| "channel".into(), bad).unwrap_err();
            assert_eq!(err.field(), Some("channel"), "{bad:?}");
        }
    }

    #[test]
    fn keys_are_identifiers() {
        assert!(check_key(|| "k".into(), "first_name").is_ok());
        assert!(check_key(|| "k".into(), "City2").is_ok());
        for bad in ["", "2x", "a.b", "a b", &"k".repeat(129)] {
            assert!(check_key(|| "k".into(), bad).is_err(), "{bad:?}");
        }
    }
}
