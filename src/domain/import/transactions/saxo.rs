//! Saxo Bank transactions, in English, French or Dutch, CSV or XLSX:
//! `Client ID,Trade Date,Value Date,Type,Instrument,Instrument ISIN,Instrument currency,
//! Exchange Description,Instrument Symbol,Event,Amount,Order ID,Conversion Rate`
//! (`Date d'opération`, `Événement`, `Montant`/`Montant comptabilisé`, `Devise de
//! l'instrument`, `Taux de change`…; `Transactiedatum`, `Gebeurtenis`, `Bedrag`…).
//!
//! Dates are trade days (`02-Apr-2025`, `16-jan-2025`, `08-août-2025`): the instant is
//! midnight UTC of that day. `Amount` is booked in the account's currency, where the
//! instrument's currency converts at `Conversion Rate`: a row with rate 1 is booked in the
//! instrument currency; the others in the account currency, which is the instrument currency
//! of most rate-1 rows (the account hint says which).
//! - Trade (`Trade`, `Opération`, `Transactie`) with the event `Buy 3 @ 134.85 USD`
//!   (`Acheter`/`Achat`, `Koop`; `Sell`, `Vendre`/`Vente`, `Verkoop`): the shares received
//!   (or given), `|Amount|` paid (or received). When the amount is booked in the price's
//!   currency, the difference between it and quantity × price is the commission, kept as
//!   the fee. `Transfer in`/`out` (`transfert entrant`/`sortant`) events move shares in or out.
//! - Corporate action with `Dividend` (`Dividende`, `Cash dividend`): a dividend in cash,
//!   the instrument's ISIN and symbol kept.
//! - Cash amount: `Custody Fee` (`Frais de garde`, `Bewaarloon`), `VAT`, `Service fee`: fees;
//!   `Interest`: interest received, or a fee when negative.
//! - Cash transfer (`Cash Transfer`, `Transfert d'espèces`, `Kasoverboeking`): a deposit or
//!   a withdrawal, by the amount's sign.
//!
//! Other events are skipped and named.

use std::borrow::Cow;
use std::collections::HashMap;

use super::imported::LedgerBuilder;
use super::parts::{add_fee, leg, money, transaction};
use super::row::{no_amount, Row};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::import::columns::Columns;
use crate::domain::import::context::Context;
use crate::domain::import::format::Format;
use crate::domain::import::parser::{factory, MakeParser, Parsed, RowContext, RowParser, Skip};
use crate::domain::import::records::Cells;
use crate::domain::import::report::{ReportBuilder, SkipReason};
use crate::domain::import::when::{DateOrder, Zone};
use crate::domain::ledger::{AccountHint, IncomeKind, Leg, Transaction, TxKind};
use crate::domain::number::NumberReader;
use crate::domain::symbol::parse_listed_symbol;

/// Columns of a Saxo transactions export.
#[derive(Debug, Clone)]
pub struct Layout {
    client: Option<usize>,
    date: usize,
    kind: usize,
    instrument: Option<usize>,
    isin: Option<usize>,
    currency: Option<usize>,
    symbol: Option<usize>,
    event: usize,
    amount: usize,
    order: Option<usize>,
    rate: Option<usize>,
    asset_type: Option<usize>,
}

/// Recognises a Saxo transactions export.
pub(crate) fn recognise(c: &Columns, _: &Context<'_>) -> Option<(Format, MakeParser)> {
    let l = Layout {
        client: c.find(&[
            "client id",
            "account id",
            "id client",
            "klant-id",
            "klant id",
            "rekening-id",
            "numero de compte",
            "kunde-id",
        ]),
        date: c.find(&[
            "trade date",
            "date d'operation",
            "date de transaction",
            "transactiedatum",
            "handelsdatum",
        ])?,
        kind: c.find(&[
            "type",
            "transaction type",
            "type de transaction",
            "transactietype",
        ])?,
        instrument: c.find(&["instrument", "instrument name", "nom de l'instrument"]),
        isin: c.find(&["instrument isin", "isin", "isin de l'instrument"]),
        currency: c.find(&[
            "instrument currency",
            "devise de l'instrument",
            "valuta instrument",
            "instrumentvaluta",
        ]),
        symbol: c.find(&[
            "instrument symbol",
            "symbole",
            "symbole de l'instrument",
            "instrumentsymbool",
            "symbool",
            "symbol",
        ]),
        event: c.find(&["event", "evenement", "gebeurtenis"])?,
        amount: c.find(&[
            "amount",
            "booked amount",
            "montant",
            "montant comptabilise",
            "bedrag",
            "geboekt bedrag",
        ])?,
        order: c.find(&["order id", "id d'ordre", "order-id"]),
        rate: c.find(&[
            "conversion rate",
            "taux de change",
            "taux de conversion",
            "conversiekoers",
            "wisselkoers",
        ]),
        asset_type: c.find(&["asset type", "type d'actif", "type actif"]),
    };
    Some((
        Format::SaxoTransactions,
        factory(l, c, |l, c| Box::new(Parser::new(l, c))),
    ))
}

