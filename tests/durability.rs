//! Crash safety: a writer process is killed with SIGKILL in the middle of a stream of event
//! batches; on reopen every acknowledged batch is there in full and no batch is partial.
//!
//! This binary has its own `main`: run normally it is the test; run with `SCRM_WRITER_PATH`
//! set it is the writer that the test spawns and kills.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{TimeZone, Utc};
use scrm::{CustomerInput, Engine, EventInput};

const WRITER_ENV: &str = "SCRM_WRITER_PATH";
const BATCH: usize = 500;
const ROUNDS: usize = 3;

fn main() {
    match std::env::var(WRITER_ENV) {
        Ok(path) => write_forever(&path),
        Err(_) => {
            for round in 0..ROUNDS {
                kill_and_check(round);
            }
            println!("durability: {ROUNDS} kill -9 rounds passed");
        }
    }
}

/// The writer: appends keyed batches and acknowledges each on stdout once `Ok` returns.
fn write_forever(path: &str) {
    let engine = Engine::open(path).expect("writer opens the store");
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    engine
        .upsert_customer(&CustomerInput::new("c").at(start))
        .expect("customer");
    let mut out = std::io::stdout().lock();
    for batch in 0..100_000 {
        let events: Vec<EventInput> = (0..BATCH)
            .map(|i| {
                EventInput::new("c", "view", "app", start).idempotency_key(format!("b{batch}-{i}"))
            })
            .collect();
        engine.record_events(&events).expect("batch written");
        writeln!(out, "ack {batch}").expect("parent listens");
        out.flush().expect("parent listens");
    }
}

fn kill_and_check(round: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crash.scrm");
    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .env(WRITER_ENV, &path)
        .stdout(Stdio::piped())
        .spawn()
        .expect("writer starts");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as usize;
    let kill_after = 3 + (nanos + round * 7) % 30;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut acknowledged = None;
    while acknowledged.is_none_or(|a| a < kill_after) {
        let line = lines.next().expect("writer is alive").expect("utf-8 line");
        let n: usize = line.trim_start_matches("ack ").parse().expect("ack line");
        acknowledged = Some(n);
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let acknowledged = acknowledged.expect("at least one ack");

    let engine = Engine::open(&path).expect("store reopens after a crash");
    let mut per_batch: BTreeMap<usize, usize> = BTreeMap::new();
    for event in engine.events_of("c").expect("customer survived") {
        let key = event.idempotency_key.expect("keyed");
        let batch = key[1..key.find('-').expect("b<batch>-<i>")]
            .parse()
            .expect("batch no");
        *per_batch.entry(batch).or_default() += 1;
    }
    for batch in 0..=acknowledged {
        assert_eq!(
            per_batch.get(&batch).copied(),
            Some(BATCH),
            "round {round}: acknowledged batch {batch} is incomplete"
        );
    }
    for (batch, count) in &per_batch {
        assert_eq!(*count, BATCH, "round {round}: batch {batch} is partial");
    }
    let highest = per_batch.keys().next_back().copied().unwrap_or(0);
    assert_eq!(
        per_batch.len(),
        highest + 1,
        "round {round}: batches form a prefix"
    );
    println!(
        "round {round}: killed after ack {acknowledged}, found {} whole batches",
        per_batch.len()
    );
}
