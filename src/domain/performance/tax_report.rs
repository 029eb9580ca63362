//! The gains report of a tax year: each disposal with its dates, quantity, proceeds, cost,
//! gain and holding period, and its CSV export. It is not tax advice, and says so.
//!
//! Dates are UTC calendar days of the transactions. The holding period is the number of
//! calendar days from acquisition to disposal; a piece is long-term when it is held
//! **more than** the caller's threshold (365 for "more than one year").

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{days_before, days_between};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::ledger::Transaction;
use crate::domain::performance::book::Book;
use crate::domain::performance::lots::{DisposalKind, LotMethod, Pooling};
use crate::domain::rebalance::export::neutralize;

/// The statement every report and export carries.
pub const NOT_TAX_ADVICE: &str = "Not tax advice. Folio computes these figures from your ledger by the method shown; tax rules differ by country and situation, and your tax authority may require another method, other dates or other values. Check them against the rules that apply to you, or with a tax professional.";

/// The days a report covers (both included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxYear {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl TaxYear {
    /// 1 January to 31 December.
    pub fn calendar(year: i32) -> Option<TaxYear> {
        TaxYear::starting(NaiveDate::from_ymd_opt(year, 1, 1)?)
    }

    /// Twelve months from `from` (the UK's: `starting(6 April)`, to 5 April).
    pub fn starting(from: NaiveDate) -> Option<TaxYear> {
        let next = from.checked_add_months(Months::new(12))?;
        Some(TaxYear {
            from,
            to: days_before(next, 1),
        })
    }
}

/// What the report includes and how it splits terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// A piece held more than this many days is long-term.
    pub long_term_after_days: u32,
    /// Include disposals of foreign currencies (cash).
    pub include_cash: bool,
    /// Include withdrawals out of the profile (not sales).
    pub include_withdrawals: bool,
}

impl Default for ReportOptions {
    /// Long-term after 365 days; no cash, no withdrawals.
    fn default() -> ReportOptions {
        ReportOptions {
            long_term_after_days: 365,
            include_cash: false,
            include_withdrawals: false,
        }
    }
}

/// Short- or long-term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Term {
    /// Held at most the threshold.
    Short,
    /// Held more than the threshold.
    Long,
    /// The acquisition is not in the ledger.
    Unknown,
}

impl Term {
    /// Label.
    pub fn label(self) -> &'static str {
        match self {
            Term::Short => "short",
            Term::Long => "long",
            Term::Unknown => "unknown",
        }
    }
}

/// One disposal piece.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GainRow {
    /// Asset symbol.
    pub asset: String,
    /// Asset class.
    pub class: AssetClass,
    /// Account id.
    pub account: String,
    /// The disposing transaction's id.
    pub tx_id: String,
    /// What the disposal was.
    pub kind: DisposalKind,
    /// Acquisition date (`None`: not in the ledger).
    pub acquired: Option<NaiveDate>,
    /// Disposal date.
    pub disposed: NaiveDate,
    /// Days held (negative when covered by a later acquisition).
    pub holding_days: Option<i64>,
    /// Short or long.
    pub term: Term,
    /// Units.
    pub quantity: f64,
    /// Proceeds.
    pub proceeds: Option<f64>,
    /// Cost.
    pub cost: Option<f64>,
    /// Proceeds − cost.
    pub gain: Option<f64>,
    /// Covered by an acquisition after the disposal (missing history).
    pub covered_later: bool,
}

/// Sums of the report's rows with known gains.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportTotals {
    /// Σ proceeds.
    pub proceeds: f64,
    /// Σ cost.
    pub cost: f64,
    /// Σ of the positive gains.
    pub gains: f64,
    /// Σ of the losses (negative).
    pub losses: f64,
    /// Net gain of short-term rows.
    pub short_term: f64,
    /// Net gain of long-term rows.
    pub long_term: f64,
    /// Rows whose proceeds, cost or term is unknown (left out of every sum above).
    pub unknown_rows: usize,
}

impl ReportTotals {
    /// Gains plus losses.
    pub fn net(&self) -> f64 {
        self.gains + self.losses
    }
}

/// A tax year's disposals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GainsReport {
    /// The days covered.
    pub year: TaxYear,
    /// The lot method.
    pub method: LotMethod,
    /// The pooling.
    pub pooling: Pooling,
    /// Currency of the amounts.
    pub base: Currency,
    /// The options.
    pub options: ReportOptions,
    /// The rows, by disposal date.
    pub rows: Vec<GainRow>,
    /// Their sums.
    pub totals: ReportTotals,
    /// [`NOT_TAX_ADVICE`].
    pub notice: String,
}

