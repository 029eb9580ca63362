//! Every real transaction export in `../shared/samples/` against the per-asset balances
//! worked out by hand from the sample rows (the arithmetic is in the comments). The
//! samples live beside the repository and are not copied into it; in a clone without them
//! each test says it was skipped and why. Balances count every transaction that is not an
//! internal move (the ledger core drops those; see `domain::import::transactions`).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::path::PathBuf;

use folio::domain::currency::Currency;
use folio::domain::import::{import_bytes, Format, ImportOptions, ImportOutcome, SkipReason};
use folio::domain::ledger::{AccountKind, TxKind};

fn sample(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    let path = PathBuf::from(dir).join("../shared/samples").join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!("SKIPPED: {} is not available ({e}); the shared samples sit beside the repository in the team's workspace only.", path.display());
            None
        }
    }
}

fn import_with(name: &str, options: &ImportOptions) -> Option<ImportOutcome> {
    let bytes = sample(name)?;
    Some(
        import_bytes(name, bytes, options)
            .expect("imports")
            .expect("format recognised"),
    )
}

fn import(name: &str) -> Option<ImportOutcome> {
    import_with(name, &ImportOptions::default())
}

fn balances(out: &ImportOutcome) -> BTreeMap<(String, String), f64> {
    let mut b = BTreeMap::new();
    for t in out.transactions.iter().filter(|t| !t.internal) {
        let account = out.accounts[t.account as usize].name.clone();
        for (leg, q) in t.transaction.changes() {
            *b.entry((account.clone(), leg.asset.clone())).or_insert(0.0) += q;
        }
    }
    b
}

/// Asserts the balances of `out` are exactly `expected` (every nonzero one listed).
fn assert_balances(out: &ImportOutcome, expected: &[(&str, &str, f64)]) {
    let got: BTreeMap<_, _> = balances(out)
        .into_iter()
        .filter(|(_, v)| v.abs() > 1e-12)
        .collect();
    for (account, asset, v) in expected {
        let g = got.get(&(account.to_string(), asset.to_string())).copied();
        let ok = g.is_some_and(|g| (g - v).abs() <= 1e-9 * v.abs().max(1.0));
        assert!(
            ok,
            "{account} {asset}: got {g:?}, expected {v}; all: {got:#?}"
        );
    }
    assert_eq!(got.len(), expected.len(), "{got:#?}");
}

fn check_ledger_conventions(out: &ImportOutcome) {
    assert!(out.holdings.is_empty());
    for t in &out.transactions {
        assert!(t.transaction.id.is_empty() && t.transaction.account_id.is_empty());
        for leg in [
            &t.transaction.received,
            &t.transaction.given,
            &t.transaction.fee,
        ]
        .into_iter()
        .flatten()
        {
            assert!(leg.quantity > 0.0);
        }
    }
}

fn tx_list() -> ImportOptions {
    ImportOptions {
        trade_list_as_transactions: true,
        ..Default::default()
    }
}

#[test]
fn cointracking_trade_list_sample_as_transactions() {
    let Some(out) = import_with("cointracking_trade_list__rotki.csv", &tx_list()) else {
        return;
    };
    assert_eq!(out.format, Format::CoinTrackingTransactions);
    check_ledger_conventions(&out);
    assert_eq!((out.report.rows_read, out.transactions.len()), (12, 12));
    assert_balances(
        &out,
        &[
            // +0.02 deposit − 0.001367 withdrawn − 0.0001 fee
            ("ETH Transaction", "ETH", 0.018533),
            ("BTC Transaction", "BTC", 0.33676476),
            // Gift/Tip and the sign-up bonus (Income)
            ("no exchange", "BTC", 0.001),
            ("no exchange", "ETH", 2.0),
            ("Poloniex", "XMR", 5.0),
            // +0.05772716 bought − 0.05770427 withdrawn − 0.0001 fee
            ("Coinbase", "ETH", -0.00007711),
            // −10.99 − 0.02 fee (first trade) − 0.02 fee (the ADS trade)
            ("Coinbase", "EUR", -11.03),
            ("Coinbase", "ADS", -10.99),
            // two staking rows of 1 AXS
            ("Binance", "AXS", 2.0),
            ("Binance", "ETH", 2.12),
        ],
    );
    assert_eq!(
        out.transactions[0].transaction.at.to_string(),
        "2019-08-15T05:57:04Z",
        "15.08.2019 05:57:04, the earliest"
    );
    let eth_tx = out
        .accounts
        .iter()
        .find(|a| a.name == "ETH Transaction")
        .unwrap();
    assert_eq!(eth_tx.kind, AccountKind::Wallet);
}

