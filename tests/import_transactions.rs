//! Every transaction importer and its quirks, on fixtures written for Folio
//! (`tests/fixtures/`, made by `scripts/make_fixtures.py`). Expected values are worked out by
//! hand from the fixture rows, in the comments.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use folio::domain::import::{
    import_bytes, ColumnMapping, DateOrder, Format, ImportOptions, ImportOutcome, RowKind,
    SkipReason,
};
use folio::domain::ledger::{AccountKind, IncomeKind, TxKind};
use folio::domain::number::DecimalStyle;

fn fixture(name: &str) -> Vec<u8> {
    let dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    std::fs::read(format!("{dir}/tests/fixtures/{name}")).expect("fixture exists")
}

fn import_with(name: &str, options: &ImportOptions) -> ImportOutcome {
    match import_bytes(name, fixture(name), options) {
        Ok(Ok(out)) => out,
        Ok(Err(req)) => panic!("{name} asked for a mapping: {:?}", req.headers),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn import(name: &str) -> ImportOutcome {
    import_with(name, &ImportOptions::default())
}

/// Balance per (account name, asset) from every transaction that is not internal.
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

fn bal(out: &ImportOutcome, account: &str, asset: &str) -> f64 {
    balances(out)
        .get(&(account.to_string(), asset.to_string()))
        .copied()
        .unwrap_or_else(|| panic!("no {asset} at {account}: {:#?}", balances(out)))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

fn skipped(out: &ImportOutcome) -> Vec<(SkipReason, Vec<u64>)> {
    out.report
        .skip_groups
        .iter()
        .map(|g| (g.reason.clone(), g.lines.clone()))
        .collect()
}

fn no_ids_or_accounts_assigned(out: &ImportOutcome) {
    assert!(
        out.holdings.is_empty(),
        "a transaction file is never summed as holdings"
    );
    assert_eq!(out.report.transactions, out.transactions.len() as u64);
    for t in &out.transactions {
        assert!(t.transaction.id.is_empty() && t.transaction.account_id.is_empty());
        assert!((t.account as usize) < out.accounts.len());
        for leg in [
            &t.transaction.received,
            &t.transaction.given,
            &t.transaction.fee,
        ]
        .into_iter()
        .flatten()
        {
            assert!(leg.quantity > 0.0, "quantities are positive: {leg:?}");
        }
    }
}

#[test]
fn cointracking_trade_list_as_transactions_maps_every_type_to_its_account() {
    let options = ImportOptions {
        trade_list_as_transactions: true,
        ..Default::default()
    };
    let out = import_with("ct_trade_list_types.csv", &options);
    assert_eq!(out.format, Format::CoinTrackingTransactions);
    no_ids_or_accounts_assigned(&out);
    // 20 rows: "Liquidity Pool" is not a type Folio knows, 31.02.2024 is no day.
    assert_eq!((out.report.rows_read, out.report.imported), (20, 18));
    assert_eq!(
        skipped(&out),
        vec![
            (
                SkipReason::BadDate {
                    column: "Date".into()
                },
                vec![21]
            ),
            (
                SkipReason::UnknownType {
                    column: "Type".into(),
                    value: "Liquidity Pool".into()
                },
                vec![20]
            ),
        ]
    );
    let kind = |id: &str| {
        out.transactions
            .iter()
            .find(|t| t.transaction.external_id.as_deref() == Some(id))
            .map(|t| t.transaction.kind)
    };
    assert_eq!(kind("d1"), Some(TxKind::Deposit));
    assert_eq!(kind("t1"), Some(TxKind::Trade));
    assert_eq!(kind("w1"), Some(TxKind::Withdrawal));
    // Kraken EUR: +1000 − 800 − 2 fee. BTC: +0.02 − 0.0001 spend − 0.01 − 0.00005 fee.
    close(bal(&out, "Kraken", "EUR"), 198.0);
    close(bal(&out, "Kraken", "BTC"), 0.00985);
    // Binance USDT: +10 reward +1.5 interest +5 margin profit −2 margin loss
    // −(0.5 + 0.25) margin fee −1 donation −1 gift = 11.75.
    close(bal(&out, "Binance", "USDT"), 11.75);
    // DASH2 is CoinTracking's second DASH.
    close(bal(&out, "Binance", "DASH"), 100.0);
    close(bal(&out, "Binance", "ARB"), 40.0);
    // No exchange: +0.5 mined − 0.1 lost.
    close(bal(&out, "CoinTracking", "ETH"), 0.4);
    let ledger = out
        .accounts
        .iter()
        .find(|a| a.name == "Ledger Wallet")
        .unwrap();
    assert_eq!(ledger.kind, AccountKind::Wallet);
    assert_eq!(ledger.found_in, "column Exchange");
    let binance = out.accounts.iter().find(|a| a.name == "Binance").unwrap();
    assert_eq!(
        (binance.kind, binance.venue.as_deref()),
        (AccountKind::Exchange, Some("Binance"))
    );
    // `2/3/2024 9:05` is US: February 3rd.
    let gift = out
        .transactions
        .iter()
        .find(|t| t.transaction.note.as_deref() == Some("a gift"))
        .unwrap();
    assert_eq!(gift.transaction.at.to_string(), "2024-02-03T09:05:00Z");
    assert_eq!(gift.transaction.kind, TxKind::Income(IncomeKind::Reward));
    // Margin Fee with its Fee column in the same currency: one fee of 0.75.
    let fee = out
        .transactions
        .iter()
        .find(|t| t.transaction.kind == TxKind::Fee)
        .unwrap();
    assert_eq!(fee.transaction.fee.as_ref().map(|l| l.quantity), Some(0.75));
}

#[test]
fn cointracking_trade_list_in_a_time_zone_is_converted_to_utc() {
    let options = ImportOptions {
        trade_list_as_transactions: true,
        time_zone: Some("Europe/Berlin".into()),
        ..Default::default()
    };
    let out = import_with("ct_trade_list_types.csv", &options);
    let deposit = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("d1"))
        .unwrap();
    // 01.02.2024 10:00 in Berlin (winter, UTC+1) is 09:00 UTC.
    assert_eq!(deposit.transaction.at.to_string(), "2024-02-01T09:00:00Z");
    let bad = ImportOptions {
        time_zone: Some("Mars/Base".into()),
        ..Default::default()
    };
    assert!(import_bytes("x.csv", fixture("ct_trade_list_types.csv"), &bad).is_err());
}

#[test]
fn binance_statement_groups_trades_and_marks_wallet_moves_internal() {
    let out = import("binance_statement.csv");
    assert_eq!(out.format, Format::BinanceStatement);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(out.accounts.len(), 1);
    assert_eq!(out.accounts[0].name, "Binance");
    assert_eq!(
        skipped(&out),
        vec![
            (
                SkipReason::BadNumber {
                    column: "Change".into()
                },
                vec![26]
            ),
            (
                SkipReason::UnknownType {
                    column: "Operation".into(),
                    value: "Mystery Box Bonus".into()
                },
                vec![25]
            ),
        ]
    );
    // The five rows at 10:05 are one trade: 0.02 + 0.005 BTC for 800 + 200 EUR, 0.01 BNB fee.
    let trade = &out.transactions[1].transaction;
    assert_eq!(trade.kind, TxKind::Trade);
    close(trade.received.as_ref().unwrap().quantity, 0.025);
    close(trade.given.as_ref().unwrap().quantity, 1000.0);
    assert_eq!(trade.fee.as_ref().unwrap().asset, "BNB");
    // Internal: Spot↔Funding (2 rows), Simple Earn subscription and redemption, Spot↔futures (2).
    let internal: Vec<_> = out.transactions.iter().filter(|t| t.internal).collect();
    assert_eq!(internal.len(), 6);
    assert!(internal
        .iter()
        .all(|t| matches!(t.transaction.kind, TxKind::TransferIn | TxKind::TransferOut)));
    assert_eq!(internal[1].wallet.as_deref(), Some("Funding"));
    // EUR: +1000 − 1000 − 50 = −50. BTC: +0.025 + 0.0000015 − 0.015.
    close(bal(&out, "Binance", "EUR"), -50.0);
    close(bal(&out, "Binance", "BTC"), 0.0100015);
    // Dust: 0.004 BNB split evenly between SHIB and DOGE; BNB: −0.01 + 0.004.
    close(bal(&out, "Binance", "BNB"), -0.006);
    let dust: Vec<_> = out
        .transactions
        .iter()
        .filter(|t| {
            t.transaction
                .given
                .as_ref()
                .is_some_and(|g| g.asset == "SHIB" || g.asset == "DOGE")
        })
        .collect();
    assert_eq!(dust.len(), 2);
    assert!(dust
        .iter()
        .all(|t| t.transaction.received.as_ref().unwrap().quantity == 0.002));
    // USDT: +54.1 convert − 4.1 loss − 0.05 funding fee + 0.02 funding received.
    close(bal(&out, "Binance", "USDT"), 49.97);
    close(bal(&out, "Binance", "ETF"), 6.0e-7);
}

#[test]
fn binance_spot_trades_read_unit_suffixed_cells_and_the_older_plain_export() {
    let out = import("binance_trades.csv");
    assert_eq!(out.format, Format::BinanceTrades);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![
            (
                SkipReason::UnknownType {
                    column: "Side".into(),
                    value: "HOLD".into()
                },
                vec![5]
            ),
            (
                SkipReason::UnreadableText {
                    column: "Executed".into()
                },
                vec![6]
            ),
        ]
    );
    // SOL +0.18 for 19.8054 BUSD + 0.0198054 BUSD fee; 10 1INCH sold (not 10.0 of INCH).
    close(bal(&out, "Binance", "SOL"), 0.18);
    close(bal(&out, "Binance", "BUSD"), -19.8252054);
    close(bal(&out, "Binance", "1INCH"), -10.0);
    // BTC +0.01 − 0.00001 fee; USDT +15.015 − 400.
    close(bal(&out, "Binance", "BTC"), 0.00999);
    close(bal(&out, "Binance", "USDT"), -384.985);
    let old = import("binance_trades_old.csv");
    // BNBBTC buy: +100 BNB − 0.05 fee, −0.1 BTC; ETHUSDT sell: −1 ETH, +700 − 0.7 USDT.
    close(bal(&old, "Binance", "BNB"), 99.95);
    close(bal(&old, "Binance", "BTC"), -0.1);
    close(bal(&old, "Binance", "USDT"), 699.3);
}

#[test]
fn coinbase_transactions_after_a_preamble_with_converts_transfers_and_fees() {
    let out = import("coinbase_transactions.csv");
    assert_eq!(out.format, Format::CoinbaseTransactions);
    assert_eq!(out.report.header_line, 4);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(out.report.skipped, 2);
    // EUR: +100 deposit − 90 − 1.49 (buy) + 310 − 5 (sell) − 50 withdrawal (49.85 + 0.15 fee).
    close(bal(&out, "Coinbase", "EUR"), 263.51);
    // BTC: +0.001 − 0.0005 converted.
    close(bal(&out, "Coinbase", "BTC"), 0.0005);
    // XRP: +150.5 from the convert's notes − 50 sent.
    close(bal(&out, "Coinbase", "XRP"), 100.5);
    // ETH: +0.5 (paid 1620 USDC, as the notes say) + 0.1 received − 0.2 to Coinbase Pro
    // − 0.1 sold + 0.0001 staking; the 0.3 staking transfer is internal.
    close(bal(&out, "Coinbase", "ETH"), 0.3001);
    close(bal(&out, "Coinbase", "USDC"), -1615.0);
    let to_pro = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("a8"))
        .unwrap();
    assert_eq!(
        (
            to_pro.transaction.kind,
            to_pro.counterparty.as_deref(),
            to_pro.internal
        ),
        (TxKind::TransferOut, Some("Coinbase Pro"), false)
    );
    let staking = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("a9"))
        .unwrap();
    assert!(staking.internal);
    let reward = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("a7"))
        .unwrap();
    assert_eq!(reward.transaction.kind, TxKind::Income(IncomeKind::Reward));
    let convert = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("a4"))
        .unwrap();
    assert_eq!(
        convert
            .transaction
            .value
            .map(|m| (m.amount, m.currency.to_string())),
        Some((45.5, "EUR".to_string()))
    );
    // The oldest export names its currency in the headers.
    let v1 = import("coinbase_transactions_v1.csv");
    close(bal(&v1, "Coinbase", "GBP"), -457.5);
    assert_eq!(
        v1.transactions[0].transaction.at.to_string(),
        "2021-04-01T10:00:00Z"
    );
}

