//! The export formats Folio recognises: their labels, and where each one's import goes.

use serde::{Deserialize, Serialize};

use crate::domain::holding::SourceKind;

/// The formats Folio recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// CoinTracking "Current Balance".
    CoinTrackingCurrentBalance,
    /// CoinTracking "Balance by Exchange".
    CoinTrackingBalanceByExchange,
    /// CoinTracking "Coins by Exchange".
    CoinTrackingCoinsByExchange,
    /// CoinTracking "Trade List".
    CoinTrackingTradeList,
    /// Saxo Bank "Positions".
    SaxoPositions,
    /// Any table with a symbol and a quantity column.
    Generic,
    /// CoinTracking "Trade List" read as transactions.
    CoinTrackingTransactions,
    /// Binance "Transaction History" (statement).
    BinanceStatement,
    /// Binance spot trade history.
    BinanceTrades,
    /// Binance "Buy Crypto" history (card purchases).
    BinanceBuyCrypto,
    /// Coinbase retail "Transactions".
    CoinbaseTransactions,
    /// Coinbase Pro / Advanced account statement.
    CoinbasePro,
    /// Kraken ledgers.
    KrakenLedgers,
    /// Kraken trades.
    KrakenTrades,
    /// Bitvavo transactions.
    Bitvavo,
    /// Revolut crypto statement.
    RevolutCrypto,
    /// Saxo Bank transactions.
    SaxoTransactions,
    /// Ghostfolio activities (CSV).
    GhostfolioCsv,
    /// Ghostfolio export (JSON).
    GhostfolioJson,
    /// Trade Republic transactions.
    TradeRepublic,
    /// XTB cash operations.
    XtbCashOperations,
    /// Any table of transactions, mapped by column.
    GenericTransactions,
}

impl Format {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Format::CoinTrackingCurrentBalance => "CoinTracking Current Balance",
            Format::CoinTrackingBalanceByExchange => "CoinTracking Balance by Exchange",
            Format::CoinTrackingCoinsByExchange => "CoinTracking Coins by Exchange",
            Format::CoinTrackingTradeList => "CoinTracking Trade List",
            Format::SaxoPositions => "Saxo Bank Positions",
            Format::Generic => "Generic table",
            Format::CoinTrackingTransactions => "CoinTracking Trade List (transactions)",
            Format::BinanceStatement => "Binance Transaction History",
            Format::BinanceTrades => "Binance Spot Trade History",
            Format::BinanceBuyCrypto => "Binance Buy Crypto History",
            Format::CoinbaseTransactions => "Coinbase Transactions",
            Format::CoinbasePro => "Coinbase Pro/Advanced Account Statement",
            Format::KrakenLedgers => "Kraken Ledgers",
            Format::KrakenTrades => "Kraken Trades",
            Format::Bitvavo => "Bitvavo Transactions",
            Format::RevolutCrypto => "Revolut Crypto Statement",
            Format::SaxoTransactions => "Saxo Bank Transactions",
            Format::GhostfolioCsv => "Ghostfolio Activities (CSV)",
            Format::GhostfolioJson => "Ghostfolio Export (JSON)",
            Format::TradeRepublic => "Trade Republic Transactions",
            Format::XtbCashOperations => "XTB Cash Operations",
            Format::GenericTransactions => "Generic transaction table",
        }
    }

    /// The source an import of this format goes to by default.
    pub fn default_source(self) -> SourceKind {
        match self {
            Format::SaxoPositions
            | Format::SaxoTransactions
            | Format::GhostfolioCsv
            | Format::GhostfolioJson
            | Format::TradeRepublic
            | Format::XtbCashOperations => SourceKind::Stocks,
            _ => SourceKind::Crypto,
        }
    }

    /// True for a history of transactions (the outcome has transactions, no holdings).
    pub fn holds_transactions(self) -> bool {
        !matches!(
            self,
            Format::CoinTrackingCurrentBalance
                | Format::CoinTrackingBalanceByExchange
                | Format::CoinTrackingCoinsByExchange
                | Format::CoinTrackingTradeList
                | Format::SaxoPositions
                | Format::Generic
        )
    }
}
