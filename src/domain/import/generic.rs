//! Generic CSVs: columns found by alias, or mapped by the user when the sniffer is unsure.
//! A table of balances maps a symbol and a quantity (and optionally value, price…); a
//! table of transactions also maps a date, a type or side (with what each of the file's
//! values means), and optionally price, total, fee and fee currency.

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::balances::{BalanceLayout, SymbolStyle};
use super::columns::{currency_in_header, Columns};
use super::when::{DateOrder, Zone};
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::ledger::IncomeKind;
use crate::domain::number::DecimalStyle;

const SYMBOL: &[&str] = &[
    "symbol",
    "ticker",
    "coin",
    "asset",
    "code",
    "symbole",
    "token",
    "instrument symbol",
    "wertpapier",
];
const QUANTITY: &[&str] = &[
    "quantity", "qty", "amount", "balance", "units", "shares", "quantite", "holdings", "anzahl",
    "menge", "stuck", "position", "nominal",
];
const VALUE: &[&str] = &[
    "value",
    "market value",
    "current value",
    "total value",
    "value in usd",
    "value in eur",
    "usd value",
    "eur value",
    "value (usd)",
    "value (eur)",
    "valeur",
    "marktwert",
    "wert",
    "current value in usd",
    "current value in eur",
];
const PRICE: &[&str] = &[
    "price",
    "last price",
    "current price",
    "unit price",
    "price in usd",
    "price (usd)",
    "prix",
    "kurs",
    "close",
];
const CURRENCY: &[&str] = &["currency", "ccy", "devise", "wahrung", "currency code"];
const LOCATION: &[&str] = &[
    "location", "exchange", "wallet", "account", "broker", "bank", "platform", "compte", "konto",
    "depot",
];
const NAME: &[&str] = &["name", "description", "instrument", "nom", "bezeichnung"];
const CLASS: &[&str] = &["asset class", "asset type", "class", "type", "category"];
const DATE: &[&str] = &[
    "date",
    "time",
    "datetime",
    "date/time",
    "timestamp",
    "trade date",
    "transaction date",
    "date (utc)",
    "date(utc)",
    "utc_time",
    "utc time",
    "executed at",
    "created at",
    "datum",
    "buchungstag",
    "fecha",
    "data",
    "date d'operation",
    "transactiedatum",
];
const KIND: &[&str] = &[
    "type",
    "side",
    "action",
    "operation",
    "transaction type",
    "transaction",
    "kind",
    "direction",
    "buy/sell",
    "order type",
    "typ",
    "art",
    "transaktion",
    "transaktionstyp",
    "sens",
];
const TOTAL: &[&str] = &[
    "total",
    "net amount",
    "gross amount",
    "total amount",
    "cost",
    "proceeds",
    "subtotal",
    "betrag",
    "montant",
];
const FEE: &[&str] = &[
    "fee",
    "fees",
    "commission",
    "commissions",
    "transaction fee",
    "gebuhr",
    "gebuhren",
    "kosten",
    "frais",
];
const FEE_CURRENCY: &[&str] = &[
    "fee currency",
    "fee coin",
    "fee asset",
    "commission currency",
    "fee ccy",
];
const ID: &[&str] = &[
    "id",
    "transaction id",
    "tx id",
    "txid",
    "order id",
    "reference",
];

/// What a value of the type or side column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    /// The symbol was bought: quantity received, total (or quantity × price) paid.
    Buy,
    /// The symbol was sold: quantity given, total (or quantity × price) received.
    Sell,
    /// The symbol arrived from outside.
    Deposit,
    /// The symbol left to outside.
    Withdrawal,
    /// The symbol arrived from another of the user's accounts.
    TransferIn,
    /// The symbol left to another of the user's accounts.
    TransferOut,
    /// A fee: the fee column, else the quantity of the symbol.
    Fee,
    /// Income received in the symbol (or in cash: quantity × price or the total).
    Income(IncomeKind),
    /// The symbol was spent, given away or lost.
    Spend,
}

