//! Holdings: one table across sources, grouped views, totals, dust filter, unknown symbols.

use leptos::prelude::*;

use crate::domain::number::{parse_number, DecimalStyle};
use crate::domain::portfolio::{
    assemble, format_amount, format_quantity, group_by, sort_rows, unknown_symbols, without_dust,
    CurrencyTotals, Dimension, PortfolioRow, SortKey,
};
use crate::domain::taxonomy::{GroupOrigin, GROUPS};
use crate::ui::state::AppState;

const COLUMNS: [(SortKey, &str, bool); 8] = [
    (SortKey::Symbol, "Symbol", false),
    (SortKey::Name, "Name", false),
    (SortKey::Group, "Group", false),
    (SortKey::Quantity, "Quantity", true),
    (SortKey::Value, "Value (file)", true),
    (SortKey::Currency, "Currency", false),
    (SortKey::Location, "Location", false),
    (SortKey::Source, "Source", false),
];

/// The holdings page.
#[component]
pub fn HoldingsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort = RwSignal::new((SortKey::Value, false));
    let view_by = RwSignal::new(None::<Dimension>);
    let all_rows = Memo::new(move |_| {
        state
            .versions
            .with(|v| state.settings.with(|s| assemble(s, v)))
    });
    let rows = Memo::new(move |_| {
        let min = state.settings.with(|s| s.dust_min);
        let mut rows = without_dust(all_rows.get(), min);
        let (key, asc) = sort.get();
        sort_rows(&mut rows, key, asc);
        rows
    });
    let hidden = move || all_rows.with(Vec::len) - rows.with(Vec::len);
    let totals = move || rows.with(|r| CurrencyTotals::of(r.iter().map(|r| &r.holding)));
    let unknown = Memo::new(move |_| all_rows.with(|r| unknown_symbols(r)));

    let set_dust = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match parse_number(&text, DecimalStyle::Auto) {
            Ok(v) => {
                let mut s = state.settings.get_untracked();
                s.dust_min = v.unwrap_or(0.0).max(0.0);
                state.save_settings(s);
            }
            Err(e) => state.error(format!("Minimum value: {e}")),
        }
    };

    view! {
        <section aria-labelledby="holdings-title">
            <h1 id="holdings-title">"Holdings"</h1>
            <p class="muted">
                "Values are the ones in your files, in each file's currency (live prices are not fetched yet). Totals are kept per currency."
            </p>
            <div class="summary" id="total-summary">
                <strong>"Total: "</strong>
                <span id="grand-total">{move || totals().describe()}</span>
                {move || {
                    let t = totals();
                    (t.unvalued > 0).then(|| view! { <span class="muted">{format!(" · {} holding(s) without a value in the file", t.unvalued)}</span> })
                }}
                <span class="muted">{move || format!(" · {} holding(s)", rows.with(Vec::len))}</span>
            </div>
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
                <label>
                    "Hide holdings worth less than "
                    <input id="dust-min" type="text" inputmode="decimal" size="8"
                        prop:value=move || { let m = state.settings.with(|s| s.dust_min); if m > 0.0 { m.to_string() } else { String::new() } }
                        on:change=set_dust/>
                    " (in their own currency)"
                </label>
                {move || (hidden() > 0).then(|| view! { <span class="muted" id="dust-hidden">{format!("{} hidden", hidden())}</span> })}
            </div>
            <UnknownSymbols unknown=unknown/>
            {move || match view_by.get() {
                None => view! { <HoldingsTable rows=rows sort=sort caption="All holdings".to_string()/> }.into_any(),
                Some(dim) => view! { <GroupedView rows=rows dim=dim/> }.into_any(),
            }}
            {move || all_rows.with(Vec::is_empty).then(|| view! {
                <p>"No holdings yet. "<a href="/import">"Import a file"</a>" or add a manual entry under "<a href="/sources">"Sources"</a>"."</p>
            })}
        </section>
    }
}

