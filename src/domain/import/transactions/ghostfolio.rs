//! Ghostfolio activities: its CSV import format and its JSON export.
//!
//! **CSV**: columns found by Ghostfolio's own aliases, without case: date `date|tradedate`,
//! symbol `code|symbol|ticker`, type `action|buy/sell|type`, quantity
//! `qty|quantity|shares|units`, unit price `price|tradeprice|unitprice|value`, fee
//! `commission|fee|ibcommission`, currency `ccy|currency|currencyprimary`, and optionally
//! account `account|accountid`, data source `datasource`, comment `comment|note`. Numbers
//! are taken without sign, as Ghostfolio does. Dates: `dd-MM-yyyy`, `dd/MM/yyyy`,
//! `dd.MM.yyyy`, `yyyy-MM-dd`, `yyyy/MM/dd`, `yyyy.MM.dd`, `yyyyMMdd`, or ISO with a zone;
//! a date without a time is midnight UTC.
//!
//! **JSON** (`{"meta":…,"accounts":[…],"platforms":[…],"assetProfiles":[…],"activities":[…]}`):
//! each activity becomes a row of the same table; its account's name, currency and platform
//! name the account, and a `MANUAL` asset's profile gives its name (its symbol is an id).
//!
//! Types: BUY, SELL (shares for quantity × price in the currency, the fee beside),
//! DIVIDEND (quantity × price received in cash), INTEREST (likewise), FEE (the fee),
//! ITEM (a valuable deposited, worth quantity × price). LIABILITY is skipped (Folio keeps
//! no liabilities yet).

use csv::StringRecord;
use serde_json::Value;

use super::imported::LedgerBuilder;
use super::parts::{leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::ReportBuilder;
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, AccountKind, IncomeKind, TxKind};

/// Columns of a Ghostfolio table.
#[derive(Debug, Clone)]
pub struct Layout {
    date: usize,
    symbol: usize,
    kind: usize,
    quantity: usize,
    price: usize,
    fee: usize,
    currency: usize,
    account: Option<usize>,
    source: Option<usize>,
    comment: Option<usize>,
    /// The JSON export's extra columns.
    account_currency: Option<usize>,
    platform: Option<usize>,
    from_json: bool,
}

/// Recognises Ghostfolio's CSV (and the table made of its JSON export).
pub(crate) fn recognise(c: &Columns, context: &Context<'_>) -> Option<(Format, MakeParser)> {
    let l = Layout {
        date: c.find(&["date", "tradedate"])?,
        symbol: c.find(&["code", "symbol", "ticker"])?,
        kind: c.find(&["action", "buy/sell", "type"])?,
        quantity: c.find(&["qty", "quantity", "shares", "units"])?,
        price: c.find(&["price", "tradeprice", "unitprice", "value"])?,
        fee: c.find(&["commission", "fee", "ibcommission"])?,
        currency: c.find(&["ccy", "currency", "currencyprimary"])?,
        account: c.find(&["account", "accountid"]),
        source: c.find(&["datasource"]),
        comment: c.find(&["comment", "note"]),
        account_currency: c.find(&["accountcurrency"]),
        platform: c.find(&["platform"]),
        from_json: context.from_json,
    };
    let format = if context.from_json {
        Format::GhostfolioJson
    } else {
        Format::GhostfolioCsv
    };
    Some((format, factory(l, c, |l, c| Box::new(Parser::new(l, c)))))
}

/// The header of the table a JSON export becomes.
const JSON_HEADER: [&str; 11] = [
    "date",
    "symbol",
    "type",
    "quantity",
    "unitPrice",
    "fee",
    "currency",
    "dataSource",
    "account",
    "accountCurrency",
    "platform",
];

