//! Risk: every metric of the report with its method and window, VaR by four methods, scores
//! with their reasons, stress tests and attribution; charts of drawdown, rolling volatility,
//! the simulated distribution and correlations. The report is computed in a Web Worker.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::browser::now;
use crate::domain::calendar::Timestamp;
use crate::domain::format;
use crate::domain::jobs::risk::RiskJob;
use crate::domain::portfolio::format_amount;
use crate::domain::price_key::PriceKey;
use crate::domain::risk::report::{
    benchmark_choices, report_csv, RiskReport, RiskSettings, VarModel, Weighting,
};
use crate::domain::risk::returns::ReturnKind;
use crate::domain::risk::stress::{apply, Scenario};
use crate::ui::charts::distribution::Distribution;
use crate::ui::charts::heatmap::Heatmap;
use crate::ui::charts::value_over_time::{Series, TimeChart};
use crate::ui::components::export_bar::{Export, ExportBar};
use crate::ui::components::number_input::number_or_none as parse;
use crate::ui::components::price_status::history_sentence;
use crate::ui::components::slug;
use crate::ui::state::AppState;
use crate::ui::use_cases::{compute_risk_case, load_history_case, HistoryOutcome, Outcome};

fn pct(v: f64) -> String {
    format!("{:.2} %", v * 100.0)
}

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
    compute();
    // History loaded from the coverage card: the report is computed again with it.
    let load_history = load_history_case();
    Effect::watch(
        move || load_history.version().get(),
        move |_, _, _| compute(),
        false,
    );
    let set = move |f: Box<dyn FnOnce(&mut RiskSettings)>| {
        settings.update(|s| f(s));
        compute();
    };
    let bench_options =
        move || settings.with(|s| state.history.with(|h| benchmark_choices(h, &s.benchmark)));
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
            <p class="muted">"From the daily closes stored for your holdings (load them on the Dashboard), with today's weights or — from your snapshots — the weights held at the time. Cash is left out; every figure says its method and window."</p>
            <div class="options-grid">
                <label for="risk-window">"Window (days)"</label>
                <input type="number" id="risk-window" min="30" step="1" prop:value=move || settings.with(|s| s.window_days.to_string())
                    on:change=move |ev| if let Some(v) = parse(&event_target_value(&ev)) { set(Box::new(move |s| s.window_days = v.max(1.0) as u32)) }/>
                <label for="risk-horizon">"Horizon (days)"</label>
                <input type="number" id="risk-horizon" min="1" step="1" prop:value=move || settings.with(|s| s.horizon.to_string())
                    on:change=move |ev| if let Some(v) = parse(&event_target_value(&ev)) { set(Box::new(move |s| s.horizon = v.max(1.0) as u32)) }/>
                <label for="risk-benchmark">"Benchmark"</label>
                <select id="risk-benchmark" on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<PriceKey>() { set(Box::new(move |s| s.benchmark = v)) } }>
                    {move || bench_options().into_iter().map(|c| {
                        let k2 = c.key.clone();
                        view! { <option value=c.key.to_string() selected=move || settings.with(|s| s.benchmark == k2)>{c.label}</option> }
                    }).collect_view()}
                </select>
                <label for="risk-ann">"Annualisation"</label>
                <select id="risk-ann" on:change=move |ev| { let v = parse(&event_target_value(&ev)); set(Box::new(move |s| s.annualisation = v)) }>
                    <option value="auto">"By asset mix (365 crypto only, else 252)"</option>
                    <option value="365">"365 (calendar days)"</option>
                    <option value="252">"252 (trading days)"</option>
                </select>
                <label for="risk-rf">"Risk-free rate (% a year)"</label>
                <input type="number" id="risk-rf" step="any" prop:value=move || settings.with(|s| (s.risk_free * 100.0).to_string())
                    on:change=move |ev| if let Some(v) = parse(&event_target_value(&ev)) { set(Box::new(move |s| s.risk_free = v / 100.0)) }/>
                <label for="risk-confidence">"Confidence marked"</label>
                <select id="risk-confidence" on:change=move |ev| { let v = parse(&event_target_value(&ev)).unwrap_or(0.95); set(Box::new(move |s| s.confidence = v)) }>
                    <option value="0.95">"95 %"</option>
                    <option value="0.99">"99 %"</option>
                </select>
                <label for="risk-returns">"Returns"</label>
                <select id="risk-returns" on:change=move |ev| { let log = event_target_value(&ev) == "log"; set(Box::new(move |s| s.returns = if log { ReturnKind::Log } else { ReturnKind::Simple })) }>
                    <option value="simple">"Simple (p₁ / p₀ − 1)"</option>
                    <option value="log">"Log (ln p₁ / p₀)"</option>
                </select>
                <label for="risk-weighting">"Weights"</label>
                <select id="risk-weighting" on:change=move |ev| { let past = event_target_value(&ev) == "historical"; set(Box::new(move |s| s.weighting = if past { Weighting::Historical } else { Weighting::Static })) }>
                    <option value="static">"Today's, on every day (static)"</option>
                    <option value="historical">{move || format!("Held at the time (from {} snapshot(s))", state.snapshots.with(Vec::len))}</option>
                </select>
                <label for="risk-min-coverage">"Coverage for a whole-portfolio report (%)"</label>
                <input type="number" id="risk-min-coverage" min="0" max="100" step="any" prop:value=move || settings.with(|s| (s.min_coverage * 100.0).to_string())
                    on:change=move |ev| if let Some(v) = parse(&event_target_value(&ev)) { set(Box::new(move |s| s.min_coverage = (v / 100.0).clamp(0.0, 1.0))) }/>
                <label for="risk-paths">"Monte Carlo paths"</label>
                <select id="risk-paths" on:change=move |ev| { let v = parse(&event_target_value(&ev)).unwrap_or(10_000.0) as usize; set(Box::new(move |s| s.mc_paths = v)) }>
                    <option value="10000">"10,000"</option>
                    <option value="50000">"50,000"</option>
                    <option value="100000">"100,000"</option>
                </select>
            </div>
            {move || progress.get().get().map(|p| view! {
                <p role="status" id="risk-busy">"Computing in a background worker… "<progress id="risk-progress" max="1" value=p.to_string()></progress></p>
            })}
            {move || match result.get() {
                None => view! { <p class="muted">"Computing…"</p> }.into_any(),
                Some(Err(e)) => view! { <p id="risk-error" class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(r)) => view! {
                    <Coverage coverage=r.coverage missing=r.missing.clone() min_coverage=r.settings.min_coverage partial=r.partial() load_history=load_history/>
                    <Report report=r/>
                }.into_any(),
            }}
            <ExportBar exports=exports/>
        </section>
    }
}

