//! Memory footprint: builds an in-memory engine of 1,000,000 customers with 3 identities each
//! (wechat_openid, phone, email; the shape of the `identity` bench) and prints the resident set
//! before building, the peak resident set (`VmHWM` from `/proc/self/status`, Linux only) and
//! the peak growth per customer.
//!
//! Run with `cargo run --release -p scrm --example memory_footprint [CUSTOMERS]`.

use std::process::ExitCode;
use std::time::Instant;

use scrm::{CustomerInput, Engine};

const DEFAULT_CUSTOMERS: usize = 1_000_000;
const UPSERT_CHUNK: usize = 10_000;

/// SplitMix64 step: deterministic pseudo-random bits for the openids.
fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Customer `i` with a 28-character openid, a mainland mobile number and an email address.
fn customer(i: usize) -> CustomerInput {
    CustomerInput::new(format!("c-{i:07}"))
        .identity("wechat_openid", format!("o6_{:018x}{i:07}", mix(i as u64)))
        .identity("phone", format!("+86138{i:08}"))
        .identity("email", format!("user{i}@example.com"))
}

/// A field of `/proc/self/status` in bytes (`VmRSS`, `VmHWM`), or `None` off Linux.
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    let kib: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kib * 1024)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn main() -> ExitCode {
    let customers = match std::env::args().nth(1) {
        None => DEFAULT_CUSTOMERS,
        Some(arg) => match arg.replace('_', "").parse::<usize>() {
            Ok(n) if n > 0 && n < 100_000_000 => n,
            _ => {
                eprintln!("usage: memory_footprint [CUSTOMERS]  (1 to 99,999,999; got {arg:?})");
                return ExitCode::FAILURE;
            }
        },
    };
    let Some(baseline) = proc_status_bytes("VmRSS") else {
        eprintln!(
            "memory_footprint reads /proc/self/status, which this platform lacks (Linux only)"
        );
        return ExitCode::FAILURE;
    };

    let started = Instant::now();
    let engine = Engine::in_memory();
    let mut chunk = Vec::with_capacity(UPSERT_CHUNK);
    for start in (0..customers).step_by(UPSERT_CHUNK) {
        chunk.clear();
        chunk.extend((start..customers.min(start + UPSERT_CHUNK)).map(customer));
        if let Err(e) = engine.upsert_customers(&chunk) {
            eprintln!("upsert of customers {start}.. failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    drop(chunk);
    let elapsed = started.elapsed();
    let stats = engine.stats();

    let (Some(rss), Some(peak)) = (proc_status_bytes("VmRSS"), proc_status_bytes("VmHWM")) else {
        eprintln!("cannot read VmRSS/VmHWM from /proc/self/status");
        return ExitCode::FAILURE;
    };
    let per_customer = |bytes: u64| bytes.saturating_sub(baseline) as f64 / customers as f64;
    println!(
        "built {} customers with {} identities in {elapsed:.2?}",
        stats.customers, stats.identities
    );
    println!("baseline RSS before building: {:>9.1} MiB", mib(baseline));
    println!("RSS after building:           {:>9.1} MiB", mib(rss));
    println!("peak RSS (VmHWM):             {:>9.1} MiB", mib(peak));
    println!(
        "bytes per customer: {:.0} at peak, {:.0} retained (both above the baseline)",
        per_customer(peak),
        per_customer(rss)
    );
    ExitCode::SUCCESS
}
