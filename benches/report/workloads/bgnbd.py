"""BG/NBD and Gamma-Gamma (issue 5) against Python's `lifetimes`, on simulated customers.

What is compared, and how closely (a failed check fails the run):
- the fitted parameters of both models, each within 0.5% of lifetimes';
- the log-likelihood at the optimum, within 1e-6 relative: the mean log-likelihood of scrm's
  fit at scrm's parameters against lifetimes' own objective (`_negative_log_likelihood`,
  penalizer 0) at lifetimes' parameters, both on the summaries' time unit (weeks). lifetimes'
  `_negative_log_likelihood_` attribute is not used: BetaGeoFitter fits on times divided by
  the largest T, which shifts the log-likelihood by `mean(x) * ln(max T)`;
- the formulas, at the same parameters (scrm's): lifetimes' log-likelihoods, P(alive) of
  every customer, expected purchases in the next 52 weeks and lifetime values (lifetimes'
  `customer_lifetime_value` with `freq="M"`, whose steps are one model period, as scrm's)
  of a sample, within 1e-9 (relative, P(alive) absolute);
- P(alive) of every customer under each side's own fit, within 1e-3 (absolute).
"""

from pathlib import Path

import numpy as np

from report.measure import each
from report.workload import Check, Peer, Size

TITLE = "BG/NBD and Gamma-Gamma: fit, P(alive), expected purchases"
BENCH = "bgnbd_race"
PARAMS_REL = 5e-3
LL_REL = 1e-6
SAME_PARAMS = 1e-9
P_ALIVE_OWN_FITS = 1e-3
BGNBD = ["r", "alpha", "a", "b"]
GAMMA_GAMMA = ["p", "q", "v"]
ABOUT = """Customers simulated from known BG/NBD and Gamma-Gamma parameters (seeded), as
(frequency, recency, T, monetary) summaries. scrm fits both models by maximum likelihood
(BFGS on log parameters) and scores every customer; `lifetimes` fits the same summaries with
its `BetaGeoFitter` and `GammaGammaFitter` (penalizer 0) and scores them with its vectorised
formulas. Parameters must agree within 0.5%, log-likelihoods within 1e-6 relative, and
the formulas at the same parameters within 1e-9 (see `benches/report/workloads/bgnbd.py`)."""
STEPS = {
    "bgnbd_fit": "BG/NBD fit",
    "gamma_gamma_fit": "Gamma-Gamma fit",
    "p_alive": "P(alive) of every customer",
    "expected_purchases": "expected purchases in 52 weeks, every customer",
}


def sizes(quick: bool) -> list:
    if quick:
        return [Size("2k", "2,000 customers", ["--customers", "2000"], 1)]
    return [
        Size("2357", "2,357 customers (the CDNOW sample's size)", ["--customers", "2357"], 7),
        Size("100k", "100,000 customers", ["--customers", "100000"], 3),
        Size("10M", "10,000,000 customers scored, fitted on the first 100,000 (scrm only)",
             ["--customers", "10000000", "--fit-customers", "100000"], 3, peers=False),
    ]


def scrm_times(scrm: dict) -> dict:
    return {step: scrm[f"{step}_ms"] for step in STEPS}


def rel(ours: float, theirs: float) -> float:
    return abs(ours - theirs) / abs(theirs)


