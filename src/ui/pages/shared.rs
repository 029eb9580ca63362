//! A plan opened from a share link: read-only, decoded from the URL fragment (which the
//! browser never sends to a server). A damaged or hostile link shows the error and nothing else.

use leptos::prelude::*;

use crate::domain::format;
use crate::domain::portfolio::{format_amount, format_quantity};
use crate::domain::rebalance::export::{decode_share, SharedPlan};
use crate::domain::rebalance::venues::normalize_location;
use crate::ui::components::price_status::count;

/// The shared-plan page.
#[component]
pub fn SharedPage() -> impl IntoView {
    let read = || {
        web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default()
    };
    // Another link pasted into the address bar changes only the fragment: read it again.
    let fragment = RwSignal::new(read());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| fragment.set(read()));
    on_cleanup(move || handle.remove());
    move || match decode_share(&fragment.get()) {
        Err(e) => view! {
            <section aria-labelledby="shared-title">
                <h1 id="shared-title">"Shared plan"</h1>
                <p id="shared-error" class="error" role="alert">{e.to_string()}</p>
            </section>
        }
        .into_any(),
        Ok(p) => view! { <SharedPlanView plan=p/> }.into_any(),
    }
}

#[component]
fn SharedPlanView(plan: SharedPlan) -> impl IntoView {
    let base = plan.base;
    let amounts = !plan.percent_only;
    view! {
        <section aria-labelledby="shared-title" id="shared-plan">
            <h1 id="shared-title">"Shared plan (read-only)"</h1>
            <p class="summary">{format!("Made {} · mode: {} · amounts in {base}", plan.made, plan.mode)}</p>
            <p class="muted">{match (plan.total, plan.fees) {
                (Some(t), Some(f)) => format!("Portfolio {} {base}; estimated fees {} {base}.", format_amount(t, 2), format_amount(f, 2)),
                _ => "Shared in percent only: no amounts, quantities or totals.".to_string(),
            }}</p>
            {left_out_note(&plan).map(|t| view! { <p class="notice warn" id="shared-left-out">{t}</p> })}
            <div class="table-wrap">
            <table id="shared-sleeves">
                <caption>"Weights (percent of the portfolio)"</caption>
                <thead><tr><th scope="col">"Sleeve"</th><th scope="col" class="num">"Now"</th><th scope="col" class="num">"Target"</th><th scope="col" class="num">"After"</th></tr></thead>
                <tbody>{plan.sleeves.iter().map(|s| view! {
                    <tr><th scope="row">{s.key.clone()}</th><td class="num">{format!("{:.2} %", s.current_pct)}</td><td class="num">{format!("{:.2} %", s.target_pct)}</td><td class="num">{format!("{:.2} %", s.after_pct)}</td></tr>
                }).collect_view()}</tbody>
            </table>
            </div>
            <div class="table-wrap">
            <table id="shared-actions">
                <caption>"Actions"</caption>
                <thead><tr>
                    <th scope="col">"Action"</th><th scope="col">"Asset"</th><th scope="col">"Group"</th><th scope="col">"Location"</th>
                    <th scope="col" class="num">"% of portfolio"</th>
                    {amounts.then(|| view! { <th scope="col" class="num">{format!("Amount ({base})")}</th><th scope="col" class="num">"Est. quantity"</th> })}
                    <th scope="col">"Hint"</th>
                </tr></thead>
                <tbody>{plan.actions.iter().map(|a| view! {
                    <tr>
                        <td>{a.side.key()}</td><td>{a.alias.clone()}</td><td>{a.group.clone()}</td><td>{normalize_location(&a.location)}</td>
                        <td class="num">{format!("{:.2} %", a.pct)}</td>
                        {amounts.then(|| view! {
                            <td class="num">{a.amount.map(|x| format_amount(x, 2)).unwrap_or_default()}</td>
                            <td class="num">{a.est_quantity.map(format_quantity).unwrap_or_default()}</td>
                        })}
                        <td>{a.exec_hint.clone()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
            </div>
        </section>
    }
}

/// Why the plan's portfolio value differs from the sender's Holdings total: the holdings
/// the plan left out (zero or negative balances, holdings without a value).
fn left_out_note(plan: &SharedPlan) -> Option<String> {
    let left = plan.left_out.as_ref()?;
    let base = plan.base;
    let mut parts = Vec::new();
    if left.non_positive > 0 {
        parts.push(match left.non_positive_value {
            Some(v) => format!(
                "{} with a zero or negative balance ({} {base})",
                count(left.non_positive, "holding", "holdings"),
                format::amount(v, 2)
            ),
            None => format!(
                "{} with a zero or negative balance",
                count(left.non_positive, "holding", "holdings")
            ),
        });
    }
    if left.unvalued > 0 {
        parts.push(format!(
            "{} without a price",
            count(left.unvalued, "holding", "holdings")
        ));
    }
    let holdings_total = match (plan.total, left.non_positive_value) {
        (Some(t), Some(v)) if v != 0.0 => format!(
            " The sender's Holdings page, which counts the negative balances, shows {} {base}.",
            format_amount(t + v, 2)
        ),
        _ => String::new(),
    };
    Some(format!(
        "This plan leaves out {}, so its portfolio value differs from the Holdings total.{holdings_total}",
        parts.join(" and ")
    ))
}
