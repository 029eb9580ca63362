//! Properties of the risk metrics on random return series.
#![cfg(not(target_arch = "wasm32"))]

use folio::domain::risk::metrics::*;
use proptest::prelude::*;

fn returns() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-0.5f64..0.5, 30..400)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Historical VaR and CVaR are returns (negative for a loss): the 99 % loss is at least
    /// the 95 % loss, and the expected shortfall at least the VaR.
    #[test]
    fn deeper_tails_lose_more(r in returns()) {
        let (v95, v99) = (value_at_risk(&r, 0.05), value_at_risk(&r, 0.01));
        prop_assert!(v99 <= v95);
        prop_assert!(conditional_value_at_risk(&r, 0.05) <= v95 + 1e-12);
        prop_assert!(conditional_value_at_risk(&r, 0.01) <= conditional_value_at_risk(&r, 0.05) + 1e-12);
        prop_assert!((-1.0..=0.0).contains(&max_drawdown(&r)));
    }

    #[test]
    fn volatility_scales_with_the_returns(r in returns(), k in -3.0f64..3.0) {
        let scaled: Vec<f64> = r.iter().map(|x| x * k).collect();
        let (a, b) = (annual_volatility(&r, TRADING_DAYS), annual_volatility(&scaled, TRADING_DAYS));
        prop_assert!((b - k.abs() * a).abs() <= 1e-9 * a.max(1e-12), "{a} {b} {k}");
    }

    #[test]
    fn a_constant_series_has_no_volatility_and_no_finite_sharpe(c in -0.01f64..0.01, n in 30usize..300) {
        let r = vec![c; n];
        prop_assert!(annual_volatility(&r, CALENDAR_DAYS).abs() < 1e-12);
        prop_assert!(!sharpe_ratio(&r, &Rate::Constant(0.0), CALENDAR_DAYS).is_finite());
    }
}