def run_lifetimes(directory: Path, scrm: dict, runs: int) -> dict:
    import warnings

    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    warnings.simplefilter("ignore")

    def fitted(cls, params: dict, names: list):
        """A lifetimes fitter holding `params` without fitting."""
        model = cls(penalizer_coef=0.0)
        model.params_ = pd.Series([params[k] for k in names], index=names)
        return model

    f, rec, T, m = np.loadtxt(directory / "summaries.csv", delimiter=",", skiprows=1).T
    ones, repeat = np.ones_like(f), f > 0
    horizon = scrm["horizon"]
    times, fits = each(runs, {  # fit() returns the fitter
        "bgnbd_fit": lambda: BetaGeoFitter(penalizer_coef=0.0).fit(f, rec, T),
        "gamma_gamma_fit": lambda: GammaGammaFitter(penalizer_coef=0.0).fit(f[repeat], m[repeat]),
    })
    bgf, ggf = fits["bgnbd_fit"], fits["gamma_gamma_fit"]
    more, answers = each(runs, {
        "p_alive": lambda: bgf.conditional_probability_alive(f, rec, T),
        "expected_purchases": lambda: bgf.conditional_expected_number_of_purchases_up_to_time(horizon, f, rec, T),
    })

    def bg_ll(params: dict) -> float:
        log = np.log([params[k] for k in BGNBD])
        return -BetaGeoFitter._negative_log_likelihood(log, f, rec, T, ones, 0.0)

    def gg_ll(params: dict) -> float:
        log = np.log([params[k] for k in GAMMA_GAMMA])
        return -GammaGammaFitter._negative_log_likelihood(log, f[repeat], m[repeat], ones[repeat], 0.0)

    ours_bg, ours_gg = scrm["bgnbd"]["model"], scrm["gamma_gamma"]["model"]
    theirs_bg, theirs_gg = dict(bgf.params_), dict(ggf.params_)
    checks = [(f"BG/NBD {k} vs lifetimes' fit", rel(ours_bg[k], theirs_bg[k]), PARAMS_REL) for k in BGNBD]
    checks += [(f"Gamma-Gamma {k} vs lifetimes' fit", rel(ours_gg[k], theirs_gg[k]), PARAMS_REL)
               for k in GAMMA_GAMMA]
    bg_mean = scrm["bgnbd"]["log_likelihood"]["mean"]
    gg_mean = scrm["gamma_gamma"]["log_likelihood"]["mean"]
    checks += [
        ("BG/NBD mean log-likelihood, each at its own fit", rel(bg_mean, bg_ll(theirs_bg)), LL_REL),
        ("Gamma-Gamma mean log-likelihood, each at its own fit", rel(gg_mean, gg_ll(theirs_gg)), LL_REL),
        ("BG/NBD log-likelihood at scrm's parameters", rel(bg_mean, bg_ll(ours_bg)), SAME_PARAMS),
        ("Gamma-Gamma log-likelihood at scrm's parameters", rel(gg_mean, gg_ll(ours_gg)), SAME_PARAMS),
    ]
    same_bg = fitted(BetaGeoFitter, ours_bg, BGNBD)
    same_bg.predict = same_bg.conditional_expected_number_of_purchases_up_to_time
    same_gg = fitted(GammaGammaFitter, ours_gg, GAMMA_GAMMA)
    ours_p_alive = np.fromfile(directory / "p_alive.f64", dtype="<f8")
    checks += [
        ("P(alive) at scrm's parameters, max abs",
         float(np.max(np.abs(ours_p_alive - same_bg.conditional_probability_alive(f, rec, T)))), SAME_PARAMS),
        ("P(alive), each at its own fit, max abs",
         float(np.max(np.abs(ours_p_alive - answers["p_alive"]))), P_ALIVE_OWN_FITS),
    ]
    n = len(scrm["sample_expected_purchases"])
    series = [pd.Series(column[:n]) for column in (f, rec, T, m)]
    expected = same_bg.conditional_expected_number_of_purchases_up_to_time(horizon, *series[:3])
    clv = same_gg.customer_lifetime_value(same_bg, *series, time=scrm["clv_periods"],
                                          discount_rate=scrm["discount_rate"], freq="M")
    checks += [
        ("expected purchases at scrm's parameters, max rel",
         float(np.max(np.abs(scrm["sample_expected_purchases"] / expected - 1))), SAME_PARAMS),
        ("lifetime value at scrm's parameters, max rel",
         float(np.max(np.abs(scrm["sample_clv"] / clv.to_numpy() - 1))), SAME_PARAMS),
    ]
    summary = ", ".join(f"{k} {theirs_bg[k]:.4f}" for k in BGNBD)
    return {"times_ms": {**times, **more}, "checks": checks, "summary": summary}


PEERS = {"lifetimes": Peer("lifetimes", run_lifetimes)}


def check(scrm: dict, peers: dict) -> list:
    return [Check(what, value <= limit, f"{value:.1e} (limit {limit:g})")
            for got in peers.values() for what, value, limit in got["checks"]]


def notes(scrm: dict) -> list:
    model = scrm["bgnbd"]["model"]
    truth = scrm["truth"]["bgnbd"]
    fitted = ", ".join(f"{k} {model[k]:.4f} (truth {truth[k]})" for k in BGNBD)
    return [f"scrm's BG/NBD fit: {fitted}; {scrm['repeat_customers']:,} repeat customers."]