/// Totals per bucket of a dimension, each with its rows.
#[component]
fn GroupedView(rows: Memo<Vec<PortfolioRow>>, dim: Dimension) -> impl IntoView {
    move || {
        let all = rows.get();
        let buckets = group_by(&all, dim);
        view! {
            <table class="grouped" id="grouped-table">
                <caption>{format!("Totals by {}", dim.label().to_lowercase())}</caption>
                <thead><tr><th scope="col">{dim.label()}</th><th scope="col" class="num">"Holdings"</th><th scope="col" class="num">"Value (file)"</th></tr></thead>
                <tbody>
                    {buckets.iter().map(|b| view! {
                        <tr>
                            <th scope="row">{b.key.clone()}</th>
                            <td class="num">{b.rows.len()}</td>
                            <td class="num">{b.totals.describe()}{(b.totals.unvalued > 0).then(|| format!(" (+{} unvalued)", b.totals.unvalued))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr><th scope="row">"Total"</th><td class="num">{all.len()}</td><td class="num">{CurrencyTotals::of(all.iter().map(|r| &r.holding)).describe()}</td></tr></tfoot>
            </table>
        }
    }
}

/// The sortable holdings table.
#[component]
fn HoldingsTable(
    rows: Memo<Vec<PortfolioRow>>,
    sort: RwSignal<(SortKey, bool)>,
    caption: String,
) -> impl IntoView {
    let header = move |key: SortKey, label: &'static str, numeric: bool| {
        let aria = move || match sort.get() {
            (k, true) if k == key => "ascending",
            (k, false) if k == key => "descending",
            _ => "none",
        };
        let click = move |_| {
            sort.update(|(k, asc)| {
                if *k == key {
                    *asc = !*asc;
                } else {
                    *k = key;
                    *asc = !numeric;
                }
            })
        };
        view! {
            <th scope="col" aria-sort=aria class:num=numeric>
                <button type="button" class="sort" on:click=click>
                    {label}
                    <span aria-hidden="true">{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
                </button>
            </th>
        }
    };
    view! {
        <table class="holdings" id="holdings-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>{COLUMNS.into_iter().map(|(k, l, n)| header(k, l, n)).collect_view()}</tr></thead>
            <tbody>
                {move || rows.get().into_iter().map(|r| {
                    let h = r.holding;
                    let unknown = r.group_origin == GroupOrigin::Unknown;
                    let price_note = match (h.price, &h.price_currency) {
                        (Some(p), Some(c)) => format!("price {} {c}", format_amount(p, 2)),
                        _ => String::new(),
                    };
                    view! {
                        <tr class:unknown=unknown>
                            <td>
                                <span class="symbol">{h.symbol.clone()}</span>
                                {h.alias.clone().map(|a| view! { <span class="muted alias" title="as written in the file">{format!(" ({a})")}</span> })}
                            </td>
                            <td>{h.name.clone().unwrap_or_default()}</td>
                            <td>{r.group.clone()}{unknown.then(|| view! { <span class="badge" title="Not in the taxonomy: assign a group above">" unknown"</span> })}</td>
                            <td class="num">{format_quantity(h.quantity)}</td>
                            <td class="num" title=price_note>{h.value.map_or_else(|| "—".to_string(), |v| format_amount(v, 2))}</td>
                            <td>{h.currency.clone()}</td>
                            <td>{h.location.clone()}</td>
                            <td>{r.source.label()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Symbols no map knows, with a one-step "assign group".
#[component]
fn UnknownSymbols(unknown: Memo<Vec<(String, Option<&'static str>)>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let assign = move |symbol: String, group: String| {
        let mut s = state.settings.get_untracked();
        s.group_overrides
            .insert(symbol.to_uppercase(), group.clone());
        state.save_settings(s);
        state.info(format!("{symbol} is now in {group}."));
    };
    move || {
        let list = unknown.get();
        (!list.is_empty()).then(|| {
            view! {
                <details class="unknown-panel" open>
                    <summary>{format!("{} symbol(s) not in the taxonomy: they count as Others until you assign them", list.len())}</summary>
                    <ul>
                        {list.into_iter().map(|(symbol, suggestion)| {
                            let choice = RwSignal::new(suggestion.unwrap_or("Others").to_string());
                            let sym = symbol.clone();
                            let id = format!("assign-{}", symbol.to_lowercase());
                            view! {
                                <li>
                                    <label for=id.clone()><span class="symbol">{symbol.clone()}</span></label>
                                    {suggestion.map(|g| view! { <span class="muted">{format!(" (suggested: {g})")}</span> })}
                                    <select id=id on:change=move |ev| choice.set(event_target_value(&ev)) prop:value=move || choice.get()>
                                        {GROUPS.into_iter().map(|g| view! { <option value=g selected=suggestion.unwrap_or("Others") == g>{g}</option> }).collect_view()}
                                    </select>
                                    <button type="button" on:click=move |_| assign(sym.clone(), choice.get_untracked())>"Assign group"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            }
        })
    }
}