impl RowKind {
    /// Guesses what a type or side value means, in the languages exports use; `None` when
    /// unsure.
    pub fn guess(value: &str) -> Option<RowKind> {
        let v = super::text::normalise_header(value);
        let has = |words: &[&str]| {
            words
                .iter()
                .any(|w| v == *w || v.split([' ', '_', '-', '/']).any(|p| p == *w))
        };
        Some(
            if has(&[
                "buy", "bought", "purchase", "kauf", "achat", "koop", "compra", "acquisto", "b",
            ]) {
                RowKind::Buy
            } else if has(&[
                "sell", "sold", "sale", "verkauf", "vente", "verkoop", "venta", "vendita", "s",
            ]) {
                RowKind::Sell
            } else if has(&[
                "dividend",
                "dividends",
                "dividende",
                "dividendo",
                "distribution",
            ]) {
                RowKind::Income(IncomeKind::Dividend)
            } else if has(&["interest", "zinsen", "interets", "rente", "intereses"]) {
                RowKind::Income(IncomeKind::Interest)
            } else if has(&["staking", "stake reward", "staking reward"]) {
                RowKind::Income(IncomeKind::Staking)
            } else if has(&["airdrop"]) {
                RowKind::Income(IncomeKind::Airdrop)
            } else if has(&["mining"]) {
                RowKind::Income(IncomeKind::Mining)
            } else if has(&["reward", "bonus", "cashback", "income"]) {
                RowKind::Income(IncomeKind::Reward)
            } else if has(&["fee", "fees", "commission", "gebuhr", "frais", "kosten"]) {
                RowKind::Fee
            } else if has(&[
                "deposit",
                "einzahlung",
                "depot",
                "storting",
                "deposito",
                "receive",
                "received",
            ]) {
                RowKind::Deposit
            } else if has(&[
                "withdrawal",
                "withdraw",
                "auszahlung",
                "retrait",
                "opname",
                "send",
                "sent",
            ]) {
                RowKind::Withdrawal
            } else if has(&["spend", "payment", "donation", "gift", "lost", "stolen"]) {
                RowKind::Spend
            } else {
                return None;
            },
        )
    }
}

/// One value of the type or side column and what it means (`None`: not yet said; rows
/// with it are skipped and reported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindValue {
    /// The value as the file writes it (compared without case).
    pub value: String,
    /// What it means.
    pub kind: Option<RowKind>,
}

/// The columns of a table of transactions, beside [`ColumnMapping`]'s symbol, quantity,
/// currency (of price, total and fee), location (the account) and asset class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionColumns {
    /// Date (and time) column (required).
    pub date: Option<usize>,
    /// How slashed dates are ordered (`03/04/2025`).
    #[serde(default)]
    pub date_order: DateOrder,
    /// Type or side column.
    pub kind: Option<usize>,
    /// What each value of the type or side column means.
    #[serde(default)]
    pub kinds: Vec<KindValue>,
    /// What every row is when there is no type or side column.
    #[serde(default)]
    pub default_kind: Option<RowKind>,
    /// Total (cash paid or received) column.
    #[serde(default)]
    pub total: Option<usize>,
    /// True when the total includes the fee (a buy's total paid, a sell's net proceeds).
    #[serde(default)]
    pub total_includes_fee: bool,
    /// Fee column.
    #[serde(default)]
    pub fee: Option<usize>,
    /// Fee currency column (else the row's currency).
    #[serde(default)]
    pub fee_currency: Option<usize>,
    /// The exchange's own id of the row.
    #[serde(default)]
    pub id: Option<usize>,
}

