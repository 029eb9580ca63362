//! Rebalance: targets (classes, crypto groups, assets; templates), options (mode, bands,
//! fees, policy) and the plan, recomputed on every edit.

mod plan_view;

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::domain::holding::AssetClass;
use crate::domain::rebalance::model::{
    positions, Freeze, LeftOut, Market, Mode, Plan, PlanOptions, Position,
};
use crate::domain::rebalance::plan::plan;
use crate::domain::rebalance::schedule::Algo;
use crate::domain::rebalance::targets::{Bucket, Targets};
use crate::domain::rebalance::templates::{
    current_mix, current_weights, from_template, weights_of, CurrentMix, GroupScope, RiskBudget,
    RiskCurve, Template,
};
use crate::domain::rebalance::venues::{default_fee_bps, location_key, normalize_location};
use crate::domain::taxonomy::GROUPS;
use crate::domain::valuation::{PriceBook, Pricing};
use crate::ui::components::number_input::number_or_none;
use crate::ui::components::slug;
use crate::ui::state::AppState;
use crate::ui::use_cases::use_cases;
use plan_view::PlanView;

/// The Rebalance page. Its drafts are re-created when the profile changes.
#[component]
pub fn RebalancePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.current.track();
        let s = state.settings.get_untracked();
        view! { <Rebalancer initial_targets=s.targets initial_opts=s.plan_options/> }
    }
}

/// The targets being edited: the stored ones, or today's weights while none are stored
/// (a new profile starts with nothing to trade). The first edit stores them.
#[derive(Clone, Copy)]
struct Draft {
    stored: RwSignal<Targets>,
    shown: Memo<Targets>,
}

impl Draft {
    fn with<R>(&self, f: impl FnOnce(&Targets) -> R) -> R {
        self.shown.with(f)
    }

    fn set(&self, t: Targets) {
        self.stored.set(t);
    }

    fn update(&self, f: impl FnOnce(&mut Targets)) {
        let mut t = self.shown.get_untracked();
        f(&mut t);
        self.stored.set(t);
    }
}

#[component]
fn Rebalancer(initial_targets: Targets, initial_opts: PlanOptions) -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = use_cases();
    let stored = RwSignal::new(initial_targets);
    let opts = RwSignal::new(initial_opts);
    let algo = RwSignal::new(Algo::Immediate);
    let valued = state.valued;
    let book = Memo::new(move |_| valued.with(positions));
    let mix = Memo::new(move |_| book.with(|(p, _)| current_mix(p)));
    let shown = Memo::new(move |_| match stored.get() {
        t if t.is_empty() => mix.with(|m| current_weights(m, &[])),
        t => t,
    });
    let targets = Draft { stored, shown };
    let base = Memo::new(move |_| state.settings.with(|s| s.base_currency));
    // Live prices in the base currency, for buys of assets held nowhere.
    let market = Memo::new(move |_| {
        let (manual, mode) = state
            .settings
            .with(|s| (s.manual_prices.clone(), s.pricing_mode));
        let book = PriceBook {
            quotes: state.quotes.get(),
            manual,
        };
        let fx = state.fx.with(|f| f.as_ref().map(|f| f.rates.clone()));
        Market::live(&Pricing {
            book: &book,
            fx: fx.as_ref(),
            base: base.get(),
            mode,
            now: state.now.get_untracked(),
        })
    });
    let result: Memo<Result<Plan, String>> = Memo::new(move |_| {
        let flat = targets.with(|t| t.validate()).map_err(|e| e.to_string())?;
        opts.with(|o| book.with(|(p, _)| market.with(|m| plan(p, &flat, o, m))))
            .map_err(|e| e.to_string())
    });
    let persist = Callback::new(move |()| {
        let mut s = state.settings.get_untracked();
        s.targets = stored.get_untracked();
        s.plan_options = opts.get_untracked();
        uc.save(s);
    });
    view! {
        <section aria-labelledby="rebalance-title">
            <h1 id="rebalance-title">"Rebalance"</h1>
            <p class="muted">
                "Set target weights (they start at today's weights, so nothing is traded until you change one); the plan below follows every change. Amounts are in "
                {move || base.get().to_string()} ", valued as on the Holdings page (each price's source and age is shown there and in the actions table)."
            </p>
            {move || book.with(|(_, left)| (left.unvalued + left.non_positive > 0).then(|| view! {
                <p class="muted" id="left-out">{format!(
                    "Left out of the plan: {} row(s) without a price, {} with a zero or negative balance.",
                    left.unvalued, left.non_positive
                )}</p>
            }))}
            <TargetsEditor targets=targets book=book mix=mix persist=persist/>
            <OptionsEditor opts=opts algo=algo book=book persist=persist/>
            <PlanView result=result targets=Signal::from(shown) algo=algo valued=valued/>
        </section>
    }
}

