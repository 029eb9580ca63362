//! The plan on the Rebalance page: status, donuts, drift bars, actions, days, schedule,
//! unknown symbols, exports, share links and saved plans with their states.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::files::{copy_text, download};
use crate::browser::{new_id, now};
use crate::domain::calendar::Timestamp;
use crate::domain::dashboard::Slice;
use crate::domain::portfolio::{format_amount, format_quantity, unknown_symbols};
use crate::domain::rebalance::export::{
    encode_share, plan_csv, plan_json, schedule_csv, SharedPlan,
};
use crate::domain::rebalance::model::{positions, Action, Plan, PlanStatus, Side, SleeveSummary};
use crate::domain::rebalance::saved::{PlanState, SavedPlan};
use crate::domain::rebalance::schedule::{schedule, Algo};
use crate::domain::rebalance::targets::Targets;
use crate::domain::rebalance::venues::normalize_location;
use crate::domain::valuation::{ago_label, Valuation};
use crate::ui::charts::donut::Donut;
use crate::ui::components::unknown_symbols::UnknownSymbols;
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{save_plan_case, saved_plans};

/// Per symbol: price source label, price time (ms), stale.
type PriceInfo = BTreeMap<String, (String, Option<Timestamp>, bool)>;

/// Rows of the actions and schedule tables shown before "show all".
const ROWS_SHOWN: usize = 300;

