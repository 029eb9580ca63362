//! Dashboard: the total and its changes, value over time (snapshots, and the series rebuilt
//! from daily closes — drawn apart and labelled partial when it covers only some assets),
//! allocation as ranked bars, top movers. The data comes from `domain::dashboard`; every
//! chart has its data in a table.

use leptos::prelude::*;

use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::dashboard::{
    allocation, change, change_24h, chart_slices, rebuild_history, top_movers, value_series,
    Rebuilt, SnapshotReason,
};
use crate::domain::format;
use crate::domain::holding::AssetClass;
use crate::domain::portfolio::{format_amount, Dimension};
use crate::domain::price_key::PriceKey;
use crate::domain::valuation::ago_label;
use crate::ui::charts::value_over_time::{Series, TimeChart};
use crate::ui::components::gain_class;
use crate::ui::components::history_loader::HistoryLoader;
use crate::ui::components::price_status::count;
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{add_history_case, load_history_case, use_cases};

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
            <div class="page-head">
                <div>
                    <h1 id="dashboard-title">"Dashboard"</h1>
                    <p class="hero figure" id="dashboard-total">{move || valued.with(|v| format!("{} {}", format_amount(v.total, 2), v.base))}</p>
                    {move || state.prices.with(|p| p.loading).then(|| view! { <p class="muted" role="status">"Updating prices…"</p> })}
                    <ul class="changes">
                        <li id="change-snapshot">
                            {move || match since_previous() {
                                Some((c, at)) => view! {
                                    <span class=gain_class(c.abs)>{format!("{} {}", format::signed_amount(c.abs, 2), base())}{c.pct.map(|p| format!(" ({})", format::signed_percent(p, 2)))}</span>
                                    {format!(" since the snapshot of {} ({})", format::date(at.date()), ago_label(at, state.now.get()))}
                                }.into_any(),
                                None => "No snapshot yet in this currency.".into_any(),
                            }}
                        </li>
                        <li id="change-24h">
                            {move || match valued.with(change_24h) {
                                Some((c, covered)) => view! {
                                    <span class=gain_class(c.abs)>{format!("{} {}", format::signed_amount(c.abs, 2), base())}{c.pct.map(|p| format!(" ({})", format::signed_percent(p, 2)))}</span>
                                    {format!(" over 24 h (live prices), from the {} of the value that has a 24 h change", format::percent(covered * 100.0, 0))}
                                }.into_any(),
                                None => "Over 24 h: no live prices with a 24 h change yet.".into_any(),
                            }}
                        </li>
                    </ul>
                </div>
                <div class="actions">
                    <button type="button" id="take-snapshot" on:click=take>"Save a snapshot now"</button>
                    <span class="muted" id="snapshot-count">{move || count(state.snapshots.with(Vec::len), "snapshot saved", "snapshots saved")}</span>
                </div>
            </div>
            <ValueOverTime/>
            <div class="charts">
                <AllocationCard/>
                <Movers/>
            </div>
        </section>
    }
}

