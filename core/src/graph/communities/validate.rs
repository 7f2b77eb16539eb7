//! Input checks: consistent CSR slices, valid weights, symmetric lists, a valid resolution.

use crate::error::{invalid, Result};

use super::Adjacency;

/// Rejects a resolution that is not finite and positive.
pub(super) fn resolution(resolution: f64) -> Result<()> {
    if resolution.is_finite() && resolution > 0.0 {
        Ok(())
    } else {
        Err(invalid(
            "resolution",
            format!("must be finite and positive, got {resolution}"),
        ))
    }
}

/// Checks the CSR slices and returns each node's weighted degree, the sum of its list.
///
/// Rejects: no `offsets` at all, more than `u32::MAX` nodes, `offsets` not starting at 0,
/// decreasing or not ending at `neighbours.len()`, `weights` of another length than
/// `neighbours`, a neighbour id `>= n`, a negative, NaN or infinite weight, and lists that
/// are not symmetric. Symmetry is checked in the same single pass by a multiset fingerprint:
/// every edge `{u, v, w}` hashed as seen from `u < v` must cancel the same edge seen from
/// `v`; an asymmetric input goes unnoticed only on a 64-bit hash collision.
pub(super) fn adjacency(adj: Adjacency<'_>) -> Result<Vec<f64>> {
    let Adjacency {
        offsets,
        neighbours,
        weights,
    } = adj;
    if offsets.is_empty() {
        return Err(invalid("offsets", "must have n + 1 entries, got none"));
    }
    let n = adj.nodes();
    if n > u32::MAX as usize {
        return Err(invalid("offsets", format!("{n} nodes exceed u32::MAX")));
    }
    if offsets[0] != 0 {
        return Err(invalid(
            "offsets[0]",
            format!("must be 0, got {}", offsets[0]),
        ));
    }
    if let Some(u) = offsets.windows(2).position(|w| w[0] > w[1]) {
        return Err(invalid(
            format!("offsets[{}]", u + 1),
            format!("{} is below offsets[{u}] = {}", offsets[u + 1], offsets[u]),
        ));
    }
    if offsets[n] != neighbours.len() as u64 {
        return Err(invalid(
            format!("offsets[{n}]"),
            format!(
                "must equal neighbours.len() = {}, got {}",
                neighbours.len(),
                offsets[n]
            ),
        ));
    }
    if weights.len() != neighbours.len() {
        return Err(invalid(
            "weights",
            format!(
                "has {} entries, neighbours {}",
                weights.len(),
                neighbours.len()
            ),
        ));
    }
    let mut degree = vec![0.0f64; n];
    let mut fingerprint = 0u64;
    for (u, k) in degree.iter_mut().enumerate() {
        for e in adj.range(u) {
            let (v, w) = (neighbours[e], weights[e]);
            if v as usize >= n {
                return Err(invalid(
                    format!("neighbours[{e}]"),
                    format!("node {v} is not below n = {n}"),
                ));
            }
            if !(w.is_finite() && w >= 0.0) {
                return Err(invalid(
                    format!("weights[{e}]"),
                    format!("must be finite and non-negative, got {w}"),
                ));
            }
            *k += f64::from(w);
            let u = u as u32;
            if v != u {
                let h = edge_hash(u.min(v), u.max(v), w);
                fingerprint = if u < v {
                    fingerprint.wrapping_add(h)
                } else {
                    fingerprint.wrapping_sub(h)
                };
            }
        }
    }
    if fingerprint != 0 {
        return Err(invalid(
            "neighbours",
            "lists are not symmetric: some edge {u, v} is not listed by both ends with the same weight",
        ));
    }
    Ok(degree)
}

/// A 64-bit hash of the edge `{lo, hi}` of weight `w` (0 and -0 hash alike).
fn edge_hash(lo: u32, hi: u32, w: f32) -> u64 {
    let bits = if w == 0.0 { 0 } else { w.to_bits() };
    mix(mix((u64::from(lo) << 32) | u64::from(hi)) ^ u64::from(bits))
}

/// The splitmix64 finaliser: a bijective 64-bit mixer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    fn field(result: Result<Vec<f64>>) -> String {
        match result {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn adj<'a>(offsets: &'a [u64], neighbours: &'a [u32], weights: &'a [f32]) -> Adjacency<'a> {
        Adjacency {
            offsets,
            neighbours,
            weights,
        }
    }

    #[test]
    fn degrees_are_row_sums() {
        // 0 - 1 (weight 2), diagonal entry 3 on 1, isolated 2.
        let degree = adjacency(adj(&[0, 1, 3, 3], &[1, 0, 1], &[2.0, 2.0, 3.0])).unwrap();
        assert_eq!(degree, vec![2.0, 5.0, 0.0]);
    }

    #[test]
    fn empty_graph_is_valid() {
        assert_eq!(adjacency(adj(&[0], &[], &[])).unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn rejects_inconsistent_slices() {
        assert_eq!(field(adjacency(adj(&[], &[], &[]))), "offsets");
        assert_eq!(field(adjacency(adj(&[1, 1], &[0], &[1.0]))), "offsets[0]");
        assert_eq!(
            field(adjacency(adj(&[0, 2, 1], &[1, 0], &[1.0, 1.0]))),
            "offsets[2]"
        );
        assert_eq!(
            field(adjacency(adj(&[0, 1, 1], &[1, 0], &[1.0, 1.0]))),
            "offsets[2]"
        );
        assert_eq!(
            field(adjacency(adj(&[0, 1, 2], &[1, 0], &[1.0]))),
            "weights"
        );
        assert_eq!(
            field(adjacency(adj(&[0, 1, 2], &[2, 0], &[1.0, 1.0]))),
            "neighbours[0]"
        );
    }

    #[test]
    fn rejects_bad_weights() {
        for w in [-1.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert_eq!(
                field(adjacency(adj(&[0, 1, 2], &[1, 0], &[w, 1.0]))),
                "weights[0]"
            );
        }
    }

    #[test]
    fn rejects_asymmetric_lists() {
        // 0 -> 1 listed, 1 -> 0 missing.
        assert_eq!(
            field(adjacency(adj(&[0, 1, 1], &[1], &[1.0]))),
            "neighbours"
        );
        // Listed both ways with different weights.
        assert_eq!(
            field(adjacency(adj(&[0, 1, 2], &[1, 0], &[1.0, 2.0]))),
            "neighbours"
        );
        // 0 -> 1 and 1 -> 2 instead of 1 -> 0.
        assert_eq!(
            field(adjacency(adj(&[0, 1, 2, 2], &[1, 2], &[1.0, 1.0]))),
            "neighbours"
        );
    }

    #[test]
    fn rejects_bad_resolution() {
        for r in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(resolution(r).is_err(), "{r}");
        }
        assert!(resolution(0.5).is_ok());
    }
}