#[test]
fn coinbase_pro_statement_groups_fills_by_trade_id() {
    let out = import("coinbase_pro.csv");
    assert_eq!(out.format, Format::CoinbasePro);
    no_ids_or_accounts_assigned(&out);
    let trade = out
        .transactions
        .iter()
        .find(|t| t.transaction.external_id.as_deref() == Some("501"))
        .unwrap();
    assert_eq!(
        trade
            .transaction
            .fee
            .as_ref()
            .map(|f| (f.asset.as_str(), f.quantity)),
        Some(("USD", 3.0))
    );
    assert_eq!(trade.transaction.at.millis() % 1000, 123);
    // USD: +1000 − 600 − 3 + 0.5 rebate (the move to the savings portfolio is internal).
    close(bal(&out, "Coinbase Pro", "USD"), 397.5);
    // BTC: +0.02 − 0.01 withdrawn + 0.01 from a fill whose other side is missing.
    close(bal(&out, "Coinbase Pro", "BTC"), 0.02);
    assert!(out.report.notes.iter().any(|n| n.contains("one side only")));
    assert_eq!(out.transactions.iter().filter(|t| t.internal).count(), 2);
    assert_eq!(out.accounts[0].venue.as_deref(), Some("Coinbase"));
}

#[test]
fn kraken_ledgers_read_old_codes_staking_suffixes_and_internal_wallet_moves() {
    let out = import("kraken_ledgers_old.csv");
    assert_eq!(out.format, Format::KrakenLedgers);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![
            (
                SkipReason::UnknownType {
                    column: "type".into(),
                    value: "nfttrade".into()
                },
                vec![13]
            ),
            (
                SkipReason::NotCompleted {
                    status: "no ledger id (pending or failed)".into()
                },
                vec![5]
            ),
        ]
    );
    // EUR: +1000 − 500 − 0.8 fee. BTC: +0.07 − 0.05 − 0.0005 + 0.00001 reward (the 0.01 to
    // earn and back into BTC.M are internal).
    close(bal(&out, "Kraken", "EUR"), 499.2);
    close(bal(&out, "Kraken", "BTC"), 0.01951);
    // DOT: staking reward only; the moves to DOT.S are internal.
    close(bal(&out, "Kraken", "DOT"), 0.05);
    let trade = out
        .transactions
        .iter()
        .find(|t| t.transaction.kind == TxKind::Trade)
        .unwrap();
    assert_eq!(
        trade.transaction.external_id.as_deref(),
        Some("T1"),
        "a trade's id is its refid"
    );
    let staked: Vec<_> = out.transactions.iter().filter(|t| t.internal).collect();
    assert_eq!(staked.len(), 4);
    assert_eq!(staked[1].wallet.as_deref(), Some("staking"));
    let trades = import("kraken_trades_old.csv");
    assert_eq!(trades.format, Format::KrakenTrades);
    // XXBTZEUR buy: +0.07 BTC, −500 − 0.8 EUR; XETHZEUR sell: −1 ETH, +150 − 0.24 EUR.
    close(bal(&trades, "Kraken", "BTC"), 0.07);
    close(bal(&trades, "Kraken", "EUR"), -351.04);
    assert_eq!(
        trades.transactions[0].transaction.external_id.as_deref(),
        Some("T1")
    );
    assert_eq!(trades.transactions[0].transaction.at.millis() % 1000, 123);
}