#[test]
fn cointracking_trade_list_samples_as_transactions_agree_with_the_balances_importer() {
    // An independent check: the balances importer sums Buy − Sell − Fee per exchange;
    // the ledger's balances must be the same (its empty exchange is "Unknown" there).
    for name in [
        "cointracking_trade_list__rotki.csv",
        "cointracking_trade_list_us_dates__rotki.csv",
        "cointracking_trade_list_v2_txid__export-to-ghostfolio.csv",
    ] {
        let (Some(tx), Some(bal)) = (import_with(name, &tx_list()), import(name)) else {
            return;
        };
        let mut from_tx = balances(&tx);
        from_tx.retain(|_, v| v.abs() > 1e-10);
        let mut from_holdings = BTreeMap::new();
        for h in &bal.holdings {
            let account = if h.location == "Unknown" {
                "CoinTracking".to_string()
            } else {
                h.location.clone()
            };
            from_holdings.insert((account, h.symbol.clone()), h.quantity);
        }
        assert_eq!(
            from_tx.len(),
            from_holdings.len(),
            "{name}: {from_tx:#?} {from_holdings:#?}"
        );
        for (k, v) in &from_tx {
            assert!((from_holdings[k] - v).abs() < 1e-12, "{name} {k:?}");
        }
    }
}

#[test]
fn cointracking_trade_list_samples_with_us_and_mixed_dates() {
    let Some(us) = import_with("cointracking_trade_list_us_dates__rotki.csv", &tx_list()) else {
        return;
    };
    // 5/9/2017 21:14 is May 9th (CoinTracking's US style is month first).
    assert!(us
        .transactions
        .iter()
        .all(|t| t.transaction.at.to_string() == "2017-05-09T21:14:00Z"));
    assert_balances(
        &us,
        &[("Poloniex", "XMR", 5.0), ("Coinbase", "ETH", -0.05780427)],
    );
    let Some(v2) = import_with(
        "cointracking_trade_list_v2_txid__export-to-ghostfolio.csv",
        &tx_list(),
    ) else {
        return;
    };
    assert_eq!(v2.transactions.len(), 6);
    assert_balances(
        &v2,
        &[
            // 0.001 staking + 0.0055 bought − 0.0022 sold
            ("Kraken", "BTC", 0.0043),
            // −2 fee (staking row) − 500 − 19 fee + 200 − 2 fee
            ("Kraken", "EUR", -323.0),
            ("Pocket Bitcoin", "BTC", 0.0011),
            // −100 − 1 fee
            ("Pocket Bitcoin", "EUR", -101.0),
        ],
    );
    let times: Vec<String> = v2
        .transactions
        .iter()
        .map(|t| t.transaction.at.to_string())
        .collect();
    assert!(
        times.contains(&"2025-01-18T15:18:55Z".to_string()),
        "18.01.2025 15:18:55"
    );
    assert!(
        times.contains(&"2025-01-01T10:12:27Z".to_string()),
        "2025-01-01 10:12:27"
    );
}

