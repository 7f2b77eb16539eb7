//! Splitting graph work over threads: how many, which node ranges, and running the parts on
//! scoped threads. Node ranges follow CSR offsets so that each part gets a similar share of
//! nodes plus edges.

use std::ops::Range;
use std::thread;

/// Most threads one call uses.
const MAX_WORKERS: usize = 8;
/// Work (nodes + edges) below which a call stays on the calling thread: a thread costs tens
/// of microseconds, a node or edge a few nanoseconds.
const PARALLEL_FROM: usize = 1 << 17;

/// Threads worth using for `work` nodes plus edges.
pub(crate) fn workers(work: usize) -> usize {
    if work < PARALLEL_FROM {
        return 1;
    }
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    cores.min(MAX_WORKERS).min(work / PARALLEL_FROM).max(1)
}

/// Splits the nodes `0..offsets.len() - 1` of a CSR into `parts` contiguous ranges with about
/// equal nodes plus edges each (some may be empty).
pub(crate) fn node_ranges(offsets: &[u64], parts: usize) -> Vec<Range<usize>> {
    let n = offsets.len().saturating_sub(1);
    let work = |v: usize| offsets[v] as usize + v;
    let total = work(n);
    // The first node of part k is the first whose work before it reaches k / parts.
    let first_reaching = |goal: usize| {
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if work(mid) < goal {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let mut bounds: Vec<usize> = (0..parts)
        .map(|k| first_reaching(total / parts * k))
        .collect();
    bounds.push(n);
    bounds.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Cuts `items` into consecutive pieces of the given lengths (which must add up to at most
/// `items.len()`).
pub(crate) fn split_lengths<T>(
    mut items: &mut [T],
    lengths: impl IntoIterator<Item = usize>,
) -> Vec<&mut [T]> {
    let mut pieces = Vec::new();
    for len in lengths {
        let (piece, rest) = items.split_at_mut(len);
        pieces.push(piece);
        items = rest;
    }
    pieces
}

/// Cuts `items`, laid out along `offsets`, into the pieces that belong to each node range.
pub(crate) fn split_ranges<'a, T>(
    items: &'a mut [T],
    offsets: &[u64],
    ranges: &[Range<usize>],
) -> Vec<&'a mut [T]> {
    let first = ranges.first().map_or(0, |r| offsets[r.start] as usize);
    let lengths = ranges
        .iter()
        .map(|r| (offsets[r.end] - offsets[r.start]) as usize);
    split_lengths(&mut items[first..], lengths)
}

/// Runs `f` on every part, the first on the calling thread and the others on scoped threads,
/// and returns the results in order.
pub(crate) fn run<P: Send, R: Send>(parts: Vec<P>, f: impl Fn(P) -> R + Sync) -> Vec<R> {
    if parts.len() <= 1 {
        return parts.into_iter().map(f).collect();
    }
    let f = &f;
    thread::scope(|scope| {
        let mut parts = parts.into_iter();
        let first = parts.next();
        let handles: Vec<_> = parts.map(|p| scope.spawn(move || f(p))).collect();
        let mut results: Vec<R> = first.map(f).into_iter().collect();
        results.extend(handles.into_iter().map(|h| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }));
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_ranges_cover_all_nodes_in_order() {
        let offsets = [0, 10, 10, 11, 30, 31, 31];
        for parts in 1..5 {
            let ranges = node_ranges(&offsets, parts);
            assert_eq!(ranges.len(), parts);
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges[parts - 1].end, 6);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!(node_ranges(&offsets, 2), vec![0..4, 4..6]);
        assert_eq!(node_ranges(&[0], 3), vec![0..0, 0..0, 0..0]);
    }

    #[test]
    fn split_ranges_follows_offsets() {
        let offsets = [0, 2, 3, 6];
        let mut items = [1, 2, 3, 4, 5, 6];
        let pieces = split_ranges(&mut items, &offsets, &[0..1, 1..3]);
        assert_eq!(pieces, vec![&mut [1, 2][..], &mut [3, 4, 5, 6][..]]);
    }

    #[test]
    fn run_keeps_the_order_of_parts() {
        assert_eq!(run(vec![1, 2, 3], |x| x * 10), vec![10, 20, 30]);
        assert_eq!(run(Vec::<u8>::new(), |x| x), Vec::<u8>::new());
    }
}
