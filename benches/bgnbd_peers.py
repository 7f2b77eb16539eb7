"""Fits lifetimes' BetaGeoFitter and GammaGammaFitter on the customers that `bgnbd_race`
simulated, checks scrm's results against them, and prints each side's median times and
scrm's ratio to lifetimes.

What is compared, and how closely (the script exits non-zero if any check fails):
- the fitted parameters of both models, each within 0.5% of lifetimes';
- the log-likelihood at the optimum, within 1e-6 relative: the mean log-likelihood of scrm's
  fit at scrm's parameters against lifetimes' own objective (`_negative_log_likelihood`,
  penalizer 0) at lifetimes' parameters, both on the summaries' time unit (weeks). lifetimes'
  `_negative_log_likelihood_` attribute is not used: BetaGeoFitter fits on times divided by
  the largest T, which shifts the log-likelihood by `mean(x) * ln(max T)`. If lifetimes'
  optimiser stopped short of the optimum, this difference shows it; the formula itself is
  checked apart, next;
- the formulas, at the same parameters (scrm's): lifetimes' log-likelihoods, P(alive) of
  every customer, expected purchases in the next 52 weeks and lifetime values (lifetimes'
  `customer_lifetime_value` with `freq="M"`, whose steps are one model period, as scrm's)
  of a sample, within 1e-9 (relative, P(alive) absolute);
- P(alive) of every customer under each side's own fit, within 1e-3 (absolute).

Called by benches/bgnbd_peers.sh; usage: bgnbd_peers.py DIR
"""

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

from peers import median_ms

PARAMS_REL = 5e-3
LL_REL = 1e-6
SAME_PARAMS = 1e-9
P_ALIVE_OWN_FITS = 1e-3
BGNBD = ["r", "alpha", "a", "b"]
GAMMA_GAMMA = ["p", "q", "v"]


def rel(ours: float, theirs: float) -> float:
    return abs(ours - theirs) / abs(theirs)


def ratio(scrm_ms: float, peer_ms: float) -> str:
    if scrm_ms <= peer_ms:
        return f"{peer_ms / scrm_ms:.1f}x faster"
    return f"{scrm_ms / peer_ms:.1f}x slower"


def fitted(cls, params: dict, names: list):
    """A lifetimes fitter holding `params` without fitting."""
    model = cls(penalizer_coef=0.0)
    model.params_ = pd.Series([params[k] for k in names], index=names)
    return model


class Checks:
    def __init__(self):
        self.rows, self.failed = [], False

    def add(self, what: str, value: float, limit: float) -> None:
        ok = value <= limit
        self.failed |= not ok
        self.rows.append((what, value, limit, "ok" if ok else "FAIL"))

    def print(self) -> None:
        print("| check | difference | limit | |")
        print("| --- | --- | --- | --- |")
        for what, value, limit, verdict in self.rows:
            print(f"| {what} | {value:.2e} | {limit:.0e} | {verdict} |")