/// One target: label, current weight, slider and number.
#[component]
fn TargetRow(
    id: String,
    label: String,
    current_pct: f64,
    value: Signal<f64>,
    set: Callback<f64>,
    commit: Callback<()>,
) -> impl IntoView {
    let range_id = format!("{id}-range");
    view! {
        <tr>
            <th scope="row"><label for=id.clone()>{label.clone()}</label></th>
            <td class="num">{format!("{current_pct:.2} %")}</td>
            <td>
                <input type="range" id=range_id min="0" max="100" step="any" aria-label=format!("{label} target slider")
                    prop:value=move || value.get().to_string()
                    on:input=move |ev| if let Some(v) = number_or_none(&event_target_value(&ev)) { set.run(v) }
                    on:change=move |_| commit.run(())/>
            </td>
            <td class="num">
                <input type="number" id=id min="0" max="100" step="0.01" class="pct"
                    prop:value=move || format!("{:.2}", value.get())
                    on:input=move |ev| if let Some(v) = number_or_none(&event_target_value(&ev)) { set.run(v) }
                    on:change=move |_| commit.run(())/>
                " %"
            </td>
        </tr>
    }
}

fn remainder_line(id: &'static str, what: &'static str, left: f64) -> impl IntoView {
    let ok = left.abs() <= 0.01;
    view! {
        <p id=id class=if ok { "muted" } else { "error" } role=if ok { "status" } else { "alert" }>
            {if ok { format!("{what}: 100 % assigned.") } else { format!("{what}: {left:+.2} points left to assign — the plan waits until they sum to 100 %.") }}
        </p>
    }
}