#[test]
fn binance_statement_sample() {
    let Some(out) = import("binance_statement__rotki.csv") else {
        return;
    };
    assert_eq!(out.format, Format::BinanceStatement);
    check_ledger_conventions(&out);
    // 21 rows: the empty time (line 5) and the empty coin and change (line 6) skipped;
    // 7 trades of 2–3 rows, 1 deposit, 1 internal POS savings purchase.
    assert_eq!(
        (
            out.report.rows_read,
            out.report.imported,
            out.transactions.len()
        ),
        (21, 19, 9)
    );
    let lines: Vec<(SkipReason, Vec<u64>)> = out
        .report
        .skip_groups
        .iter()
        .map(|g| (g.reason.clone(), g.lines.clone()))
        .collect();
    assert!(lines.contains(&(
        SkipReason::MissingValue {
            column: "UTC_Time".into()
        },
        vec![5]
    )));
    assert!(lines.contains(&(SkipReason::NoAmount, vec![6])));
    assert_eq!(out.accounts[0].number.as_deref(), Some("1"), "User_ID");
    assert_eq!(out.transactions.iter().filter(|t| t.internal).count(), 1);
    assert_balances(
        &out,
        &[
            // +0.576474665 bought − 0.0001057 fee − 0.00009883 fee (the 0.577257355 moved
            // to POS savings is internal)
            ("Binance", "BNB", 0.576270135),
            // +245.25 deposit − 245.25 − 150 − 134.4719075
            ("Binance", "EUR", -284.4719075),
            ("Binance", "AXS", 1.19592356),
            // +0.03605 − 0.00003605 fee − 1.01065076 + 0.017
            ("Binance", "ETH", -0.95763681),
            ("Binance", "IOTA", -67.5),
            // +0.001366875 + 0.10680859385
            ("Binance", "BTC", 0.10817546885),
            ("Binance", "BUSD", -125.626918),
            ("Binance", "MATIC", 140.1195285),
            ("Binance", "USDT", -28.46106),
        ],
    );
    // The 14:21:20 rows are one trade whose fee is in the coin bought.
    let t = out
        .transactions
        .iter()
        .find(|t| t.transaction.at.to_string() == "2020-10-30T14:21:20Z")
        .unwrap();
    assert_eq!(
        t.transaction
            .fee
            .as_ref()
            .map(|f| (f.asset.as_str(), f.quantity)),
        Some(("ETH", 3.605e-5))
    );
}

#[test]
fn binance_statement_quoted_sample() {
    let Some(out) = import("binance_statement_quoted__privatefolio.csv") else {
        return;
    };
    check_ledger_conventions(&out);
    assert_eq!(out.accounts[0].number.as_deref(), Some("11680152"));
    assert_balances(
        &out,
        &[
            // +0.000043 + 1 − 0.4960368 + 0.0553596 − 0.00049824
            ("Binance", "ETH", 0.55886756),
            // +80 − 0.08 fee − 90
            ("Binance", "IOTA", -10.08),
            // "6.0E-7" distributed
            ("Binance", "ETF", 6.0e-7),
        ],
    );
}

#[test]
fn binance_buy_crypto_sample() {
    let Some(out) = import("binance_buy_crypto_history__rotki.csv") else {
        return;
    };
    assert_eq!(out.format, Format::BinanceBuyCrypto);
    check_ledger_conventions(&out);
    assert_balances(
        &out,
        &[
            ("Binance", "USDT", 374.69991101),
            ("Binance", "ETH", 1.55594),
            ("Binance", "BTC", 0.00975),
            // 500 + 1000 + 250 paid, fees included (490 + 10, 980 + 20, 245 + 5)
            ("Binance", "CAD", -1750.0),
        ],
    );
    assert_eq!(
        out.transactions[0].transaction.external_id.as_deref(),
        Some("000000000000000000000000000000a0")
    );
}

