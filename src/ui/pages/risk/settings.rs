//! The report's settings in one line of chips; Edit opens the fields. Every change is written
//! to `settings`, which the page watches to compute the report again.

use leptos::prelude::*;

use crate::domain::price_key::PriceKey;
use crate::domain::risk::report::{benchmark_choices, RiskSettings, Weighting};
use crate::domain::risk::returns::ReturnKind;
use crate::ui::components::number_input::number_or_none as parse;
use crate::ui::state::AppState;

/// The settings line and, under Edit, the fields.
#[component]
pub fn SettingsLine(settings: RwSignal<RiskSettings>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let set = move |f: Box<dyn FnOnce(&mut RiskSettings)>| settings.update(|s| f(s));
    let bench_options =
        move || settings.with(|s| state.history.with(|h| benchmark_choices(h, &s.benchmark)));
    view! {
        <details class="panel settings-line" id="risk-settings">
            <summary>
                <span class="visually-hidden">"Settings: "</span>
                {move || settings.with(RiskSettings::chips).into_iter().map(|c| view! { <span class="chip">{c}</span> }).collect_view()}
                <span class="edit">"Edit"</span>
            </summary>
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
        </details>
    }
}