/// Which column holds which field, chosen by alias or by the user. Column indices refer
/// to the header row identified by `signature`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// [`Columns::signature`] of the header this mapping was made for.
    pub signature: String,
    /// Symbol column (required).
    pub symbol: Option<usize>,
    /// Quantity column (required).
    pub quantity: Option<usize>,
    /// Value column.
    pub value: Option<usize>,
    /// Unit-price column.
    pub price: Option<usize>,
    /// Currency column.
    pub currency: Option<usize>,
    /// Location column.
    pub location: Option<usize>,
    /// Name column.
    pub name: Option<usize>,
    /// Asset-class column.
    pub asset_class: Option<usize>,
    /// Currency of values when no column or header names one.
    pub default_currency: String,
    /// Location when there is no location column.
    pub default_location: String,
    /// Asset class when there is no asset-class column.
    pub default_asset_class: AssetClass,
    /// Number style (`Auto`: decided from the file's cells).
    pub decimal_style: DecimalStyle,
    /// For a table of transactions: its transaction columns (`None` for balances).
    #[serde(default)]
    pub transactions: Option<TransactionColumns>,
}

impl ColumnMapping {
    /// Guesses a mapping from header aliases. `symbol` or `quantity` stay `None` when no
    /// column matches.
    pub fn guess(c: &Columns, default_location: &str) -> ColumnMapping {
        let symbol = c.find(SYMBOL);
        // "Currency" names the symbol in some exports (CoinTracking) when nothing else does.
        let symbol = symbol.or_else(|| c.find(&["currency"]).filter(|_| c.find(VALUE).is_some()));
        let currency = c.find(CURRENCY).filter(|&i| Some(i) != symbol);
        let value = c
            .find(VALUE)
            .or_else(|| c.find_prefix(&["value in ", "value (", "market value", "current value"]));
        ColumnMapping {
            signature: c.signature(),
            symbol,
            quantity: c.find(QUANTITY).filter(|&i| Some(i) != symbol),
            value,
            price: c
                .find(PRICE)
                .or_else(|| c.find_prefix(&["price in ", "price ("])),
            currency,
            location: c.find(LOCATION),
            name: c.find(NAME).filter(|&i| Some(i) != symbol),
            asset_class: c.find(CLASS),
            default_currency: "USD".to_string(),
            default_location: default_location.to_string(),
            default_asset_class: AssetClass::Crypto,
            decimal_style: DecimalStyle::Auto,
            transactions: None,
        }
    }

    /// [`ColumnMapping::guess`], and when the header has a date, type or side column, the
    /// transaction columns too, with what each value of the type column in `rows` seems to
    /// mean.
    pub fn guess_with_rows(
        c: &Columns,
        default_location: &str,
        rows: &[StringRecord],
    ) -> ColumnMapping {
        let mut m = ColumnMapping::guess(c, default_location);
        let date = c.find(DATE);
        let kind = c.find(KIND);
        if date.is_none() && kind.is_none() {
            return m;
        }
        if m.asset_class == kind {
            m.asset_class = None;
        }
        let mut kinds: Vec<KindValue> = Vec::new();
        if let Some(k) = kind {
            for row in rows {
                let v = row.get(k).unwrap_or("").trim();
                if !v.is_empty() && !kinds.iter().any(|x| x.value.eq_ignore_ascii_case(v)) {
                    kinds.push(KindValue {
                        value: v.to_string(),
                        kind: RowKind::guess(v),
                    });
                }
            }
        }
        let taken = [m.symbol, m.quantity, date, kind];
        let free = |i: Option<usize>| i.filter(|i| !taken.contains(&Some(*i)));
        let total = free(c.find(TOTAL));
        if m.value == total {
            m.value = None;
        }
        m.transactions = Some(TransactionColumns {
            date,
            date_order: DateOrder::Auto,
            kind,
            kinds,
            default_kind: None,
            total,
            total_includes_fee: false,
            fee: free(c.find(FEE)),
            fee_currency: free(c.find(FEE_CURRENCY)),
            id: free(c.find(ID)),
        });
        m
    }

    /// True when both required columns were found.
    pub fn is_complete(&self) -> bool {
        self.symbol.is_some() && self.quantity.is_some()
    }

