//! Identities: how one person is known on a channel, and how values are normalised before matching.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, Result};
use crate::names::normalize_name;

/// Longest identity value, in bytes, after normalisation.
pub const MAX_IDENTITY_LEN: usize = 512;

/// A `(channel, value)` pair naming a person on one channel, e.g. `("wechat_openid", "o6_...")`,
/// `("phone", "+8613800000000")` or `("email", "li@example.com")`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    /// Channel name (`wechat_openid`, `wechat_unionid`, `phone`, `email`, `weibo` or any custom name).
    pub channel: String,
    /// The value on that channel.
    pub value: String,
}

impl Identity {
    /// Builds an identity from a channel and a value.
    pub fn new(channel: impl Into<String>, value: impl Into<String>) -> Self {
        Identity {
            channel: channel.into(),
            value: value.into(),
        }
    }
}

/// How identity values are normalised.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityConfig {
    /// Country calling code (digits, e.g. `"86"`) given to phone numbers written without `+` or `00`.
    /// Without it such numbers are kept as bare digits and only match the same bare digits.
    pub default_country_code: Option<String>,
}

impl IdentityConfig {
    /// Checks the configuration itself.
    pub(crate) fn validate(&self) -> Result<()> {
        match &self.default_country_code {
            Some(cc)
                if cc.is_empty() || cc.len() > 3 || !cc.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Err(invalid(
                    "identity.default_country_code",
                    format!("{cc:?} must be 1 to 3 digits"),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Normalises an identity so equal identities compare equal.
    ///
    /// The channel name is folded to lower case. `email` values are trimmed and lower-cased;
    /// `phone` values lose spaces, dashes, dots and brackets and become `+<digits>` (E.164-like)
    /// when they carry `+` or `00` or a default country code is configured. Other channels are
    /// trimmed only, since identifiers such as WeChat openids are case-sensitive.
    pub fn normalize(&self, field: &str, identity: &Identity) -> Result<Identity> {
        self.normalize_at(&|| field.to_string(), identity)
    }

    /// [`normalize`](Self::normalize) with the input path formatted only on error.
    pub(crate) fn normalize_at(
        &self,
        field: &dyn Fn() -> String,
        identity: &Identity,
    ) -> Result<Identity> {
        let channel =
            normalize_name(|| format!("{}.channel", field()), &identity.channel)?.into_owned();
        let value_field = || format!("{}.value", field());
        let trimmed = identity.value.trim();
        let value = match channel.as_str() {
            "email" => normalize_email(&value_field, trimmed)?,
            "phone" => self.normalize_phone(&value_field, trimmed)?,
            _ => trimmed.to_string(),
        };
        if value.is_empty() || value.len() > MAX_IDENTITY_LEN {
            return Err(invalid(
                value_field(),
                format!("value must be 1 to {MAX_IDENTITY_LEN} bytes after trimming"),
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(invalid(value_field(), "value contains control characters"));
        }
        Ok(Identity { channel, value })
    }

    fn normalize_phone(&self, field: &dyn Fn() -> String, raw: &str) -> Result<String> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
            .collect();
        let (international, digits) = if let Some(rest) = compact.strip_prefix('+') {
            (true, rest)
        } else if let Some(rest) = compact.strip_prefix("00") {
            (true, rest)
        } else {
            (false, compact.as_str())
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !(5..=15).contains(&digits.len()) {
            return Err(invalid(
                field(),
                format!("phone {raw:?} must be 5 to 15 digits, optionally after '+' or '00'"),
            ));
        }
        Ok(match (&self.default_country_code, international) {
            (_, true) => format!("+{digits}"),
            (Some(cc), false) => format!("+{cc}{}", digits.strip_prefix('0').unwrap_or(digits)),
            (None, false) => digits.to_string(),
        })
    }
}

fn normalize_email(field: &dyn Fn() -> String, raw: &str) -> Result<String> {
    let email = raw.to_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(invalid(field(), format!("{raw:?} is not an email address")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(cfg: &IdentityConfig, channel: &str, value: &str) -> Result<String> {
        cfg.normalize("identities[0]", &Identity::new(channel, value))
            .map(|i| i.value)
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let cfg = IdentityConfig::default();
        assert_eq!(
            norm(&cfg, "Email", "  Li.Na@Example.COM ").unwrap(),
            "li.na@example.com"
        );
        for bad in ["li.na", "@x.com", "a@", "a@b@c", "a b@c.com"] {
            assert!(norm(&cfg, "email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_become_e164_like() {
        let plain = IdentityConfig::default();
        assert_eq!(
            norm(&plain, "phone", "+86 138-0013-8000").unwrap(),
            "+8613800138000"
        );
        assert_eq!(
            norm(&plain, "phone", "0086 13800138000").unwrap(),
            "+8613800138000"
        );
        assert_eq!(
            norm(&plain, "phone", "138 0013 8000").unwrap(),
            "13800138000"
        );
        let china = IdentityConfig {
            default_country_code: Some("86".into()),
        };
        assert_eq!(
            norm(&china, "phone", "138 0013 8000").unwrap(),
            "+8613800138000"
        );
        assert_eq!(
            norm(&china, "phone", "(021) 6234-5678").unwrap(),
            "+862162345678"
        );
        for bad in ["abc", "+1", "12 34", "+12345678901234567"] {
            assert!(norm(&plain, "phone", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn other_channels_keep_case_and_reject_blank_values() {
        let cfg = IdentityConfig::default();
        assert_eq!(norm(&cfg, "wechat_openid", " oAbC ").unwrap(), "oAbC");
        let err = norm(&cfg, "weibo", "   ").unwrap_err();
        assert_eq!(err.field(), Some("identities[0].value"));
        let err = norm(&cfg, "we chat", "x").unwrap_err();
        assert_eq!(err.field(), Some("identities[0].channel"));
    }

    #[test]
    fn bad_country_code_is_rejected() {
        let cfg = IdentityConfig {
            default_country_code: Some("+86".into()),
        };
        assert!(cfg.validate().is_err());
    }
}
