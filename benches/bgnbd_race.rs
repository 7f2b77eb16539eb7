//! The scrm side of the BG/NBD workload of `scripts/bench.sh`: simulates customers from known BG/NBD and
//! Gamma-Gamma parameters (lifetimes' CDNOW estimates, in weeks), times scrm's fits and its
//! predictions for every customer (median of several runs), and writes the summaries, scrm's
//! P(alive) of every customer and a report (parameters, log-likelihoods, timings, a sample
//! of expected purchases and lifetime values) to a directory for lifetimes to check.
//!
//! `cargo bench -p scrm --bench bgnbd_race -- --customers 20000 [--fit-customers N] --runs 3 [--seed 1] --out DIR`
//! Without `--out` (as under `cargo test --benches`) it runs a small smoke round.

mod support;

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use scrm::{customer_lifetime_value, simulate, BgNbd, FitOptions, GammaGamma, PurchaseSummary};
use support::{median_ms, Flags};

/// The simulated population: lifetimes' CDNOW estimates.
const PURCHASES: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};
const SPEND: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    v: 15.45,
};
/// Calibration window (weeks), horizon of the expected purchases, and the lifetime values'
/// horizon and discount rate per week.
const T_CAL: f64 = 39.0;
const HORIZON: f64 = 52.0;
const CLV_PERIODS: u32 = 52;
const DISCOUNT: f64 = 0.002;
/// Customers whose expected purchases and lifetime values the report samples.
const SAMPLE: usize = 200;

struct Args {
    customers: usize,
    /// Customers the models are fitted on (the first ones; all by default): the rest are
    /// only scored, for P(alive) over populations too large to fit in a benchmark.
    fit_customers: Option<usize>,
    runs: usize,
    seed: u64,
    out: Option<PathBuf>,
}

fn args() -> Args {
    let flags = Flags::parse(&[
        "--customers",
        "--fit-customers",
        "--runs",
        "--seed",
        "--out",
    ]);
    Args {
        customers: flags.get("--customers", 2_000),
        fit_customers: flags.optional("--fit-customers"),
        runs: flags.get("--runs", 1),
        seed: flags.get("--seed", 1),
        out: flags.out(),
    }
}

fn main() {
    let args = args();
    let customers = simulate(&PURCHASES, Some(&SPEND), args.customers, T_CAL, args.seed)
        .expect("valid simulation parameters");
    let options = FitOptions::default();
    let fitted = &customers[..args
        .fit_customers
        .unwrap_or(usize::MAX)
        .min(customers.len())];
    let (bgnbd_ms, bgnbd) = median_ms(args.runs, || {
        BgNbd::fit(fitted, &options).expect("BG/NBD fit converges")
    });
    let (gamma_gamma_ms, gamma_gamma) = median_ms(args.runs, || {
        GammaGamma::fit(fitted, &options).expect("Gamma-Gamma fit converges")
    });
    let model = bgnbd.model;
    let all =
        |f: &dyn Fn(&PurchaseSummary) -> f64| -> Vec<f64> { customers.iter().map(f).collect() };
    let (p_alive_ms, p_alive) = median_ms(args.runs, || {
        all(&|s| model.p_alive(s).expect("valid summary"))
    });
    let (expected_ms, _) = median_ms(args.runs, || {
        all(&|s| model.expected_purchases(s, HORIZON).expect("valid summary"))
    });
    let sample = &customers[..SAMPLE.min(customers.len())];
    let expected: Vec<f64> = sample
        .iter()
        .map(|s| model.expected_purchases(s, HORIZON).expect("valid summary"))
        .collect();
    let clv: Vec<f64> = sample
        .iter()
        .map(|s| {
            customer_lifetime_value(&model, &gamma_gamma.model, s, CLV_PERIODS, DISCOUNT)
                .expect("valid summary")
        })
        .collect();
    let report = serde_json::json!({
        "customers": customers.len(),
        "fit_customers": fitted.len(),
        "repeat_customers": gamma_gamma.log_likelihood.customers,
        "runs": args.runs,
        "seed": args.seed,
        "truth": { "bgnbd": PURCHASES, "gamma_gamma": SPEND },
        "bgnbd": bgnbd,
        "gamma_gamma": gamma_gamma,
        "bgnbd_fit_ms": bgnbd_ms,
        "gamma_gamma_fit_ms": gamma_gamma_ms,
        "p_alive_ms": p_alive_ms,
        "expected_purchases_ms": expected_ms,
        "horizon": HORIZON,
        "clv_periods": CLV_PERIODS,
        "discount_rate": DISCOUNT,
        "sample_expected_purchases": expected,
        "sample_clv": clv,
    });
    let brief = serde_json::json!({
        "bgnbd": report["bgnbd"],
        "gamma_gamma": report["gamma_gamma"],
        "bgnbd_fit_ms": bgnbd_ms,
        "gamma_gamma_fit_ms": gamma_gamma_ms,
        "p_alive_ms": p_alive_ms,
    });
    println!("{brief}");
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir).expect("output directory");
        let mut csv = String::from("frequency,recency,T,monetary\n");
        for s in &customers {
            // `{}` prints the shortest decimal that reads back as the same f64.
            writeln!(csv, "{},{},{},{}", s.frequency, s.recency, s.t, s.monetary)
                .expect("to a string");
        }
        fs::write(dir.join("summaries.csv"), csv).expect("write summaries");
        let p_alive: Vec<u8> = p_alive.iter().flat_map(|p| p.to_le_bytes()).collect();
        fs::write(dir.join("p_alive.f64"), p_alive).expect("write p_alive");
        fs::write(dir.join("scrm.json"), report.to_string()).expect("write report");
    }
}