    /// The parser layout, or a sentence saying what is missing.
    pub fn layout(&self, c: &Columns) -> Result<BalanceLayout, String> {
        let in_range = |o: Option<usize>| o.filter(|&i| i < c.len());
        let symbol = in_range(self.symbol).ok_or("Choose the column that holds the symbol.")?;
        let quantity =
            in_range(self.quantity).ok_or("Choose the column that holds the quantity.")?;
        let with_currency =
            |o: Option<usize>| in_range(o).map(|i| (i, currency_in_header(&c.label(i))));
        Ok(BalanceLayout {
            symbol: (symbol, SymbolStyle::Plain),
            quantity,
            value: with_currency(self.value),
            price: with_currency(self.price),
            currency: in_range(self.currency),
            location: in_range(self.location),
            name: in_range(self.name),
            asset_class: in_range(self.asset_class),
            default_currency: Currency::parse(&self.default_currency).map_err(|e| e.to_string())?,
            default_location: self.default_location.clone(),
            default_asset_class: self.default_asset_class,
        })
    }
}

/// A checked transaction mapping, with column indices known to be in the header.
#[derive(Debug, Clone)]
pub struct TransactionLayout {
    /// Symbol column.
    pub symbol: usize,
    /// Quantity column.
    pub quantity: usize,
    /// Date column and how its slashed dates are ordered.
    pub date: (usize, DateOrder),
    /// The zone of times written without one.
    pub zone: Zone,
    /// Type or side column.
    pub kind: Option<usize>,
    /// Its values (lower case) and their meaning.
    pub kinds: Vec<(String, Option<RowKind>)>,
    /// What rows are without a type column.
    pub default_kind: Option<RowKind>,
    /// Unit price column.
    pub price: Option<usize>,
    /// Total column.
    pub total: Option<usize>,
    /// The total includes the fee.
    pub total_includes_fee: bool,
    /// Fee column.
    pub fee: Option<usize>,
    /// Fee currency column.
    pub fee_currency: Option<usize>,
    /// Currency column.
    pub currency: Option<usize>,
    /// Currency when there is no currency column.
    pub default_currency: String,
    /// Account column.
    pub account: Option<usize>,
    /// Account name when there is no account column.
    pub default_account: String,
    /// Asset-class column.
    pub asset_class: Option<usize>,
    /// Asset class when there is none.
    pub default_asset_class: AssetClass,
    /// Id column.
    pub id: Option<usize>,
    /// Name column (kept as the note).
    pub name: Option<usize>,
}

impl TransactionLayout {
    /// The layout of `m` (whose `transactions` is set) over header `c`, or a sentence
    /// saying what is missing.
    pub fn new(m: &ColumnMapping, c: &Columns, zone: Zone) -> Result<TransactionLayout, String> {
        let in_range = |o: Option<usize>| o.filter(|&i| i < c.len());
        let t = m
            .transactions
            .as_ref()
            .ok_or("This mapping is for balances, not transactions.")?;
        let symbol = in_range(m.symbol).ok_or("Choose the column that holds the symbol.")?;
        let quantity = in_range(m.quantity).ok_or("Choose the column that holds the quantity.")?;
        let date = in_range(t.date).ok_or("Choose the column that holds the date.")?;
        let kind = in_range(t.kind);
        if kind.is_none() && t.default_kind.is_none() {
            return Err("Choose the column that holds the type or side of each transaction, or what every row is.".to_string());
        }
        if kind.is_some() && t.kinds.iter().all(|k| k.kind.is_none()) {
            return Err(
                "Say what at least one value of the type column means (buy, sell, deposit…)."
                    .to_string(),
            );
        }
        Ok(TransactionLayout {
            symbol,
            quantity,
            date: (date, t.date_order),
            zone,
            kind,
            kinds: t
                .kinds
                .iter()
                .map(|k| (k.value.trim().to_lowercase(), k.kind))
                .collect(),
            default_kind: t.default_kind,
            price: in_range(m.price),
            total: in_range(t.total),
            total_includes_fee: t.total_includes_fee,
            fee: in_range(t.fee),
            fee_currency: in_range(t.fee_currency),
            currency: in_range(m.currency),
            default_currency: m.default_currency.trim().to_uppercase(),
            account: in_range(m.location),
            default_account: m.default_location.clone(),
            asset_class: in_range(m.asset_class),
            default_asset_class: m.default_asset_class,
            id: in_range(t.id),
            name: in_range(m.name),
        })
    }
}