def main() -> None:
    directory = Path(sys.argv[1])
    scrm = json.loads((directory / "scrm.json").read_text())
    runs = scrm["runs"]
    f, rec, T, m = np.loadtxt(directory / "summaries.csv", delimiter=",", skiprows=1).T
    ones = np.ones_like(f)
    repeat = f > 0
    ours_p_alive = np.fromfile(directory / "p_alive.f64", dtype="<f8")
    ours_bg, ours_gg = scrm["bgnbd"]["model"], scrm["gamma_gamma"]["model"]

    bg_ms, bgf = median_ms(runs, lambda: BetaGeoFitter(penalizer_coef=0.0).fit(f, rec, T))
    gg_ms, ggf = median_ms(
        runs, lambda: GammaGammaFitter(penalizer_coef=0.0).fit(f[repeat], m[repeat]))
    alive_ms, p_alive = median_ms(runs, lambda: bgf.conditional_probability_alive(f, rec, T))
    horizon = scrm["horizon"]
    expected_ms, _ = median_ms(
        runs, lambda: bgf.conditional_expected_number_of_purchases_up_to_time(horizon, f, rec, T))

    def bg_ll(params: dict) -> float:
        log = np.log([params[k] for k in BGNBD])
        return -BetaGeoFitter._negative_log_likelihood(log, f, rec, T, ones, 0.0)

    def gg_ll(params: dict) -> float:
        log = np.log([params[k] for k in GAMMA_GAMMA])
        return -GammaGammaFitter._negative_log_likelihood(log, f[repeat], m[repeat], ones[repeat], 0.0)

    theirs_bg, theirs_gg = dict(bgf.params_), dict(ggf.params_)
    checks = Checks()
    for k in BGNBD:
        checks.add(f"BG/NBD {k} vs lifetimes' fit", rel(ours_bg[k], theirs_bg[k]), PARAMS_REL)
    for k in GAMMA_GAMMA:
        checks.add(f"Gamma-Gamma {k} vs lifetimes' fit", rel(ours_gg[k], theirs_gg[k]), PARAMS_REL)
    bg_mean, gg_mean = scrm["bgnbd"]["log_likelihood"]["mean"], scrm["gamma_gamma"]["log_likelihood"]["mean"]
    checks.add("BG/NBD mean log-likelihood, each at its own fit", rel(bg_mean, bg_ll(theirs_bg)), LL_REL)
    checks.add("Gamma-Gamma mean log-likelihood, each at its own fit", rel(gg_mean, gg_ll(theirs_gg)), LL_REL)
    checks.add("BG/NBD log-likelihood at scrm's parameters", rel(bg_mean, bg_ll(ours_bg)), SAME_PARAMS)
    checks.add("Gamma-Gamma log-likelihood at scrm's parameters", rel(gg_mean, gg_ll(ours_gg)), SAME_PARAMS)

    same_bg = fitted(BetaGeoFitter, ours_bg, BGNBD)
    same_bg.predict = same_bg.conditional_expected_number_of_purchases_up_to_time
    same_gg = fitted(GammaGammaFitter, ours_gg, GAMMA_GAMMA)
    same_p_alive = same_bg.conditional_probability_alive(f, rec, T)
    checks.add("P(alive) at scrm's parameters, max abs", np.max(np.abs(ours_p_alive - same_p_alive)), SAME_PARAMS)
    checks.add("P(alive), each at its own fit, max abs", np.max(np.abs(ours_p_alive - p_alive)), P_ALIVE_OWN_FITS)
    n = len(scrm["sample_expected_purchases"])
    series = [pd.Series(column[:n]) for column in (f, rec, T, m)]
    expected = same_bg.conditional_expected_number_of_purchases_up_to_time(horizon, *series[:3])
    checks.add("expected purchases at scrm's parameters, max rel",
               np.max(np.abs(scrm["sample_expected_purchases"] / expected - 1)), SAME_PARAMS)
    clv = same_gg.customer_lifetime_value(same_bg, *series, time=scrm["clv_periods"],
                                          discount_rate=scrm["discount_rate"], freq="M")
    checks.add("lifetime value at scrm's parameters, max rel",
               np.max(np.abs(scrm["sample_clv"] / clv.to_numpy() - 1)), SAME_PARAMS)

    print(f"\n{scrm['customers']:,} simulated customers ({scrm['repeat_customers']:,} with repeat "
          f"purchases), seed {scrm['seed']}, median of {runs} runs, milliseconds\n")
    print("| step | scrm | lifetimes | scrm vs lifetimes |")
    print("| --- | --- | --- | --- |")
    for step, ours, theirs in [
        ("BG/NBD fit", scrm["bgnbd_fit_ms"], bg_ms),
        ("Gamma-Gamma fit", scrm["gamma_gamma_fit_ms"], gg_ms),
        ("P(alive), every customer", scrm["p_alive_ms"], alive_ms),
        (f"expected purchases in {horizon:g} weeks, every customer", scrm["expected_purchases_ms"], expected_ms),
    ]:
        print(f"| {step} | {ours:.1f} | {theirs:.1f} | {ratio(ours, theirs)} |")
    print("\n| parameter | truth | scrm | lifetimes |")
    print("| --- | --- | --- | --- |")
    truth = {**scrm["truth"]["bgnbd"], **scrm["truth"]["gamma_gamma"]}
    for k, ours, theirs in [(k, ours_bg[k], theirs_bg[k]) for k in BGNBD] + [
            (k, ours_gg[k], theirs_gg[k]) for k in GAMMA_GAMMA]:
        print(f"| {k} | {truth[k]} | {ours:.6f} | {theirs:.6f} |")
    print(f"| BG/NBD mean log-likelihood | | {bg_mean:.10f} | {bg_ll(theirs_bg):.10f} |")
    print(f"| Gamma-Gamma mean log-likelihood | | {gg_mean:.10f} | {gg_ll(theirs_gg):.10f} |\n")
    checks.print()
    if checks.failed:
        sys.exit("scrm disagrees with lifetimes")


if __name__ == "__main__":
    main()
