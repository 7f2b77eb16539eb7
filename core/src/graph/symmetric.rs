//! The undirected view of a snapshot, in the shape community detection consumes: the
//! matrix `A + Aᵀ` as CSR. Node `u`'s list holds every node joined to it by an edge in
//! either direction, once, ascending, weighing `w(u -> v) + w(v -> u)`; so each undirected
//! edge appears in both of its nodes' lists, and a self-loop appears once, weighing twice
//! its weight (the diagonal of `A + Aᵀ`).

use std::mem::size_of;

use super::csr::Csr;

/// `A + Aᵀ` of a snapshot: node `u` owns `neighbours[offsets[u]..offsets[u + 1]]` and the
/// same range of `weights`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Symmetric {
    /// `n + 1` positions into `neighbours`.
    pub(crate) offsets: Vec<u64>,
    /// Each node's neighbours in either direction, ascending, distinct.
    pub(crate) neighbours: Vec<u32>,
    /// Weight of each entry of `neighbours`.
    pub(crate) weights: Vec<f32>,
}

impl Symmetric {
    /// The undirected view of `csr`, in O(n + m).
    pub(crate) fn new(csr: &Csr) -> Symmetric {
        let (ins, outs) = (csr.ins(), csr.outs());
        let out_weights = csr.out_edge_weights();
        let weight = |weights: &Option<Vec<f32>>, i: usize| weights.as_ref().map_or(1.0, |w| w[i]);
        let n = csr.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut neighbours = Vec::with_capacity(2 * csr.edge_count());
        let mut weights = Vec::with_capacity(2 * csr.edge_count());
        offsets.push(0);
        for u in 0..n as u32 {
            let (mut o, o_end) = (outs.range(u).start, outs.range(u).end);
            let (mut i, i_end) = (ins.range(u).start, ins.range(u).end);
            while o < o_end || i < i_end {
                // Node ids are below u32::MAX, which marks an exhausted list.
                let next_out = if o < o_end { outs.items[o] } else { u32::MAX };
                let next_in = if i < i_end { ins.items[i] } else { u32::MAX };
                let (v, mut w) = (next_out.min(next_in), 0.0);
                if next_out == v {
                    w += weight(&out_weights, o);
                    o += 1;
                }
                if next_in == v {
                    w += weight(&ins.weights, i);
                    i += 1;
                }
                neighbours.push(v);
                weights.push(w);
            }
            offsets.push(neighbours.len() as u64);
        }
        Symmetric {
            offsets,
            neighbours,
            weights,
        }
    }

    /// Bytes of heap the view holds.
    // Read by benches/communities.rs, which compiles this module from source.
    #[allow(dead_code)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.offsets.capacity() * size_of::<u64>()
            + self.neighbours.capacity() * size_of::<u32>()
            + self.weights.capacity() * size_of::<f32>()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::graph;

    #[test]
    fn reciprocal_edges_add_up_and_self_loops_count_twice() {
        let csr = Csr::new(4, &[(0, 1, 2.0), (1, 0, 3.0), (1, 2, 1.0), (3, 3, 0.5)]).unwrap();
        let s = Symmetric::new(&csr);
        assert_eq!(s.offsets, [0, 1, 3, 4, 5]);
        assert_eq!(s.neighbours, [1, 0, 2, 1, 3]);
        assert_eq!(s.weights, [5.0, 5.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn unweighted_graphs_weigh_one_per_direction() {
        let csr = Csr::new(3, &[(0, 1), (1, 0), (1, 2)]).unwrap();
        let s = Symmetric::new(&csr);
        assert_eq!(s.neighbours, [1, 0, 2, 1]);
        assert_eq!(s.weights, [2.0, 2.0, 1.0, 1.0]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn equals_a_plus_a_transposed(g in graph(10, 40)) {
            let s = Symmetric::new(&Csr::new(g.n, &g.edges).unwrap());
            let mut matrix: BTreeMap<(u32, u32), f32> = BTreeMap::new();
            for &(u, v, w) in &g.edges {
                *matrix.entry((u, v)).or_default() += w;
                *matrix.entry((v, u)).or_default() += w;
            }
            let mut got = BTreeMap::new();
            for u in 0..g.n {
                let range = s.offsets[u] as usize..s.offsets[u + 1] as usize;
                prop_assert!(s.neighbours[range.clone()].windows(2).all(|p| p[0] < p[1]));
                for k in range {
                    got.insert((u as u32, s.neighbours[k]), s.weights[k]);
                }
            }
            prop_assert_eq!(got, matrix);
        }
    }
}
