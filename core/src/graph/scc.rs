//! Strongly connected components, by Tarjan's algorithm run on an explicit stack (no
//! recursion, so a million-long chain is fine), and the cycles they reveal: the referral
//! rings that fraud checks look for.

use super::csr::Csr;

/// No index or component yet.
const NONE: u32 = u32::MAX;

/// The strongly connected components of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Components {
    /// Component of each node. Components are numbered as Tarjan completes them, which is a
    /// reverse topological order: an edge between two components goes from the higher
    /// number to the lower.
    pub(crate) component: Vec<u32>,
    /// Number of components.
    pub(crate) count: u32,
}

/// The strongly connected components of `csr`, in O(n + m).
pub(crate) fn components(csr: &Csr) -> Components {
    let n = csr.node_count();
    let mut tarjan = Tarjan {
        csr,
        index: vec![NONE; n],
        low: vec![NONE; n],
        component: vec![NONE; n],
        stack: Vec::new(),
        calls: Vec::new(),
        next_index: 0,
        count: 0,
    };
    for root in 0..n as u32 {
        if tarjan.index[root as usize] == NONE {
            tarjan.search(root);
        }
    }
    Components {
        component: tarjan.component,
        count: tarjan.count,
    }
}

/// Tarjan's state.
struct Tarjan<'a> {
    csr: &'a Csr,
    /// Discovery index and low-link of each node.
    index: Vec<u32>,
    low: Vec<u32>,
    /// A node that has an index but no component yet is on `stack`.
    component: Vec<u32>,
    stack: Vec<u32>,
    /// The simulated call stack: a node and the position of its next out-edge to look at.
    calls: Vec<(u32, usize)>,
    next_index: u32,
    count: u32,
}

impl Tarjan<'_> {
    /// Completes the components of every node reachable from `root`.
    fn search(&mut self, root: u32) {
        let outs = self.csr.outs();
        self.visit(root);
        while let Some(&mut (u, ref mut at)) = self.calls.last_mut() {
            if *at < outs.range(u).end {
                let v = outs.items[*at];
                *at += 1;
                if self.index[v as usize] == NONE {
                    self.visit(v);
                } else if self.component[v as usize] == NONE {
                    self.low[u as usize] = self.low[u as usize].min(self.index[v as usize]);
                }
                continue;
            }
            self.calls.pop();
            if let Some(&(parent, _)) = self.calls.last() {
                self.low[parent as usize] = self.low[parent as usize].min(self.low[u as usize]);
            }
            if self.low[u as usize] == self.index[u as usize] {
                while let Some(v) = self.stack.pop() {
                    self.component[v as usize] = self.count;
                    if v == u {
                        break;
                    }
                }
                self.count += 1;
            }
        }
    }

    /// Enters `v`: gives it the next index and pushes it on both stacks.
    fn visit(&mut self, v: u32) {
        self.index[v as usize] = self.next_index;
        self.low[v as usize] = self.next_index;
        self.next_index += 1;
        self.stack.push(v);
        self.calls.push((v, self.csr.outs().range(v).start));
    }
}

/// The cycles of `csr`: every strongly connected component of more than one node, and every
/// node with a self-loop. Each ring lists its nodes ascending; rings come in the order of
/// their smallest node.
pub(crate) fn rings(csr: &Csr) -> Vec<Vec<u32>> {
    let Components { component, count } = components(csr);
    let mut sizes = vec![0u32; count as usize];
    for &c in &component {
        sizes[c as usize] += 1;
    }
    let mut slot = vec![NONE; count as usize];
    let mut rings: Vec<Vec<u32>> = Vec::new();
    for (u, &c) in (0..csr.node_count() as u32).zip(&component) {
        let c = c as usize;
        if sizes[c] > 1 || csr.outs().list(u).binary_search(&u).is_ok() {
            if slot[c] == NONE {
                slot[c] = rings.len() as u32;
                rings.push(Vec::new());
            }
            rings[slot[c] as usize].push(u);
        }
    }
    rings
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::{adjacency, distances, graph};
    use crate::graph::traverse::Direction;

    fn csr(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::new(n, edges).unwrap()
    }

    #[test]
    fn known_components_and_rings() {
        // Two rings {0,1,2} and {3,4} joined one way, a tail 5, a self-loop 6, a lone 7.
        let edges = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 4),
            (4, 3),
            (4, 5),
            (6, 6),
        ];
        let g = csr(8, &edges);
        let c = components(&g);
        assert_eq!(c.count, 5);
        let same = |a: usize, b: usize| c.component[a] == c.component[b];
        assert!(same(0, 1) && same(1, 2) && same(3, 4));
        assert!(!same(2, 3) && !same(4, 5) && !same(6, 7));
        assert!(c.component[2] > c.component[3] && c.component[4] > c.component[5]);
        assert_eq!(rings(&g), [vec![0, 1, 2], vec![3, 4], vec![6]]);
    }

    #[test]
    fn acyclic_graphs_have_no_rings() {
        let g = csr(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]);
        assert_eq!(components(&g).count, 4);
        assert!(rings(&g).is_empty());
        assert!(rings(&csr(0, &[])).is_empty());
    }

    #[test]
    fn million_node_chains_and_cycles_do_not_overflow() {
        let n = 1_000_000u32;
        let mut edges: Vec<(u32, u32)> = (1..n).map(|v| (v - 1, v)).collect();
        let chain = csr(n as usize, &edges);
        assert_eq!(components(&chain).count, n);
        assert!(rings(&chain).is_empty());
        edges.push((n - 1, 0));
        let cycle = csr(n as usize, &edges);
        assert_eq!(components(&cycle).count, 1);
        assert_eq!(rings(&cycle)[0].len(), n as usize);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn components_are_mutual_reachability(g in graph(12, 30)) {
            let csr = Csr::new(g.n, &g.pairs()).unwrap();
            let c = components(&csr);
            let lists = adjacency(g.n, &g.edges, Direction::Out);
            let reach: Vec<Vec<Option<u32>>> = (0..g.n as u32).map(|u| distances(&lists, u)).collect();
            for (u, from_u) in reach.iter().enumerate() {
                for (v, from_v) in reach.iter().enumerate() {
                    let mutual = from_u[v].is_some() && from_v[u].is_some();
                    prop_assert_eq!(c.component[u] == c.component[v], mutual);
                }
            }
            for &(u, v, _) in &g.edges {
                prop_assert!(c.component[u as usize] >= c.component[v as usize]);
            }
            let in_rings: Vec<u32> = rings(&csr).into_iter().flatten().collect();
            for u in 0..g.n as u32 {
                let cyclic = g.edges.iter().any(|&(a, b, _)| a == u && reach[b as usize][u as usize].is_some());
                prop_assert_eq!(in_rings.contains(&u), cyclic);
            }
        }
    }
}