#[test]
fn bitvavo_times_follow_amsterdam_daylight_saving_and_only_completed_rows_count() {
    let out = import("bitvavo.csv");
    assert_eq!(out.format, Format::Bitvavo);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![(
            SkipReason::NotCompleted {
                status: "Canceled".into()
            },
            vec![6]
        )]
    );
    let at = |id: &str| {
        out.transactions
            .iter()
            .find(|t| t.transaction.external_id.as_deref() == Some(id))
            .unwrap()
            .transaction
            .at
    };
    // July: UTC+2; December: UTC+1. Milliseconds kept.
    assert_eq!(at("b2").to_string(), "2024-07-01T10:05:30Z");
    assert_eq!(at("b2").millis() % 1000, 250);
    assert_eq!(at("b3").to_string(), "2024-12-01T08:00:00Z");
    // EUR: +100 − 59.15 paid (59 + 0.15 fee) + 44.89 received net (45 − 0.11 fee).
    close(bal(&out, "Bitvavo", "EUR"), 85.74);
    // BTC: +0.001 − 0.0005 − 0.0002 − 0.00001 fee.
    close(bal(&out, "Bitvavo", "BTC"), 0.00029);
    close(bal(&out, "Bitvavo", "ETH"), 0.0001);
}

#[test]
fn revolut_keeps_each_row_s_currency_and_stakes_internally() {
    let out = import("revolut.csv");
    assert_eq!(out.format, Format::RevolutCrypto);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![(
            SkipReason::UnknownType {
                column: "Type".into(),
                value: "Exchange".into()
            },
            vec![9]
        )]
    );
    // USD: −60 − 0.90 + 31 − 0.46. EUR: −2500 − 12.50.
    close(bal(&out, "Revolut", "USD"), -30.36);
    close(bal(&out, "Revolut", "EUR"), -2512.5);
    // BTC: +0.001 − 0.0005 − 0.0002. ETH: +1 + 0.001 (stake and unstake internal).
    close(bal(&out, "Revolut", "BTC"), 0.0003);
    close(bal(&out, "Revolut", "ETH"), 1.001);
    assert_eq!(out.transactions.iter().filter(|t| t.internal).count(), 2);
    // 11:59:59 PM is 23:59:59.
    assert_eq!(
        out.transactions[2].transaction.at.to_string(),
        "2024-03-01T23:59:59Z"
    );
}

