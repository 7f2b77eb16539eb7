//! Invite codes: short, unambiguous, unique and not derived from the customer.
//!
//! Codes are drawn from 31 symbols, digits and capitals without `0`/`O` and `1`/`I`/`L`,
//! so a code read aloud or copied by hand comes back right. Eight symbols give
//! 31^8 ≈ 8.5 × 10^11 codes. Each symbol comes from a keyed SipHash of a counter whose key
//! the standard library seeds from the operating system's randomness, so a code says
//! nothing about the customer it belongs to or about the codes issued before it. Lookups
//! fold case and drop spaces and dashes (`abcd-efgh` finds `ABCDEFGH`).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

use crate::error::{invalid, Result};

/// The symbols of a code.
pub const CODE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Length of a code unless configured otherwise.
pub const DEFAULT_CODE_LEN: usize = 8;
/// Shortest and longest configurable code.
pub(crate) const CODE_LENS: std::ops::RangeInclusive<usize> = 6..=16;

/// A source of unpredictable codes.
pub(crate) struct CodeSource {
    key: RandomState,
    counter: u64,
}

impl Default for CodeSource {
    fn default() -> Self {
        CodeSource {
            key: RandomState::new(),
            counter: 0,
        }
    }
}

impl CodeSource {
    /// A fresh code of `len` symbols (the caller checks it is not taken).
    pub fn draw(&mut self, len: usize) -> String {
        let symbols = CODE_ALPHABET.as_bytes();
        let mut code = String::with_capacity(len);
        let mut bits = 0u64;
        let mut left = 0;
        while code.len() < len {
            if left == 0 {
                let mut h = self.key.build_hasher();
                h.write_u64(self.counter);
                self.counter += 1;
                bits = h.finish();
                left = 12; // 12 draws of 5 bits; the top bits are dropped
            }
            let v = (bits & 31) as usize;
            bits >>= 5;
            left -= 1;
            // 31 symbols for 32 values: drop the one that would bias the choice.
            if v < symbols.len() {
                code.push(symbols[v] as char);
            }
        }
        code
    }
}

/// Brings a typed-in code to its stored form: upper case, without spaces or dashes. Fails
/// on symbols no code has.
pub(crate) fn normalize(field: &str, text: &str) -> Result<String> {
    let code: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !CODE_LENS.contains(&code.len()) {
        return Err(invalid(
            field,
            format!(
                "an invite code has {} to {} symbols, got {text:?}",
                CODE_LENS.start(),
                CODE_LENS.end()
            ),
        ));
    }
    if let Some(bad) = code.chars().find(|c| !CODE_ALPHABET.contains(*c)) {
        return Err(invalid(
            field,
            format!("{bad:?} is never part of an invite code (codes use {CODE_ALPHABET})"),
        ));
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unambiguous_and_spread() {
        let mut source = CodeSource::default();
        let codes: Vec<String> = (0..20_000).map(|_| source.draw(DEFAULT_CODE_LEN)).collect();
        assert!(codes
            .iter()
            .all(|c| c.len() == 8 && normalize("c", c).ok().as_deref() == Some(c.as_str())));
        for banned in ['0', 'O', '1', 'I', 'L'] {
            assert!(!codes.iter().any(|c| c.contains(banned)));
        }
        let distinct: HashSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        // Every symbol shows up about equally often in every position.
        let mut counts = [0usize; 31];
        for c in &codes {
            counts[CODE_ALPHABET.find(c.chars().next().unwrap()).unwrap()] += 1;
        }
        let expected = codes.len() / 31;
        assert!(
            counts.iter().all(|&n| n > expected / 2 && n < expected * 2),
            "{counts:?}"
        );
    }

    #[test]
    fn two_sources_do_not_repeat_each_other() {
        let (mut a, mut b) = (CodeSource::default(), CodeSource::default());
        assert_ne!(a.draw(8), b.draw(8));
    }

    #[test]
    fn typed_codes_are_normalised_or_refused() {
        assert_eq!(normalize("code", "abcd-efgh").unwrap(), "ABCDEFGH");
        assert_eq!(normalize("code", " 2345 6789 ").unwrap(), "23456789");
        for bad in ["ABC", "ABCDEFG0", "ABCDEFGI", "ÄBCDEFGH", &"A".repeat(17)] {
            assert_eq!(
                normalize("code", bad).unwrap_err().field(),
                Some("code"),
                "{bad}"
            );
        }
    }
}
