//! Holdings: one table across sources valued in the base currency (each value with its
//! source and age), grouped views, totals, dust filter, unknown symbols, missing prices.

use leptos::prelude::*;

use crate::domain::dashboard::{allocation, change_24h, chart_slices};
use crate::domain::format;
use crate::domain::holding::AssetClass;
use crate::domain::number::{parse_number, DecimalStyle};
use crate::domain::portfolio::{
    format_amount, format_quantity, group_by, retain_above, sort_by, unknown_symbols,
    CurrencyTotals, Dimension, PortfolioRow, SortKey,
};
use crate::domain::price_key::PriceKey;
use crate::domain::prices::ids::ProviderSymbol;
use crate::domain::prices::{PriceOrigin, Provider, Quote};
use crate::domain::taxonomy::GroupOrigin;
use crate::domain::valuation::{age_label, deviation_flagged, Valuation, ValuedRow};
use crate::ui::components::gain_class;
use crate::ui::components::number_input::NumberInput;
use crate::ui::components::price_status::{
    fx_problem, kept_sentence, left_out_sentence, price_headline,
};
use crate::ui::components::sort_header::SortHeader;
use crate::ui::components::unknown_symbols::UnknownSymbols;
use crate::ui::state::AppState;
use crate::ui::use_cases::use_cases;

/// The holdings page: the total, its change and the allocation at a glance, then what the
/// figures rest on (prices, left-out holdings), then the table.
#[component]
pub fn HoldingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let sort = RwSignal::new((SortKey::Value, false));
    let view_by = RwSignal::new(None::<Dimension>);
    let valued = state.valued;
    let all_rows = Memo::new(move |_| {
        valued.with(|v| {
            v.rows
                .iter()
                .map(|r| r.row.clone())
                .collect::<Vec<PortfolioRow>>()
        })
    });
    let valuation = valued;
    let lines = Memo::new(move |_| {
        let lines: Vec<ValuedRow> = valuation.with(|v| v.rows.clone());
        let mut lines = retain_above(lines, |l| l.value, state.settings.with(|s| s.dust_min));
        let (key, asc) = sort.get();
        sort_by(&mut lines, |l| &l.row, |l| l.value, key, asc);
        lines
    });
    let hidden = move || all_rows.with(Vec::len) - lines.with(Vec::len);
    let base = move || state.settings.with(|s| s.base_currency);
    let unknown = Memo::new(move |_| all_rows.with(|r| unknown_symbols(r)));
    let empty = move || all_rows.with(Vec::is_empty);

    let set_dust = Callback::new(move |v: Option<f64>| {
        let mut s = state.settings.get_untracked();
        s.dust_min = v.unwrap_or(0.0).max(0.0);
        uc.save(s);
    });
    let dust =
        Signal::derive(move || Some(state.settings.with(|s| s.dust_min)).filter(|m| *m > 0.0));

    view! {
        <section aria-labelledby="holdings-title">
            <div class="page-head">
                <div>
                    <h1 id="holdings-title">"Holdings"</h1>
                    <p class="hero figure" id="grand-total">{move || valuation.with(|v| format!("{} {}", format_amount(v.total, 2), v.base))}</p>
                    <Change24h valuation=valuation/>
                </div>
                <div class="actions">
                    <a class="button primary" href="/import">"Import a file"</a>
                    <button type="button" id="refresh-prices" on:click=move |_| { uc.refresh_prices.dispatch_local(()); } disabled=move || state.prices.with(|p| p.loading)>"Refresh prices"</button>
                </div>
            </div>
            {move || (!empty()).then(|| view! {
                <Allocation valuation=valuation/>
                <div class="kpis" id="total-summary">
                    <p class="card kpi"><span class="label">"Holdings"</span><span class="value figure">{move || lines.with(Vec::len)}</span></p>
                    <p class="card kpi"><span class="label">{move || format!("Cash ({})", base())}</span><span class="value figure" id="cash-total">{move || valuation.with(|v| format_amount(cash_total(v), 2))}</span></p>
                    <p class="card kpi"><span class="label">"Without a value"</span><span class="value figure" id="unvalued" class:warn=move || valuation.with(|v| v.unvalued > 0)>{move || valuation.with(|v| v.unvalued)}</span></p>
                </div>
            })}
            <PriceLine valuation=valuation/>
            {move || empty().then(|| view! { <Welcome/> })}
            <p class="muted" id="file-total">
                {move || format!("In the files: {}", all_rows.with(|r| CurrencyTotals::of(r.iter().map(|r| &r.holding)).describe()))}
            </p>
            <UnknownSymbols unknown=unknown/>
            <MissingPrices valuation=valuation/>
            <div class="controls">
                <label>
                    "View "
                    <select id="view-by" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        view_by.set(Dimension::ALL.into_iter().find(|d| d.label() == v));
                    }>
                        <option value="all">"All holdings"</option>
                        {Dimension::ALL.into_iter().map(|d| view! { <option value=d.label()>{format!("By {}", d.label().to_lowercase())}</option> }).collect_view()}
                    </select>
                </label>
                <span>
                    <label for="dust-min">"Hide holdings worth less than "</label>
                    <NumberInput id="dust-min".to_string() value=dust on_change=set_dust size=6/>
                    {move || format!(" {}", base())}
                </span>
                {move || (hidden() > 0).then(|| view! { <span class="muted" id="dust-hidden">{format!("{} hidden", hidden())}</span> })}
            </div>
            {move || match view_by.get() {
                None => view! { <HoldingsTable lines=lines sort=sort/> }.into_any(),
                Some(dim) => view! { <GroupedView lines=lines dim=dim/> }.into_any(),
            }}
        </section>
    }
}