/// What a row is, before its booking currency is known.
struct Pending {
    client: Option<String>,
    /// The currency the row books in when the rate is 1 (its instrument's).
    instrument_currency: Option<String>,
    rate_is_one: bool,
    transaction: Transaction,
    /// Cash legs of the amount, filled once the currency is known: (on received side,
    /// amount); and a commission to split from a trade's amount (quantity × price, price
    /// currency).
    cash: Option<(bool, f64)>,
    fee_cash: Option<f64>,
    gross: Option<(f64, String)>,
    line: u64,
}

/// Parses a Saxo transactions export.
pub struct Parser {
    layout: Layout,
    columns: Columns,
    rows: Vec<Pending>,
}

impl Parser {
    fn new(layout: Layout, columns: Columns) -> Parser {
        Parser {
            layout,
            columns,
            rows: Vec::new(),
        }
    }
}

/// `Buy 3 @ 134.85 USD` → (buy, 3, 134.85, USD). The quantity and price are written with a
/// point (`Koop 1.5 @ 110.01 EUR`) whatever the file's number style.
fn read_event(event: &str) -> Option<(bool, f64, f64, &str)> {
    let (left, right) = event.split_once('@')?;
    let mut words = left.split_whitespace();
    let verb = super::super::text::normalise_header(words.next()?);
    let buy = match verb.as_str() {
        "buy" | "bought" | "acheter" | "achat" | "koop" | "kopen" | "kauf" | "kjop" | "kob" => true,
        "sell" | "sold" | "vendre" | "vente" | "verkoop" | "verkopen" | "verkauf" | "salg" => false,
        _ => return None,
    };
    let dot = NumberReader::new(crate::domain::number::DecimalStyle::DotDecimal);
    let quantity = dot.read(words.next()?).ok()??;
    let mut right = right.split_whitespace();
    let price = dot.read(right.next()?).ok()??;
    let currency = right.next().unwrap_or("");
    Some((buy, quantity, price, currency))
}

enum Cash {
    Trade,
    Dividend,
    Fee,
    Interest,
    Transfer,
    SharesIn,
    SharesOut,
}

fn classify(kind: &str, event: &str) -> Option<Cash> {
    let k = super::super::text::normalise_header(kind);
    let e = super::super::text::normalise_header(event);
    let has = |words: &[&str]| words.iter().any(|w| e.contains(w));
    if has(&[
        "transfert entrant",
        "transfer in",
        "overboeking in",
        "inkomende",
    ]) {
        return Some(Cash::SharesIn);
    }
    if has(&[
        "transfert sortant",
        "transfer out",
        "overboeking uit",
        "uitgaande",
    ]) {
        return Some(Cash::SharesOut);
    }
    if ["trade", "operation", "transactie", "handel", "transaksjon"].contains(&k.as_str()) {
        return Some(Cash::Trade);
    }
    if has(&["dividend", "dividende", "dividendo"]) {
        return Some(Cash::Dividend);
    }
    if has(&[
        "custody",
        "frais de garde",
        "bewaarloon",
        "vat",
        "tva",
        "btw",
        "service fee",
        "frais",
        "fee",
        "commission",
        "kosten",
    ]) {
        return Some(Cash::Fee);
    }
    if has(&["interest", "interet", "rente"]) {
        return Some(Cash::Interest);
    }
    if k.contains("transfer")
        || k.contains("overboeking")
        || has(&[
            "deposit",
            "depot",
            "storting",
            "withdrawal",
            "retrait",
            "opname",
        ])
    {
        return Some(Cash::Transfer);
    }
    None
}

