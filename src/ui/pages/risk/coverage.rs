//! The coverage card, first on the page: what share of the portfolio the report covers, what
//! it leaves out, and how to bring each kind of asset in (coins: load their daily prices right
//! here; anything else: a price CSV). With no history at all it is the whole page.

use leptos::prelude::*;

use crate::domain::risk::report::percent_label;
use crate::ui::components::history_loader::{HistoryLoader, HistoryStatus};
use crate::ui::routes::Page;
use crate::ui::use_cases::{HistoryOutcome, Outcome};

/// What the coverage card describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covers {
    /// A report covering at least the share the user asked for.
    Whole,
    /// A report below that share: its figures describe the covered part only.
    Partial,
    /// No report: no holding has daily history yet.
    Nothing,
}

/// What share of the portfolio the report covers, what is left out and how to bring it in.
#[component]
pub fn Coverage(
    /// Share of the portfolio's value the report covers (fraction).
    coverage: f64,
    /// Assets left out for lack of history.
    missing: Vec<String>,
    /// The coins among them.
    missing_coins: Vec<String>,
    /// The coverage the user asked for (fraction).
    min_coverage: f64,
    /// Whether there is a report, and whether it is partial.
    covers: Covers,
    /// The page's load-history action (the page recomputes when it completes).
    load_history: Action<(), Outcome<HistoryOutcome>>,
) -> impl IntoView {
    let threshold = percent_label(min_coverage);
    let others: Vec<String> = missing
        .iter()
        .filter(|m| !missing_coins.contains(m))
        .cloned()
        .collect();
    view! {
        <div class="card coverage" id="risk-coverage" class:partial=covers != Covers::Whole>
            <h2>"Coverage"</h2>
            <p class="summary">
                <strong id="risk-coverage-value">{format!("{:.2} %", coverage * 100.0)}</strong>
                {if covers == Covers::Nothing {
                    " of the portfolio's value (without cash) has daily history: there is no report yet."
                } else {
                    " of the portfolio's value (without cash) has daily history and is in this report."
                }}
            </p>
            {match covers {
                Covers::Partial => Some(view! {
                    <p id="risk-partial" class="badge-line"><span class="badge warn">"Partial"</span>
                        {format!(" Below the {threshold} you asked for: every score and figure below describes only the covered part, not the whole portfolio.")}
                    </p>
                }.into_any()),
                Covers::Nothing => Some(view! {
                    <p id="risk-no-history" class="badge-line"><span class="badge warn">"No history yet"</span>
                        " The report needs daily closes for at least one holding. Bring them in below and it appears here."
                    </p>
                }.into_any()),
                Covers::Whole => None,
            }}
            {(!missing.is_empty()).then(|| view! {
                <p id="risk-missing">{format!("Left out, without daily history: {}.", missing.join(", "))}</p>
                <ul class="fixes" id="risk-fixes">
                    {(!missing_coins.is_empty()).then(|| view! {
                        <li id="risk-fix-coins">
                            {format!("Coins ({}): load a year of daily prices from CoinGecko or Binance, here.", missing_coins.join(", "))}
                            <HistoryLoader load=load_history ids="risk-" csv_where="on the Dashboard"/>
                        </li>
                    })}
                    {(!others.is_empty()).then(|| view! {
                        <li id="risk-fix-others">
                            {format!("Stocks, ETFs and other assets ({}): import a price CSV (date, close) for each ", others.join(", "))}
                            <a href=Page::Dashboard.path()>"on the Dashboard"</a>
                            ". Folio loads no daily history for them itself; a Twelve Data key (Settings) gives them live prices, not history."
                        </li>
                    })}
                </ul>
            })}
            // Once every coin has its history, what the last load did stays said.
            {missing_coins.is_empty().then(|| view! { <HistoryStatus load=load_history ids="risk-" csv_where="on the Dashboard"/> })}
        </div>
    }
}
