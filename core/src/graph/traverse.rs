//! Walking the snapshot: k-hop reach, shortest connection paths, and
//! a referral tree's downline (by level) and upline (up to the root).
//!
//! A [`Traversal`] keeps its marks between queries (one `u32` per node, reset by bumping an
//! epoch rather than clearing), so a query costs only what it visits. Referral edges point
//! from the referrer to the customer referred: the downline follows out-edges, the upline
//! in-edges.

use super::csr::Csr;
use crate::error::{invalid, Result};

/// Deepest walk: k-hop reach and downlines go at most this many hops. Deeper asks are
/// refused as mistakes: six hops already cover most of a social graph.
pub(crate) const MAX_DEPTH: u32 = 64;
/// No node (node ids stay below it).
const NONE: u32 = u32::MAX;

/// Which edges a walk follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From a node to the nodes it points at.
    Out,
    /// From a node to the nodes pointing at it.
    In,
    /// Both ways, as if undirected.
    Both,
}

impl Direction {
    /// The direction that walks the same edges backwards.
    fn reversed(self) -> Direction {
        match self {
            Direction::Out => Direction::In,
            Direction::In => Direction::Out,
            Direction::Both => Direction::Both,
        }
    }

    /// Node `u`'s neighbours this way: out-targets then in-sources (one may repeat the other
    /// under `Both`). `u` must be a node.
    fn lists(self, csr: &Csr, u: u32) -> (&[u32], &[u32]) {
        let out = || csr.outs().list(u);
        let ins = || csr.ins().list(u);
        match self {
            Direction::Out => (out(), &[]),
            Direction::In => (ins(), &[]),
            Direction::Both => (out(), ins()),
        }
    }
}

/// Where an upline walk ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upline {
    /// The referrer, the referrer's referrer, and so on, up to the root (or to the last node
    /// before the walk came back to a node it had passed).
    pub(crate) chain: Vec<u32>,
    /// Whether the walk ran into a cycle (a referral ring) rather than a root.
    pub(crate) cycle: bool,
}

/// Reusable state for walks over snapshots of one node count (it adapts, at a cost, when
/// the count changes).
#[derive(Debug, Default)]
pub(crate) struct Traversal {
    epoch: u32,
    /// `seen[v] == epoch`: the current walk (or a path's forward search) reached `v`.
    seen: Vec<u32>,
    /// Marks of a path's backward search (allocated at the first path query).
    seen_back: Vec<u32>,
    /// The node each node was reached from, by a path's forward and backward searches.
    parent: Vec<u32>,
    parent_back: Vec<u32>,
    /// The current walk's nodes in the order reached, the start first.
    order: Vec<u32>,
    /// Where each level (distance 0, 1, ...) starts in `order`.
    levels: Vec<usize>,
    /// A path search's frontiers.
    frontier: Vec<u32>,
    frontier_back: Vec<u32>,
    next: Vec<u32>,
}

impl Traversal {
    /// A traversal with nothing allocated yet.
    pub(crate) fn new() -> Traversal {
        Traversal::default()
    }

    /// The distinct nodes within `k` hops of `start` (1 to [`MAX_DEPTH`]) following
    /// `direction`, `start` excluded, nearest first.
    pub(crate) fn reach(
        &mut self,
        csr: &Csr,
        start: u32,
        k: u32,
        direction: Direction,
    ) -> Result<&[u32]> {
        self.walk(csr, start, ("hops", k), direction)?;
        Ok(&self.order[1..])
    }

    /// The referral tree below `root` down to `depth` levels (1 to [`MAX_DEPTH`]): element
    /// `i` holds the nodes `i + 1` referrals away, ascending; a node reachable several ways
    /// counts at its nearest level only, so rings do not repeat. Trailing empty levels are
    /// left out.
    pub(crate) fn downline(&mut self, csr: &Csr, root: u32, depth: u32) -> Result<Vec<Vec<u32>>> {
        self.walk(csr, root, ("depth", depth), Direction::Out)?;
        let ends = self.levels.get(2..).unwrap_or_default().iter().copied();
        let ends = ends.chain([self.order.len()]);
        Ok(self.levels[1..]
            .iter()
            .zip(ends)
            .map(|(&start, end)| {
                let mut level = self.order[start..end].to_vec();
                level.sort_unstable();
                level
            })
            .collect())
    }

