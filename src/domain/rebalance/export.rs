//! Plan exports: SmartFolio's CSV, a JSON document, a schedule CSV, and share links that
//! carry the plan compressed in the URL fragment (never sent to a server).

use std::io::{Read, Write};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::domain::currency::Currency;
use crate::domain::format::plain_price;
use crate::domain::rebalance::model::{LeftOut, Plan, Side};
use crate::domain::rebalance::schedule::Slice;
use crate::domain::rebalance::targets::Targets;

/// SmartFolio's CSV header (`POST /rebalance/plan.csv`).
pub const CSV_HEADER: [&str; 8] = [
    "group",
    "alias",
    "symbol",
    "action",
    "usd",
    "est_quantity",
    "price_used",
    "exec_hint",
];

/// Neutralises a text cell a spreadsheet would read as a formula: one starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
pub fn neutralize(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn write_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(&r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| format!("{x:.decimals$}")).unwrap_or_default()
}

/// The actions as SmartFolio's CSV: amounts in the base currency with two decimals
/// (negative for sells), quantities with eight, prices to six significant digits. Numbers are written by us; every text cell
/// is neutralised against formula injection.
pub fn plan_csv(plan: &Plan) -> String {
    write_csv(
        &CSV_HEADER,
        plan.actions.iter().map(|a| {
            vec![
                neutralize(&a.group),
                neutralize(&a.alias),
                neutralize(&a.symbol),
                a.side.key().to_string(),
                format!("{:.2}", a.signed()),
                opt(a.est_quantity(), 8),
                a.price_used.map(plain_price).unwrap_or_default(),
                neutralize(&a.exec_hint),
            ]
        }),
    )
}

/// The execution schedule as CSV.
pub fn schedule_csv(slices: &[Slice]) -> String {
    write_csv(
        &[
            "day",
            "action",
            "alias",
            "location",
            "slice",
            "of",
            "start_min",
            "amount",
            "est_quantity",
            "order_type",
        ],
        slices.iter().map(|s| {
            vec![
                s.day.to_string(),
                s.side.key().to_string(),
                neutralize(&s.alias),
                neutralize(&s.location),
                s.slice.to_string(),
                s.of.to_string(),
                s.start_min
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "after previous fill".into()),
                format!("{:.2}", s.amount),
                opt(s.est_quantity, 8),
                s.kind.to_string(),
            ]
        }),
    )
}

#[derive(Serialize)]
struct JsonAction<'a> {
    group: &'a str,
    alias: &'a str,
    symbol: &'a str,
    action: &'static str,
    usd: f64,
    location: &'a str,
    exec_hint: &'a str,
    est_quantity: Option<f64>,
    price_used: Option<f64>,
    fee: f64,
    fee_bps: f64,
    choose_asset: bool,
}