/// The report of `year` from `book` (`transactions` is the slice the book was built from,
/// for the rows' transaction ids).
pub fn gains_report(
    book: &Book,
    transactions: &[Transaction],
    year: TaxYear,
    options: ReportOptions,
) -> GainsReport {
    let mut rows = Vec::new();
    let mut totals = ReportTotals::default();
    for d in &book.disposals {
        let disposed = d.disposed.date();
        let asset = book.asset(d.asset);
        if disposed < year.from
            || disposed > year.to
            || (asset.class == AssetClass::Cash && !options.include_cash)
            || (d.kind == DisposalKind::Withdrawal && !options.include_withdrawals)
        {
            continue;
        }
        let acquired = d.acquired.map(|a| a.date());
        let holding_days = acquired.map(|a| days_between(a, disposed));
        let term = match holding_days {
            None => Term::Unknown,
            Some(h) if h > i64::from(options.long_term_after_days) => Term::Long,
            Some(_) => Term::Short,
        };
        let gain = d.gain();
        match (gain, term) {
            (Some(g), Term::Short | Term::Long) => {
                totals.proceeds += d.proceeds.unwrap_or(0.0);
                totals.cost += d.cost.unwrap_or(0.0);
                if g >= 0.0 {
                    totals.gains += g;
                } else {
                    totals.losses += g;
                }
                if term == Term::Long {
                    totals.long_term += g;
                } else {
                    totals.short_term += g;
                }
            }
            _ => totals.unknown_rows += 1,
        }
        rows.push(GainRow {
            asset: asset.symbol.clone(),
            class: asset.class,
            account: book.account(d.account).to_string(),
            tx_id: transactions
                .get(d.tx)
                .map(|t| t.id.clone())
                .unwrap_or_default(),
            kind: d.kind,
            acquired,
            disposed,
            holding_days,
            term,
            quantity: d.quantity,
            proceeds: d.proceeds,
            cost: d.cost,
            gain,
            covered_later: d.covered_later,
        });
    }
    GainsReport {
        year,
        method: book.options.method,
        pooling: book.options.pooling,
        base: book.base,
        options,
        rows,
        totals,
        notice: NOT_TAX_ADVICE.to_string(),
    }
}

/// The CSV header of the rows.
pub const CSV_HEADER: [&str; 14] = [
    "asset",
    "class",
    "account",
    "transaction",
    "kind",
    "acquired",
    "disposed",
    "holding_days",
    "term",
    "quantity",
    "proceeds",
    "cost",
    "gain",
    "note",
];

fn money(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_default()
}

/// The report as CSV: the not-tax-advice statement and the method first, then a header
/// and one line per row, then the totals. Amounts with two decimals in the base currency,
/// quantities in full; every text cell that came from a file is neutralised against
/// formula injection.
pub fn gains_report_csv(report: &GainsReport) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let method = format!(
        "Method: {}, {}; long-term when held more than {} days; amounts in {}; disposals from {} to {} (UTC dates).",
        report.method.label(),
        report.pooling.label(),
        report.options.long_term_after_days,
        report.base,
        report.year.from,
        report.year.to,
    );
    // Writing to a Vec cannot fail.
    let _ = w.write_record([report.notice.as_str()]);
    let _ = w.write_record([method.as_str()]);
    let _ = w.write_record(CSV_HEADER);
    for r in &report.rows {
        let note = match (r.acquired, r.covered_later) {
            (None, _) => "acquisition not in the ledger",
            (Some(_), true) => "acquired after the disposal (missing history)",
            _ => "",
        };
        let _ = w.write_record([
            neutralize(&r.asset),
            format!("{:?}", r.class),
            neutralize(&r.account),
            neutralize(&r.tx_id),
            r.kind.label().to_string(),
            r.acquired.map(|d| d.to_string()).unwrap_or_default(),
            r.disposed.to_string(),
            r.holding_days.map(|h| h.to_string()).unwrap_or_default(),
            r.term.label().to_string(),
            format!("{}", r.quantity),
            money(r.proceeds),
            money(r.cost),
            money(r.gain),
            note.to_string(),
        ]);
    }
    let t = &report.totals;
    let _ = w.write_record(["total proceeds".to_string(), money(Some(t.proceeds))]);
    let _ = w.write_record(["total cost".to_string(), money(Some(t.cost))]);
    let _ = w.write_record(["gains".to_string(), money(Some(t.gains))]);
    let _ = w.write_record(["losses".to_string(), money(Some(t.losses))]);
    let _ = w.write_record(["net".to_string(), money(Some(t.net()))]);
    let _ = w.write_record(["short-term net".to_string(), money(Some(t.short_term))]);
    let _ = w.write_record(["long-term net".to_string(), money(Some(t.long_term))]);
    let _ = w.write_record([
        "rows with unknown values (not in the totals)".to_string(),
        t.unknown_rows.to_string(),
    ]);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
