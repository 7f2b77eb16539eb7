//! Planning writes: each turns a request into [`Changes`](crate::state::Changes) against a
//! read-only view of the state, so nothing is touched until the store has made it durable.

mod edges;
mod events;
mod profiles;

pub(crate) use edges::{kind_name, plan_edges, plan_removal};
pub(crate) use events::plan_events;
pub(crate) use profiles::ProfileTxn;
