use proptest::prelude::*;

use super::*;
use crate::lifecycle::fixtures::CDNOW;
use crate::lifecycle::simulate::simulate;

fn summary(frequency: f64, recency: f64, t: f64) -> PurchaseSummary {
    PurchaseSummary {
        frequency,
        recency,
        t,
        monetary: 0.0,
    }
}

/// Customers whose values lifetimes 0.11.3 computed at [`CDNOW`].
fn known() -> Vec<PurchaseSummary> {
    vec![
        summary(0.0, 0.0, 38.86),
        summary(2.0, 30.43, 38.86),
        summary(1.0, 1.71, 20.0),
        summary(10.0, 35.0, 36.0),
        summary(5.0, 20.0, 39.0),
    ]
}

fn close(got: f64, want: f64, rel: f64) {
    let err = (got - want).abs() / want.abs();
    assert!(err <= rel, "got {got}, want {want}, relative error {err:e}");
}

#[test]
fn matches_lifetimes_at_known_parameters() {
    let ll = CDNOW.log_likelihood(&known()).unwrap();
    close(ll.total, -57.840_809_886_833_34, 1e-13);
    close(ll.mean, -57.840_809_886_833_34 / 5.0, 1e-13);
    let p_alive = [
        1.0,
        0.726_578_570_080_673,
        0.354_156_085_922_086_2,
        0.917_676_123_844_242_7,
        0.283_794_089_754_161_37,
    ];
    let in_a_year = [
        0.252_073_022_282_450_4,
        1.558_720_806_432_097_2,
        0.689_101_221_688_058_7,
        8.837_332_117_943_768,
        1.359_391_314_641_342_8,
    ];
    for (i, s) in known().iter().enumerate() {
        close(CDNOW.p_alive(s).unwrap(), p_alive[i], 1e-13);
        close(
            CDNOW.expected_purchases(s, 52.0).unwrap(),
            in_a_year[i],
            1e-12,
        );
    }
    for (t, want) in [
        (1.0, 0.053_267_891_171_656_27),
        (39.0, 1.196_723_193_320_798_5),
        (520.0, 4.974_617_861_849_564),
    ] {
        close(CDNOW.expected_purchases_new(t).unwrap(), want, 1e-12);
    }
}

#[test]
fn gradient_matches_central_differences() {
    for s in known() {
        let (_, gradient) = Terms::new(&CDNOW).customer(s.frequency, s.recency, s.t);
        for k in 0..4 {
            let h = 1e-6;
            let at = |delta: f64| {
                let mut theta = [CDNOW.r, CDNOW.alpha, CDNOW.a, CDNOW.b];
                theta[k] += delta;
                let [r, alpha, a, b] = theta;
                Terms::new(&BgNbd { r, alpha, a, b })
                    .customer(s.frequency, s.recency, s.t)
                    .0
            };
            let numeric = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (gradient[k] - numeric).abs() < 1e-6 * numeric.abs().max(1.0),
                "{s:?} {k}"
            );
        }
    }
}

#[test]
fn recovers_the_simulated_parameters() {
    let truth = BgNbd {
        r: 0.24,
        alpha: 4.41,
        a: 0.79,
        b: 2.43,
    };
    let customers = simulate(&truth, None, 20_000, 52.0, 5).unwrap();
    let fit = BgNbd::fit(&customers, &FitOptions::default()).unwrap();
    let BgNbd { r, alpha, a, b } = fit.model;
    // Standard errors at 20,000 customers: roughly 2% on r and alpha, 8% on a, 10% on b.
    assert!((r / truth.r - 1.0).abs() < 0.06, "{fit:?}");
    assert!((alpha / truth.alpha - 1.0).abs() < 0.08, "{fit:?}");
    assert!((a / truth.a - 1.0).abs() < 0.25, "{fit:?}");
    assert!((b / truth.b - 1.0).abs() < 0.3, "{fit:?}");
    assert_eq!(
        fit.log_likelihood,
        fit.model.log_likelihood(&customers).unwrap()
    );
    // The fit is a maximum: moving any parameter lowers the likelihood.
    for k in 0..4 {
        for factor in [0.99, 1.01] {
            let mut theta = [r, alpha, a, b];
            theta[k] *= factor;
            let [r, alpha, a, b] = theta;
            let moved = BgNbd { r, alpha, a, b }.log_likelihood(&customers).unwrap();
            assert!(moved.total < fit.log_likelihood.total, "{k} {factor}");
        }
    }
}

