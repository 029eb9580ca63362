//! Risk, as design.md's page pattern lays it out: the settings in one line (Edit opens them),
//! coverage first, then summary cards (scores, volatility, drawdown, Sharpe, VaR, beta), then
//! the rest in tabs: charts, every metric, tail risk, correlation, contributions, stress,
//! attribution. The report is computed in a Web Worker. With no daily history at all (a fresh
//! profile) the page shows the coverage card and how to bring history in, not an error.

mod coverage;
mod sections;
mod settings;
mod summary;

use leptos::prelude::*;

use crate::browser::now;
use crate::domain::jobs::risk::RiskJob;
use crate::domain::risk::report::{report_csv, RiskError, RiskSettings};
use crate::ui::components::export_bar::{Export, ExportBar};
use crate::ui::error::AppError;
use crate::ui::routes::Page;
use crate::ui::state::AppState;
use crate::ui::use_cases::{compute_risk_case, load_history_case};
use coverage::{Coverage, Covers};
use sections::Sections;
use settings::SettingsLine;
use summary::Summary;

/// The risk page.
#[component]
pub fn RiskPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let valued = state.valued;
    let settings = RwSignal::new(RiskSettings::default());
    let compute_risk = compute_risk_case();
    let result = compute_risk.value();
    // Each computation reports progress on a signal of its own: only the latest one's is
    // shown (the action keeps only the latest result).
    let progress = RwSignal::new(RwSignal::new(None::<f64>));
    let compute = move || {
        let history = state.history.get_untracked();
        let job = valued.with_untracked(|v| {
            state
                .snapshots
                .with_untracked(|s| RiskJob::assemble(v, history, s, settings.get_untracked()))
        });
        let run = RwSignal::new(None);
        progress.set(run);
        compute_risk.dispatch_local((job, run));
    };
    // Computed now, again on every change of the settings, and once history loaded from the
    // coverage card is stored.
    Effect::watch(move || settings.track(), move |_, _, _| compute(), true);
    let load_history = load_history_case();
    Effect::watch(
        move || load_history.version().get(),
        move |_, _, _| compute(),
        false,
    );
    let tab = RwSignal::new(0);
    let report = move || match result.get_untracked() {
        Some(Ok(r)) => Some(r),
        _ => None,
    };
    let exports = vec![
        Export {
            label: "Export risk report (JSON)",
            id: "export-risk-json",
            file_name: "risk-report.json".into(),
            mime: "application/json",
            content: Callback::new(move |()| {
                report().map(|r| {
                    let doc = serde_json::json!({ "generated": now().minute_label(), "base_currency": state.settings.with_untracked(|s| s.base_currency), "report": r });
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                })
            }),
        },
        Export {
            label: "CSV",
            id: "export-risk-csv",
            file_name: "risk-report.csv".into(),
            mime: "text/csv;charset=utf-8",
            content: Callback::new(move |()| {
                report().map(|r| format!("\u{feff}{}", report_csv(&r)))
            }),
        },
    ];
    view! {
        <section aria-labelledby="risk-title">
            <h1 id="risk-title">"Risk"</h1>
            <p class="muted">"From the daily closes stored for your holdings, with today's weights or — from your snapshots — the weights held at the time. Cash is left out; every figure says its method and window."</p>
            <SettingsLine settings=settings/>
            {move || progress.get().get().map(|p| view! {
                <p role="status" id="risk-busy">"Computing in a background worker… "<progress id="risk-progress" max="1" value=p.to_string()></progress></p>
            })}
            {move || match result.get() {
                None => view! { <p class="muted">"Computing…"</p> }.into_any(),
                Some(Err(AppError::Risk(RiskError::NoHistory { missing, missing_coins }))) => view! {
                    <Coverage coverage=0.0 missing=missing missing_coins=missing_coins
                        min_coverage=settings.with_untracked(|s| s.min_coverage) covers=Covers::Nothing load_history=load_history/>
                }.into_any(),
                Some(Err(AppError::Risk(RiskError::NoAssets))) => view! {
                    <div class="notice" id="risk-empty" role="status">
                        <p>"There is nothing to analyse yet: no holding other than cash has a value. "
                            <a href=Page::Import.path()>"Import a file"</a>" or "<a href=Page::Sources.path()>"add holdings by hand"</a>", and the report appears here."</p>
                    </div>
                }.into_any(),
                Some(Err(e)) => view! { <p id="risk-error" class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(r)) => {
                    let covers = if r.partial() { Covers::Partial } else { Covers::Whole };
                    view! {
                        <Coverage coverage=r.coverage missing=r.missing.clone() missing_coins=r.missing_coins.clone()
                            min_coverage=r.settings.min_coverage covers=covers load_history=load_history/>
                        <Summary report=r.clone()/>
                        <Sections report=r tab=tab base=state.settings.with_untracked(|s| s.base_currency)/>
                    }.into_any()
                }
            }}
            <ExportBar exports=exports/>
        </section>
    }
}