#[test]
fn saxo_transactions_in_french_dutch_and_xlsx_split_commissions_and_name_the_account() {
    let fr = import("saxo_transactions_fr.csv");
    assert_eq!(fr.format, Format::SaxoTransactions);
    no_ids_or_accounts_assigned(&fr);
    assert_eq!(fr.accounts.len(), 1);
    let a = &fr.accounts[0];
    assert_eq!(
        (
            a.name.as_str(),
            a.kind,
            a.number.as_deref(),
            a.currency.map(|c| c.to_string())
        ),
        (
            "Saxo Bank 80000",
            AccountKind::Broker,
            Some("80000"),
            Some("EUR".to_string())
        )
    );
    // A split is not read: skipped and named.
    assert_eq!(fr.report.skipped, 1);
    // EUR: +1000 − 345 (2 × 170.50 = 341 and a 4.00 commission) + 5.80 − 1.20 − 185 (the
    // USD share bought at rate 0.925, booked in EUR).
    close(bal(&fr, "Saxo Bank 80000", "EUR"), 474.6);
    let buy = fr
        .transactions
        .iter()
        .find(|t| {
            t.transaction
                .received
                .as_ref()
                .is_some_and(|l| l.asset == "AI")
        })
        .unwrap();
    assert_eq!(buy.transaction.fee.as_ref().map(|f| f.quantity), Some(4.0));
    assert_eq!(buy.transaction.at.to_string(), "2025-02-03T00:00:00Z");
    assert_eq!(buy.transaction.venue.as_deref(), Some("XPAR"));
    assert_eq!(buy.transaction.isin.as_deref(), Some("FR0000120073"));
    close(bal(&fr, "Saxo Bank 80000", "AAPL"), 1.0);
    let nl = import("saxo_transactions_nl.csv");
    // EUR: −166.02 (1.5 × 110.01 = 165.015 + 1.005) + 55 + 200. VUSA: +1.5 − 0.5.
    close(bal(&nl, "Saxo Bank 123", "EUR"), 88.98);
    close(bal(&nl, "Saxo Bank 123", "VUSA"), 1.0);
    assert_eq!(
        nl.transactions[0].transaction.at.to_string(),
        "2025-01-16T00:00:00Z"
    );
    let xlsx = import("saxo_transactions.xlsx");
    assert_eq!(xlsx.format, Format::SaxoTransactions);
    // USD: −761 + 1000 + 1.66. MSFT +2.
    close(bal(&xlsx, "Saxo Bank 70001", "USD"), 240.66);
    close(bal(&xlsx, "Saxo Bank 70001", "MSFT"), 2.0);
}

