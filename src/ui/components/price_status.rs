//! Status sentences about prices and totals, each saying what happened: a refresh whose
//! sources all failed, a total that leaves holdings out (and why), file values hybrid mode
//! keeps for a while. Used by the sidebar and the Holdings page.

use leptos::prelude::*;

use crate::domain::calendar::Timestamp;
use crate::domain::prices::refresh::{FxRefresh, PriceVerdict, RefreshSummary};
use crate::domain::valuation::{ago_label, LeftOut, LeftOutReason, Valuation};
use crate::ui::state::AppState;
use crate::ui::use_cases::HistoryOutcome;

/// `1 holding`, `3 holdings`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What loading a year of daily history did, in a few sentences: coins loaded, coins no
/// source has a history for (and how to price them: a CoinGecko id, or a price CSV
/// `csv_where`), coins that failed for now, and FX rates that could not be fetched.
pub fn history_sentence(o: &HistoryOutcome, csv_where: &str) -> String {
    let s = &o.summary;
    let mut said = format!(
        "Daily history for {} of {}.",
        s.loaded,
        count(s.asked, "coin", "coins")
    );
    if !s.without_history.is_empty() {
        said.push_str(&format!(
            " {} no daily history at CoinGecko or Binance: {} — give {} CoinGecko id in Settings, or import a price CSV {csv_where}.",
            count(s.without_history.len(), "coin has", "coins have"),
            s.without_history.join(", "),
            if s.without_history.len() == 1 { "its" } else { "their" }
        ));
    }
    if !s.failed.is_empty() {
        said.push_str(&format!(
            " {} could not be loaded now (a source refused or did not answer): {} — try again in a few minutes.",
            count(s.failed.len(), "coin", "coins"),
            s.failed.join(", ")
        ));
    }
    if let Some(e) = &o.fx_error {
        said.push_str(&format!(
            " The ECB rates of those days could not be fetched ({e})."
        ));
    }
    said
}

/// What the last refresh did to prices, in one sentence (tracked).
pub fn price_headline(state: AppState) -> String {
    let p = state.prices.get();
    if p.loading {
        return "Prices: updating…".to_string();
    }
    let (Some(at), Some(summary)) = (p.refreshed, p.summary.as_ref()) else {
        return "Prices not refreshed yet.".to_string();
    };
    verdict_sentence(summary, ago_label(at, state.now.get()))
}

fn verdict_sentence(s: &RefreshSummary, ago: String) -> String {
    match s.verdict() {
        PriceVerdict::NothingToPrice => format!("No live price needed (checked {ago})."),
        PriceVerdict::AllFresh => format!("Prices refreshed {ago}."),
        PriceVerdict::Partial { missing } => format!(
            "{} of {} prices refreshed {ago}; {} without a live price.",
            s.priced,
            s.wanted,
            missing
        ),
        PriceVerdict::AllSourcesFailed => {
            let who: Vec<String> = s
                .failed
                .iter()
                .map(|f| match &f.error {
                    Some(e) => format!("{}: {e}", f.provider.label()),
                    None => format!("{}: set aside after failures", f.provider.label()),
                })
                .collect();
            format!(
                "Prices not refreshed ({ago}): every source failed ({}). Values use the last prices fetched and the files' values.",
                who.join("; ")
            )
        }
        PriceVerdict::NoneFound if s.without_key > 0 => format!(
            "No live price found ({ago}): stocks and ETFs need a Twelve Data key (Settings); values use the files' values."
        ),
        PriceVerdict::NoneFound => {
            format!("No live price found ({ago}): values use the files' values.")
        }
    }
}

/// Why FX rates are old or missing, when they are (tracked).
pub fn fx_problem(state: AppState) -> Option<String> {
    match state.prices.with(|p| p.summary.as_ref().map(|s| s.fx.clone()))? {
        FxRefresh::Cached(date, e) => Some(format!(
            "FX rates could not be fetched ({e}): the ECB rates of {date} are used."
        )),
        FxRefresh::Missing(e) => Some(format!(
            "FX rates could not be fetched ({e}) and none are stored: values in other currencies are left out."
        )),
        FxRefresh::NotDue | FxRefresh::Fetched(_) => None,
    }
}

fn left_out_item(l: &LeftOut) -> String {
    let why = match l.reason {
        LeftOutReason::NoFxRate(c) => format!("no FX rate for {c}"),
        LeftOutReason::NoPrice => "no price".to_string(),
    };
    if l.location.is_empty() {
        format!("{} ({why})", l.symbol)
    } else {
        format!("{} at {} ({why})", l.symbol, l.location)
    }
}

/// The holdings a total leaves out and why (`None` when it leaves none out).
pub fn left_out_sentence(v: &Valuation) -> Option<String> {
    const SHOWN: usize = 6;
    if v.left_out.is_empty() {
        return None;
    }
    let mut items: Vec<String> = v.left_out.iter().take(SHOWN).map(left_out_item).collect();
    if v.left_out.len() > SHOWN {
        items.push(format!("{} more", v.left_out.len() - SHOWN));
    }
    Some(format!(
        "The total leaves out {}: {}.",
        count(v.left_out.len(), "holding", "holdings"),
        items.join("; ")
    ))
}

/// Why some values did not change after a refresh: hybrid mode keeps a recent import's
/// own values (`None` when it keeps none).
pub fn kept_sentence(v: &Valuation, now: Timestamp) -> Option<String> {
    let kept = v.file_values_kept()?;
    let minutes = (kept.until.millis_since(now).max(0) as f64 / 60_000.0).ceil() as i64;
    Some(format!(
        "{} keep the values in the file: hybrid pricing uses an import's own values for 30 minutes after it is imported. Live prices take over in {} (or choose live prices in Settings).",
        count(kept.holdings, "holding", "holdings"),
        count(minutes.max(1) as usize, "minute", "minutes")
    ))
}