#[component]
fn TargetsEditor(
    targets: Draft,
    book: Memo<(Vec<Position>, LeftOut)>,
    mix: Memo<CurrentMix>,
    persist: Callback<()>,
) -> impl IntoView {
    let total = move || mix.with(|m| m.classes.values().sum::<f64>());
    let budget = RwSignal::new(RiskBudget::default());
    let all_groups = RwSignal::new(false);
    let apply = move |t: Template| {
        let scope = if all_groups.get_untracked() {
            GroupScope::All
        } else {
            GroupScope::Held
        };
        targets.set(mix.with(|m| from_template(t, m, scope)));
        persist.run(());
    };
    let apply_current = move || {
        let buckets: Vec<Bucket> = targets.with(|t| t.assets.keys().cloned().collect());
        targets.set(mix.with(|m| current_weights(m, &buckets)));
        persist.run(());
    };
    // Rows are rebuilt when the set of targets changes, not on each value: a slider being
    // dragged stays the same element, and shows the value typed in its number field.
    let class_keys = Memo::new(move |_| {
        targets.with(|t| t.classes.keys().copied().collect::<Vec<AssetClass>>())
    });
    let group_keys =
        Memo::new(move |_| targets.with(|t| t.groups.keys().cloned().collect::<Vec<String>>()));
    let class_rows = move || {
        let m = mix.get();
        let targeted = class_keys.get();
        let total: f64 = m.classes.values().sum();
        AssetClass::ALL
            .into_iter()
            .filter(|class| m.classes.contains_key(class) || targeted.contains(class))
            .map(|class| {
                let cur = m.classes.get(&class).copied().unwrap_or(0.0);
                let label = class.label();
                view! {
                    <TargetRow id=format!("target-class-{}", slug(label)) label=label.to_string()
                        current_pct={if total > 0.0 { 100.0 * cur / total } else { 0.0 }}
                        value=Signal::derive(move || targets.with(|t| t.classes.get(&class).copied().unwrap_or(0.0)))
                        set=Callback::new(move |v: f64| targets.update(|t| { t.classes.insert(class, v); }))
                        commit=persist/>
                }
            })
            .collect_view()
    };
    let group_rows = move || {
        let m = mix.get();
        let targeted = group_keys.get();
        let crypto: f64 = m.groups.values().sum();
        let mut labels: Vec<String> = GROUPS.iter().map(|g| g.to_string()).collect();
        for g in m.groups.keys().chain(targeted.iter()) {
            if !labels.contains(g) {
                labels.push(g.clone());
            }
        }
        labels
            .into_iter()
            .map(|g| {
                let cur = m.groups.get(&g).copied().unwrap_or(0.0);
                let (key, k2) = (g.clone(), g.clone());
                view! {
                    <TargetRow id=format!("target-group-{}", slug(&g)) label=g.clone()
                        current_pct={if crypto > 0.0 { 100.0 * cur / crypto } else { 0.0 }}
                        value=Signal::derive(move || targets.with(|t| t.groups.get(&key).copied().unwrap_or(0.0)))
                        set=Callback::new(move |v: f64| targets.update(|t| { t.groups.insert(k2.clone(), v); }))
                        commit=persist/>
                }
            })
            .collect_view()
    };
    let split = move || targets.with(|t| !t.groups.is_empty());
    let toggle_split = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let groups = if on {
            mix.with(|m| current_weights(m, &[]).groups)
        } else {
            BTreeMap::new()
        };
        targets.update(|t| {
            t.groups = groups;
            t.assets.clear();
        });
        persist.run(());
    };
    view! {
        <h2>"Targets"</h2>
        <div class="controls" role="group" aria-label="Templates">
            <span>"Start from:"</span>
            <button type="button" id="template-conservative" on:click=move |_| apply(Template::Conservative)>"Conservative"</button>
            <button type="button" id="template-balanced" on:click=move |_| apply(Template::Balanced)>"Balanced"</button>
            <button type="button" id="template-aggressive" on:click=move |_| apply(Template::Aggressive)>"Aggressive"</button>
            <button type="button" id="template-current" on:click=move |_| apply_current()>"Current weights"</button>
            <label><input type="checkbox" id="template-all-groups" prop:checked=move || all_groups.get() on:change=move |ev| all_groups.set(event_target_checked(&ev))/>" Templates also target crypto groups I do not hold"</label>
        </div>
        <details class="panel" id="risk-budget">
            <summary>"Risk-budget template (SmartFolio): the stablecoin share of crypto from a risk score"</summary>
            <div class="mapping-fields">
                <label for="rb-risk">"Risk score (0–100, higher is more robust)"</label>
                <input type="number" id="rb-risk" min="0" max="100" prop:value=move || budget.with(|b| b.risk_score.to_string())
                    on:input=move |ev| if let Some(v) = number_or_none(&event_target_value(&ev)) { budget.update(|b| b.risk_score = v) }/>
                <label for="rb-blended">"Blended decision score (0–100)"</label>
                <input type="number" id="rb-blended" min="0" max="100" prop:value=move || budget.with(|b| b.blended_score.to_string())
                    on:input=move |ev| if let Some(v) = number_or_none(&event_target_value(&ev)) { budget.update(|b| b.blended_score = v) }/>
                <label for="rb-cycle">"Cycle score (0–100)"</label>
                <input type="number" id="rb-cycle" min="0" max="100" prop:value=move || budget.with(|b| b.cycle_score.to_string())
                    on:input=move |ev| if let Some(v) = number_or_none(&event_target_value(&ev)) { budget.update(|b| b.cycle_score = v) }/>
                <label for="rb-curve">"Risk-factor curve"</label>
                <select id="rb-curve" on:change=move |ev| budget.update(|b| b.curve = if event_target_value(&ev) == "aggressive" { RiskCurve::Aggressive } else { RiskCurve::Conservative })>
                    <option value="conservative">"Conservative: 0.5 + 0.5·risk/100"</option>
                    <option value="aggressive">"Aggressive: 0.4 + 0.7·risk/100"</option>
                </select>
            </div>
            <p id="rb-steps">{move || {
                let s = budget.with(RiskBudget::steps);
                format!(
                    "risk factor {:.3} · base risky = clamp((round(blended) − 35)/45, 0, 1) = {:.3} · risky = clamp({:.3} × {:.3}, 0.20, 0.85) = {:.3} → stablecoins {:.0} % of crypto; the rest BTC {:.0} % / ETH {:.0} % / alts {:.0} % (cycle split).",
                    s.risk_factor, s.base_risky, s.base_risky, s.risk_factor, s.risky, s.stables_pct,
                    s.risky_split.0 * 100.0, s.risky_split.1 * 100.0, s.risky_split.2 * 100.0
                )
            }}</p>
            <button type="button" id="template-risk-budget" on:click=move |_| apply(Template::RiskBudget(budget.get_untracked()))>"Apply risk budget to crypto groups"</button>
        </details>
        {move || (total() <= 0.0).then(|| view! { <p class="muted">"Nothing is valued yet: import holdings or fetch prices to see current weights."</p> })}
        <table id="class-targets">
            <caption>"Asset classes (percent of the whole portfolio)"</caption>
            <thead><tr><th scope="col">"Class"</th><th scope="col" class="num">"Now"</th><th scope="col">"Target"</th><th scope="col" class="num">"Target %"</th></tr></thead>
            <tbody>{class_rows}</tbody>
        </table>
        {move || remainder_line("class-remainder", "Asset classes", targets.with(Targets::class_remainder))}
        <label class="controls">
            <input type="checkbox" id="split-crypto" prop:checked=split on:change=toggle_split/>
            "Split crypto by group (targets inside crypto)"
        </label>
        {move || split().then(|| view! {
            <table id="group-targets">
                <caption>"Crypto groups (percent of crypto)"</caption>
                <thead><tr><th scope="col">"Group"</th><th scope="col" class="num">"Now"</th><th scope="col">"Target"</th><th scope="col" class="num">"Target %"</th></tr></thead>
                <tbody>{group_rows}</tbody>
            </table>
            {move || remainder_line("group-remainder", "Crypto groups", targets.with(Targets::group_remainder))}
        })}
        <AssetTargets targets=targets book=book persist=persist/>
    }
}