/// The plan as a JSON document: every action (SmartFolio's fields plus location and fee),
/// the sleeves, totals, days, options and the targets, with when it was made.
pub fn plan_json(plan: &Plan, targets: &Targets, generated: &str) -> String {
    let actions: Vec<JsonAction> = plan
        .actions
        .iter()
        .map(|a| JsonAction {
            group: &a.group,
            alias: &a.alias,
            symbol: &a.symbol,
            action: a.side.key(),
            usd: a.signed(),
            location: &a.location,
            exec_hint: &a.exec_hint,
            est_quantity: a.est_quantity(),
            price_used: a.price_used,
            fee: a.fee,
            fee_bps: a.fee_bps,
            choose_asset: a.choose_asset,
        })
        .collect();
    let doc = serde_json::json!({
        "generated": generated,
        "base_currency": plan.base,
        "amounts": format!("in {}; the field is named usd as in SmartFolio's export", plan.base),
        "status": plan.status,
        "total": plan.total,
        "total_after": plan.total_after,
        "sells": plan.sells,
        "buys": plan.buys,
        "fees": plan.fees,
        "options": plan.options,
        "targets": targets,
        "sleeves": plan.sleeves,
        "actions": actions,
        "days": plan.days,
        "notes": plan.notes,
        "unknown_aliases": plan.unknown_aliases,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The format version of share links.
pub const SHARE_VERSION: u32 = 1;
const SHARE_PREFIX: &str = "v1.";
const MAX_LINK_CHARS: usize = 400_000;
const MAX_JSON_BYTES: u64 = 4 << 20;
const MAX_ITEMS: usize = 10_000;
const MAX_TEXT: usize = 200;

/// A sleeve as shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedSleeve {
    /// Sleeve key.
    pub key: String,
    /// Weight now, %.
    pub current_pct: f64,
    /// Target, %.
    pub target_pct: f64,
    /// Weight after the plan, %.
    pub after_pct: f64,
}

/// An action as shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedAction {
    /// Bucket.
    pub group: String,
    /// Ticker.
    pub alias: String,
    /// Sell or buy.
    pub side: Side,
    /// Percent of the portfolio.
    pub pct: f64,
    /// Amount; absent in percent-only links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Estimated quantity; absent in percent-only links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub est_quantity: Option<f64>,
    /// Where.
    pub location: String,
    /// Execution hint.
    pub exec_hint: String,
}

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedPlan {
    /// Format version.
    pub v: u32,
    /// Base currency.
    pub base: Currency,
    /// When the plan was made (ISO date and time, UTC).
    pub made: String,
    /// Mode label.
    pub mode: String,
    /// Amounts were left out.
    pub percent_only: bool,
    /// Portfolio value; absent in percent-only links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// Fees; absent in percent-only links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<f64>,
    /// Sleeves.
    pub sleeves: Vec<SharedSleeve>,
    /// Actions.
    pub actions: Vec<SharedAction>,
    /// What the plan left out of the portfolio; absent when nothing was (and in links made
    /// before it was carried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_out: Option<SharedLeftOut>,
}

/// Holdings a shared plan left out, so that its total can be told apart from the Holdings
/// total it differs from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedLeftOut {
    /// Holdings without a value.
    pub unvalued: usize,
    /// Holdings with a zero or negative balance.
    pub non_positive: usize,
    /// The sum of those balances in the base currency; absent in percent-only links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_positive_value: Option<f64>,
}

impl SharedPlan {
    /// The same, saying what the plan left out of the portfolio (nothing when `left` is
    /// empty).
    pub fn with_left_out(mut self, left: &LeftOut) -> SharedPlan {
        self.left_out = (left.unvalued + left.non_positive > 0).then(|| SharedLeftOut {
            unvalued: left.unvalued,
            non_positive: left.non_positive,
            non_positive_value: (!self.percent_only).then_some(round(left.non_positive_value, 2)),
        });
        self
    }

    /// What to share of a plan; `percent_only` leaves out every amount, quantity and total.
    /// Numbers are rounded (amounts to cents, percentages to 1e-4, quantities to 1e-8)
    /// to keep links short.
    pub fn of(plan: &Plan, made: &str, percent_only: bool) -> SharedPlan {
        let keep = |v: f64| (!percent_only).then_some(round(v, 2));
        SharedPlan {
            v: SHARE_VERSION,
            base: plan.base,
            made: made.to_string(),
            mode: plan.options.mode.label().to_string(),
            percent_only,
            total: keep(plan.total),
            fees: keep(plan.fees),
            sleeves: plan
                .sleeves
                .iter()
                .map(|s| SharedSleeve {
                    key: s.key.clone(),
                    current_pct: round(s.current_pct, 4),
                    target_pct: round(s.target_pct, 4),
                    after_pct: round(s.after_pct, 4),
                })
                .collect(),
            actions: plan
                .actions
                .iter()
                .map(|a| SharedAction {
                    group: a.group.clone(),
                    alias: a.alias.clone(),
                    side: a.side,
                    pct: round(100.0 * a.amount / plan.total, 4),
                    amount: keep(a.amount),
                    est_quantity: a
                        .est_quantity()
                        .filter(|_| !percent_only)
                        .map(|q| round(q, 8)),
                    location: a.location.clone(),
                    exec_hint: a.exec_hint.clone(),
                })
                .collect(),
            left_out: None,
        }
    }
}

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// Why a share link cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    /// Nothing after `#`.
    #[error("This link carries no plan.")]
    Empty,
    /// Another format version.
    #[error("This link was made by another version of Folio and cannot be read here.")]
    Version,
    /// Too long to be one of ours.
    #[error("This link is too long to be a Folio plan.")]
    TooLarge,
    /// Not base64url, or not deflate data, or not our JSON.
    #[error("This link is damaged ({0}): ask for it again, copied whole.")]
    Damaged(&'static str),
    /// Readable, but its content is not a valid plan.
    #[error("This link does not hold a valid plan: {0}.")]
    Invalid(String),
}

