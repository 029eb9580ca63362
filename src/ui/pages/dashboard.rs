//! Dashboard: total in the base currency, change since the previous snapshot and over 24 h,
//! allocation donuts, value over time, top movers. The data comes from `domain::dashboard`;
//! charts are drawn on canvases with plotters, each with its data in a table beside it.

use leptos::html::Canvas;
use leptos::prelude::*;

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::dashboard::{
    allocation, change, change_24h, rebuild_history, top_movers, value_series, Rebuilt,
    SnapshotReason,
};
use crate::domain::holding::AssetClass;
use crate::domain::portfolio::{format_amount, Dimension};
use crate::domain::price_key::PriceKey;
use crate::domain::valuation::ago_label;
use crate::ui::charts::donut::Donut;
use crate::ui::charts::value_over_time::draw_line;
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{add_history_case, load_history_case, use_cases};

fn signed(x: f64) -> String {
    format!(
        "{}{}",
        if x >= 0.0 { "+" } else { "−" },
        format_amount(x.abs(), 2)
    )
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let valued = state.valued;
    let base = move || state.settings.with(|s| s.base_currency);
    let since_previous = move || {
        let total = valued.with(|v| v.total);
        state.snapshots.with(|snaps| {
            let b = base();
            snaps
                .iter()
                .rev()
                .find(|s| s.base == b)
                .map(|s| (change(s.total, total), s.at))
        })
    };
    let uc = use_cases();
    let take = move |_| {
        uc.take_snapshot.dispatch_local(SnapshotReason::OnDemand);
    };
    view! {
        <section aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"Dashboard"</h1>
            <div class="summary">
                <strong>"Total: "</strong>
                <span id="dashboard-total">{move || valued.with(|v| format!("{} {}", format_amount(v.total, 2), v.base))}</span>
                {move || state.prices.with(|p| p.loading).then(|| view! { <span class="muted" role="status">" · updating prices…"</span> })}
            </div>
            <ul class="changes">
                <li id="change-snapshot">
                    {move || match since_previous() {
                        Some((c, at)) => format!(
                            "Since the snapshot of {} ({}): {} {}{}",
                            at.date(),
                            ago_label(at, state.now.get()),
                            signed(c.abs),
                            base(),
                            c.pct.map_or(String::new(), |p| format!(" ({:+.2} %)", p))
                        ),
                        None => "No snapshot yet in this currency.".to_string(),
                    }}
                </li>
                <li id="change-24h">
                    {move || match valued.with(change_24h) {
                        Some((c, covered)) => format!(
                            "Over 24 h (live prices): {} {}{} — from the {:.0} % of the value that has a 24 h change",
                            signed(c.abs),
                            base(),
                            c.pct.map_or(String::new(), |p| format!(" ({:+.2} %)", p)),
                            covered * 100.0
                        ),
                        None => "Over 24 h: no live prices with a 24 h change yet.".to_string(),
                    }}
                </li>
            </ul>
            <button type="button" id="take-snapshot" on:click=take>"Save a snapshot now"</button>
            <span class="muted" id="snapshot-count">{move || format!(" {} snapshot(s) saved", state.snapshots.with(Vec::len))}</span>
            <div class="charts">
                <Donut id="donut-group" title="Allocation by group" slices=Signal::derive(move || valued.with(|v| allocation(v, Dimension::Group)))/>
                <Donut id="donut-class" title="Allocation by asset class" slices=Signal::derive(move || valued.with(|v| allocation(v, Dimension::AssetClass)))/>
            </div>
            <ValueOverTime/>
            <h2>"Top movers over 24 h"</h2>
            {move || {
                let movers = valued.with(|v| top_movers(v, 8));
                if movers.is_empty() {
                    return view! { <p class="muted">"No live prices with a 24 h change yet."</p> }.into_any();
                }
                view! {
                    <table id="movers">
                        <caption class="visually-hidden">"Top movers over 24 hours"</caption>
                        <thead><tr><th scope="col">"Symbol"</th><th scope="col" class="num">"24 h"</th><th scope="col" class="num">{format!("Value ({})", base())}</th></tr></thead>
                        <tbody>{movers.into_iter().map(|m| view! {
                            <tr><td>{m.symbol}</td><td class="num">{format!("{:+.2} %", m.change_pct)}</td><td class="num">{format_amount(m.value, 2)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// Total value over time, from the profile's snapshots in the current base currency.
#[component]
fn ValueOverTime() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    let series = Memo::new(move |_| {
        let base = state.settings.with(|s| s.base_currency);
        state.snapshots.with(|s| value_series(s, base))
    });
    let rebuilt = Memo::new(move |_| {
        let base = state.settings.with(|s| s.base_currency);
        let rows = state.versions.with(|v| state.settings.with(|s| s.rows(v)));
        state.history.with(|h| {
            state
                .fx_history
                .with(|fx| rebuild_history(&rows, h, fx, base))
        })
    });
    Effect::new(move |_| {
        let points: Vec<(f64, f64)> =
            series.with(|(p, _)| p.iter().map(|(t, v)| (t.as_js(), *v)).collect());
        let history: Vec<(f64, f64)> = rebuilt.with(|r| {
            r.points
                .iter()
                .map(|(d, v)| (Timestamp::start_of(*d).as_js(), *v))
                .collect()
        });
        if let Some(el) = canvas.get() {
            draw_line(el, &points, &history);
        }
    });
    view! {
        <figure class="chart wide">
            <figcaption>{move || format!("Value over time ({}, from snapshots)", state.settings.with(|s| s.base_currency))}</figcaption>
            <canvas id="value-over-time" node_ref=canvas width="720" height="260" role="img" aria-label="Value over time"></canvas>
            {move || {
                let (points, other) = series.get();
                view! {
                    <p class="muted">
                        {if points.len() < 2 { "The chart fills in as snapshots accumulate (one a day while the app is open, one per import, and on demand).".to_string() } else { String::new() }}
                        {(other > 0).then(|| format!(" {other} snapshot(s) in another base currency are not shown."))}
                    </p>
                    <details>
                        <summary>"Data"</summary>
                        <table id="snapshot-table">
                            <thead><tr><th scope="col">"Taken"</th><th scope="col" class="num">"Total"</th></tr></thead>
                            <tbody>{points.into_iter().rev().map(|(t, v)| view! { <tr><td>{t.date().to_string()}</td><td class="num">{format_amount(v, 2)}</td></tr> }).collect_view()}</tbody>
                        </table>
                    </details>
                }
            }}
            <HistoryControls rebuilt=rebuilt/>
        </figure>
    }
}

/// Loading daily history, importing a price CSV, and the rebuilt series' data.
#[component]
fn HistoryControls(rebuilt: Memo<Rebuilt>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let load_history = load_history_case();
    let add_history = add_history_case();
    let key = RwSignal::new(String::new());
    let currency = RwSignal::new(String::new());
    let keys = move || {
        let mut k: Vec<(PriceKey, String, Currency)> = state
            .versions
            .with(|v| state.settings.with(|s| s.rows(v)))
            .into_iter()
            .filter(|r| r.holding.asset_class != AssetClass::Cash)
            .map(|r| {
                let currency = r.holding.price_currency.unwrap_or(r.holding.currency);
                (PriceKey::of(&r.holding), r.holding.symbol.clone(), currency)
            })
            .collect();
        k.sort();
        k.dedup_by(|a, b| a.0 == b.0);
        k
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let (Ok(k), Ok(c)) = (
            key.get_untracked().parse::<PriceKey>(),
            Currency::parse(&currency.get_untracked()),
        ) else {
            return state
                .error("Choose the asset and its price currency (three letters) before the file.");
        };
        add_history.dispatch_local((file, k, c));
    };
    view! {
        <div class="history-controls">
            <button type="button" id="load-history" on:click=move |_| { load_history.dispatch_local(()); }
                disabled=move || load_history.pending().get()>
                "Load a year of daily prices (one request per coin)"
            </button>
            <ErrorBoundary fallback=show_errors>
                <span class="muted" id="history-status" role="status">
                    {move || if load_history.pending().get() {
                        Some(Ok("loading daily prices…".to_string()))
                    } else {
                        load_history.value().get().map(|r| r.map(|events| events.join(" · ")))
                    }}
                </span>
                {move || add_history.value().get().map(|r| r.map(|said| view! { <p class="notice info" role="status">{said}</p> }))}
            </ErrorBoundary>
            <details>
                <summary>"Import a price history CSV (date, close) for an asset no source covers"</summary>
                <div class="inline-form">
                    <label for="history-asset">"Asset"</label>
                    <select id="history-asset" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((_, _, c)) = keys().into_iter().find(|(k, _, _)| k.to_string() == v) {
                            currency.set(c.to_string());
                        }
                        key.set(v);
                    }>
                        <option value="">"—"</option>
                        {move || keys().into_iter().map(|(k, s, _)| view! { <option value=k.to_string()>{format!("{s} ({k})")}</option> }).collect_view()}
                    </select>
                    <label for="history-currency">"Currency"</label>
                    <input id="history-currency" type="text" size="4" prop:value=move || currency.get() on:input=move |ev| currency.set(event_target_value(&ev))/>
                    <label for="history-file">"File"</label>
                    <input id="history-file" type="file" accept=".csv,.txt" on:change=on_file/>
                </div>
            </details>
            {move || rebuilt.with(|r| (!r.points.is_empty()).then(|| view! {
                <p class="muted" id="rebuilt-note">{format!(
                    "Orange line: today's quantities at each day's closes, converted with that day's ECB rates; {} asset(s){}.",
                    r.included,
                    if r.missing.is_empty() { String::new() } else { format!("; without history: {}", r.missing.join(", ")) }
                )}</p>
                <details>
                    <summary>"Rebuilt data"</summary>
                    <table id="history-table">
                        <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Value"</th></tr></thead>
                        <tbody>{r.points.iter().rev().map(|(d, v)| view! { <tr><td>{d.to_string()}</td><td class="num">{format_amount(*v, 2)}</td></tr> }).collect_view()}</tbody>
                    </table>
                </details>
            }))}
        </div>
    }
}
