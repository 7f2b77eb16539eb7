//! Property tests of the relationship graph through merges: whatever edges are put and
//! whichever profiles merge, in any order, a customer's neighbours are the naive union of
//! the edges of the profiles it absorbed (loops left out), and walks on the snapshot agree
//! with the store.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use scrm::{CustomerInput, EdgeDirection, EdgeInput, Engine, MergeRequest};

const CUSTOMERS: usize = 8;
const KINDS: [&str; 2] = ["follows", "likes"];

fn id(i: usize) -> String {
    format!("c{i}")
}

/// Follows merges to the survivor, as the naive model.
fn find(parent: &BTreeMap<usize, usize>, mut i: usize) -> usize {
    while let Some(&p) = parent.get(&i) {
        i = p;
    }
    i
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn neighbours_follow_merges(
        edges in prop::collection::vec((0..CUSTOMERS, 0..CUSTOMERS, 0..2usize), 0..30),
        merges in prop::collection::vec((0..CUSTOMERS, 0..CUSTOMERS), 0..5),
        split in 0..30usize,
    ) {
        let engine = Engine::in_memory();
        let inputs: Vec<_> = (0..CUSTOMERS).map(|i| CustomerInput::new(id(i))).collect();
        engine.upsert_customers(&inputs).unwrap();
        let mut parent = BTreeMap::new();
        let mut recorded: Vec<(usize, usize, usize)> = Vec::new();
        // Edges before and after the merges, so both recorded-then-merged and
        // merged-then-recorded edges are covered.
        let (first, second) = edges.split_at(split.min(edges.len()));
        let put = |parent: &BTreeMap<usize, usize>, recorded: &mut Vec<_>, batch: &[(usize, usize, usize)]| {
            for &(a, b, k) in batch {
                let (ra, rb) = (find(parent, a), find(parent, b));
                let result = engine.add_edge(&EdgeInput::new(id(a), id(b), KINDS[k]));
                if ra == rb {
                    prop_assert!(result.is_err());
                } else {
                    result.unwrap();
                    recorded.push((ra, rb, k));
                }
            }
            Ok(())
        };
        put(&parent, &mut recorded, first)?;
        for &(a, b) in &merges {
            let (ra, rb) = (find(&parent, a), find(&parent, b));
            let request = MergeRequest {
                survivor: id(a),
                merged: id(b),
                actor: "test".into(),
                ..MergeRequest::default()
            };
            engine.merge_customers(&request).unwrap();
            if ra != rb {
                parent.insert(rb, ra);
            }
        }
        put(&parent, &mut recorded, second)?;
        let mut expected: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(a, b, _) in &recorded {
            let (ra, rb) = (find(&parent, a), find(&parent, b));
            if ra != rb {
                expected.entry(ra).or_default().insert(rb);
            }
        }
        for i in (0..CUSTOMERS).filter(|&i| find(&parent, i) == i) {
            let want: Vec<String> = expected.get(&i).into_iter().flatten().map(|&j| id(j)).collect();
            let got = engine.neighbours(&id(i), EdgeDirection::Out, &[]).unwrap();
            prop_assert_eq!(&got, &want, "customer {}", i);
            prop_assert_eq!(engine.degree(&id(i), EdgeDirection::Out, &[]).unwrap(), want.len() as u64);
            let mut reach = engine.reach(&id(i), 1, EdgeDirection::Out, &[]).unwrap();
            reach.sort_by_key(|s| s[1..].parse::<usize>().unwrap());
            prop_assert_eq!(reach, want);
        }
        let ranks = engine.pagerank(&Default::default()).unwrap();
        let live = (0..CUSTOMERS).filter(|&i| find(&parent, i) == i).count();
        prop_assert_eq!(ranks.ids.len(), live);
    }
}