/// A Ghostfolio JSON export as a table (its header first), or `None` when the text is not
/// one. The comment is the last column.
pub fn json_rows(text: &str) -> Option<Vec<StringRecord>> {
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    let activities = doc.get("activities")?.as_array()?;
    let list = |key: &str| {
        doc.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text_of = |v: Option<&Value>| -> String {
        match v {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        }
    };
    let by_id = |items: &[Value], id: &str, field: &str| -> String {
        items
            .iter()
            .find(|a| a.get("id").and_then(Value::as_str) == Some(id))
            .map(|a| text_of(a.get(field)))
            .unwrap_or_default()
    };
    let (accounts, platforms, profiles) =
        (list("accounts"), list("platforms"), list("assetProfiles"));
    let mut header: Vec<&str> = JSON_HEADER.to_vec();
    header.push("comment");
    let mut rows = vec![StringRecord::from(header)];
    for a in activities {
        let account_id = text_of(a.get("accountId"));
        let platform_id = by_id(&accounts, &account_id, "platformId");
        let source = text_of(a.get("dataSource"));
        let mut symbol = text_of(a.get("symbol"));
        if source.eq_ignore_ascii_case("MANUAL") {
            if let Some(name) = profiles
                .iter()
                .find(|p| p.get("symbol").and_then(Value::as_str) == Some(symbol.as_str()))
                .and_then(|p| p.get("name").and_then(Value::as_str))
            {
                symbol = name.to_string();
            }
        }
        rows.push(StringRecord::from(vec![
            text_of(a.get("date")),
            symbol,
            text_of(a.get("type")),
            text_of(a.get("quantity")),
            text_of(a.get("unitPrice")),
            text_of(a.get("fee")),
            text_of(a.get("currency")),
            source,
            by_id(&accounts, &account_id, "name"),
            by_id(&accounts, &account_id, "currency"),
            by_id(&platforms, &platform_id, "name"),
            text_of(a.get("comment")),
        ]));
    }
    Some(rows)
}

/// Parses Ghostfolio rows.
pub struct Parser {
    layout: Layout,
    columns: Columns,
    ledger: LedgerBuilder,
}

impl Parser {
    fn new(layout: Layout, columns: Columns) -> Parser {
        Parser {
            layout,
            columns,
            ledger: LedgerBuilder::default(),
        }
    }
}

impl RowParser for Parser {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        if crate::domain::import::balances::is_summary_row(cells) {
            return Err((
                crate::domain::import::report::SkipReason::SummaryRow,
                std::borrow::Cow::Borrowed(cells.get(0).unwrap_or("")),
            ));
        }
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let kind = row.text(l.kind).to_lowercase();
        let at = row.instant(l.date, DateOrder::DayFirst, Zone::Utc)?;
        let symbol = row.text(l.symbol);
        let quantity = row.number(l.quantity)?.unwrap_or(0.0).abs();
        let price = row.number(l.price)?.unwrap_or(0.0).abs();
        let fee = row.number(l.fee)?.unwrap_or(0.0).abs();
        let currency = row.text(l.currency).to_uppercase();
        let source = row.opt(l.source).unwrap_or("").to_uppercase();
        let class = match source.as_str() {
            "COINGECKO" => AssetClass::Crypto,
            "MANUAL" => AssetClass::Other,
            _ => AssetClass::Stock,
        };
        let cash = |q: f64| leg(&currency, AssetClass::Cash, q);
        let security = |q: f64, c: AssetClass| leg(symbol, c, q);
        let mut t = match kind.as_str() {
            "buy" | "sell" => {
                if quantity == 0.0 {
                    return Err(no_amount(row.text(l.kind)));
                }
                let mut t = transaction(at, TxKind::Trade);
                if kind == "buy" {
                    t.received = security(quantity, class);
                    t.given = cash(quantity * price);
                } else {
                    t.given = security(quantity, class);
                    t.received = cash(quantity * price);
                }
                t.value = money(quantity * price, &currency);
                t
            }
            "dividend" | "interest" => {
                let k = if kind == "dividend" {
                    IncomeKind::Dividend
                } else {
                    IncomeKind::Interest
                };
                let mut t = transaction(at, TxKind::Income(k));
                t.received = cash(quantity * price);
                t
            }
            "fee" => transaction(at, TxKind::Fee),
            "item" => {
                let mut t = transaction(at, TxKind::Deposit);
                t.received = security(quantity, AssetClass::Other);
                t.value = money(quantity * price, &currency);
                t
            }
            _ => return Err(row.unknown_type(l.kind)),
        };
        t.fee = cash(fee);
        if t.received.is_none() && t.given.is_none() && t.fee.is_none() {
            return Err(no_amount(row.text(l.kind)));
        }
        if kind == "dividend" || kind == "fee" {
            t.note = Some(symbol.to_string()).filter(|s| !s.is_empty());
        }
        if let Some(c) = row.opt(l.comment) {
            t.note = Some(match t.note {
                Some(n) => format!("{n} — {c}"),
                None => c.to_string(),
            });
        }
        let name = row.opt(l.account).unwrap_or("Ghostfolio").to_string();
        let account_currency = row
            .opt(l.account_currency)
            .and_then(|c| Currency::parse(c).ok());
        let platform = row.opt(l.platform).map(str::to_string);
        let from_json = l.from_json;
        let column = l.account.map(|i| self.columns.label(i));
        let account = self.ledger.account(&name, || AccountHint {
            name: name.clone(),
            kind: AccountKind::Broker,
            currency: account_currency,
            venue: platform,
            number: None,
            found_in: match (&column, from_json) {
                (Some(_), true) => "the export's accounts".to_string(),
                (Some(c), false) => format!("column {c}"),
                (None, _) => "the format (a Ghostfolio file names no account)".to_string(),
            },
        });
        self.ledger.push(account, t);
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        Parsed {
            holdings: Vec::new(),
            ledger: self.ledger.finish(report),
        }
    }
}