    /// The chain of referrers above `node` up to the root, following in-edges; a node with
    /// several referrers (which the engine should not produce) goes on through the smallest
    /// id. Stops at a node already on the chain, flagging the cycle.
    pub(crate) fn upline(&mut self, csr: &Csr, node: u32) -> Result<Upline> {
        csr.check_node("node", node)?;
        self.begin(csr.node_count(), false);
        let epoch = self.epoch;
        self.seen[node as usize] = epoch;
        let mut chain = Vec::new();
        let mut at = node;
        while let Some(&up) = csr.ins().list(at).first() {
            if self.seen[up as usize] == epoch {
                return Ok(Upline { chain, cycle: true });
            }
            self.seen[up as usize] = epoch;
            chain.push(up);
            at = up;
        }
        Ok(Upline {
            chain,
            cycle: false,
        })
    }

    /// A shortest path from `from` to `to` (both included) following `direction`, by
    /// bidirectional breadth-first search, or None if there is none. Unweighted: every edge
    /// is one hop.
    pub(crate) fn path(
        &mut self,
        csr: &Csr,
        from: u32,
        to: u32,
        direction: Direction,
    ) -> Result<Option<Vec<u32>>> {
        csr.check_node("from", from)?;
        csr.check_node("to", to)?;
        if from == to {
            return Ok(Some(vec![from]));
        }
        self.begin(csr.node_count(), true);
        let epoch = self.epoch;
        self.seen[from as usize] = epoch;
        self.seen_back[to as usize] = epoch;
        self.parent[from as usize] = NONE;
        self.parent_back[to as usize] = NONE;
        self.frontier.clear();
        self.frontier.push(from);
        self.frontier_back.clear();
        self.frontier_back.push(to);
        while !self.frontier.is_empty() && !self.frontier_back.is_empty() {
            let forward = self.frontier.len() <= self.frontier_back.len();
            let meeting = if forward {
                let side = Side {
                    frontier: &mut self.frontier,
                    seen: &mut self.seen,
                    parent: &mut self.parent,
                    other: &self.seen_back,
                };
                side.expand(csr, direction, &mut self.next, epoch)
            } else {
                let side = Side {
                    frontier: &mut self.frontier_back,
                    seen: &mut self.seen_back,
                    parent: &mut self.parent_back,
                    other: &self.seen,
                };
                side.expand(csr, direction.reversed(), &mut self.next, epoch)
            };
            if let Some(meeting) = meeting {
                let mut path = climb(&self.parent, meeting);
                path.reverse();
                path.extend(climb(&self.parent_back, meeting).into_iter().skip(1));
                return Ok(Some(path));
            }
        }
        Ok(None)
    }

    /// Breadth-first walk from `start` down to `depth` levels, filling `order` and `levels`;
    /// `field` names the depth argument in errors.
    fn walk(
        &mut self,
        csr: &Csr,
        start: u32,
        (field, depth): (&str, u32),
        direction: Direction,
    ) -> Result<()> {
        csr.check_node("start", start)?;
        if !(1..=MAX_DEPTH).contains(&depth) {
            return Err(invalid(
                field,
                format!("must be 1 to {MAX_DEPTH}, got {depth}"),
            ));
        }
        self.begin(csr.node_count(), false);
        let epoch = self.epoch;
        self.order.clear();
        self.levels.clear();
        self.order.push(start);
        self.seen[start as usize] = epoch;
        let mut level_start = 0;
        for _ in 0..depth {
            let level_end = self.order.len();
            if level_start == level_end {
                break;
            }
            self.levels.push(level_start);
            for i in level_start..level_end {
                let (a, b) = direction.lists(csr, self.order[i]);
                for &v in a.iter().chain(b) {
                    if self.seen[v as usize] != epoch {
                        self.seen[v as usize] = epoch;
                        self.order.push(v);
                    }
                }
            }
            level_start = level_end;
        }
        if level_start < self.order.len() {
            self.levels.push(level_start);
        }
        Ok(())
    }

    /// Starts a query on `n` nodes: sizes the marks (and, for paths, the search trees) and
    /// moves to a fresh epoch, clearing the marks only when the epoch wraps.
    fn begin(&mut self, n: usize, paths: bool) {
        if self.seen.len() != n {
            self.seen = vec![0; n];
            self.seen_back = Vec::new();
            self.parent = Vec::new();
            self.parent_back = Vec::new();
        }
        if paths && self.seen_back.len() != n {
            self.seen_back = vec![0; n];
            self.parent = vec![NONE; n];
            self.parent_back = vec![NONE; n];
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.seen.fill(0);
            self.seen_back.fill(0);
            self.epoch = 1;
        }
    }
}