impl RowParser for Parser {
    fn row<'r>(&mut self, cells: Cells<'r>, ctx: &mut RowContext<'_>) -> Result<(), Skip<'r>> {
        let l = &self.layout;
        let row = Row {
            cells,
            columns: &self.columns,
            numbers: ctx.numbers,
        };
        let at = row.instant(l.date, DateOrder::DayFirst, Zone::Utc)?;
        let kind = row.text(l.kind);
        let event = row.text(l.event);
        let Some(class) = classify(kind, event) else {
            return Err((
                SkipReason::UnknownType {
                    column: self.columns.label(l.event),
                    value: format!("{kind}: {event}"),
                },
                Cow::Borrowed(event),
            ));
        };
        let amount = row.number(l.amount)?.unwrap_or(0.0);
        let rate = row.opt_number(l.rate)?;
        let instrument_currency = row.opt(l.currency).map(str::to_uppercase);
        let symbol_cell = row.opt(l.symbol);
        let isin = row.opt(l.isin).map(str::to_string);
        let instrument = row.opt(l.instrument).map(str::to_string);
        let parsed = symbol_cell.map(parse_listed_symbol);
        let asset = parsed
            .as_ref()
            .map(|p| p.symbol.to_string())
            .or_else(|| isin.clone())
            .or_else(|| instrument.clone());
        let class_of = || match l.asset_type.map(|i| row.text(i).to_lowercase()) {
            Some(t) if t.contains("etf") || t.contains("etp") || t.contains("fund") => {
                AssetClass::Etf
            }
            _ if instrument
                .as_deref()
                .is_some_and(|n| ["ETF", "UCITS", "ETC", "ETN"].iter().any(|w| n.contains(w))) =>
            {
                AssetClass::Etf
            }
            _ => AssetClass::Stock,
        };
        let unreadable = || {
            (
                SkipReason::UnreadableText {
                    column: self.columns.label(l.event),
                },
                Cow::Borrowed(event),
            )
        };
        let security =
            |q: f64| -> Option<Leg> { asset.as_deref().and_then(|a| leg(a, class_of(), q)) };
        let mut t;
        let mut cash = None;
        let mut gross = None;
        match class {
            Cash::Trade => {
                let (buy, quantity, price, price_currency) =
                    read_event(event).ok_or_else(unreadable)?;
                if asset.is_none() {
                    return Err((SkipReason::MissingSymbol, Cow::Borrowed(event)));
                }
                t = transaction(at, TxKind::Trade);
                if buy {
                    t.received = security(quantity);
                } else {
                    t.given = security(quantity);
                }
                cash = Some((!buy, amount.abs()));
                gross = Some((quantity * price, price_currency.to_uppercase()));
                t.value = money(quantity * price, price_currency);
            }
            Cash::SharesIn | Cash::SharesOut => {
                let (_, quantity, price, price_currency) =
                    read_event(event).ok_or_else(unreadable)?;
                let incoming = matches!(class, Cash::SharesIn);
                t = transaction(
                    at,
                    if incoming {
                        TxKind::Deposit
                    } else {
                        TxKind::Withdrawal
                    },
                );
                if incoming {
                    t.received = security(quantity);
                } else {
                    t.given = security(quantity);
                }
                t.value = money(quantity * price, price_currency);
            }
            Cash::Dividend => {
                t = transaction(
                    at,
                    if amount >= 0.0 {
                        TxKind::Income(IncomeKind::Dividend)
                    } else {
                        TxKind::Fee
                    },
                );
                cash = Some((amount >= 0.0, amount.abs()));
            }
            Cash::Fee => {
                t = transaction(
                    at,
                    if amount > 0.0 {
                        TxKind::Income(IncomeKind::Reward)
                    } else {
                        TxKind::Fee
                    },
                );
                cash = Some((amount > 0.0, amount.abs()));
            }
            Cash::Interest => {
                t = transaction(
                    at,
                    if amount >= 0.0 {
                        TxKind::Income(IncomeKind::Interest)
                    } else {
                        TxKind::Fee
                    },
                );
                cash = Some((amount >= 0.0, amount.abs()));
            }
            Cash::Transfer => {
                t = transaction(
                    at,
                    if amount >= 0.0 {
                        TxKind::Deposit
                    } else {
                        TxKind::Withdrawal
                    },
                );
                cash = Some((amount >= 0.0, amount.abs()));
            }
        }
        if cash.is_some_and(|(_, a)| a == 0.0) && t.received.is_none() && t.given.is_none() {
            return Err(no_amount(event));
        }
        if !matches!(class, Cash::Trade | Cash::SharesIn | Cash::SharesOut) {
            t.isin = isin;
            t.venue = parsed.as_ref().and_then(|p| p.venue.clone());
            t.note = Some(match (&instrument, symbol_cell) {
                (Some(i), _) => format!("{event} — {i}"),
                (None, Some(s)) => format!("{event} — {s}"),
                _ => event.to_string(),
            });
        } else {
            t.isin = isin;
            t.venue = parsed.as_ref().and_then(|p| p.venue.clone());
            t.note = l
                .order
                .map(|i| row.text(i))
                .filter(|o| !o.is_empty())
                .map(|o| format!("order {o}"))
                .or(instrument);
        }
        let line = ctx.line();
        self.rows.push(Pending {
            client: row.opt(l.client).map(str::to_string),
            instrument_currency,
            rate_is_one: rate.is_none_or(|r| (r - 1.0).abs() < 1e-12),
            transaction: t,
            cash,
            fee_cash: None,
            gross,
            line,
        });
        Ok(())
    }

