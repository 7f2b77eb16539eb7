//! Tests of `detect_communities` on hand-checked graphs and generated ones.

use proptest::prelude::*;

use super::*;
use crate::error::Error;

/// An undirected edge `(u, v, weight)`.
pub(super) type Edge = (u32, u32, f32);

/// CSR of an undirected edge list, in networkx's terms: each edge in both lists, a
/// self-loop of weight `w` once, as the diagonal entry `2w`.
pub(super) fn csr(n: usize, edges: &[Edge]) -> (Vec<u64>, Vec<u32>, Vec<f32>) {
    let mut lists = vec![Vec::new(); n];
    for &(u, v, w) in edges {
        if u == v {
            lists[u as usize].push((u, 2.0 * w));
        } else {
            lists[u as usize].push((v, w));
            lists[v as usize].push((u, w));
        }
    }
    let mut offsets = vec![0u64];
    let (mut neighbours, mut weights) = (Vec::new(), Vec::new());
    for list in lists {
        for (v, w) in list {
            neighbours.push(v);
            weights.push(w);
        }
        offsets.push(neighbours.len() as u64);
    }
    (offsets, neighbours, weights)
}

/// Runs `detect_communities` on an edge list with default options and `seed`.
fn detect(n: usize, edges: &[Edge], seed: u64) -> Result<Communities> {
    let (offsets, neighbours, weights) = csr(n, edges);
    let adj = Adjacency {
        offsets: &offsets,
        neighbours: &neighbours,
        weights: &weights,
    };
    detect_communities(
        adj,
        &CommunityOptions {
            seed,
            ..CommunityOptions::default()
        },
    )
}

/// The edges of a clique on `nodes`.
fn clique(nodes: std::ops::Range<u32>) -> Vec<Edge> {
    let mut edges = Vec::new();
    for u in nodes.clone() {
        for v in u + 1..nodes.end {
            edges.push((u, v, 1.0));
        }
    }
    edges
}