/// One side of a bidirectional search.
struct Side<'a> {
    frontier: &'a mut Vec<u32>,
    seen: &'a mut [u32],
    parent: &'a mut [u32],
    /// The other side's marks.
    other: &'a [u32],
}

impl Side<'_> {
    /// Replaces the frontier with the next level; returns a node the other side has reached,
    /// if one turns up. As whole levels alternate, the first such node lies on a shortest
    /// path.
    fn expand(
        self,
        csr: &Csr,
        direction: Direction,
        next: &mut Vec<u32>,
        epoch: u32,
    ) -> Option<u32> {
        next.clear();
        for &u in self.frontier.iter() {
            let (a, b) = direction.lists(csr, u);
            for &v in a.iter().chain(b) {
                if self.seen[v as usize] == epoch {
                    continue;
                }
                self.seen[v as usize] = epoch;
                self.parent[v as usize] = u;
                if self.other[v as usize] == epoch {
                    return Some(v);
                }
                next.push(v);
            }
        }
        std::mem::swap(self.frontier, next);
        None
    }
}

/// `node`, its parent, and so on up to the search's start.
fn climb(parent: &[u32], node: u32) -> Vec<u32> {
    let mut chain = vec![node];
    let mut at = node;
    while parent[at as usize] != NONE {
        at = parent[at as usize];
        chain.push(at);
    }
    chain
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::graph::testing::{adjacency, distances, graph};

    const DIRECTIONS: [Direction; 3] = [Direction::Out, Direction::In, Direction::Both];

    fn csr(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::new(n, edges).unwrap()
    }

    #[test]
    fn reach_counts_each_node_once_and_not_the_start() {
        let g = csr(6, &[(0, 1), (1, 2), (2, 0), (1, 3), (3, 4), (4, 5), (5, 3)]);
        let mut t = Traversal::new();
        assert_eq!(t.reach(&g, 0, 1, Direction::Out).unwrap(), [1]);
        assert_eq!(t.reach(&g, 0, 2, Direction::Out).unwrap(), [1, 2, 3]);
        assert_eq!(t.reach(&g, 0, 64, Direction::Out).unwrap().len(), 5);
        assert_eq!(t.reach(&g, 3, 1, Direction::In).unwrap(), [1, 5]);
        assert_eq!(t.reach(&g, 3, 1, Direction::Both).unwrap(), [4, 1, 5]);
        assert_eq!(
            t.reach(&g, 3, 0, Direction::Out).unwrap_err().field(),
            Some("hops")
        );
        assert_eq!(
            t.reach(&g, 3, 65, Direction::Out).unwrap_err().field(),
            Some("hops")
        );
        assert_eq!(
            t.reach(&g, 6, 1, Direction::Out).unwrap_err().field(),
            Some("start")
        );
    }

    #[test]
    fn marks_survive_graph_changes_and_epoch_wraps() {
        let mut t = Traversal::new();
        let small = csr(3, &[(0, 1), (1, 2)]);
        let big = csr(5, &[(0, 4), (4, 3)]);
        assert_eq!(t.reach(&small, 0, 2, Direction::Out).unwrap(), [1, 2]);
        assert_eq!(t.reach(&big, 0, 2, Direction::Out).unwrap(), [4, 3]);
        t.epoch = u32::MAX;
        assert_eq!(t.reach(&big, 0, 2, Direction::Out).unwrap(), [4, 3]);
        assert_eq!(t.reach(&big, 0, 2, Direction::Out).unwrap(), [4, 3]);
        assert_eq!(
            t.path(&small, 0, 2, Direction::Out).unwrap(),
            Some(vec![0, 1, 2])
        );
    }

    #[test]
    fn downline_by_level_survives_rings() {
        // 0 referred 1 and 2; 1 referred 3; 3 "referred" 0 (a ring).
        let g = csr(5, &[(0, 1), (0, 2), (1, 3), (3, 0)]);
        let mut t = Traversal::new();
        assert_eq!(t.downline(&g, 0, 1).unwrap(), [vec![1, 2]]);
        assert_eq!(t.downline(&g, 0, 10).unwrap(), [vec![1, 2], vec![3]]);
        assert!(t.downline(&g, 4, 3).unwrap().is_empty());
    }

    #[test]
    fn upline_reaches_the_root_or_reports_the_ring() {
        let g = csr(6, &[(0, 1), (1, 2), (2, 3), (4, 5), (5, 4)]);
        let mut t = Traversal::new();
        let up = t.upline(&g, 3).unwrap();
        assert_eq!((up.chain, up.cycle), (vec![2, 1, 0], false));
        assert_eq!(t.upline(&g, 0).unwrap().chain, Vec::<u32>::new());
        let up = t.upline(&g, 4).unwrap();
        assert_eq!((up.chain, up.cycle), (vec![5], true));
        let looped = csr(1, &[(0, 0)]);
        assert!(t.upline(&looped, 0).unwrap().cycle);
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let n = 200_000u32;
        let chain: Vec<(u32, u32)> = (1..n).map(|v| (v - 1, v)).collect();
        let g = csr(n as usize, &chain);
        let mut t = Traversal::new();
        assert_eq!(t.upline(&g, n - 1).unwrap().chain.len(), n as usize - 1);
        let path = t.path(&g, 0, n - 1, Direction::Out).unwrap().unwrap();
        assert_eq!(path.len(), n as usize);
        assert_eq!(t.path(&g, n - 1, 0, Direction::Out).unwrap(), None);
        assert_eq!(
            t.path(&g, n - 1, 0, Direction::In)
                .unwrap()
                .map(|p| p.len()),
            Some(n as usize)
        );
    }

    #[test]
    fn paths_follow_the_direction() {
        let g = csr(5, &[(0, 1), (1, 2), (3, 2), (3, 4)]);
        let mut t = Traversal::new();
        assert_eq!(
            t.path(&g, 0, 2, Direction::Out).unwrap(),
            Some(vec![0, 1, 2])
        );
        assert_eq!(t.path(&g, 0, 4, Direction::Out).unwrap(), None);
        assert_eq!(
            t.path(&g, 0, 4, Direction::Both).unwrap(),
            Some(vec![0, 1, 2, 3, 4])
        );
        assert_eq!(
            t.path(&g, 2, 0, Direction::In).unwrap(),
            Some(vec![2, 1, 0])
        );
        assert_eq!(t.path(&g, 4, 4, Direction::Out).unwrap(), Some(vec![4]));
        assert_eq!(
            t.path(&g, 0, 5, Direction::Out).unwrap_err().field(),
            Some("to")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn reach_and_paths_match_plain_bfs(g in graph(14, 40), start in 0..14u32, end in 0..14u32, k in 1..5u32) {
            let csr = Csr::new(g.n, &g.pairs()).unwrap();
            let (start, end) = (start % g.n as u32, end % g.n as u32);
            let mut t = Traversal::new();
            for direction in DIRECTIONS {
                let lists = adjacency(g.n, &g.edges, direction);
                let dist = distances(&lists, start);
                let mut expected: Vec<u32> = (0..g.n as u32)
                    .filter(|&v| v != start && dist[v as usize].is_some_and(|d| d <= k))
                    .collect();
                let mut got = t.reach(&csr, start, k, direction).unwrap().to_vec();
                prop_assert!(got.windows(2).all(|w| dist[w[0] as usize] <= dist[w[1] as usize]));
                got.sort_unstable();
                expected.sort_unstable();
                prop_assert_eq!(got, expected);

                let path = t.path(&csr, start, end, direction).unwrap();
                match dist[end as usize] {
                    None => prop_assert!(path.is_none()),
                    Some(d) => {
                        let path = path.unwrap();
                        prop_assert_eq!(path.len(), d as usize + 1);
                        prop_assert_eq!((path[0], path[d as usize]), (start, end));
                        for hop in path.windows(2) {
                            prop_assert!(lists[hop[0] as usize].contains(&hop[1]));
                        }
                    }
                }
            }
            let levels = t.downline(&csr, start, k).unwrap();
            let dist = distances(&adjacency(g.n, &g.edges, Direction::Out), start);
            for (i, level) in levels.iter().enumerate() {
                prop_assert!(!level.is_empty());
                for &v in level {
                    prop_assert_eq!(dist[v as usize], Some(i as u32 + 1));
                }
            }
        }

    }
}
