//! Shared by the benches: a seeded generator, the size knob, a median timer, and the segment dataset of
//! issue 3 (customers with 64 tags of popularity 1% to 50%, a float `score` and a small-int
//! `level`).

#![allow(dead_code)] // each bench binary uses its own part of this module

pub mod graphs;
pub mod identities;
pub mod interactions;
pub mod referrals;

use std::time::Instant;

use scrm::{CustomerInput, Engine, TagSource};

/// Number of tags in the dataset.
pub const TAGS: usize = 64;

/// xorshift64*: a tiny deterministic generator, so runs are comparable without `rand`.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The dataset, column by column.
pub struct SegmentData {
    pub level: Vec<i8>,
    pub score: Vec<f64>,
    /// Members of each tag `t0..t63`, ascending.
    pub tags: Vec<Vec<u32>>,
}

/// Popularity of tag `k`: from 1% (t0) to 50% (t63).
pub fn popularity(k: usize) -> f64 {
    0.01 + 0.49 * k as f64 / (TAGS - 1) as f64
}

/// Generates `n` customers deterministically.
pub fn segment_data(n: usize) -> SegmentData {
    let mut rng = Rng(0x5EED_5E6D);
    let mut tags = vec![Vec::new(); TAGS];
    let mut level = Vec::with_capacity(n);
    let mut score = Vec::with_capacity(n);
    for i in 0..n {
        level.push(rng.below(10) as i8);
        score.push((rng.unit() * 10_000.0).round() / 100.0);
        for (k, members) in tags.iter_mut().enumerate() {
            if rng.unit() < popularity(k) {
                members.push(i as u32);
            }
        }
    }
    SegmentData { level, score, tags }
}

/// External id of customer `i`.
pub fn id(i: usize) -> String {
    format!("c{i}")
}

/// An in-memory engine holding the dataset.
pub fn segment_engine(data: &SegmentData) -> Engine {
    let engine = Engine::in_memory();
    let n = data.level.len();
    for start in (0..n).step_by(100_000) {
        let chunk: Vec<CustomerInput> = (start..n.min(start + 100_000))
            .map(|i| {
                CustomerInput::new(id(i))
                    .attribute("level", i64::from(data.level[i]))
                    .attribute("score", data.score[i])
            })
            .collect();
        engine.upsert_customers(&chunk).expect("customers load");
    }
    for (k, members) in data.tags.iter().enumerate() {
        let ids: Vec<String> = members.iter().map(|&i| id(i as usize)).collect();
        engine
            .tag_customers(&ids, &[format!("t{k}")], TagSource::Import)
            .expect("tags load");
    }
    engine
}

/// Customers in the benches: `SCRM_BENCH_CUSTOMERS` (underscores allowed), or `default`.
pub fn size(default: usize) -> usize {
    match std::env::var("SCRM_BENCH_CUSTOMERS") {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .expect("SCRM_BENCH_CUSTOMERS must be a positive integer"),
        Err(_) => default,
    }
}

/// The `--flag value` pairs a race bench was given (flags without a value, such as cargo's
/// own `--bench`, are skipped).
pub struct Flags(Vec<(String, String)>);

impl Flags {
    /// The flags given; panics on one that is not in `known`.
    pub fn parse(known: &[&str]) -> Flags {
        let mut pairs = Vec::new();
        let mut args = std::env::args().skip(1).peekable();
        while let Some(flag) = args.next() {
            if let Some(value) = args.next_if(|v| !v.starts_with("--")) {
                assert!(known.contains(&flag.as_str()), "unknown flag {flag}");
                pairs.push((flag, value));
            }
        }
        Flags(pairs)
    }

    /// The value of `flag` (the last one given), or `None`; panics naming the flag when
    /// the value does not parse.
    pub fn optional<T: std::str::FromStr>(&self, flag: &str) -> Option<T> {
        let (_, value) = self.0.iter().rev().find(|(f, _)| f == flag)?;
        let parsed = value.parse();
        Some(parsed.unwrap_or_else(|_| panic!("{flag} needs a number, got {value:?}")))
    }

    /// The value of `flag`, or `default`.
    pub fn get<T: std::str::FromStr>(&self, flag: &str, default: T) -> T {
        self.optional(flag).unwrap_or(default)
    }

    /// `--out DIR`: where the binary writes its report and data for the peers.
    pub fn out(&self) -> Option<std::path::PathBuf> {
        self.optional("--out")
    }
}

/// The flags of the event-stream race binaries (`events_race`, `referrals_race`):
/// `--customers N --events N --runs N --out DIR`.
pub struct StreamArgs {
    pub customers: usize,
    pub events: usize,
    pub runs: usize,
    pub out: Option<std::path::PathBuf>,
}

impl StreamArgs {
    /// The flags given, over these defaults (3 runs, no output directory).
    pub fn parse(customers: usize, events: usize) -> StreamArgs {
        let flags = Flags::parse(&["--customers", "--events", "--runs", "--out"]);
        StreamArgs {
            customers: flags.get("--customers", customers),
            events: flags.get("--events", events),
            runs: flags.get("--runs", 3),
            out: flags.out(),
        }
    }
}

/// The middle of `values` once sorted (the upper one of an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Median wall time in milliseconds of `runs` calls of `f` (at least one), and the last
/// call's result.
pub fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(runs.max(1));
    let mut result = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        result = Some(f());
        times.push(start.elapsed().as_secs_f64() * 1e3);
    }
    (median(times), result.expect("at least one run"))
}

/// Resident memory in bytes (Linux), for the per-entry and per-customer figures.
pub fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The two queries of issue 3.
pub const TAG_ONLY: &str = "tag:t10 and tag:t40 and not tag:t3";
pub const MIXED: &str =
    "((tag:t10 and tag:t40 and not tag:t3) or attr.level >= 4) and attr.score > 50";

/// 20 saved segments of the kinds marketers keep: tags, attributes, activity, references.
pub fn save_segments(engine: &Engine) {
    for k in 0..16 {
        let expression = match k % 4 {
            0 => format!("tag:t{k} and attr.level >= {}", k % 10),
            1 => format!("tag:t{} or attr.score > {}", k + 20, 50 + k),
            2 => format!("events(purchase, 30d) >= 1 and not tag:t{k}"),
            _ => format!("amount(purchase) > {} or tag:t{}", 100 * k, k + 40),
        };
        engine
            .save_segment(&format!("s{k}"), &expression)
            .expect("saved segment");
    }
    engine
        .save_segment("r0", "segment:s0 or segment:s1")
        .expect("saved segment");
    engine
        .save_segment("r1", "segment:s2 and attr.level < 5")
        .expect("saved segment");
    engine
        .save_segment("r2", "last_seen within 14d and segment:s3")
        .expect("saved segment");
    engine
        .save_segment("r3", "not segment:r0 and tag:t63")
        .expect("saved segment");
}