#[test]
fn penalizer_shrinks_the_parameters() {
    let customers = simulate(&CDNOW, None, 2_000, 39.0, 9).unwrap();
    let plain = BgNbd::fit(&customers, &FitOptions::default()).unwrap();
    let options = FitOptions {
        penalizer: 0.1,
        ..FitOptions::default()
    };
    let penalized = BgNbd::fit(&customers, &options).unwrap();
    assert!(penalized.log_likelihood.total < plain.log_likelihood.total);
    let size = |m: &BgNbd| m.a * m.a + m.b * m.b;
    assert!(
        size(&penalized.model) < size(&plain.model),
        "{penalized:?} {plain:?}"
    );
}

#[test]
fn expectations_are_continuous_at_a_equal_one() {
    let s = summary(3.0, 20.0, 30.0);
    let at = |a| BgNbd { a, ..CDNOW }.expected_purchases(&s, 26.0).unwrap();
    let near = at(1.0 + 2.0 * A_NEAR_ONE);
    for a in [1.0 - A_NEAR_ONE / 2.0, 1.0, 1.0 + A_NEAR_ONE / 2.0] {
        close(at(a), near, 1e-3);
    }
    close(at(1.0), (at(1.0 - 0.01) + at(1.0 + 0.01)) / 2.0, 1e-4);
}

#[test]
fn rejects_bad_input() {
    let field = |e: crate::Error| e.field().map(String::from);
    let options = FitOptions::default();
    assert_eq!(
        field(BgNbd::fit(&[], &options).unwrap_err()).as_deref(),
        Some("summaries")
    );
    let mut bad = known();
    bad[3].recency = 40.0;
    assert_eq!(
        field(BgNbd::fit(&bad, &options).unwrap_err()).as_deref(),
        Some("summaries[3].recency")
    );
    bad[3].recency = 1.0;
    bad[1].frequency = 0.5;
    assert_eq!(
        field(CDNOW.log_likelihood(&bad).unwrap_err()).as_deref(),
        Some("summaries[1].frequency")
    );
    let s = summary(1.0, 1.0, 2.0);
    assert_eq!(
        field(CDNOW.expected_purchases(&s, -1.0).unwrap_err()).as_deref(),
        Some("t")
    );
    assert_eq!(
        field(CDNOW.expected_purchases_new(f64::NAN).unwrap_err()).as_deref(),
        Some("t")
    );
    let no_alpha = BgNbd {
        alpha: 0.0,
        ..CDNOW
    };
    assert_eq!(
        field(no_alpha.p_alive(&s).unwrap_err()).as_deref(),
        Some("alpha")
    );
    assert_eq!(
        field(CDNOW.p_alive(&summary(1.0, 3.0, 2.0)).unwrap_err()).as_deref(),
        Some("summary.recency")
    );
    let one = FitOptions {
        max_iterations: 1,
        ..options
    };
    let err = BgNbd::fit(&known(), &one).unwrap_err();
    assert_eq!(field(err).as_deref(), Some("summaries"));
}

/// A valid summary with times up to `horizon`.
fn summaries(horizon: f64) -> impl Strategy<Value = PurchaseSummary> {
    (0u32..30, 0.0..1.0f64, 0.0..horizon).prop_map(|(x, share, t)| PurchaseSummary {
        frequency: f64::from(x),
        recency: if x == 0 { 0.0 } else { share * t },
        t,
        monetary: 0.0,
    })
}

fn models() -> impl Strategy<Value = BgNbd> {
    (0.01..10.0f64, 0.01..100.0f64, 0.01..10.0f64, 0.01..10.0f64)
        .prop_map(|(r, alpha, a, b)| BgNbd { r, alpha, a, b })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn predictions_are_probabilities_and_grow_with_time(
        model in models(),
        s in summaries(200.0),
        t in 0.0..200.0f64,
        more in 0.0..200.0f64,
    ) {
        let p = model.p_alive(&s).unwrap();
        prop_assert!((0.0..=1.0).contains(&p), "{p}");
        let sooner = model.expected_purchases(&s, t).unwrap();
        let later = model.expected_purchases(&s, t + more).unwrap();
        prop_assert!(sooner >= 0.0 && sooner.is_finite(), "{sooner}");
        prop_assert!(later >= sooner * (1.0 - 1e-9) - 1e-12, "{sooner} then {later}");
        let new = model.expected_purchases_new(t).unwrap();
        prop_assert!(new >= 0.0 && new.is_finite(), "{new}");
        let ll = model.log_likelihood(std::slice::from_ref(&s)).unwrap();
        prop_assert!(ll.total.is_finite(), "{ll:?}");
    }

    #[test]
    fn fit_never_panics(customers in prop::collection::vec(summaries(50.0), 1..12)) {
        let options = FitOptions { max_iterations: 100, ..FitOptions::default() };
        if let Ok(fit) = BgNbd::fit(&customers, &options) {
            prop_assert!(fit.log_likelihood.total.is_finite());
            fit.model.check().unwrap();
        }
    }
}