/// Encodes a shared plan for a URL fragment: JSON, deflated, base64url, after a version tag.
pub fn encode_share(shared: &SharedPlan) -> String {
    let json = serde_json::to_vec(shared).unwrap_or_default();
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(&json);
    let bytes = enc.finish().unwrap_or_default();
    format!("{SHARE_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

fn check_text(what: &str, s: &str) -> Result<(), ShareError> {
    if s.chars().count() > MAX_TEXT || s.chars().any(|c| c.is_control()) {
        return Err(ShareError::Invalid(format!(
            "a {what} is not a plain short text"
        )));
    }
    Ok(())
}

fn check_number(what: &str, v: f64) -> Result<(), ShareError> {
    if !v.is_finite() || v.abs() > 1e15 {
        return Err(ShareError::Invalid(format!(
            "a {what} is not a usable number"
        )));
    }
    Ok(())
}

/// Decodes a URL fragment (with or without the leading `#`). Bounded: the link, the
/// inflated JSON (4 MiB) and the number of items are limited, every text must be short and
/// plain, every number finite, and every percentage between −100 and 100.
pub fn decode_share(fragment: &str) -> Result<SharedPlan, ShareError> {
    let f = fragment.trim().trim_start_matches('#');
    if f.is_empty() {
        return Err(ShareError::Empty);
    }
    if f.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge);
    }
    let Some(payload) = f.strip_prefix(SHARE_PREFIX) else {
        return Err(if f.starts_with('v') && f.contains('.') {
            ShareError::Version
        } else {
            ShareError::Damaged("unknown format")
        });
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| ShareError::Damaged("not base64url"))?;
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(MAX_JSON_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|_| ShareError::Damaged("not compressed data"))?;
    if json.len() as u64 > MAX_JSON_BYTES {
        return Err(ShareError::TooLarge);
    }
    let shared: SharedPlan =
        serde_json::from_slice(&json).map_err(|_| ShareError::Damaged("not a plan document"))?;
    if shared.v != SHARE_VERSION {
        return Err(ShareError::Version);
    }
    if shared.actions.len() > MAX_ITEMS || shared.sleeves.len() > MAX_ITEMS {
        return Err(ShareError::TooLarge);
    }
    for s in [&shared.made, &shared.mode] {
        check_text("heading", s)?;
    }
    let left_value = shared.left_out.as_ref().and_then(|l| l.non_positive_value);
    for v in [shared.total, shared.fees, left_value]
        .into_iter()
        .flatten()
    {
        check_number("total", v)?;
    }
    if shared.percent_only && left_value.is_some() {
        return Err(ShareError::Invalid(
            "a percent-only plan carries amounts".into(),
        ));
    }
    let pct = |what: &str, v: f64| -> Result<(), ShareError> {
        check_number(what, v)?;
        if !(-100.0..=100.0 + 1e-6).contains(&v) {
            return Err(ShareError::Invalid(format!("a {what} is outside 0–100 %")));
        }
        Ok(())
    };
    for s in &shared.sleeves {
        check_text("sleeve name", &s.key)?;
        pct("weight", s.current_pct)?;
        pct("target", s.target_pct)?;
        pct("weight", s.after_pct)?;
    }
    for a in &shared.actions {
        for t in [&a.group, &a.alias, &a.location, &a.exec_hint] {
            check_text("action text", t)?;
        }
        pct("share", a.pct)?;
        for v in [a.amount, a.est_quantity].into_iter().flatten() {
            check_number("amount", v)?;
        }
        if shared.percent_only && (a.amount.is_some() || a.est_quantity.is_some()) {
            return Err(ShareError::Invalid(
                "a percent-only plan carries amounts".into(),
            ));
        }
    }
    Ok(shared)
}