#[test]
fn coinbase_transactions_2025_sample() {
    let Some(out) = import("coinbase_transactions_v2025__export-to-ghostfolio.csv") else {
        return;
    };
    assert_eq!(out.format, Format::CoinbaseTransactions);
    check_ledger_conventions(&out);
    assert_eq!(out.transactions.len(), 8);
    assert_balances(
        &out,
        &[
            // +0.000037835729 + 0.000022652183 staking + 0.180914809326 received
            // − 0.17305191 converted to ETH2
            ("Coinbase", "ETH", 0.007923387238),
            // +0.17305191 from the convert − 0.180914809326 sent
            ("Coinbase", "ETH2", -0.007862899326),
            // −0.00363125 converted to XRP + 0.00166779 × 2 bought
            ("Coinbase", "BTC", -0.00029567),
            ("Coinbase", "XRP", 156.145683),
            // €67.01 + €2.99 fee; the same buy is listed again in USD
            ("Coinbase", "EUR", -70.0),
            ("Coinbase", "USD", -70.0),
        ],
    );
    // The two listings of one buy carry Coinbase's one id: the ledger core keeps one.
    let ids: Vec<_> = out
        .transactions
        .iter()
        .filter(|t| t.transaction.external_id.as_deref() == Some("623d6507925c200001fcbXXX"))
        .collect();
    assert_eq!(ids.len(), 2);
    let convert = out
        .transactions
        .iter()
        .find(|t| {
            t.transaction
                .received
                .as_ref()
                .is_some_and(|l| l.asset == "XRP")
        })
        .unwrap();
    assert_eq!(
        convert.transaction.value.map(|m| (m.amount, m.currency)),
        Some((351.66322, Currency::EUR))
    );
    assert_eq!(
        out.transactions.last().unwrap().transaction.at.to_string(),
        "2025-01-17T16:57:02Z"
    );
}

#[test]
fn coinbase_samples_with_preambles() {
    let Some(out) = import("coinbase_with_preamble_2023__ghostfoliosidekick.csv") else {
        return;
    };
    assert_eq!(out.report.header_line, 4);
    // €3.86 + €0.99 fee = €4.85
    assert_balances(
        &out,
        &[("Coinbase", "ETH", 0.00213232), ("Coinbase", "EUR", -4.85)],
    );
    assert_eq!(
        out.transactions[0].transaction.at.to_string(),
        "2023-04-20T04:05:40Z"
    );
    let Some(adv) = import("coinbase_with_preamble_advanced_trade__ghostfoliosidekick.csv") else {
        return;
    };
    // Spot Price Currency variant: 21321321.42 + 0.99 fee.
    assert_balances(
        &adv,
        &[
            ("Coinbase", "BTC", 0.564634),
            ("Coinbase", "EUR", -21321322.41),
        ],
    );
}

#[test]
fn coinbase_pro_sample() {
    let Some(out) = import("coinbase_pro_account_statement__rotki.csv") else {
        return;
    };
    assert_eq!(out.format, Format::CoinbasePro);
    check_ledger_conventions(&out);
    // Trade 10201: +52.3 ETH, −1.14732 BTC, −0.00344196 BTC fee.
    assert_balances(
        &out,
        &[
            // 2.5 − 1.14732 − 0.00344196, the statement's own balance after the fee
            ("Coinbase Pro", "BTC", 1.34923804),
            // +52.3 − 208.041 ("-208.041" read with a point, as every other number)
            ("Coinbase Pro", "ETH", -155.741),
        ],
    );
}

#[test]
fn kraken_samples() {
    let Some(out) = import("kraken_ledgers__royeharris.csv") else {
        return;
    };
    assert_eq!(out.format, Format::KrakenLedgers);
    check_ledger_conventions(&out);
    assert_eq!(out.transactions.len(), 4);
    assert_balances(
        &out,
        &[
            // +150 − 1478.0404 − 2.956 fee + 2499.6816
            ("Kraken", "GBP", 1168.6852),
            // +1909 − 1905 − 4 fee − 3183.90219052 − 6.36780438 fee
            ("Kraken", "USDT", -3190.2699949),
        ],
    );
    assert!(out
        .transactions
        .iter()
        .all(|t| t.wallet.as_deref() == Some("spot / main")));
    let Some(trades) = import("kraken_trades__royeharris.csv") else {
        return;
    };
    assert_eq!(trades.format, Format::KrakenTrades);
    assert_balances(
        &trades,
        &[
            // −1478.04040853 − 2.95608082 + 2499.68160978 − 4.99936322
            ("Kraken", "GBP", 1013.68575721),
            // +1909 − 3183.90219052
            ("Kraken", "USDT", -1274.90219052),
        ],
    );
    // The ledger's trade and the trades export's carry one id.
    let ledger_ids: Vec<_> = out
        .transactions
        .iter()
        .filter(|t| t.transaction.kind == TxKind::Trade)
        .map(|t| t.transaction.external_id.clone())
        .collect();
    let trade_ids: Vec<_> = trades
        .transactions
        .iter()
        .map(|t| t.transaction.external_id.clone())
        .collect();
    assert_eq!(ledger_ids, trade_ids);
}