#[test]
fn ghostfolio_json_export_and_csv_with_accounts() {
    let out = import("ghostfolio.json");
    assert_eq!(out.format, Format::GhostfolioJson);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![(
            SkipReason::UnknownType {
                column: "type".into(),
                value: "LIABILITY".into()
            },
            vec![6]
        )]
    );
    let broker = &out.accounts[0];
    assert_eq!(
        (
            broker.name.as_str(),
            broker.venue.as_deref(),
            broker.currency.map(|c| c.to_string())
        ),
        ("My Broker", Some("Swissquote"), Some("CHF".to_string()))
    );
    // CHF: −1005 − 9 + 550 − 9 + 15 dividend. NESN.SW: +10 − 5.
    close(bal(&out, "My Broker", "CHF"), -458.0);
    close(bal(&out, "My Broker", "NESN.SW"), 5.0);
    // A MANUAL asset is named by its profile; an activity without account is Ghostfolio's.
    close(bal(&out, "Ghostfolio", "Gold bar"), 1.0);
    let csv = import("ghostfolio_accounts.csv");
    assert_eq!(csv.format, Format::GhostfolioCsv);
    assert_eq!(
        skipped(&csv),
        vec![(
            SkipReason::UnknownType {
                column: "Type".into(),
                value: "SPLIT".into()
            },
            vec![6]
        )]
    );
    // IBKR USD: −360.50 − 1 + 0.48 dividend + 2.50 interest; Wallet: −600.
    close(bal(&csv, "IBKR", "USD"), -358.52);
    close(bal(&csv, "Wallet", "USD"), -600.0);
    assert_eq!(
        csv.transactions[1].transaction.at.to_string(),
        "2024-02-15T00:00:00Z"
    );
}