/// Optional per-asset targets inside a bucket.
#[component]
fn AssetTargets(
    targets: Draft,
    book: Memo<(Vec<Position>, LeftOut)>,
    persist: Callback<()>,
) -> impl IntoView {
    // Bucket → asset → current value.
    let held = Memo::new(move |_| {
        let split = targets.with(|t| !t.groups.is_empty());
        let mut out: BTreeMap<Bucket, BTreeMap<String, f64>> = BTreeMap::new();
        book.with(|(ps, _)| {
            for p in ps {
                *out.entry(Bucket::of(p.class, &p.group, split))
                    .or_default()
                    .entry(p.alias.clone())
                    .or_default() += p.value;
            }
        });
        out
    });
    move || {
        let buckets = held.get();
        view! {
            <details class="panel" id="asset-targets">
                <summary>"Targets per asset inside a bucket (optional)"</summary>
                <p class="muted">"When a bucket has per-asset targets, assets left at 0 % are sold and buys go to the assets you name."</p>
                {buckets.into_iter().map(|(bucket, assets)| {
                    let b = bucket.clone();
                    let on = move || targets.with(|t| t.assets.contains_key(&b));
                    let b2 = bucket.clone();
                    let start = assets.clone();
                    let toggle = move |ev: leptos::ev::Event| {
                        let checked = event_target_checked(&ev);
                        targets.update(|t| {
                            if checked {
                                t.assets.insert(b2.clone(), weights_of(&start));
                            } else {
                                t.assets.remove(&b2);
                            }
                        });
                        persist.run(());
                    };
                    let b3 = bucket.clone();
                    let total: f64 = assets.values().sum();
                    view! {
                        <fieldset>
                            <legend>
                                <label><input type="checkbox" id=format!("assets-{}", slug(&bucket.to_string())) prop:checked=on.clone() on:change=toggle/>{format!(" {bucket}: per-asset targets")}</label>
                            </legend>
                            {move || on().then(|| {
                                let b = b3.clone();
                                let rows = assets.iter().map(|(alias, v)| {
                                    let (k1, k2, b1, b2) = (alias.clone(), alias.clone(), b.clone(), b.clone());
                                    view! {
                                        <TargetRow id=format!("target-asset-{}-{}", slug(&b.to_string()), slug(alias)) label=alias.clone()
                                            current_pct=100.0 * v / total.max(1e-12)
                                            value=Signal::derive(move || targets.with(|t| t.assets.get(&b1).and_then(|m| m.get(&k1)).copied().unwrap_or(0.0)))
                                            set=Callback::new(move |x: f64| targets.update(|t| { t.assets.entry(b2.clone()).or_default().insert(k2.clone(), x); }))
                                            commit=persist/>
                                    }
                                }).collect_view();
                                let b4 = b.clone();
                                view! {
                                    <table><tbody>{rows}</tbody></table>
                                    <p class="muted">{move || format!("{:+.2} points left in {b4}", 100.0 - targets.with(|t| t.assets.get(&b4).map_or(0.0, |m| m.values().sum::<f64>())))}</p>
                                }
                            })}
                        </fieldset>
                    }
                }).collect_view()}
            </details>
        }
    }
}

