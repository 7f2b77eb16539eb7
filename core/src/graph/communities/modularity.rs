//! Modularity of a partition, in the convention of networkx and igraph (see the module doc
//! of `communities`).

use super::Adjacency;

/// Modularity of `membership` (ids below `count`) given the checked adjacency and its degrees.
pub(super) fn of(
    adj: Adjacency<'_>,
    degree: &[f64],
    membership: &[u32],
    count: u32,
    resolution: f64,
) -> f64 {
    let total: f64 = degree.iter().sum();
    if total == 0.0 {
        return 0.0;
    }
    let mut inside = 0.0f64;
    let mut tot = vec![0.0f64; count as usize];
    for (u, &c) in membership.iter().enumerate() {
        tot[c as usize] += degree[u];
        for e in adj.range(u) {
            if membership[adj.neighbours[e] as usize] == c {
                inside += f64::from(adj.weights[e]);
            }
        }
    }
    let expected: f64 = tot.iter().map(|t| t * t).sum();
    inside / total - resolution * expected / (total * total)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{csr, Edge};
    use super::super::{modularity, Adjacency};
    use crate::error::Error;
    use proptest::prelude::*;

    /// `Q` straight from the definition over the dense matrix, O(n²).
    fn naive(n: usize, edges: &[Edge], membership: &[u32], resolution: f64) -> f64 {
        let mut a = vec![vec![0.0f64; n]; n];
        for &(u, v, w) in edges {
            let (u, v, w) = (u as usize, v as usize, f64::from(w));
            a[u][v] += w;
            a[v][u] += w; // a self-loop adds 2w to A_uu
        }
        let k: Vec<f64> = a.iter().map(|row| row.iter().sum()).collect();
        let two_m: f64 = k.iter().sum();
        if two_m == 0.0 {
            return 0.0;
        }
        let mut q = 0.0;
        for i in 0..n {
            for j in 0..n {
                if membership[i] == membership[j] {
                    q += a[i][j] - resolution * k[i] * k[j] / two_m;
                }
            }
        }
        q / two_m
    }

    fn graph() -> impl Strategy<Value = (usize, Vec<Edge>, Vec<u32>, f64)> {
        (1usize..12).prop_flat_map(|n| {
            let edge = (
                0..n as u32,
                0..n as u32,
                prop_oneof![Just(1.0f32), 0.0f32..4.0],
            );
            (
                Just(n),
                prop::collection::vec(edge, 0..30),
                prop::collection::vec(0..n as u32, n),
                prop_oneof![Just(1.0), 0.1f64..3.0],
            )
        })
    }

    proptest! {
        #[test]
        fn matches_the_definition((n, edges, membership, resolution) in graph()) {
            let (offsets, neighbours, weights) = csr(n, &edges);
            let adj = Adjacency { offsets: &offsets, neighbours: &neighbours, weights: &weights };
            let q = modularity(adj, &membership, resolution).unwrap();
            let expected = naive(n, &edges, &membership, resolution);
            prop_assert!((q - expected).abs() < 1e-9, "{q} vs {expected}");
        }
    }

    #[test]
    fn triangle_with_a_self_loop_by_hand() {
        // Triangle 0-1-2 plus a self-loop of weight 1 on 0, and a pendant 3 on 2.
        // Degrees: k0 = 2 + 2 = 4, k1 = 2, k2 = 3, k3 = 1; 2m = 10.
        // Partition {0, 1, 2}, {3}: inside = 2·3 (triangle) + 2 (loop) = 8,
        // Q = 8/10 − (9² + 1²)/10² = 0.8 − 0.82 = −0.02.
        let (offsets, neighbours, weights) = csr(
            4,
            &[
                (0, 1, 1.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (0, 0, 1.0),
                (2, 3, 1.0),
            ],
        );
        let adj = Adjacency {
            offsets: &offsets,
            neighbours: &neighbours,
            weights: &weights,
        };
        let q = modularity(adj, &[0, 0, 0, 1], 1.0).unwrap();
        assert!((q - (-0.02)).abs() < 1e-12, "{q}");
    }

    #[test]
    fn zero_weight_graph_has_zero_modularity() {
        let (offsets, neighbours, weights) = csr(3, &[(0, 1, 0.0)]);
        let adj = Adjacency {
            offsets: &offsets,
            neighbours: &neighbours,
            weights: &weights,
        };
        assert_eq!(modularity(adj, &[0, 0, 1], 1.0).unwrap(), 0.0);
    }

    #[test]
    fn rejects_a_bad_membership() {
        let (offsets, neighbours, weights) = csr(3, &[(0, 1, 1.0)]);
        let adj = Adjacency {
            offsets: &offsets,
            neighbours: &neighbours,
            weights: &weights,
        };
        for (membership, expected) in [
            (&[0, 0][..], "membership"),
            (&[0, 0, 3][..], "membership[2]"),
        ] {
            match modularity(adj, membership, 1.0) {
                Err(Error::Validation { field, .. }) => assert_eq!(field, expected),
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
        assert!(modularity(adj, &[0, 0, 1], f64::NAN).is_err());
    }
}