#[test]
fn trade_republic_folds_taxes_into_fees_and_refuses_unknown_types() {
    let out = import("trade_republic.csv");
    assert_eq!(out.format, Format::TradeRepublic);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![(
            SkipReason::UnknownType {
                column: "type".into(),
                value: "CARD_TRANSACTION".into()
            },
            vec![8]
        )]
    );
    // EUR: +1000 − 800 − 1 + 2.50 − 0.66 tax + 3.10 − 100 + 360 − 1 − 5.20.
    close(bal(&out, "Trade Republic", "EUR"), 457.74);
    close(bal(&out, "Trade Republic", "IE00B4L5Y983"), 6.0);
    let buy = &out.transactions[1].transaction;
    assert_eq!(buy.isin.as_deref(), Some("IE00B4L5Y983"));
    assert_eq!(
        buy.received.as_ref().map(|l| l.class),
        Some(folio::domain::holding::AssetClass::Etf)
    );
}

#[test]
fn xtb_takes_the_account_from_the_preamble_and_the_currency_from_the_file_name() {
    let out = import("xtb_EUR_cash_operations.csv");
    assert_eq!(out.format, Format::XtbCashOperations);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(out.report.header_line, 5);
    assert_eq!(out.report.number_style, DecimalStyle::CommaDecimal);
    let a = &out.accounts[0];
    assert_eq!(
        (
            a.name.as_str(),
            a.number.as_deref(),
            a.currency.map(|c| c.to_string())
        ),
        ("XTB 51234567", Some("51234567"), Some("EUR".to_string()))
    );
    assert_eq!(
        skipped(&out),
        vec![
            (SkipReason::SummaryRow, vec![15]),
            (
                SkipReason::UnreadableText {
                    column: "Comment".into()
                },
                vec![14]
            ),
        ]
    );
    // EUR: +1000 (the deposit "1.000" in a comma-decimal file) − 50.25 + 24.75 + 0.35 − 0.05
    // + 1.20 − 10 to the sub-account − 10 withdrawn. EXAM.DE: +2 − 0.5.
    close(bal(&out, "XTB 51234567", "EUR"), 956.0);
    close(bal(&out, "XTB 51234567", "EXAM.DE"), 1.5);
    let sub = out
        .transactions
        .iter()
        .find(|t| t.counterparty.is_some())
        .unwrap();
    assert_eq!(sub.transaction.kind, TxKind::TransferOut);
    // Without a currency in the name, every row says why it was not read.
    let renamed = import_bytes(
        "cash.csv",
        fixture("xtb_EUR_cash_operations.csv"),
        &ImportOptions::default(),
    )
    .unwrap()
    .unwrap();
    assert!(renamed.transactions.is_empty());
    assert!(renamed
        .report
        .skip_groups
        .iter()
        .any(|g| g.reason == SkipReason::UnknownCurrency && g.count == 9));
}