/// Allocation by group or by asset class: a 100 % bar, then ranked bars with values and
/// shares (the chart's data, in a table).
#[component]
fn AllocationCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dim = RwSignal::new(Dimension::Group);
    let slices = Memo::new(move |_| {
        let d = dim.get();
        state
            .valued
            .with(|v| chart_slices(&allocation(v, d), "Other"))
    });
    let base = move || state.settings.with(|s| s.base_currency);
    let choice = move |d: Dimension, label: &'static str| {
        view! {
            <button type="button" aria-pressed=move || (dim.get() == d).to_string() class:primary=move || dim.get() == d on:click=move |_| dim.set(d)>{label}</button>
        }
    };
    view! {
        <figure class="chart" id="allocation">
            <figcaption>"Allocation"</figcaption>
            <div class="segmented" role="group" aria-label="Allocation by">
                {choice(Dimension::Group, "By group")}
                {choice(Dimension::AssetClass, "By asset class")}
            </div>
            <div class="strip" aria-hidden="true">
                {move || slices.get().into_iter().map(|c| view! {
                    <span class=format!("c{}", c.slot) style:--pct=format!("{:.2}", c.slice.share * 100.0)></span>
                }).collect_view()}
            </div>
            <table id="allocation-table" class="legend">
                <caption class="visually-hidden">{move || format!("Allocation {}, positive values", if dim.get() == Dimension::Group { "by group" } else { "by asset class" })}</caption>
                <thead><tr><th scope="col">{move || dim.get().label()}</th><th scope="col"><span class="visually-hidden">"Share as a bar"</span></th><th scope="col" class="num">{move || format!("Value ({})", base())}</th><th scope="col" class="num">"Share"</th></tr></thead>
                <tbody>
                    {move || slices.get().into_iter().map(|c| view! {
                        <tr title=c.folded.join(", ")>
                            <th scope="row"><span class=format!("swatch c{}", c.slot) aria-hidden="true"></span>{c.slice.label}</th>
                            <td><span class=format!("hbar c{}", c.slot)><span style:--pct=format!("{:.2}", c.slice.share * 100.0)></span></span></td>
                            <td class="num">{format_amount(c.slice.value, 2)}</td>
                            <td class="num">{format::percent(c.slice.share * 100.0, 1)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">"Negative balances are left out of the shares."</p>
        </figure>
    }
}

/// The biggest moves over 24 hours, signed.
#[component]
fn Movers() -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = move || state.settings.with(|s| s.base_currency);
    view! {
        <figure class="chart">
            <figcaption>"Top movers over 24 h"</figcaption>
            {move || {
                let movers = state.valued.with(|v| top_movers(v, 8));
                if movers.is_empty() {
                    return view! { <p class="muted">"No live prices with a 24 h change yet."</p> }.into_any();
                }
                view! {
                    <table id="movers">
                        <caption class="visually-hidden">"Top movers over 24 hours"</caption>
                        <thead><tr><th scope="col">"Symbol"</th><th scope="col" class="num">"24 h"</th><th scope="col" class="num">{format!("Value ({})", base())}</th></tr></thead>
                        <tbody>{movers.into_iter().map(|m| view! {
                            <tr><td>{m.symbol}</td><td class=format!("num {}", gain_class(m.change_pct))>{format::signed_percent(m.change_pct, 2)}</td><td class="num">{format_amount(m.value, 2)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </figure>
    }
}

fn rebuilt_series(r: &Rebuilt, label: String) -> Series {
    Series {
        label,
        slot: 1,
        dots: false,
        points: r
            .points
            .iter()
            .map(|(d, v)| (Timestamp::start_of(*d), *v))
            .collect(),
    }
}

/// Total value over time from the profile's snapshots in the current base currency, and
/// the value rebuilt from daily closes: on the same axis only when it covers every asset.
#[component]
fn ValueOverTime() -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = move || state.settings.with(|s| s.base_currency);
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
    let partial = move || rebuilt.with(|r| !r.points.is_empty() && !r.missing.is_empty());
    let lines = Signal::derive(move || {
        let mut lines = vec![Series {
            label: "Total, from snapshots".to_string(),
            slot: 0,
            dots: true,
            points: series.with(|(p, _)| p.clone()),
        }];
        rebuilt.with(|r| {
            if !r.points.is_empty() && r.missing.is_empty() {
                lines.push(rebuilt_series(r, "Rebuilt from daily closes".to_string()));
            }
        });
        lines
    });
    let summary = Signal::derive(move || {
        series.with(|(p, _)| match (p.first(), p.last()) {
            (Some(a), Some(b)) if p.len() > 1 => format!(
                "Value from {} {} on {} to {} {} on {}",
                format::amount(a.1, 0),
                base(),
                format::date(a.0.date()),
                format::amount(b.1, 0),
                base(),
                format::date(b.0.date())
            ),
            (Some(a), _) => format!("One snapshot: {} {}", format::amount(a.1, 0), base()),
            _ => "No snapshot yet".to_string(),
        })
    });
    view! {
        <TimeChart id="value-over-time" caption=Signal::derive(move || format!("Value over time ({})", base())) summary=summary series=lines>
            {move || {
                let (points, other) = series.get();
                view! {
                    <p class="muted">
                        {if points.len() < 2 { "The chart fills in as snapshots accumulate (one a day while the app is open, one per import, and on demand).".to_string() } else { String::new() }}
                        {(other > 0).then(|| format!(" {} in another base currency {} not shown.", count(other, "snapshot", "snapshots"), if other == 1 { "is" } else { "are" }))}
                    </p>
                    <details>
                        <summary>"Snapshot data"</summary>
                        <table id="snapshot-table">
                            <thead><tr><th scope="col">"Taken"</th><th scope="col" class="num">{format!("Total ({})", base())}</th></tr></thead>
                            <tbody>{points.into_iter().rev().map(|(t, v)| view! { <tr><td>{format::date(t.date())}</td><td class="num">{format_amount(v, 2)}</td></tr> }).collect_view()}</tbody>
                        </table>
                    </details>
                }
            }}
            <HistoryControls rebuilt=rebuilt/>
        </TimeChart>
        {move || partial().then(|| view! { <PartialRebuilt rebuilt=rebuilt/> })}
    }
}

/// The rebuilt series when it leaves assets out: its own chart and axis, labelled partial,
/// so it is never read against the full total.
#[component]
fn PartialRebuilt(rebuilt: Memo<Rebuilt>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = move || state.settings.with(|s| s.base_currency);
    let of = move || rebuilt.with(|r| (r.included, r.included + r.missing.len()));
    let lines = Signal::derive(move || {
        let (n, total) = of();
        rebuilt.with(|r| vec![rebuilt_series(r, format!("Partial: {n} of {total} assets"))])
    });
    let caption = Signal::derive(move || {
        let (n, total) = of();
        format!(
            "Rebuilt value of {n} of {total} assets ({}) — partial, not the whole portfolio",
            base()
        )
    });
    let summary = Signal::derive(move || {
        rebuilt.with(|r| match (r.points.first(), r.points.last()) {
            (Some(a), Some(b)) => format!(
                "Partial value of {} assets from {} to {}",
                r.included,
                format::amount(a.1, 0),
                format::amount(b.1, 0)
            ),
            _ => String::new(),
        })
    });
    view! {
        <TimeChart id="rebuilt-over-time" caption=caption summary=summary series=lines>
            <p class="muted" id="rebuilt-note">{move || rebuilt.with(|r| format!(
                "Today's quantities at each day's closes, converted with that day's ECB rates. Left out for want of a daily history: {}.",
                r.missing.join(", ")
            ))}</p>
        </TimeChart>
    }
}

/// Loading daily history (with progress in coins), importing a price CSV, and the rebuilt
/// series' data.
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
            <HistoryLoader load=load_history ids="" csv_where="below"/>
            <ErrorBoundary fallback=show_errors>
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
                <details>
                    <summary>"Rebuilt data"</summary>
                    <table id="history-table">
                        <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Value"</th></tr></thead>
                        <tbody>{r.points.iter().rev().map(|(d, v)| view! { <tr><td>{format::date(*d)}</td><td class="num">{format_amount(*v, 2)}</td></tr> }).collect_view()}</tbody>
                    </table>
                </details>
            }))}
        </div>
    }
}
