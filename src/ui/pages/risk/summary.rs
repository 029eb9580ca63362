//! The report's basis (window, weights) and its summary cards: both scores, then the figures
//! people look at first — volatility, max drawdown, Sharpe, VaR with CVaR, beta — each with
//! the name, value and method the metrics table gives it.

use leptos::prelude::*;

use crate::domain::risk::report::document::{ANNUAL_VOLATILITY, BETA, MAX_DRAWDOWN, SHARPE_RATIO};
use crate::domain::risk::report::{Metric, RiskReport, ScoreOut, VarModel};
use crate::domain::risk::returns::ReturnKind;

fn pct(v: f64) -> String {
    format!("{:.2} %", v * 100.0)
}

/// The window, the weights and the summary cards.
#[component]
pub fn Summary(report: RiskReport) -> impl IntoView {
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
    let partial = r.partial();
    let kind = r.settings.returns.label();
    let paths = if r.settings.returns == ReturnKind::Log {
        "; wealth-path figures compound simple returns"
    } else {
        ""
    };
    let figures: Vec<Metric> = [ANNUAL_VOLATILITY, MAX_DRAWDOWN, SHARPE_RATIO]
        .into_iter()
        .filter_map(|name| r.metric(name).cloned())
        .collect();
    let beta = r.metric(BETA).cloned();
    let confidence = r.settings.confidence;
    let var = r
        .var
        .iter()
        .find(|v| v.model == VarModel::Historical && v.horizon == 1 && v.confidence == confidence)
        .cloned();
    let mark = move || partial_badge(partial, r.coverage);
    view! {
        <p id="risk-window-line" class="summary">{window}</p>
        <p id="risk-weighting-line" class="muted">{format!("{}. Distribution figures use {kind}{paths}.", r.weighting)}</p>
        {(!r.notices.is_empty()).then(|| view! { <ul id="risk-notices" class="unknown-panel" role="status">{r.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul> })}
        <div class="kpis" id="risk-kpis">
            {r.risk_score.map(|s| view! { <ScoreCard id="risk-score" title="Risk score (SmartFolio)" score=s partial=partial main=true/> })}
            <ScoreCard id="structural-score" title="Structural score" score=r.structural partial=partial main=false/>
            {figures.into_iter().map(|m| view! {
                <div class="card kpi">
                    <h3 class="label">{m.name.clone()}{mark()}</h3>
                    <span class="value">{m.shown()}</span>
                    <p class="sub">{m.method}</p>
                </div>
            }).collect_view()}
            {var.map(|v| view! {
                <div class="card kpi" id="risk-kpi-var">
                    <h3 class="label">{format!("Historical VaR {:.0} % (1 day)", v.confidence * 100.0)}{mark()}</h3>
                    <span class="value">{v.var.map(pct).unwrap_or_else(|| "undefined".into())}</span>
                    <p class="sub">{format!("CVaR (expected shortfall) {}; {}", v.cvar.map(pct).unwrap_or_else(|| "undefined".into()), v.method)}</p>
                </div>
            })}
            {beta.map(|m| view! {
                <div class="card kpi">
                    <h3 class="label">{m.name.clone()}{mark()}</h3>
                    <span class="value">{m.shown()}</span>
                    <p class="sub">{m.method}</p>
                </div>
            })}
        </div>
    }
}

/// The mark of a figure that rests on partial data, saying on how much.
fn partial_badge(partial: bool, coverage: f64) -> Option<impl IntoView> {
    partial.then(|| view! { <span class="badge warn">{format!("partial: {} of the value", pct(coverage))}</span> })
}

/// A score: its value and level, and how it was reached (folded).
#[component]
fn ScoreCard(
    id: &'static str,
    title: &'static str,
    score: ScoreOut,
    /// The report is partial: the score says so in its title.
    partial: bool,
    /// The risk score (its value and level carry the ids the exports' tests read).
    main: bool,
) -> impl IntoView {
    let (value_id, level_id) = if main {
        (Some("risk-score-value"), Some("risk-level"))
    } else {
        (None, None)
    };
    let robust = if main { "risk " } else { "" };
    view! {
        <div class="card kpi score" id=id>
            <h2 class="label">{title}{partial.then_some(" — partial")}</h2>
            <span class="value"><strong id=value_id>{format!("{:.1}", score.value)}</strong>" / 100"</span>
            <p class="sub">{robust}<span id=level_id>{score.level.to_string()}</span>{main.then_some(" (higher is more robust)")}</p>
            <details>
                <summary>"How it is scored"</summary>
                <ul class="changes">{score.steps.into_iter().map(|(rule, p)| view! { <li>{format!("{rule}: {p:+.1}")}</li> }).collect_view()}</ul>
            </details>
        </div>
    }
}