#[test]
fn a_transaction_table_of_unknown_shape_asks_for_a_mapping_and_is_never_summed() {
    let req = match import_bytes(
        "generic_transactions.csv",
        fixture("generic_transactions.csv"),
        &ImportOptions::default(),
    ) {
        Ok(Err(req)) => req,
        other => panic!("should ask for a mapping: {other:?}"),
    };
    let guess = req.guess.clone();
    let t = guess
        .transactions
        .clone()
        .expect("a date and a type column: transactions");
    assert_eq!(
        (
            t.date,
            t.kind,
            t.fee,
            guess.symbol,
            guess.quantity,
            guess.price
        ),
        (Some(0), Some(1), Some(5), Some(2), Some(3), Some(4))
    );
    let meaning: Vec<(String, Option<RowKind>)> =
        t.kinds.iter().map(|k| (k.value.clone(), k.kind)).collect();
    assert_eq!(
        meaning,
        vec![
            ("Kauf".into(), Some(RowKind::Buy)),
            ("Verkauf".into(), Some(RowKind::Sell)),
            (
                "Dividende".into(),
                Some(RowKind::Income(IncomeKind::Dividend))
            ),
            ("Einzahlung".into(), Some(RowKind::Deposit)),
            ("Split".into(), None),
        ]
    );
    // The user confirms, saying slashed dates are US.
    let mut mapping: ColumnMapping = guess;
    if let Some(t) = mapping.transactions.as_mut() {
        t.date_order = DateOrder::MonthFirst;
    }
    let options = ImportOptions {
        mapping: Some(mapping.clone()),
        ..Default::default()
    };
    let out = import_with("generic_transactions.csv", &options);
    assert_eq!(out.format, Format::GenericTransactions);
    no_ids_or_accounts_assigned(&out);
    assert_eq!(
        skipped(&out),
        vec![
            (SkipReason::SummaryRow, vec![7]),
            (
                SkipReason::UnknownType {
                    column: "Transaktion".into(),
                    value: "Split".into()
                },
                vec![6]
            ),
        ]
    );
    // Broker A USD: −(10 × 170.50) − 1 + 4 × 180 − 1 + 6 × 0.24 = −985.56; AAPL: +10 − 4.
    close(bal(&out, "Broker A", "USD"), -985.56);
    close(bal(&out, "Broker A", "AAPL"), 6.0);
    close(bal(&out, "Broker B", "USD"), 500.0);
    assert_eq!(
        out.transactions[1].transaction.at.to_string(),
        "2024-04-15T00:00:00Z"
    );
    assert_eq!(out.mapping, Some(mapping.clone()), "returned to be saved");
    // Saved, it is used without asking again.
    let saved = ImportOptions {
        saved_mappings: vec![mapping],
        ..Default::default()
    };
    assert_eq!(
        import_with("generic_transactions.csv", &saved)
            .transactions
            .len(),
        4
    );
}

