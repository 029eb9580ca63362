//! The report past its summary, in tabs: charts over time, every metric, tail risk (VaR by
//! four methods and the simulated distribution), correlation, contributions, stress tests and
//! attribution. Money figures name the base currency in their column headings.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::format;
use crate::domain::portfolio::format_amount;
use crate::domain::risk::report::{RiskReport, VarModel, Weighting};
use crate::domain::risk::stress::{apply, Scenario};
use crate::ui::charts::distribution::Distribution;
use crate::ui::charts::heatmap::Heatmap;
use crate::ui::charts::value_over_time::{Series, TimeChart};
use crate::ui::components::number_input::number_or_none as parse;
use crate::ui::components::slug;
use crate::ui::components::tabs::{Tab, TabList, TabPanel};

fn pct(v: f64) -> String {
    format!("{:.2} %", v * 100.0)
}

/// The tabs, in order.
const TABS: &[Tab] = &[
    ("risk-tab-overview", "Over time"),
    ("risk-tab-metrics", "All metrics"),
    ("risk-tab-tail", "Tail risk"),
    ("risk-tab-correlation", "Correlation"),
    ("risk-tab-contributions", "Contributions"),
    ("risk-tab-stress", "Stress"),
    ("risk-tab-attribution", "Attribution"),
];