#[test]
fn bitvavo_sample() {
    let Some(out) = import("bitvavo__export-to-ghostfolio.csv") else {
        return;
    };
    assert_eq!(out.format, Format::Bitvavo);
    check_ledger_conventions(&out);
    assert_balances(
        &out,
        &[
            // 0.0053543 + 0.00258836 + 0.00277129 bought = 0.01071395, withdrawn, and the
            // withdrawal's fee of 1 ETH the file gives
            ("Bitvavo", "ETH", -1.0),
            // +10 − 10.00 − 4.83 − 5.18 (each paid amount includes its fee)
            ("Bitvavo", "EUR", -10.01),
        ],
    );
    // 2023-11-30 11:37:41 in Amsterdam (UTC+1).
    assert_eq!(
        out.transactions.last().unwrap().transaction.at.to_string(),
        "2023-11-30T10:37:41Z"
    );
}

#[test]
fn revolut_sample_keeps_sek_and_eur_apart() {
    let Some(out) = import("revolut_crypto__export-to-ghostfolio.csv") else {
        return;
    };
    assert_eq!(out.format, Format::RevolutCrypto);
    check_ledger_conventions(&out);
    assert_balances(
        &out,
        &[
            // +0.00056077 + 0.00001082 − 0.00001082 − 0.00056077 sent + 0.00056077 received
            // + 0.00069453 + 0.00027963
            ("Revolut", "BTC", 0.00153493),
            // the 0.18580349 staked is internal
            ("Revolut", "ETH", 0.00431791),
            // −50 − 1 + 0.93 − 108.94
            ("Revolut", "SEK", -159.01),
            // −10 − 0.24 − 10 − 0.14
            ("Revolut", "EUR", -20.38),
        ],
    );
    assert_eq!(
        out.transactions[0].transaction.at.to_string(),
        "2020-05-05T22:10:57Z"
    );
}

#[test]
fn saxo_transactions_sample() {
    let Some(out) = import("saxo_transactions_en__export-to-ghostfolio.csv") else {
        return;
    };
    assert_eq!(out.format, Format::SaxoTransactions);
    check_ledger_conventions(&out);
    assert_eq!((out.report.imported, out.transactions.len()), (30, 30));
    assert_eq!(out.accounts[0].currency, Some(Currency::USD));
    assert_balances(
        &out,
        &[
            // dividends 1.83 + 0.46; sold 419.22; custody −3.91 − 5.2 − 2.83 − 0.64;
            // deposits 500 + 833 + 833 + 500 + 500 + 833 + 750 + 750 + 280 × 3 − 280 withdrawn;
            // bought 405.55 + 422.99 + 590.16 + 441 + 422.99 + 2379.35 + 422.99 + 288.96 × 3
            // = 2.29 + 419.22 − 12.58 + 6059 − 5951.91
            ("Saxo Bank", "USD", 516.02),
            // the Dutch row: Koop 1.5 @ 110.01 EUR booked −110 EUR
            ("Saxo Bank", "EUR", -110.0),
            // −3 + 3 + 17 + 3 + 3 + 2 + 2 + 2
            ("Saxo Bank", "VWRA", 29.0),
            ("Saxo Bank", "NVDA", 3.0),
            ("Saxo Bank", "META", 1.0),
            ("Saxo Bank", "AMZN", 2.0),
            ("Saxo Bank", "VUSA", 1.5),
        ],
    );
    // Buy 3 @ 134.85 USD booked −405,55: 404.55 and a commission of 1.00.
    let nvda = out
        .transactions
        .iter()
        .find(|t| {
            t.transaction
                .received
                .as_ref()
                .is_some_and(|l| l.asset == "NVDA")
        })
        .unwrap();
    assert_eq!(nvda.transaction.fee.as_ref().map(|f| f.quantity), Some(1.0));
    assert_eq!(nvda.transaction.at.to_string(), "2024-12-30T00:00:00Z");
    let dividends = out
        .transactions
        .iter()
        .filter(|t| matches!(t.transaction.kind, TxKind::Income(_)))
        .count();
    assert_eq!(dividends, 2);
}