    fn finish(self: Box<Self>, report: &mut ReportBuilder) -> Parsed {
        let mut ledger = LedgerBuilder::default();
        // Each client's account currency: the instrument currency of most of its rate-1
        // rows.
        let mut votes: HashMap<(Option<String>, String), usize> = HashMap::new();
        for r in &self.rows {
            if let (true, Some(c)) = (r.rate_is_one, &r.instrument_currency) {
                *votes.entry((r.client.clone(), c.clone())).or_default() += 1;
            }
        }
        let account_currency = |client: Option<&str>| -> Option<String> {
            votes
                .iter()
                .filter(|((cl, _), _)| cl.as_deref() == client)
                .max_by(|a, b| a.1.cmp(b.1).then(b.0 .1.cmp(&a.0 .1)))
                .map(|((_, c), _)| c.to_string())
        };
        let mut unknown = 0;
        for mut r in self.rows {
            let booked = if r.rate_is_one {
                r.instrument_currency.clone()
            } else {
                None
            }
            .or_else(|| account_currency(r.client.as_deref()));
            let Some(booked) = booked else {
                unknown += 1;
                report.revoke(r.line, SkipReason::UnknownCurrency, "");
                continue;
            };
            let t = &mut r.transaction;
            if let Some((received, amount)) = r.cash {
                let mut amount = amount;
                // A trade booked in its price's currency: the commission is the rest.
                if let Some((gross, price_currency)) = &r.gross {
                    if *price_currency == booked {
                        // Cents (and their binary float) rounded away: 8 places.
                        let round = |x: f64| (x * 1e8).round() / 1e8;
                        let gross = round(*gross);
                        let commission = round(if received {
                            gross - amount
                        } else {
                            amount - gross
                        });
                        if commission > 0.0 && commission < amount.max(gross) {
                            r.fee_cash = Some(commission);
                            amount = gross;
                        }
                    }
                }
                let cash_leg = leg(&booked, AssetClass::Cash, amount);
                match t.kind {
                    TxKind::Fee => {
                        let _ = add_fee(&mut t.fee, cash_leg);
                    }
                    _ if received => t.received = cash_leg,
                    _ => t.given = cash_leg,
                }
                if let Some(c) = r.fee_cash {
                    let _ = add_fee(&mut t.fee, leg(&booked, AssetClass::Cash, c));
                }
            }
            let currency =
                account_currency(r.client.as_deref()).and_then(|c| Currency::parse(&c).ok());
            let client = r.client.clone();
            let key = client.clone().unwrap_or_default();
            let account = ledger.account(&key, || {
                let mut hint = AccountHint::broker("Saxo Bank", client.clone(), currency);
                if client.is_some() {
                    hint.found_in = "column Client ID".to_string();
                }
                hint
            });
            ledger.push(account, r.transaction);
        }
        if unknown > 0 {
            report.note(format!(
                "{unknown} row(s) are booked in a currency the file does not name."
            ));
        }
        report.note("Saxo writes trade days without a time: each transaction is at midnight UTC of its day.");
        Parsed {
            holdings: Vec::new(),
            ledger: ledger.finish(report),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trade_events_in_three_languages() {
        assert_eq!(
            read_event("Buy 3 @ 134.85 USD"),
            Some((true, 3.0, 134.85, "USD"))
        );
        assert_eq!(
            read_event("Sell 3 @ 139.74 USD"),
            Some((false, 3.0, 139.74, "USD"))
        );
        assert_eq!(
            read_event("Koop 1.5 @ 110.01 EUR"),
            Some((true, 1.5, 110.01, "EUR"))
        );
        assert_eq!(
            read_event("Acheter 10 @ 5.10 EUR"),
            Some((true, 10.0, 5.1, "EUR"))
        );
        assert_eq!(
            read_event("Vendre 2 @ 1,234.5 EUR"),
            Some((false, 2.0, 1234.5, "EUR"))
        );
        assert_eq!(read_event("Dividend"), None);
        assert_eq!(read_event("Gift 3 @ 1 USD"), None);
    }
}