/// What share of the portfolio the report covers, first: what is left out and how to bring
/// it in; below the user's threshold, the report says it is partial.
#[component]
fn Coverage(
    /// Share of the portfolio's value the report covers (fraction).
    coverage: f64,
    /// Assets left out for lack of history.
    missing: Vec<String>,
    /// The coverage the user asked for (fraction).
    min_coverage: f64,
    /// Whether the report is partial ([`RiskReport::partial`]).
    partial: bool,
    load_history: Action<(), Outcome<HistoryOutcome>>,
) -> impl IntoView {
    let asked = min_coverage * 100.0;
    let threshold = format::percent(asked, if asked.fract() == 0.0 { 0 } else { 2 });
    view! {
        <div class="card coverage" id="risk-coverage" class:partial=partial>
            <h2>"Coverage"</h2>
            <p class="summary">
                <strong id="risk-coverage-value">{pct(coverage)}</strong>
                " of the portfolio's value (without cash) has daily history and is in this report."
            </p>
            {partial.then(|| view! {
                <p id="risk-partial" class="badge-line"><span class="badge warn">"Partial"</span>
                    {format!(" Below the {threshold} you asked for: every score and figure below describes only the covered part, not the whole portfolio.")}
                </p>
            })}
            {(!missing.is_empty()).then(|| view! {
                <p id="risk-missing">{format!("Left out, without daily history: {}.", missing.join(", "))}</p>
                <p class="muted">"To bring them in: load a year of daily prices (coins), give stocks and ETFs a Twelve Data key in Settings, or import a price CSV for any asset on the Dashboard."</p>
                <button type="button" id="risk-load-history" on:click=move |_| { load_history.dispatch_local(()); } disabled=move || load_history.pending().get()>
                    {move || if load_history.pending().get() { "Loading daily prices…" } else { "Load a year of daily prices" }}
                </button>
                {move || load_history.value().get().map(|r| match r {
                    Ok(o) => view! { <p class="muted" role="status" id="risk-history-status">{history_sentence(&o, "on the Dashboard")}</p> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            })}
        </div>
    }
}

#[component]
fn Report(report: RiskReport) -> impl IntoView {
    let r = report;
    let window = format!(
        "{} daily returns from {} to {} (window {} days), annualised with {}, covering {} of the portfolio's value{}.",
        r.points,
        r.from,
        r.to,
        r.settings.window_days,
        r.annualisation,
        pct(r.coverage),
        if r.missing.is_empty() { String::new() } else { format!("; no history for {}", r.missing.join(", ")) }
    );
    let score = r.risk_score.clone();
    let structural = r.structural.clone();
    let partial = r.partial();
    let kind = r.settings.returns.label();
    let paths = if r.settings.returns == ReturnKind::Log {
        "; wealth-path figures compound simple returns"
    } else {
        ""
    };
    view! {
        <p id="risk-window-line" class="summary">{window}</p>
        <p id="risk-weighting-line" class="muted">{format!("{}. Distribution figures use {kind}{paths}.", r.weighting)}</p>
        {(!r.notices.is_empty()).then(|| view! { <ul id="risk-notices" class="unknown-panel" role="status">{r.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> })}
        <div class="charts">
            <div class="card" id="risk-score">
                <h2>"Risk score (SmartFolio)"{partial.then_some(" — partial")}</h2>
                {score.map(|s| view! {
                    <p class="summary"><strong id="risk-score-value">{format!("{:.1}", s.value)}</strong>" / 100 — risk "<span id="risk-level">{s.level.to_string()}</span>" (higher is more robust)"</p>
                    <ul class="changes">{s.steps.into_iter().map(|(rule, p)| view! { <li>{format!("{rule}: {p:+.1}")}</li> }).collect_view()}</ul>
                })}
            </div>
            <div class="card" id="structural-score">
                <h2>"Structural score"{partial.then_some(" — partial")}</h2>
                <p class="summary"><strong>{format!("{:.1}", structural.value)}</strong>{format!(" / 100 — {}", structural.level)}</p>
                <ul class="changes">{structural.steps.into_iter().map(|(rule, p)| view! { <li>{format!("{rule}: {p:+.1}")}</li> }).collect_view()}</ul>
            </div>
        </div>
        <div class="table-wrap"><table id="risk-metrics">
            <caption>{format!("Metrics of the portfolio's daily returns ({})", match r.settings.weighting { Weighting::Static => "today's weights", Weighting::Historical => "weights held at the time" })}</caption>
            <thead><tr><th scope="col">"Metric"</th><th scope="col" class="num">"Value"</th><th scope="col">"Method"</th></tr></thead>
            <tbody>{r.metrics.iter().map(|m| view! { <tr><th scope="row">{m.name.clone()}</th><td class="num">{m.shown()}</td><td class="muted">{m.method.clone()}</td></tr> }).collect_view()}</tbody>
        </table></div>
        <div class="table-wrap"><table id="risk-var">
            <caption>"Value at risk and expected shortfall (returns; negative is a loss)"</caption>
            <thead><tr><th scope="col">"Method"</th><th scope="col" class="num">"Confidence"</th><th scope="col" class="num">"Horizon"</th><th scope="col" class="num">"VaR"</th><th scope="col" class="num">"CVaR"</th></tr></thead>
            <tbody>{r.var.iter().map(|v| view! {
                <tr class:highlight=v.confidence == r.settings.confidence>
                    <td>{v.method.clone()}</td>
                    <td class="num">{format!("{:.0} %", v.confidence * 100.0)}</td>
                    <td class="num">{format!("{} d", v.horizon)}</td>
                    <td class="num">{v.var.map(pct).unwrap_or_else(|| "undefined".into())}</td>
                    <td class="num">{v.cvar.map(pct).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
        <div class="charts">
            <SeriesChart id="chart-drawdown" title="Drawdown" percent=true points=r.drawdown.clone()/>
            <SeriesChart id="chart-rolling-vol" title="Rolling 30-day volatility (annualised)" percent=true points=r.rolling.iter().map(|x| (x.0, x.1)).collect()/>
            <SeriesChart id="chart-rolling-sharpe" title="Rolling 30-day Sharpe ratio (annualised)" percent=false points=r.rolling.iter().map(|x| (x.0, x.2)).collect()/>
            <Distribution id="chart-mc" caption="Monte Carlo 1-day returns".to_string() sample=r.mc_sample.clone() confidence=r.settings.confidence
                var=r.var.iter().find(|v| v.model == VarModel::MonteCarlo && v.horizon == 1 && v.confidence == r.settings.confidence).and_then(|v| v.var.zip(v.cvar))/>
            <Heatmap id="risk-correlation" caption="Correlation of daily returns" labels=r.weights.iter().map(|w| w.0.clone()).collect() matrix=r.correlation.clone()/>
        </div>
        <div class="table-wrap"><table id="risk-contributions">
            <caption>"Risk contributions per asset (Euler: σ_p = Σ component; percent sums to 100 %; marginal = ∂σ_p/∂w, per day)"</caption>
            <thead><tr><th scope="col">"Asset"</th><th scope="col" class="num">"Weight"</th><th scope="col" class="num">"Marginal"</th><th scope="col" class="num">"Component"</th><th scope="col" class="num">"Percent"</th><th scope="col"></th></tr></thead>
            <tbody>{r.contributions.iter().zip(&r.weights).map(|((k, m, cmp, c), (_, w))| view! {
                <tr><th scope="row">{k.clone()}</th><td class="num">{pct(*w)}</td><td class="num">{format!("{m:.5}")}</td><td class="num">{format!("{cmp:.5}")}</td><td class="num">{pct(*c)}</td>
                <td><span class="hbar c0" aria-hidden="true"><span style:--pct=format!("{:.1}", c.clamp(0.0, 1.0) * 100.0)></span></span></td></tr>
            }).collect_view()}</tbody>
        </table></div>
        <p class="muted">{format!("PCA: the first component explains {} of the variance of the assets' correlation matrix.", r.pca.first().map(|x| pct(*x)).unwrap_or_default())}</p>
        <div class="table-wrap"><table id="risk-stress">
            <caption>"Stress tests (SmartFolio's scenarios: per-group shocks on today's values; stocks and ETFs: Folio's index falls)"</caption>
            <thead><tr><th scope="col">"Scenario"</th><th scope="col" class="num">"Change"</th><th scope="col" class="num">"Of the portfolio"</th><th scope="col">"Per group"</th></tr></thead>
            <tbody>{r.stress.iter().map(|s| view! {
                <tr><th scope="row">{s.name.clone()}</th><td class="num">{format_amount(s.change, 2)}</td><td class="num">{format!("{:.2} %", s.change_pct)}</td>
                <td class="muted">{s.groups.iter().map(|g| format!("{} {:+.0} %", g.0, g.2)).collect::<Vec<_>>().join(", ")}</td></tr>
            }).collect_view()}</tbody>
        </table></div>
        <CustomStress groups=r.stress.first().map(|s| s.groups.iter().map(|g| (g.0.clone(), g.1)).collect()).unwrap_or_default()/>
        <div class="table-wrap"><table id="risk-attribution">
            <caption>{format!("Attribution per group over the window (Brinson, against equal weights per group), {} to {}", r.from, r.to)}</caption>
            <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Weight"</th><th scope="col" class="num">"Benchmark weight"</th><th scope="col" class="num">"Return"</th><th scope="col" class="num">"Benchmark return"</th><th scope="col" class="num">"Allocation"</th><th scope="col" class="num">"Selection"</th><th scope="col" class="num">"Interaction"</th></tr></thead>
            <tbody>{r.attribution.iter().map(|a| view! {
                <tr><th scope="row">{a.group.clone()}</th><td class="num">{pct(a.wp)}</td><td class="num">{pct(a.wb)}</td><td class="num">{pct(a.rp)}</td><td class="num">{pct(a.rb)}</td><td class="num">{pct(a.allocation)}</td><td class="num">{pct(a.selection)}</td><td class="num">{pct(a.interaction)}</td></tr>
            }).collect_view()}</tbody>
        </table></div>
    }
}

/// A daily series of the report on a date axis, with its data in a table.
#[component]
fn SeriesChart(
    id: &'static str,
    title: &'static str,
    percent: bool,
    points: Vec<(NaiveDate, f64)>,
) -> impl IntoView {
    let finite: Vec<(NaiveDate, f64)> = points.into_iter().filter(|p| p.1.is_finite()).collect();
    let shown = move |v: f64| {
        if percent {
            format::percent(v * 100.0, 2)
        } else {
            format::amount(v, 2)
        }
    };
    let summary = match (finite.first(), finite.last()) {
        (Some(a), Some(b)) => format!(
            "{title}: {} on {} to {} on {}",
            shown(a.1),
            format::date(a.0),
            shown(b.1),
            format::date(b.0)
        ),
        _ => format!("{title}: no data"),
    };
    let series = vec![Series {
        label: title.to_string(),
        slot: 0,
        dots: false,
        points: finite
            .iter()
            .map(|(d, v)| (Timestamp::start_of(*d), *v))
            .collect(),
    }];
    view! {
        <TimeChart id=id caption=title.to_string() summary=summary series=Signal::stored(series) percent=percent half=true>
            <details>
                <summary>"Data"</summary>
                <table class="legend">
                    <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">{title}</th></tr></thead>
                    <tbody>{finite.iter().rev().map(|(d, v)| view! { <tr><td>{format::date(*d)}</td><td class="num">{shown(*v)}</td></tr> }).collect_view()}</tbody>
                </table>
            </details>
        </TimeChart>
    }
}

/// A scenario of the user's own: a shock per group, applied to today's values.
#[component]
fn CustomStress(groups: Vec<(String, f64)>) -> impl IntoView {
    let shocks = RwSignal::new(std::collections::BTreeMap::<String, f64>::new());
    let values: std::collections::BTreeMap<String, f64> = groups.iter().cloned().collect();
    let result = Memo::new(move |_| {
        let scenario = Scenario {
            name: "Custom".into(),
            shocks: shocks.get(),
            default_shock: 0.0,
        };
        apply(&scenario, &values)
    });
    view! {
        <details class="panel" id="custom-stress" open>
            <summary>"Custom scenario: your own shock per group"</summary>
            <table>
                <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Value"</th><th scope="col" class="num">"Shock (%)"</th><th scope="col" class="num">"Change"</th></tr></thead>
                <tbody>{groups.into_iter().enumerate().map(|(i, (g, v))| {
                    let g2 = g.clone();
                    view! {
                        <tr>
                            <th scope="row"><label for=format!("custom-shock-{}", slug(&g))>{g.clone()}</label></th>
                            <td class="num">{format_amount(v, 2)}</td>
                            <td class="num"><input type="number" class="pct" id=format!("custom-shock-{}", slug(&g)) step="any" value="0"
                                on:input=move |ev| { let x = parse(&event_target_value(&ev)).unwrap_or(0.0); let g = g2.clone(); shocks.update(|m| { m.insert(g, x); }); }/></td>
                            <td class="num">{move || result.with(|r| r.groups.get(i).map(|x| format_amount(x.change, 2)).unwrap_or_default())}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            <p id="custom-stress-total" class="summary">{move || result.with(|r| format!("Total change {} ({:.2} % of the portfolio)", format_amount(r.change, 2), r.change_pct))}</p>
        </details>
    }
}