#[test]
fn the_number_style_is_decided_once_per_file_from_all_its_cells() {
    // "1,500" beside "2,25" and "6.750,00": one and a half.
    let out = import("generic_comma_decimal.csv");
    assert_eq!(out.format, Format::Generic);
    assert_eq!(out.report.number_style, DecimalStyle::CommaDecimal);
    let q = |s: &str| out.holdings.iter().find(|h| h.symbol == s).unwrap();
    assert_eq!((q("BTC").quantity, q("BTC").value), (1.5, Some(90_000.0)));
    assert_eq!((q("ETH").quantity, q("ETH").value), (2.25, Some(6_750.0)));
    // 40 rows of "1,500" before the only cell that decides ("0,75", row 42): the file is
    // read again, and every "1,500" is one and a half.
    let late = import("generic_late_comma.csv");
    assert_eq!(late.report.number_style, DecimalStyle::CommaDecimal);
    assert!(late
        .holdings
        .iter()
        .filter(|h| h.symbol != "LAST")
        .all(|h| h.quantity == 1.5));
    assert!(late
        .report
        .notes
        .iter()
        .any(|n| n.starts_with("40 number cell(s) could be read either way")));
    // The user's style wins.
    let chosen = ImportOptions {
        number_style: Some(DecimalStyle::DotDecimal),
        ..Default::default()
    };
    let dot = import_with("generic_comma_decimal.csv", &chosen);
    assert_eq!(
        dot.holdings
            .iter()
            .find(|h| h.symbol == "BTC")
            .unwrap()
            .quantity,
        1500.0
    );
}

#[test]
fn transaction_exports_are_never_read_as_holdings_even_when_chunked() {
    use folio::domain::import::{ImportSession, Started};
    for name in [
        "binance_statement.csv",
        "coinbase_transactions.csv",
        "kraken_ledgers_old.csv",
        "revolut.csv",
        "saxo_transactions_fr.csv",
        "ghostfolio.json",
        "trade_republic.csv",
        "xtb_EUR_cash_operations.csv",
        "bitvavo.csv",
    ] {
        let whole = import(name);
        assert!(
            whole.holdings.is_empty() && !whole.transactions.is_empty(),
            "{name}"
        );
        assert!(whole.format.holds_transactions(), "{name}");
        let Ok(Started::Ready(mut s)) =
            ImportSession::start(name, fixture(name), &ImportOptions::default())
        else {
            panic!("{name}")
        };
        while !s.step(2).finished {}
        assert_eq!(
            s.finish(),
            whole,
            "{name}: chunked reading gives the same outcome"
        );
    }
}