#[test]
fn ghostfolio_samples() {
    let Some(ok) = import("ghostfolio_import_ok__ghostfolio.csv") else {
        return;
    };
    assert_eq!(ok.format, Format::GhostfolioCsv);
    check_ledger_conventions(&ok);
    // The 0 MSFT bought in 2050 moves nothing: skipped (line 5).
    assert_eq!(ok.report.skip_groups[0].lines, vec![5]);
    assert_balances(
        &ok,
        &[
            ("Ghostfolio", "MSFT", 5.0),
            // −5 × 298.58 − 19 fee + 5 × 0.62 dividend
            ("Ghostfolio", "USD", -1508.8),
            ("Ghostfolio", "Penthouse Apartment", 1.0),
        ],
    );
    // 16-09-2021, 17/11/2021, 01.01.2022: day first.
    let days: Vec<String> = ok
        .transactions
        .iter()
        .map(|t| t.transaction.at.to_string())
        .collect();
    assert_eq!(
        days,
        [
            "2021-09-16T00:00:00Z",
            "2021-11-17T00:00:00Z",
            "2022-01-01T00:00:00Z"
        ]
    );
    let Some(ds) = import("ghostfolio_import_sample_with_datasource__ghostfolio.csv") else {
        return;
    };
    // −49 fee − 1492.9 − 19 + 3.1
    assert_balances(
        &ds,
        &[("Ghostfolio", "MSFT", 5.0), ("Ghostfolio", "USD", -1557.8)],
    );
    let Some(btc) = import("ghostfolio_import_btcusd__ghostfolio.csv") else {
        return;
    };
    assert_balances(
        &btc,
        &[
            ("Ghostfolio", "BTCUSD", 1.0),
            ("Ghostfolio", "USD", -44558.42),
        ],
    );
}

#[test]
fn trade_republic_sample() {
    let Some(out) = import("traderepublic_semicolon__portfolio-performance.csv") else {
        return;
    };
    assert_eq!(out.format, Format::TradeRepublic);
    check_ledger_conventions(&out);
    assert_balances(
        &out,
        &[
            // +352.45 − 2.45 − 264.96 − 1 − 32.97 − 1 + 81.03 − 1
            ("Trade Republic", "EUR", 130.10),
            ("Trade Republic", "DE0005557508", 15.0),
            ("Trade Republic", "BTC", 0.0011),
            ("Trade Republic", "NO0010890304", -35.0),
        ],
    );
}

#[test]
fn xtb_sample_needs_its_currency_and_reads_decimal_commas() {
    let name = "xtb_cash_operations_semicolon_commadecimal__portfolio-performance.csv";
    let Some(unnamed) = import(name) else { return };
    // The file does not write its currency: every row says so, nothing is guessed.
    assert!(unnamed.transactions.is_empty());
    assert_eq!(
        unnamed
            .report
            .skip_groups
            .iter()
            .find(|g| g.reason == SkipReason::UnknownCurrency)
            .map(|g| g.count),
        Some(5)
    );
    let options = ImportOptions {
        account_currency: Some(Currency::EUR),
        ..Default::default()
    };
    let Some(out) = import_with(name, &options) else {
        return;
    };
    check_ledger_conventions(&out);
    assert_eq!(out.accounts[0].number.as_deref(), Some("0000000"));
    assert_balances(
        &out,
        &[
            // +100 − 50,25 + 24,75 − 10 + 0,35
            ("XTB 0000000", "EUR", 64.85),
            // OPEN BUY 2, CLOSE BUY 0.5
            ("XTB 0000000", "EXAM.DE", 1.5),
        ],
    );
}