/// The report's sections; `tab` is the shown one (kept across recomputations).
#[component]
pub fn Sections(report: RiskReport, tab: RwSignal<usize>, base: Currency) -> impl IntoView {
    let r = report;
    let mc_var = r
        .var
        .iter()
        .find(|v| {
            v.model == VarModel::MonteCarlo
                && v.horizon == 1
                && v.confidence == r.settings.confidence
        })
        .and_then(|v| v.var.zip(v.cvar));
    let weights = match r.settings.weighting {
        Weighting::Static => "today's weights",
        Weighting::Historical => "weights held at the time",
    };
    let assets: Vec<String> = r.weights.iter().map(|w| w.0.clone()).collect();
    view! {
        <TabList label="Risk report sections" tabs=TABS selected=tab/>
        <TabPanel tabs=TABS index=0 selected=tab>
            <div class="charts">
                <SeriesChart id="chart-drawdown" title="Drawdown" percent=true points=r.drawdown.clone()/>
                <SeriesChart id="chart-rolling-vol" title="Rolling 30-day volatility (annualised)" percent=true points=r.rolling.iter().map(|x| (x.0, x.1)).collect()/>
                <SeriesChart id="chart-rolling-sharpe" title="Rolling 30-day Sharpe ratio (annualised)" percent=false points=r.rolling.iter().map(|x| (x.0, x.2)).collect()/>
            </div>
        </TabPanel>
        <TabPanel tabs=TABS index=1 selected=tab>
            <div class="table-wrap"><table id="risk-metrics">
                <caption>{format!("Metrics of the portfolio's daily returns ({weights})")}</caption>
                <thead><tr><th scope="col">"Metric"</th><th scope="col" class="num">"Value"</th><th scope="col">"Method"</th></tr></thead>
                <tbody>{r.metrics.iter().map(|m| view! { <tr><th scope="row">{m.name.clone()}</th><td class="num">{m.shown()}</td><td class="muted">{m.method.clone()}</td></tr> }).collect_view()}</tbody>
            </table></div>
        </TabPanel>
        <TabPanel tabs=TABS index=2 selected=tab>
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
                <Distribution id="chart-mc" caption="Monte Carlo 1-day returns".to_string() sample=r.mc_sample.clone() confidence=r.settings.confidence var=mc_var/>
            </div>
        </TabPanel>
        <TabPanel tabs=TABS index=3 selected=tab>
            <Heatmap id="risk-correlation" caption="Correlation of daily returns" labels=assets matrix=r.correlation.clone()/>
            <p class="muted">{format!("PCA: the first component explains {} of the variance of the assets' correlation matrix.", r.pca.first().map(|x| pct(*x)).unwrap_or_default())}</p>
        </TabPanel>
        <TabPanel tabs=TABS index=4 selected=tab>
            <div class="table-wrap"><table id="risk-contributions">
                <caption>"Risk contributions per asset (Euler: σ_p = Σ component; percent sums to 100 %; marginal = ∂σ_p/∂w, per day)"</caption>
                <thead><tr><th scope="col">"Asset"</th><th scope="col" class="num">"Weight"</th><th scope="col" class="num">"Marginal"</th><th scope="col" class="num">"Component"</th><th scope="col" class="num">"Percent"</th><th scope="col"></th></tr></thead>
                <tbody>{r.contributions.iter().zip(&r.weights).map(|((k, m, cmp, c), (_, w))| view! {
                    <tr><th scope="row">{k.clone()}</th><td class="num">{pct(*w)}</td><td class="num">{format!("{m:.5}")}</td><td class="num">{format!("{cmp:.5}")}</td><td class="num">{pct(*c)}</td>
                    <td><span class="hbar c0" aria-hidden="true"><span style:--pct=format!("{:.1}", c.clamp(0.0, 1.0) * 100.0)></span></span></td></tr>
                }).collect_view()}</tbody>
            </table></div>
        </TabPanel>
        <TabPanel tabs=TABS index=5 selected=tab>
            <div class="table-wrap"><table id="risk-stress">
                <caption>"Stress tests (SmartFolio's scenarios: per-group shocks on today's values; stocks and ETFs: Folio's index falls)"</caption>
                <thead><tr><th scope="col">"Scenario"</th><th scope="col" class="num">{format!("Change ({base})")}</th><th scope="col" class="num">"Of the portfolio"</th><th scope="col">"Per group"</th></tr></thead>
                <tbody>{r.stress.iter().map(|s| view! {
                    <tr><th scope="row">{s.name.clone()}</th><td class="num">{format_amount(s.change, 2)}</td><td class="num">{format!("{:.2} %", s.change_pct)}</td>
                    <td class="muted groups">{s.groups.iter().map(|g| format!("{} {:+.0} %", g.0, g.2)).collect::<Vec<_>>().join(", ")}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            <CustomStress groups=r.stress.first().map(|s| s.groups.iter().map(|g| (g.0.clone(), g.1)).collect()).unwrap_or_default() base=base/>
        </TabPanel>
        <TabPanel tabs=TABS index=6 selected=tab>
            <div class="table-wrap"><table id="risk-attribution">
                <caption>{format!("Attribution per group over the window (Brinson, against equal weights per group), {} to {}", r.from, r.to)}</caption>
                <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Weight"</th><th scope="col" class="num">"Benchmark weight"</th><th scope="col" class="num">"Return"</th><th scope="col" class="num">"Benchmark return"</th><th scope="col" class="num">"Allocation"</th><th scope="col" class="num">"Selection"</th><th scope="col" class="num">"Interaction"</th></tr></thead>
                <tbody>{r.attribution.iter().map(|a| view! {
                    <tr><th scope="row">{a.group.clone()}</th><td class="num">{pct(a.wp)}</td><td class="num">{pct(a.wb)}</td><td class="num">{pct(a.rp)}</td><td class="num">{pct(a.rb)}</td><td class="num">{pct(a.allocation)}</td><td class="num">{pct(a.selection)}</td><td class="num">{pct(a.interaction)}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        </TabPanel>
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
fn CustomStress(groups: Vec<(String, f64)>, base: Currency) -> impl IntoView {
    let shocks = RwSignal::new(BTreeMap::<String, f64>::new());
    let values: BTreeMap<String, f64> = groups.iter().cloned().collect();
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
                <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">{format!("Value ({base})")}</th><th scope="col" class="num">"Shock (%)"</th><th scope="col" class="num">{format!("Change ({base})")}</th></tr></thead>
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
            <p id="custom-stress-total" class="summary">{move || result.with(|r| format!("Total change {} {base} ({:.2} % of the portfolio)", format_amount(r.change, 2), r.change_pct))}</p>
        </details>
    }
}
