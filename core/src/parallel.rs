//! Splitting read-only work over a slice across a few scoped threads.

use std::thread;

/// Most threads one call uses.
const MAX_WORKERS: usize = 4;

/// Runs `work(chunk, offset)` over `items` cut into contiguous chunks and returns the
/// results in order. With fewer than `parallel_from` items (or one core) it runs once on the
/// calling thread; otherwise each chunk gets a scoped thread. A panic in a worker is resumed
/// on the caller.
pub(crate) fn map_chunks<T, R>(
    items: &[T],
    parallel_from: usize,
    work: impl Fn(&[T], usize) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let workers = if items.len() >= parallel_from && items.len() > 1 {
        thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
    } else {
        1
    };
    if workers == 1 {
        return vec![work(items, 0)];
    }
    let chunk = items.len().div_ceil(workers);
    let work = &work;
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| scope.spawn(move || work(part, c * chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_slice_in_order() {
        let items: Vec<u32> = (0..10_000).collect();
        for parallel_from in [1, 100_000] {
            let parts = map_chunks(&items, parallel_from, |part, offset| {
                assert_eq!(part[0] as usize, offset);
                part.to_vec()
            });
            assert_eq!(parts.concat(), items);
        }
        let empty: Vec<Vec<u32>> = map_chunks(&[], 0, |part: &[u32], _| part.to_vec());
        assert!(empty.iter().all(Vec::is_empty));
    }
}
