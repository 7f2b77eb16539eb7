//! The aggregation phase: collapses each community into one node of a coarse graph.

use super::Adjacency;

/// The graph of a partition: node `c` stands for community `c`; an edge joins two
/// communities with the summed weight of the edges between them. Edges inside a community
/// are dropped: they add the same amount to every partition of the coarse graph, so they
/// cannot change which moves raise modularity.
pub(super) struct Coarse {
    /// CSR offsets, `count + 1` entries.
    offsets: Vec<u64>,
    /// Neighbouring communities of each community, each listed once.
    neighbours: Vec<u32>,
    /// Summed edge weights, beside `neighbours`.
    weights: Vec<f64>,
    /// Degree sum of each community (its members' degrees, self-loops included).
    pub degree: Vec<f64>,
}

impl Coarse {
    /// Builds the coarse graph of `partition` (dense ids below `count`) of `graph`: members
    /// are grouped by counting sort, and each community's neighbour weights are gathered in
    /// a dense array with a touched list.
    pub fn new<W: Copy + Into<f64>>(
        graph: Adjacency<'_, W>,
        degree: &[f64],
        partition: &[u32],
        count: u32,
    ) -> Self {
        let k = count as usize;
        let mut start = vec![0usize; k + 1];
        for &c in partition {
            start[c as usize + 1] += 1;
        }
        for c in 0..k {
            start[c + 1] += start[c];
        }
        let mut members = vec![0u32; partition.len()];
        let mut next = start.clone();
        for (u, &c) in partition.iter().enumerate() {
            members[next[c as usize]] = u as u32;
            next[c as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(k + 1);
        offsets.push(0u64);
        let mut neighbours = Vec::new();
        let mut weights = Vec::new();
        let mut community_degree = vec![0.0f64; k];
        let mut weight_to = vec![0.0f64; k];
        let mut touched: Vec<u32> = Vec::new();
        for c in 0..k {
            for &u in &members[start[c]..start[c + 1]] {
                community_degree[c] += degree[u as usize];
                for e in graph.range(u as usize) {
                    let d = partition[graph.neighbours[e] as usize];
                    let w: f64 = graph.weights[e].into();
                    if d as usize != c && w > 0.0 {
                        if weight_to[d as usize] == 0.0 {
                            touched.push(d);
                        }
                        weight_to[d as usize] += w;
                    }
                }
            }
            for &d in &touched {
                neighbours.push(d);
                weights.push(std::mem::take(&mut weight_to[d as usize]));
            }
            touched.clear();
            offsets.push(neighbours.len() as u64);
        }
        Coarse {
            offsets,
            neighbours,
            weights,
            degree: community_degree,
        }
    }

    /// The CSR view of the coarse graph.
    pub fn adjacency(&self) -> Adjacency<'_, f64> {
        Adjacency {
            offsets: &self.offsets,
            neighbours: &self.neighbours,
            weights: &self.weights,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::csr;
    use super::*;

    #[test]
    fn sums_edges_between_communities_and_drops_those_inside() {
        // Path 0-1-2-3 (weights 1, 2, 3) with a self-loop on 3; partition {0, 1}, {2, 3}.
        let (offsets, neighbours, weights) = csr(
            4,
            &[
                (0, 1, 1.0),
                (1, 2, 2.0),
                (2, 3, 3.0),
                (3, 3, 4.0),
                (0, 2, 5.0),
            ],
        );
        let graph = Adjacency {
            offsets: &offsets,
            neighbours: &neighbours,
            weights: &weights,
        };
        let degree = [6.0, 3.0, 10.0, 11.0];
        let coarse = Coarse::new(graph, &degree, &[0, 0, 1, 1], 2);
        let adj = coarse.adjacency();
        assert_eq!(adj.offsets, &[0, 1, 2]);
        assert_eq!(adj.neighbours, &[1, 0]);
        assert_eq!(adj.weights, &[7.0, 7.0]);
        assert_eq!(coarse.degree, vec![9.0, 21.0]);
    }
}