/// The value of cash holdings (bank balances and fiat on exchanges).
fn cash_total(v: &Valuation) -> f64 {
    v.rows
        .iter()
        .filter(|r| r.origin == Some(PriceOrigin::Cash))
        .filter_map(|r| r.value)
        .sum()
}

/// The change over 24 hours from live quotes, signed and coloured, with its coverage.
#[component]
fn Change24h(valuation: Memo<Valuation>) -> impl IntoView {
    move || {
        valuation.with(|v| {
            let base = v.base;
            match change_24h(v) {
                Some((c, covered)) => view! {
                    <p id="holdings-change">
                        <span class=format!("figure {}", gain_class(c.abs))>
                            {format!("{} {base}", format::signed_amount(c.abs, 2))}
                            {c.pct.map(|p| format!(" ({})", format::signed_percent(p, 2)))}
                        </span>
                        <span class="muted">{format!(" over 24 h, from the {} of the value with a 24 h change", format::percent(covered * 100.0, 0))}</span>
                    </p>
                }
                .into_any(),
                None => view! { <p class="muted" id="holdings-change">"No 24 h change yet: it comes with live prices."</p> }.into_any(),
            }
        })
    }
}

/// Allocation by group at a glance: a 100 % bar and its legend (colours by group, the same
/// on every page).
#[component]
fn Allocation(valuation: Memo<Valuation>) -> impl IntoView {
    let slices = Memo::new(move |_| {
        valuation.with(|v| chart_slices(&allocation(v, Dimension::Group), "Other"))
    });
    view! {
        <div class="card" id="allocation">
            <p class="label">"Allocation by group (positive values)"</p>
            <div class="strip" aria-hidden="true">
                {move || slices.get().into_iter().map(|c| view! {
                    <span class=format!("c{}", c.slot) style:--pct=format!("{:.2}", c.slice.share * 100.0)></span>
                }).collect_view()}
            </div>
            <ul class="legend-list">
                {move || slices.get().into_iter().map(|c| view! {
                    <li title=c.folded.join(", ")>
                        <span class=format!("swatch c{}", c.slot) aria-hidden="true"></span>
                        {c.slice.label}" "<span class="figure muted">{format::percent(c.slice.share * 100.0, 1)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// A first look at an empty portfolio: three steps.
#[component]
fn Welcome() -> impl IntoView {
    view! {
        <div class="card" id="welcome">
            <h2>"Start here"</h2>
            <ol>
                <li><a href="/import">"Import a file"</a>" from CoinTracking, Saxo Bank or any table with symbols and quantities, or "<a href="/sources">"add holdings by hand"</a>"."</li>
                <li>"Check the prices: Folio fetches them and says where each comes from."</li>
                <li><a href="/rebalance">"Set targets"</a>" and see the trades that reach them."</li>
            </ol>
        </div>
    }
}

/// What the values are: base currency, pricing mode, FX date, what the last refresh did,
/// what the total leaves out, and why values did not change.
#[component]
fn PriceLine(valuation: Memo<Valuation>) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="price-line">
            <span id="price-status" role="status">
                {move || {
                    let (mode, base) = state.settings.with(|s| (s.pricing_mode, s.base_currency));
                    let fx = state.fx.get().map_or("no FX rates yet".to_string(), |f| format!("FX: ECB rates of {}", f.rates.date));
                    format!("Values in {base} · pricing: {} · {fx} · {}", mode.label(), price_headline(state))
                }}
            </span>
            {move || state.prices.with(|p| p.loading).then(|| view! { <progress class="price-progress" aria-label="Loading prices"></progress> })}
            {move || fx_problem(state).map(|t| view! { <p class="warn" id="fx-problem">{t}</p> })}
            {move || valuation.with(left_out_sentence).map(|t| view! { <p class="warn" id="total-left-out">{t}</p> })}
            {move || valuation.with(|v| kept_sentence(v, state.now.get())).map(|t| view! { <p id="file-values-kept">{t}</p> })}
            {move || {
                let events = state.prices.with(|p| p.events.clone());
                (!events.is_empty()).then(|| view! {
                    <details class="price-events">
                        <summary>"What each source did"</summary>
                        <ul id="price-events">{events.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </details>
                })
            }}
        </div>
    }
}

/// Base-currency totals per bucket of a dimension.
#[component]
fn GroupedView(lines: Memo<Vec<ValuedRow>>, dim: Dimension) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let base = state.settings.with(|s| s.base_currency);
        let all = lines.get();
        let buckets = group_by(&all, |l| &l.row, |l| l.value, dim);
        let total: f64 = buckets.iter().map(|b| b.total).sum();
        view! {
            <div class="table-wrap">
            <table class="grouped" id="grouped-table">
                <caption>{format!("Totals by {} in {base}", dim.label().to_lowercase())}</caption>
                <thead><tr><th scope="col">{dim.label()}</th><th scope="col" class="num">"Holdings"</th><th scope="col" class="num">{format!("Value ({base})")}</th><th scope="col" class="num">"Share"</th></tr></thead>
                <tbody>
                    {buckets.into_iter().map(|b| view! {
                        <tr>
                            <th scope="row">{b.key}</th>
                            <td class="num">{b.count}</td>
                            <td class="num">{format_amount(b.total, 2)}{(b.unvalued > 0).then(|| format!(" (+{} unvalued)", b.unvalued))}</td>
                            <td class="num">{if total.abs() > 0.0 { format::percent(b.total / total * 100.0, 1) } else { "—".into() }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">"Total"</th><td class="num">{all.len()}</td><td class="num">{format_amount(total, 2)}</td><td></td></tr></tfoot>
            </table>
            </div>
        }
    }
}

/// The sortable holdings table: what people read first (asset, group, quantity, price,
/// value, weight, 24 h), then where each figure comes from (price source, file value,
/// location, source).
#[component]
fn HoldingsTable(lines: Memo<Vec<ValuedRow>>, sort: RwSignal<(SortKey, bool)>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let base = move || state.settings.with(|s| s.base_currency);
    let header = move |key: SortKey, label: &'static str, numeric: bool, class: &'static str| {
        view! { <SortHeader key=key label=label.to_string() numeric=numeric sort=sort class=class/> }
    };
    let total = move || state.valued.with(|v| v.total);
    view! {
        <div class="table-wrap">
        <table class="holdings" id="holdings-table">
            <caption class="visually-hidden">"All holdings"</caption>
            <thead><tr>
                {header(SortKey::Symbol, "Asset", false, "")}
                {header(SortKey::Group, "Group", false, "opt")}
                {header(SortKey::Quantity, "Quantity", true, "opt")}
                <th scope="col" class="num opt">{move || format!("Price ({})", base())}</th>
                <SortHeader key=SortKey::Value label=Signal::derive(move || format!("Value ({})", base())) numeric=true sort=sort/>
                <th scope="col" class="num">"Weight"</th>
                <th scope="col" class="num">"24 h"</th>
                <th scope="col">"Price source"</th>
                <th scope="col" class="num">"In the file"</th>
                {header(SortKey::Location, "Location", false, "")}
                {header(SortKey::Source, "Source", false, "")}
            </tr></thead>
            <tbody>
                {move || {
                    let now = state.now.get();
                    let total = total();
                    lines.get().into_iter().map(|v| {
                        let r = &v.row;
                        let h = &r.holding;
                        let unknown = r.group_origin == GroupOrigin::Unknown;
                        let origin = v.origin.as_ref().map(|o| match (o, v.at) {
                            (PriceOrigin::Cash, _) => "cash".to_string(),
                            (o, Some(t)) => format!("{} · {}", o.label(), age_label(t, now)),
                            (o, None) => o.label(),
                        });
                        let flagged = deviation_flagged(&v);
                        let weight = v.value.filter(|_| total.abs() > 1e-9).map(|x| format::percent(x / total * 100.0, 1));
                        let change = v.change_24h_pct;
                        view! {
                            <tr class:unknown=unknown>
                                <td>
                                    <span class="symbol">{h.symbol.clone()}</span>
                                    {h.alias.clone().map(|a| view! { <span class="muted alias" title="as written in the file">{format!(" ({a})")}</span> })}
                                    {h.name.clone().filter(|n| !n.is_empty()).map(|n| view! { <span class="sub">{n}</span> })}
                                    <span class="sub narrow">{format!("{} · {}", format_quantity(h.quantity), r.group)}</span>
                                </td>
                                <td class="opt">{r.group.clone()}{unknown.then(|| view! { " "<span class="badge" title="Not in the taxonomy: assign a group above">"unknown"</span> })}</td>
                                <td class="num opt">{format_quantity(h.quantity)}</td>
                                <td class="num opt">{v.price.filter(|_| v.origin != Some(PriceOrigin::Cash)).map_or_else(|| "—".to_string(), format::price)}</td>
                                <td class="num value">{v.value.map_or_else(|| "—".to_string(), |x| format_amount(x, 2))}</td>
                                <td class="num">{weight.unwrap_or_else(|| "—".to_string())}</td>
                                <td class=format!("num {}", gain_class(change.unwrap_or(0.0)))>{change.map_or_else(|| "—".to_string(), |c| format::signed_percent(c, 2))}</td>
                                <td class="origin">
                                    {origin.unwrap_or_else(|| "no price".to_string())}
                                    {v.stale.then(|| view! { " "<span class="badge stale" title="older than an hour">"stale"</span> })}
                                    {flagged.then(|| view! { " "<span class="badge deviation" title="live and file values differ by more than 5 %">{format!("{} vs file", format::signed_percent(v.deviation_pct.unwrap_or(0.0), 1))}</span> })}
                                </td>
                                <td class="num muted">{h.value.map_or_else(|| "—".to_string(), |x| format!("{} {}", format_amount(x, 2), h.currency))}</td>
                                <td>{h.location.clone()}</td>
                                <td>{r.source.label()}</td>
                            </tr>
                        }
                    }).collect_view()
                }}
            </tbody>
        </table>
        </div>
    }
}

/// Prices the valuation needs and does not have: type one (in the base currency).
#[component]
fn MissingPrices(valuation: Memo<Valuation>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let save = move |key: PriceKey, text: String| {
        let base = state.settings.with_untracked(|s| s.base_currency);
        match parse_number(&text, DecimalStyle::Auto) {
            Ok(Some(price)) if price > 0.0 => {
                let mut s = state.settings.get_untracked();
                s.manual_prices.insert(
                    key.clone(),
                    Quote {
                        key,
                        price,
                        currency: base,
                        at: state.now.get_untracked(),
                        change_24h_pct: None,
                        origin: PriceOrigin::Manual,
                    },
                );
                uc.save(s);
            }
            _ => state.error(format!("“{text}” is not a price: type a positive number.")),
        }
    };
    let set_id = move |symbol: String, id: String| {
        let id = id.trim().to_lowercase();
        if id.is_empty() {
            return state.error("Type the coin's id as it appears in its CoinGecko address.");
        }
        let mut s = state.settings.get_untracked();
        s.id_overrides
            .insert(ProviderSymbol::new(Provider::CoinGecko, &symbol), id);
        uc.save_and_refresh(s);
    };
    move || {
        let missing = valuation.with(|v| v.missing.clone());
        let base = valuation.with(|v| v.base);
        (!missing.is_empty()).then(|| view! {
            <details class="worklist" id="missing-prices">
                <summary>{format!("{} asset(s) without a live price", missing.len())}</summary>
                <p class="muted">"Type a price, change the source order or add an API key in Settings. Assets with a file value keep it meanwhile."</p>
                <ul>
                    {missing.into_iter().map(|m| {
                        let text = RwSignal::new(String::new());
                        let id = format!("price-{}", m.key.to_string().replace([':', '@'], "-").to_lowercase());
                        let key = m.key.clone();
                        view! {
                            <li>
                                <label for=id.clone()>{format!("{} ({}{})", m.symbol, m.asset_class.label(), if m.has_file_value { ", file value used" } else { ", no value" })}</label>
                                <input id=id type="text" inputmode="decimal" size="10" placeholder=format!("price in {base}") prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                                <button type="button" on:click=move |_| save(key.clone(), text.get_untracked())>"Use this price"</button>
                                {(m.asset_class == AssetClass::Crypto).then(|| {
                                    let cg = RwSignal::new(String::new());
                                    let cg_id = format!("cgid-{}", m.symbol.to_lowercase());
                                    let symbol = m.symbol.clone();
                                    view! {
                                        <label for=cg_id.clone()>" or its CoinGecko id "</label>
                                        <input id=cg_id type="text" size="16" placeholder="e.g. virtual-protocol" prop:value=move || cg.get() on:input=move |ev| cg.set(event_target_value(&ev))/>
                                        <button type="button" on:click=move |_| set_id(symbol.clone(), cg.get_untracked())>"Use this id"</button>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        })
    }
}
