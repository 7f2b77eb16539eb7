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
    let workers = workers(items.len(), parallel_from);
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

/// Runs `work(chunk, out_chunk, offset)` over `items` and `out` (as long as `items`) cut
/// alike into contiguous chunks, on threads as [`map_chunks`] does: for results written in
/// place, into memory the caller already holds.
pub(crate) fn zip_chunks<T, R>(
    items: &[T],
    out: &mut [R],
    parallel_from: usize,
    work: impl Fn(&[T], &mut [R], usize) + Sync,
) where
    T: Sync,
    R: Send,
{
    debug_assert_eq!(items.len(), out.len());
    let workers = workers(items.len(), parallel_from);
    if workers == 1 {
        return work(items, out, 0);
    }
    let chunk = items.len().div_ceil(workers);
    let work = &work;
    thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .zip(out.chunks_mut(chunk))
            .enumerate()
            .map(|(c, (part, out))| scope.spawn(move || work(part, out, c * chunk)))
            .collect();
        for h in handles {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}

/// Threads for `len` items: one below `parallel_from` items (or on one core).
fn workers(len: usize, parallel_from: usize) -> usize {
    if len >= parallel_from && len > 1 {
        thread::available_parallelism().map_or(1, |n| n.get().min(MAX_WORKERS))
    } else {
        1
    }
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

    #[test]
    fn zipped_chunks_line_up() {
        let items: Vec<u32> = (0..10_000).collect();
        for parallel_from in [1, 100_000] {
            let mut out = vec![0u64; items.len()];
            zip_chunks(&items, &mut out, parallel_from, |part, out, offset| {
                for (i, (x, y)) in part.iter().zip(out).enumerate() {
                    *y = u64::from(*x) * 2 + (offset + i) as u64;
                }
            });
            assert!(out.iter().enumerate().all(|(i, &y)| y == 3 * i as u64));
        }
        zip_chunks(&[] as &[u8], &mut [] as &mut [u8], 0, |_, _, _| {});
    }
}