fn money(v: f64) -> String {
    format_amount(v, 2)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortCol {
    Side,
    Asset,
    Group,
    Location,
    Amount,
    Fee,
}

fn sort_actions(actions: &mut [(usize, Action)], col: SortCol, asc: bool) {
    actions.sort_by(|(ia, a), (ib, b)| {
        let o = match col {
            SortCol::Side => a.side.cmp(&b.side),
            SortCol::Asset => a.alias.cmp(&b.alias),
            SortCol::Group => a.group.cmp(&b.group),
            SortCol::Location => normalize_location(&a.location)
                .to_lowercase()
                .cmp(&normalize_location(&b.location).to_lowercase()),
            SortCol::Amount => a.amount.total_cmp(&b.amount),
            SortCol::Fee => a.fee.total_cmp(&b.fee),
        }
        .then(ia.cmp(ib));
        if asc {
            o
        } else {
            o.reverse()
        }
    });
}

fn status_line(p: &Plan) -> String {
    let base = &p.base;
    match p.status {
        PlanStatus::InsideBands => "Every sleeve is inside its drift band: nothing to trade.".to_string(),
        PlanStatus::Frozen => "Trading is frozen by the policy: nothing to trade.".to_string(),
        PlanStatus::NothingToTrade => "Outside target, but no trade reaches the minimum size (or nothing can fund it) in this mode.".to_string(),
        PlanStatus::Trades => format!(
            "{} trade(s): sells {} {base}, buys {} {base}, estimated fees {} {base} ({:.3} % of the portfolio); {}.",
            p.actions.len(),
            money(p.sells),
            money(p.buys),
            money(p.fees),
            100.0 * p.fees / p.total,
            match p.options.policy.cap_daily_pct {
                Some(cap) => format!("{} day(s) under the {cap} % daily cap", p.days.len()),
                None => "no daily cap: one day".to_string(),
            }
        ),
    }
}

/// The plan, or why there is none.
#[component]
pub fn PlanView(
    /// The plan, or why there is none.
    result: Memo<Result<Plan, String>>,
    /// The targets being edited (saved with the plan).
    targets: Signal<Targets>,
    /// Execution schedule algorithm.
    algo: RwSignal<Algo>,
    /// The valued rows (for price sources and unknown symbols).
    valued: Memo<Valuation>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let unknown = Memo::new(move |_| {
        valued.with(|v| unknown_symbols(&v.rows.iter().map(|r| r.row.clone()).collect::<Vec<_>>()))
    });
    // Price source and age per symbol, for the actions table.
    let price_info = Memo::new(move |_| {
        valued.with(|v| {
            let mut m: BTreeMap<String, (String, Option<Timestamp>, bool)> = BTreeMap::new();
            for x in &v.rows {
                if let Some(o) = &x.origin {
                    m.entry(x.holding().symbol.clone())
                        .or_insert((o.label(), x.at, x.stale));
                }
            }
            m
        })
    });
    let sort = RwSignal::new((SortCol::Location, true));
    let by_location = RwSignal::new(true);
    let share_link = RwSignal::new(None::<String>);
    let save_plan = save_plan_case();
    // The profile's saved plans, read again after each save.
    let saved = LocalResource::new(move || {
        save_plan.version().track();
        let profile = state.current.get();
        async move {
            match profile {
                Some(p) => saved_plans(p).await,
                None => Ok(Vec::new()),
            }
        }
    });
    let saved_list = move || saved.get().and_then(|r| r.ok()).unwrap_or_default();
    let with_plan = move |f: &dyn Fn(&Plan)| {
        result.with_untracked(|r| {
            if let Ok(p) = r {
                f(p)
            }
        })
    };
    let export_csv = move |_| {
        with_plan(&|p| {
            report(
                state,
                download(
                    "rebalance-actions.csv",
                    "text/csv;charset=utf-8",
                    &format!("\u{feff}{}", plan_csv(p)),
                ),
            )
        })
    };
    let export_json = move |_| {
        with_plan(&|p| {
            report(
                state,
                download(
                    "rebalance-plan.json",
                    "application/json",
                    &plan_json(p, &targets.get_untracked(), &now().minute_label()),
                ),
            )
        })
    };
    let export_schedule = move |_| {
        with_plan(&|p| {
            report(
                state,
                download(
                    "rebalance-schedule.csv",
                    "text/csv;charset=utf-8",
                    &format!(
                        "\u{feff}{}",
                        schedule_csv(&schedule(p, algo.get_untracked()))
                    ),
                ),
            )
        })
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let share = move |percent_only: bool| {
        with_plan(&|p| {
            // What the plan leaves out travels with it, so the recipient can tell why its
            // total differs from the Holdings total.
            let left = valued.with_untracked(|v| positions(v).1);
            let shared =
                SharedPlan::of(p, &now().minute_label(), percent_only).with_left_out(&left);
            let fragment = encode_share(&shared);
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            share_link.set(Some(format!("{origin}/shared#{fragment}")));
        })
    };
    let save = move |_| {
        let Some(profile) = state.current.get_untracked() else {
            return;
        };
        let Ok(plan) = result.get_untracked() else {
            return;
        };
        let record = SavedPlan::draft(new_id(), profile, targets.get_untracked(), plan, now());
        save_plan.dispatch_local(record);
    };
    let move_to = move |id: String, to: PlanState| {
        let Some(mut record) = saved_list().into_iter().find(|p| p.id == id) else {
            return;
        };
        if let Err(e) = record.transition(to, now()) {
            state.error(e.to_string());
            return;
        }
        save_plan.dispatch_local(record);
    };

    let body = move || match result.get() {
        Err(e) => view! { <p id="plan-error" class="error" role="alert">{e}</p> }.into_any(),
        Ok(p) => {
            let base = p.base.to_string();
            // The donut of one side: (value, percent) of each sleeve that has some.
            let slices = |side: fn(&SleeveSummary) -> (f64, f64)| -> Vec<Slice> {
                p.sleeves
                    .iter()
                    .map(|s| (s, side(s)))
                    .filter(|(_, (_, pct))| *pct > 0.0)
                    .map(|(s, (value, pct))| Slice {
                        label: s.key.clone(),
                        value,
                        share: pct / 100.0,
                    })
                    .collect()
            };
            let current = slices(|s| (s.current, s.current_pct));
            let target = slices(|s| (s.target_value, s.target_pct));
            let days = p.days.clone();
            let actions = p.actions.clone();
            let notes = p.notes.clone();
            view! {
                <p id="plan-status" class="summary" role="status">{status_line(&p)}</p>
                {(!notes.is_empty()).then(|| view! { <ul id="plan-notes" class="changes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                <div class="charts">
                    <Donut id="donut-current" title="Now" slices=Signal::stored(current)/>
                    <Donut id="donut-target" title="Target" slices=Signal::stored(target)/>
                </div>
                <DriftBars plan=p.clone()/>
                <h2>"Actions"</h2>
                <label class="controls"><input type="checkbox" id="group-by-location" prop:checked=move || by_location.get() on:change=move |ev| by_location.set(event_target_checked(&ev))/>"Group by exchange or wallet"</label>
                <ActionsTable actions=actions base=base.clone() sort=sort by_location=by_location price_info=price_info/>
                {(days.len() > 1).then(|| view! {
                    <table id="days">
                        <caption>{p.options.policy.cap_daily_pct.map_or_else(|| "Days".to_string(), |cap| format!("Days under the {cap} % daily cap"))}</caption>
                        <thead><tr><th scope="col">"Day"</th><th scope="col" class="num">"Orders"</th><th scope="col" class="num">{format!("Volume ({base})")}</th></tr></thead>
                        <tbody>{days.into_iter().map(|d| view! { <tr><td>{d.day}</td><td class="num">{d.orders.len()}</td><td class="num">{money(d.volume)}</td></tr> }).collect_view()}</tbody>
                    </table>
                })}
                <ScheduleTable plan=p algo=algo/>
            }
            .into_any()
        }
    };
    view! {
        <h2>"Plan"</h2>
        {body}
        <UnknownSymbols unknown=unknown/>
        <h2>"Export and share"</h2>
        <div class="actions no-print">
            <button type="button" id="export-csv" on:click=export_csv>"Actions CSV"</button>
            <button type="button" id="export-json" on:click=export_json>"Plan JSON"</button>
            <button type="button" id="export-schedule" on:click=export_schedule>"Schedule CSV"</button>
            <button type="button" id="print-plan" on:click=print>"Print"</button>
            <button type="button" id="share-full" on:click=move |_| share(false)>"Share link"</button>
            <button type="button" id="share-percent" on:click=move |_| share(true)>"Share link (percent only)"</button>
        </div>
        {move || share_link.get().map(|link| {
            let l2 = link.clone();
            view! {
                <p class="muted">"The plan is in the part after #, which browsers never send to a server. Anyone with the link sees it read-only."</p>
                <div class="inline-form no-print">
                    <label for="share-link">"Link"</label>
                    <input id="share-link" readonly size="60" prop:value=link/>
                    <button type="button" id="copy-share" on:click=move |_| {
                        let text = l2.clone();
                        spawn_local(async move {
                            match copy_text(&text).await {
                                Ok(()) => state.info("Link copied."),
                                Err(e) => state.error(format!("The link could not be copied: {e}")),
                            }
                        });
                    }>"Copy"</button>
                </div>
            }
        })}
        <h2>"Saved plans"</h2>
        <p class="muted">"Saving keeps this plan with its targets. Marking it executed records that you carried it out; it does not change your holdings."</p>
        <button type="button" id="save-plan" class="no-print" on:click=save disabled=move || result.with(|r| r.is_err())>"Save as draft"</button>
        <ErrorBoundary fallback=show_errors>
            {move || saved.get().map(|r| r.map(|_| ()))}
            {move || save_plan.value().get().map(|r| r.map(|p| view! {
                <p class="notice info" role="status" id="plan-saved">{match p.state {
                    PlanState::Draft => "Plan saved as a draft.".to_string(),
                    PlanState::Executed => "Plan marked executed. Holdings are not changed: import fresh exports to see the result.".to_string(),
                    s => format!("Plan marked {}.", s.label().to_lowercase()),
                }}</p>
            }))}
        </ErrorBoundary>
        <ul id="saved-plans" class="changes">
            {move || saved_list().into_iter().map(|sp| {
                let id = sp.id.clone();
                let history = sp.history.iter().map(|c| format!("{} {}", c.state.label(), ago_label(c.at, state.now.get()))).collect::<Vec<_>>().join(" → ");
                let next = sp.state.next().to_vec();
                view! {
                    <li data-state=sp.state.label()>
                        <strong>{sp.state.label()}</strong>
                        {format!(" · {} trade(s), {} {} · {history} ", sp.plan.actions.len(), money(sp.plan.sells + sp.plan.buys), sp.plan.base)}
                        {next.into_iter().map(|to| {
                            let id = id.clone();
                            let label = match to {
                                PlanState::Approved => "Approve",
                                PlanState::Executed => "Mark executed",
                                PlanState::Cancelled => "Cancel",
                                PlanState::Draft => "Back to draft",
                            };
                            view! { <button type="button" class="plan-state" on:click=move |_| move_to(id.clone(), to)>{label}</button> }
                        }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn report(state: AppState, r: Result<(), String>) {
    if let Err(e) = r {
        state.error(format!("The download could not start: {e}"));
    }
}

/// Drift per sleeve as SVG bars (attributes only, so the CSP needs no inline styles):
/// the band around the target shaded, the target as a line, now as a bar, after as a dot.
#[component]
fn DriftBars(plan: Plan) -> impl IntoView {
    let max = plan
        .sleeves
        .iter()
        .map(|s| s.current_pct.max(s.target_pct + s.band_pp).max(s.after_pct))
        .fold(10.0f64, f64::max)
        .min(100.0);
    // Positions on the bar, in percent of its width (the scale runs from 0 to `max`).
    let x = move |pct: f64| format!("{:.2}", pct.clamp(0.0, max) / max * 100.0);
    view! {
        <div class="table-wrap">
        <table id="drift">
            <caption>"Drift from target (percent of the portfolio; the shaded band is where nothing is traded)"</caption>
            <thead><tr>
                <th scope="col">"Sleeve"</th><th scope="col" class="num">"Now"</th><th scope="col" class="num">"Target"</th>
                <th scope="col" class="num">"Band ±"</th><th scope="col" class="num">"After"</th><th scope="col">"Drift"</th>
            </tr></thead>
            <tbody>
                {plan.sleeves.iter().map(|s| {
                    let lo = (s.target_pct - s.band_pp).max(0.0);
                    let hi = s.target_pct + s.band_pp;
                    view! {
                        <tr class:outside=s.outside data-sleeve=s.key.clone()>
                            <th scope="row">{s.key.clone()}{s.outside.then(|| view! { <span class="badge">" outside band"</span> })}</th>
                            <td class="num">{format!("{:.2} %", s.current_pct)}</td>
                            <td class="num">{format!("{:.2} %", s.target_pct)}</td>
                            <td class="num">{format!("{:.2}", s.band_pp)}</td>
                            <td class="num">{format!("{:.2} %", s.after_pct)}</td>
                            <td>
                                <span class="drift" role="img" aria-label=format!("{}: now {:.1} %, target {:.1} %, after {:.1} %", s.key, s.current_pct, s.target_pct, s.after_pct)
                                    style:--lo=x(lo) style:--hi=x(hi) style:--now=x(s.current_pct) style:--target=x(s.target_pct) style:--after=x(s.after_pct)>
                                    <span class="band"></span>
                                    <span class="now" class:out=s.outside></span>
                                    <span class="target"></span>
                                    <span class="after"></span>
                                </span>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <p class="muted">"Bar: now (vermillion when outside its band). Line: target. Dot: after the plan. Shade: the band."</p>
    }
}

#[component]
fn ActionsTable(
    actions: Vec<Action>,
    base: String,
    sort: RwSignal<(SortCol, bool)>,
    by_location: RwSignal<bool>,
    price_info: Memo<PriceInfo>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    if actions.is_empty() {
        return view! { <p class="muted" id="no-actions">"No actions."</p> }.into_any();
    }
    // Long plans show their first rows until asked, so edits stay instant.
    let limit = RwSignal::new(ROWS_SHOWN);
    let count = actions.len();
    let header = move |label: &'static str, col: SortCol, num: bool| {
        view! {
            <th scope="col" class:num=num aria-sort=move || { let (c, asc) = sort.get(); if c == col { if asc { "ascending" } else { "descending" } } else { "none" } }>
                <button type="button" class="sort" on:click=move |_| sort.update(|(c, asc)| { if *c == col { *asc = !*asc } else { *c = col; *asc = true } })>{label}</button>
            </th>
        }
    };
    let rows = move || {
        let (col, asc) = sort.get();
        let mut list: Vec<(usize, Action)> = actions.iter().cloned().enumerate().collect();
        sort_actions(&mut list, col, asc);
        list.truncate(limit.get());
        let info = price_info.get();
        let now = state.now.get();
        let render = |a: &Action| {
            let price = match (a.price_used, info.get(&a.symbol)) {
                (Some(p), Some((origin, at, stale))) => format!(
                    "{} ({origin}{}{})",
                    format_amount(p, if p < 1.0 { 6 } else { 2 }),
                    at.map(|t| format!(", {}", ago_label(t, now)))
                        .unwrap_or_default(),
                    if *stale { ", stale" } else { "" }
                ),
                (Some(p), None) => format_amount(p, 2),
                (None, _) => "—".to_string(),
            };
            view! {
                <tr class=if a.side == Side::Sell { "sell" } else { "buy" }>
                    <td>{a.side.key()}</td>
                    <td>{a.alias.clone()}{a.choose_asset.then(|| view! { <span class="badge">" choose an asset"</span> })}</td>
                    <td>{a.group.clone()}</td>
                    <td>{if a.location.is_empty() { "—".to_string() } else { normalize_location(&a.location) }}</td>
                    <td class="num">{money(a.amount)}</td>
                    <td class="num">{a.est_quantity().map(format_quantity).unwrap_or_else(|| "—".into())}</td>
                    <td class="num">{price}</td>
                    <td class="num">{format!("{} ({} bp)", money(a.fee), a.fee_bps)}</td>
                    <td>{a.exec_hint.clone()}</td>
                </tr>
            }
        };
        if by_location.get() {
            let mut groups: Vec<(String, Vec<&Action>)> = Vec::new();
            for (_, a) in &list {
                let key = if a.location.is_empty() {
                    "Unassigned".to_string()
                } else {
                    normalize_location(&a.location)
                };
                match groups
                    .iter_mut()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                {
                    Some((_, v)) => v.push(a),
                    None => groups.push((key, vec![a])),
                }
            }
            groups.into_iter().map(|(loc, items)| {
                let sells: f64 = items.iter().filter(|a| a.side == Side::Sell).map(|a| a.amount).sum();
                let buys: f64 = items.iter().filter(|a| a.side == Side::Buy).map(|a| a.amount).sum();
                view! {
                    <tr class="location-head"><th colspan="9" scope="rowgroup">{format!("{loc} — sells {}, buys {}", money(sells), money(buys))}</th></tr>
                    {items.into_iter().map(render).collect_view()}
                }
            }).collect_view().into_any()
        } else {
            list.iter()
                .map(|(_, a)| render(a))
                .collect_view()
                .into_any()
        }
    };
    view! {
        <table id="actions">
            <caption class="visually-hidden">"Actions"</caption>
            <thead><tr>
                {header("Action", SortCol::Side, false)}
                {header("Asset", SortCol::Asset, false)}
                {header("Group", SortCol::Group, false)}
                {header("Location", SortCol::Location, false)}
                {header("Amount", SortCol::Amount, true)}
                <th scope="col" class="num">"Est. quantity"</th>
                <th scope="col" class="num">{format!("Price ({base}; source, age)")}</th>
                {header("Fee", SortCol::Fee, true)}
                <th scope="col">"Hint"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {move || (count > limit.get()).then(|| view! {
            <p class="muted">
                {format!("Showing {} of {count} actions (every one is in the exports). ", limit.get())}
                <button type="button" id="show-all-actions" on:click=move |_| limit.set(usize::MAX)>{format!("Show all {count}")}</button>
            </p>
        })}
    }
    .into_any()
}

#[component]
fn ScheduleTable(plan: Plan, algo: RwSignal<Algo>) -> impl IntoView {
    // Built only while open: a long plan has tens of thousands of child orders.
    let open = RwSignal::new(false);
    let plan = StoredValue::new(plan);
    let table = move || {
        let slices = plan.with_value(|p| schedule(p, algo.get()));
        let total = slices.len();
        let base = plan.with_value(|p| p.base);
        let caption = match algo.get() {
            Algo::Immediate => "Immediate: one market order per order".to_string(),
            Algo::Twap { slices, interval_min } => format!("TWAP: up to {slices} equal limit orders, one every {interval_min} min (fewer when slices would fall under the minimum trade)"),
            Algo::Iceberg { slices } => format!("Iceberg: up to {slices} visible slices, each after the previous fills"),
        };
        view! {
            <p class="muted">{format!("{total} child order(s){}", if total > ROWS_SHOWN { format!("; the first {ROWS_SHOWN} are shown, the schedule CSV has them all") } else { String::new() })}</p>
            <table>
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Day"</th><th scope="col">"Action"</th><th scope="col">"Asset"</th><th scope="col">"Where"</th><th scope="col">"Slice"</th><th scope="col">"Start"</th><th scope="col" class="num">{format!("Amount ({base})")}</th><th scope="col" class="num">"Est. quantity"</th></tr></thead>
                <tbody>{slices.into_iter().take(ROWS_SHOWN).map(|s| view! {
                    <tr>
                        <td>{s.day}</td><td>{s.side.key()}</td><td>{s.alias}</td><td>{normalize_location(&s.location)}</td>
                        <td>{format!("{}/{}", s.slice, s.of)}</td>
                        <td>{s.start_min.map(|m| format!("+{m} min")).unwrap_or_else(|| "after previous fill".into())}</td>
                        <td class="num">{money(s.amount)}</td>
                        <td class="num">{s.est_quantity.map(format_quantity).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
    };
    plan.with_value(|p| !p.days.is_empty()).then(|| view! {
        <details class="panel" id="schedule" prop:open=move || open.get() on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary>"Execution schedule (child orders per day)"</summary>
            {move || open.get().then(table)}
        </details>
    })
}