#[test]
fn two_cliques_joined_by_one_edge() {
    // K5 on 0..5 and K6 on 5..11, bridge 4-5. m = 10 + 15 + 1 = 26.
    // Degree sums: 5·4 + 1 = 21 and 6·5 + 1 = 31; inside 2·10 and 2·15.
    // Q = 50/52 − (21² + 31²)/52².
    let mut edges = clique(0..5);
    edges.extend(clique(5..11));
    edges.push((4, 5, 1.0));
    let expected = 50.0 / 52.0 - (21.0f64 * 21.0 + 31.0 * 31.0) / (52.0 * 52.0);
    for seed in 0..20 {
        let found = detect(11, &edges, seed).unwrap();
        assert_eq!(found.count, 2);
        // The larger clique is community 0.
        assert_eq!(
            found.membership,
            [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
            "seed {seed}"
        );
        assert!(
            (found.modularity - expected).abs() < 1e-12,
            "{}",
            found.modularity
        );
    }
}

#[test]
fn ring_of_cliques_finds_every_clique() {
    // 8 cliques of 5 in a ring, each joined to the next by one edge. m = 8·10 + 8 = 88;
    // merging two neighbours changes Q by 1/m − d²/(2m²) with d = 22, negative since
    // d² > 2m, so the best partition is one community per clique. (With 30 cliques it is
    // not: modularity's resolution limit.)
    let mut edges = Vec::new();
    for c in 0..8u32 {
        edges.extend(clique(5 * c..5 * c + 5));
        edges.push((5 * c, (5 * c + 7) % 40, 1.0));
    }
    for seed in 0..20 {
        let found = detect(40, &edges, seed).unwrap();
        assert_eq!(found.count, 8, "seed {seed}");
        for c in 0..8 {
            let first = found.membership[5 * c];
            assert!(found.membership[5 * c..5 * c + 5]
                .iter()
                .all(|&m| m == first));
        }
    }
}

#[test]
fn empty_graph_and_isolated_nodes() {
    let none = detect(0, &[], 1).unwrap();
    assert_eq!(
        (none.membership.len(), none.count, none.modularity),
        (0, 0, 0.0)
    );
    let isolated = detect(3, &[], 1).unwrap();
    assert_eq!(isolated.membership, [0, 1, 2]);
    assert_eq!(isolated.modularity, 0.0);
    let edge_and_isolated = detect(3, &[(0, 2, 1.0)], 1).unwrap();
    assert_eq!(edge_and_isolated.membership, [0, 1, 0]);
}

#[test]
fn self_loops_alone_keep_nodes_apart() {
    // Two nodes with a heavy loop each and a light edge between them: apart is better.
    let found = detect(2, &[(0, 0, 10.0), (1, 1, 10.0), (0, 1, 1.0)], 3).unwrap();
    assert_eq!(found.count, 2);
}

#[test]
fn rejects_bad_options() {
    let (offsets, neighbours, weights) = csr(2, &[(0, 1, 1.0)]);
    let adj = Adjacency {
        offsets: &offsets,
        neighbours: &neighbours,
        weights: &weights,
    };
    let bad = [
        CommunityOptions {
            resolution: 0.0,
            ..CommunityOptions::default()
        },
        CommunityOptions {
            resolution: f64::NAN,
            ..CommunityOptions::default()
        },
        CommunityOptions {
            max_levels: 0,
            ..CommunityOptions::default()
        },
    ];
    for opts in bad {
        assert!(
            matches!(
                detect_communities(adj, &opts),
                Err(Error::Validation { .. })
            ),
            "{opts:?}"
        );
    }
}

#[test]
fn rejects_bad_input() {
    let asymmetric = Adjacency {
        offsets: &[0, 1, 1],
        neighbours: &[1],
        weights: &[1.0],
    };
    assert!(matches!(
        detect_communities(asymmetric, &CommunityOptions::default()),
        Err(Error::Validation { .. })
    ));
}

#[test]
fn resolution_changes_the_grain() {
    // Coarse resolution merges the two cliques; a fine one keeps them apart.
    let mut edges = clique(0..5);
    edges.extend(clique(5..10));
    edges.push((4, 5, 1.0));
    let (offsets, neighbours, weights) = csr(10, &edges);
    let adj = Adjacency {
        offsets: &offsets,
        neighbours: &neighbours,
        weights: &weights,
    };
    let coarse = CommunityOptions {
        resolution: 0.01,
        ..CommunityOptions::default()
    };
    assert_eq!(detect_communities(adj, &coarse).unwrap().count, 1);
    assert_eq!(
        detect_communities(adj, &CommunityOptions::default())
            .unwrap()
            .count,
        2
    );
}

#[test]
fn extreme_weights_and_resolutions_do_not_break_it() {
    let weights = [f32::MAX, f32::MIN_POSITIVE, 1e-45, 0.0, 1.0];
    let mut edges = clique(0..5);
    for (e, w) in edges.iter_mut().zip(weights.iter().cycle()) {
        e.2 = *w;
    }
    edges.push((2, 2, f32::MAX / 4.0));
    let (offsets, neighbours, weights) = csr(6, &edges);
    let adj = Adjacency {
        offsets: &offsets,
        neighbours: &neighbours,
        weights: &weights,
    };
    for resolution in [1e-300, 1e-9, 1.0, 1e9, 1e300] {
        let opts = CommunityOptions {
            resolution,
            ..CommunityOptions::default()
        };
        let found = detect_communities(adj, &opts).unwrap();
        assert_eq!(found.membership.len(), 6);
        assert!(
            !found.modularity.is_nan(),
            "{resolution}: {}",
            found.modularity
        );
    }
}

/// Random weighted graphs, with some self-loops, isolated nodes and zero weights.
fn graph() -> impl Strategy<Value = (usize, Vec<Edge>)> {
    (1usize..40).prop_flat_map(|n| {
        let edge = (
            0..n as u32,
            0..n as u32,
            prop_oneof![3 => Just(1.0f32), 1 => 0.0f32..5.0],
        );
        (Just(n), prop::collection::vec(edge, 0..120))
    })
}

proptest! {
    #[test]
    fn result_is_consistent_dense_and_no_worse_than_singletons(
        (n, edges) in graph(),
        seed in any::<u64>(),
        resolution in prop_oneof![Just(1.0f64), 0.2f64..3.0],
    ) {
        let (offsets, neighbours, weights) = csr(n, &edges);
        let adj = Adjacency { offsets: &offsets, neighbours: &neighbours, weights: &weights };
        let opts = CommunityOptions { resolution, seed, ..CommunityOptions::default() };
        let found = detect_communities(adj, &opts).unwrap();
        let q = modularity(adj, &found.membership, resolution).unwrap();
        prop_assert!((found.modularity - q).abs() < 1e-9, "{} vs {q}", found.modularity);
        // Dense ids, ordered by size descending.
        let mut size = vec![0usize; found.count as usize];
        for &c in &found.membership {
            prop_assert!(c < found.count);
            size[c as usize] += 1;
        }
        prop_assert!(size.iter().all(|&s| s > 0));
        prop_assert!(size.windows(2).all(|w| w[0] >= w[1]));
        let singletons: Vec<u32> = (0..n as u32).collect();
        let alone = modularity(adj, &singletons, resolution).unwrap();
        prop_assert!(found.modularity >= alone - 1e-12, "{} < {alone}", found.modularity);
        // The same seed gives the same result.
        prop_assert_eq!(detect_communities(adj, &opts).unwrap(), found);
    }
}

#[test]
fn the_snapshot_view_is_valid_input_with_loops_counted_as_networkx_does() {
    use crate::graph::{csr::Csr, symmetric::Symmetric};
    // Directed 0 -> 1 and 1 -> 0 (one undirected edge of weight 2 in A + Aᵀ), 1 -> 2, and a
    // loop of weight 1.5 on 2, which networkx counts 3 in node 2's degree.
    // Degrees 2, 3, 1 + 3 = 4; 2m = 9. Partition {0, 1}, {2}: inside 2 + 2 + 3 = 7,
    // Q = 7/9 − (5² + 4²)/9² = 22/81.
    let edges = [(0u32, 1u32, 1.0f32), (1, 0, 1.0), (1, 2, 1.0), (2, 2, 1.5)];
    let view = Symmetric::new(&Csr::new(3, &edges).unwrap());
    let adj = Adjacency {
        offsets: &view.offsets,
        neighbours: &view.neighbours,
        weights: &view.weights,
    };
    let q = modularity(adj, &[0, 0, 1], 1.0).unwrap();
    assert!((q - 22.0 / 81.0).abs() < 1e-12, "{q}");
    let found = detect_communities(adj, &CommunityOptions::default()).unwrap();
    assert_eq!(found.membership, [0, 0, 1]);
}
