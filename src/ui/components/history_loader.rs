//! "Load a year of daily prices": the button, the progress in coins while it runs, and what
//! it did in a sentence, each coin's failure folded in details. The Dashboard and the Risk
//! page's coverage card show the same.

use leptos::prelude::*;

use crate::ui::components::price_status::{count, history_sentence};
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::{HistoryOutcome, Outcome};

/// The button that loads a year of daily closes for the profile's coins, and its outcome.
///
/// Element ids start with `ids`: `{ids}load-history` (the button), `{ids}history-progress`,
/// `{ids}history-status` (the summary), `{ids}history-details`.
#[component]
pub fn HistoryLoader(
    /// The page's action (a page that recomputes with the history watches its version).
    load: Action<(), Outcome<HistoryOutcome>>,
    /// Prefix of the element ids (`""` on the Dashboard, `"risk-"` on the Risk page).
    ids: &'static str,
    /// Where a price CSV can be imported, as the summary says it (`"below"`).
    csv_where: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let pending = move || load.pending().get();
    view! {
        <div class="controls">
            <button type="button" id=format!("{ids}load-history") on:click=move |_| { state.history_progress.set(None); load.dispatch_local(()); } disabled=pending>
                "Load a year of daily prices"
            </button>
            {move || pending().then(|| state.history_progress.get()).flatten().map(|(done, total)| {
                view! {
                    <span role="status" id=format!("{ids}history-progress")>{format!("Loading daily prices: {done} of {}…", count(total, "coin", "coins"))}</span>
                    <progress max=total.max(1).to_string() value=done.to_string()></progress>
                }
            })}
        </div>
        <HistoryStatus load=load ids=ids csv_where=csv_where/>
    }
}

/// What the last load did, once it is done (nothing before): one summary sentence, each
/// coin's failure folded in details. Ids as [`HistoryLoader`]'s.
#[component]
pub fn HistoryStatus(
    /// The page's action.
    load: Action<(), Outcome<HistoryOutcome>>,
    /// Prefix of the element ids.
    ids: &'static str,
    /// Where a price CSV can be imported, as the summary says it.
    csv_where: &'static str,
) -> impl IntoView {
    view! {
        <ErrorBoundary fallback=show_errors>
            {move || (!load.pending().get()).then(|| load.value().get().map(|r| r.map(|o| {
                let said = history_sentence(&o, csv_where);
                let details = o.details.clone();
                view! {
                    <p id=format!("{ids}history-status") role="status">{said}</p>
                    {(!details.is_empty()).then(|| view! {
                        <details id=format!("{ids}history-details")>
                            <summary>"Details"</summary>
                            <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        </details>
                    })}
                }
            })))}
        </ErrorBoundary>
    }
}
