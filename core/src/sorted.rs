//! Keeping a list sorted as items arrive, mostly in order.

/// Inserts `item` into `list`, kept sorted by `key`, after the items with an equal key.
/// Items usually arrive in order, so the last item is compared first and the common case is a
/// push without a search (each probe of a search may read memory far away).
pub(crate) fn insert_in_order<T, K: PartialOrd>(list: &mut Vec<T>, item: T, key: impl Fn(&T) -> K) {
    let k = key(&item);
    if list.last().is_none_or(|last| key(last) <= k) {
        list.push(item);
    } else {
        let at = list.partition_point(|x| key(x) <= k);
        list.insert(at, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_sorted_and_stable() {
        let mut list = Vec::new();
        for (k, tag) in [(3, 'a'), (5, 'b'), (1, 'c'), (3, 'd'), (9, 'e'), (5, 'f')] {
            insert_in_order(&mut list, (k, tag), |&(k, _)| k);
        }
        let tags: String = list.iter().map(|&(_, t)| t).collect();
        assert_eq!(tags, "cadbfe");
    }
}
