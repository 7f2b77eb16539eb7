//! The relationship graph: algorithms over an undirected, weighted snapshot of who is
//! connected to whom.

#![allow(dead_code)] // wired into the engine by the graph-store step

mod communities;