#[component]
fn OptionsEditor(
    opts: RwSignal<PlanOptions>,
    algo: RwSignal<Algo>,
    book: Memo<(Vec<Position>, LeftOut)>,
    persist: Callback<()>,
) -> impl IntoView {
    let edit = move |f: Box<dyn FnOnce(&mut PlanOptions)>| {
        opts.update(|o| f(o));
        persist.run(());
    };
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let locations = Memo::new(move |_| {
        let mut m: BTreeMap<String, String> = BTreeMap::new();
        book.with(|(ps, _)| {
            for p in ps.iter().filter(|p| !p.cash_like()) {
                m.entry(location_key(&p.location))
                    .or_insert_with(|| normalize_location(&p.location));
            }
        });
        m
    });
    view! {
        <h2>"Mode and limits"</h2>
        <div class="options-grid">
            <label for="plan-mode">"Mode"</label>
            <select id="plan-mode" on:change=move |ev| {
                let v = event_target_value(&ev);
                edit(Box::new(move |o| o.mode = Mode::ALL.into_iter().find(|m| m.key() == v).unwrap_or_default()));
            }>
                {Mode::ALL.into_iter().map(|m| view! { <option value=m.key() selected=move || opts.with(|o| o.mode == m)>{m.label()}</option> }).collect_view()}
            </select>
            {move || (opts.with(|o| o.mode) == Mode::CashFlow).then(|| view! {
                <label for="plan-flow">"Deposit (+) or withdrawal (−)"</label>
                <input type="number" id="plan-flow" step="any" prop:value=move || opts.with(|o| o.flow.to_string())
                    on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)).unwrap_or(0.0); edit(Box::new(move |o| o.flow = v)); }/>
            })}
            <label for="band-abs">"Drift band, absolute (points)"</label>
            <input type="number" id="band-abs" min="0" step="any" placeholder="off" prop:value=move || num(opts.with(|o| o.band.abs_pp))
                on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)); edit(Box::new(move |o| o.band.abs_pp = v)); }/>
            <label for="band-rel">"Drift band, relative (% of target)"</label>
            <input type="number" id="band-rel" min="0" step="any" placeholder="off" prop:value=move || num(opts.with(|o| o.band.rel_pct))
                on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)); edit(Box::new(move |o| o.band.rel_pct = v)); }/>
            <label for="min-trade">"Minimum trade"</label>
            <input type="number" id="min-trade" min="0" step="any" prop:value=move || opts.with(|o| o.policy.min_order.to_string())
                on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)).unwrap_or(0.0); edit(Box::new(move |o| o.policy.min_order = v)); }/>
            <label for="max-order">"Maximum order (larger trades are split)"</label>
            <input type="number" id="max-order" min="0" step="any" placeholder="none" prop:value=move || num(opts.with(|o| o.policy.max_order))
                on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)); edit(Box::new(move |o| o.policy.max_order = v)); }/>
            <label for="daily-cap">"Daily cap (% of the portfolio traded per day; empty: off, the whole plan in one day; SmartFolio uses 8 to spread large moves over days)"</label>
            <input type="number" id="daily-cap" min="1" max="100" step="any" placeholder="off" prop:value=move || num(opts.with(|o| o.policy.cap_daily_pct))
                on:change=move |ev| { let v = number_or_none(&event_target_value(&ev)); edit(Box::new(move |o| o.policy.cap_daily_pct = v)); }/>
            <label for="freeze">"Freeze"</label>
            <select id="freeze" on:change=move |ev| {
                let v = event_target_value(&ev);
                edit(Box::new(move |o| o.policy.freeze = Freeze::ALL.into_iter().find(|f| f.key() == v).unwrap_or_default()));
            }>
                {Freeze::ALL.into_iter().map(|f| view! { <option value=f.key() selected=move || opts.with(|o| o.policy.freeze == f)>{f.label()}</option> }).collect_view()}
            </select>
            <label for="algo">"Execution schedule"</label>
            <select id="algo" on:change=move |ev| algo.set(match event_target_value(&ev).as_str() {
                "twap" => Algo::TWAP,
                "iceberg" => Algo::ICEBERG,
                _ => Algo::Immediate,
            })>
                <option value="immediate">"Immediate (one order each)"</option>
                <option value="twap">"TWAP: 6 slices, one every 5 min"</option>
                <option value="iceberg">"Iceberg: 5 visible slices"</option>
            </select>
        </div>
        <details class="panel" id="fees">
            <summary>"Fees per location (basis points; cash and stablecoin legs carry none)"</summary>
            <table>
                <tbody>
                    {move || locations.get().into_iter().map(|(key, name)| {
                        let k = key.clone();
                        let k2 = key.clone();
                        let default = default_fee_bps(&name);
                        view! {
                            <tr>
                                <th scope="row"><label for=format!("fee-{}", slug(&key))>{name.clone()}</label></th>
                                <td><input type="number" id=format!("fee-{}", slug(&key)) min="0" step="any"
                                    prop:value=move || opts.with(|o| o.fees_bps.get(&k).copied().unwrap_or(default).to_string())
                                    on:change=move |ev| {
                                        let v = number_or_none(&event_target_value(&ev));
                                        let k = k2.clone();
                                        edit(Box::new(move |o| { match v { Some(v) => { o.fees_bps.insert(k, v); } None => { o.fees_bps.remove(&k); } } }));
                                    }/>" bp"</td>
                                <td class="muted">{format!("default {default} bp")}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
