//! The edge store as customers see it: edges are recorded on the profiles of their time, so
//! a live customer's edges are those recorded on it and on every profile it absorbed, with
//! the other end mapped to its live profile. Loops that merges made are left out.

use super::store::EdgeData;
use crate::state::State;

/// One edge seen from a live customer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Seen {
    /// The live customer at the other end.
    pub other: u32,
    /// The ends as stored (source, target).
    pub stored: (u32, u32),
    pub data: EdgeData,
}

impl State {
    /// The edges of live customer `idx` in one direction (`out`: leaving it).
    pub fn edges_at(&self, idx: u32, out: bool) -> impl Iterator<Item = Seen> + '_ {
        let slot = &self.customers[idx as usize];
        std::iter::once(idx)
            .chain(slot.absorbed.iter().copied())
            .flat_map(move |at| {
                self.graph.around(at, out).map(move |(other, data)| Seen {
                    other: self.canonical(other),
                    stored: if out { (at, other) } else { (other, at) },
                    data,
                })
            })
            .filter(move |seen| seen.other != idx)
    }

    /// The stored edge that joins live customers `source -> target` with `kind`, if any.
    pub fn edge_between(&self, source: u32, target: u32, kind: u32) -> Option<Seen> {
        self.edges_at(source, true)
            .find(|seen| seen.other == target && seen.data.kind == kind)
    }

    /// The live customer who referred `idx`, if any (`referred` is the symbol of the kind).
    pub fn referrer_of(&self, idx: u32, referred: u32) -> Option<u32> {
        self.edges_at(idx, false)
            .find(|seen| seen.data.kind == referred)
            .map(|seen| seen.other)
    }
}
