//! Deterministic generators of export files, for benchmarks and load tests. The same seed
//! always gives the same bytes.

use crate::domain::currency::Currency;
use crate::domain::price_key::PriceKey;
use crate::domain::random::SplitMix64;

const COINS: [&str; 24] = [
    "BTC", "ETH", "USDT", "USDC", "SOL", "ADA", "DOT", "AVAX", "LINK", "UNI", "AAVE", "DOGE",
    "PEPE", "ARB", "OP", "FET", "APT3", "SOL2", "TAO6", "XRP", "BNB", "ATOM", "NEAR", "EUR",
];
const EXCHANGES: [&str; 30] = [
    "Binance",
    "Kraken",
    "Coinbase",
    "Bitget",
    "Bybit",
    "OKX",
    "KuCoin",
    "Kraken Earn",
    "Ledger Wallets",
    "Trezor",
    "Metamask",
    "Phantom",
    "Rabby",
    "Manually",
    "Bitvavo",
    "Bitstamp",
    "Gemini",
    "Crypto.com",
    "Gate.io",
    "HTX",
    "MEXC",
    "Bitfinex",
    "Poloniex",
    "Swissborg",
    "Nexo",
    "Uphold",
    "Revolut",
    "Trust Wallet",
    "Exodus",
    "Uniswap",
];

/// A CoinTracking "Balance by Exchange" file with `rows` rows (BOM, quoted, CRLF).
pub fn balance_by_exchange(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::with_capacity(rows * 70 + 100);
    out.push('\u{feff}');
    out.push_str("\"Amount\",\"Currency\",\"Current value in USD\",\"Current value in BTC\",\"Exchange\"\r\n");
    for i in 0..rows {
        let coin = if i % 7 == 0 {
            format!("TOK{}", rng.below(5000))
        } else {
            COINS[rng.below(24) as usize].to_string()
        };
        let amount = rng.below(10_000_000_000) as f64 / 1e8;
        let usd = rng.below(5_000_000) as f64 / 100.0;
        let ex = EXCHANGES[rng.below(30) as usize];
        out.push_str(&format!(
            "\"{amount:.8}\",\"{coin}\",\"{usd:.2}\",\"{:.8}\",\"{ex}\"\r\n",
            usd / 100_000.0
        ));
    }
    out.into_bytes()
}

/// A CoinTracking "Trade List" with `rows` transactions of every common type.
pub fn trade_list(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::with_capacity(rows * 110 + 120);
    out.push_str("\"Type\",\"Buy\",\"Cur.\",\"Sell\",\"Cur.\",\"Fee\",\"Cur.\",\"Exchange\",\"Group\",\"Comment\",\"Date\",\"Tx-ID\"\n");
    for i in 0..rows {
        let ex = EXCHANGES[rng.below(30) as usize];
        let a = COINS[rng.below(24) as usize];
        let b = COINS[rng.below(24) as usize];
        let x = rng.below(1_000_000_000) as f64 / 1e6;
        let y = rng.below(1_000_000_000) as f64 / 1e6;
        let date = format!(
            "{:02}.{:02}.20{:02} {:02}:{:02}:{:02}",
            1 + i % 28,
            1 + i % 12,
            18 + i % 8,
            i % 24,
            i % 60,
            (i * 7) % 60
        );
        let line = match rng.below(5) {
            0 => format!("\"Trade\",\"{x:.8}\",\"{a}\",\"{y:.8}\",\"{b}\",\"{:.8}\",\"{b}\",\"{ex}\",\"\",\"\",\"{date}\",\"\"", y / 1000.0),
            1 => format!("\"Deposit\",\"{x:.8}\",\"{a}\",\"-\",\"\",\"\",\"\",\"{ex}\",\"\",\"\",\"{date}\",\"\""),
            2 => format!("\"Withdrawal\",\"-\",\"\",\"{y:.8}\",\"{b}\",\"0.0001\",\"{b}\",\"{ex}\",\"\",\"\",\"{date}\",\"\""),
            3 => format!("\"Staking\",\"{:.8}\",\"{a}\",\"\",\"\",\"\",\"\",\"{ex}\",\"\",\"\",\"{date}\",\"\"", x / 100.0),
            _ => format!("\"Income\",\"{:.8}\",\"{a}\",\"\",\"\",\"\",\"\",\"{ex}\",\"\",\"Reward, \"\"quoted\"\"\",\"{date}\",\"tx{i}\"", x / 10.0),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.into_bytes()
}

/// A French Saxo "Positions" export with `rows` positions and group summary rows.
pub fn saxo_positions(rows: usize, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let mut out = String::from("\u{feff}Instruments,Statut,Sens,Quantité,Prix actuel,Valeur actuelle (EUR),Symbole,Devise,ISIN,Type d'actif\n");
    for i in 0..rows {
        if i % 50 == 0 {
            out.push_str(&format!("Actions ({}),,,,,12345.6,,,,\n", 50));
        }
        let price = rng.below(100_000) as f64 / 100.0;
        let qty = 1 + rng.below(500);
        out.push_str(&format!(
            "Company {i} Inc. ,\"Ouvert\n\",Long,{qty},\"{}\",{:.2},S{i}:xnas,USD,US{:010},Action\n",
            format!("{price:.2}").replace('.', ","),
            price * qty as f64 * 0.92,
            i
        ));
    }
    out.into_bytes()
}

/// `n` distinct valued positions (symbol × location) across `locations` places: crypto in
/// every taxonomy group (synthetic tickers, so the group comes with the position), some
/// stocks at a broker and cash at banks. For the rebalancing benchmark.
pub fn positions(
    n: usize,
    locations: usize,
    seed: u64,
) -> Vec<crate::domain::rebalance::model::Position> {
    use crate::domain::holding::AssetClass;
    use crate::domain::rebalance::model::Position;
    use crate::domain::taxonomy::GROUPS;
    let mut rng = SplitMix64::new(seed);
    let places: Vec<&str> = EXCHANGES
        .iter()
        .copied()
        .cycle()
        .take(locations.max(1))
        .collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (class, group, location) = match i % 20 {
            0 => (AssetClass::Stock, "Stocks · USD".to_string(), "Saxo Bank"),
            1 if i % 40 == 1 => (AssetClass::Cash, "Cash · EUR".to_string(), "Bank"),
            _ => (
                AssetClass::Crypto,
                GROUPS[(i / 7) % GROUPS.len()].to_string(),
                places[i % places.len()],
            ),
        };
        // Crypto tickers repeat across places (one per place); stocks and cash are unique.
        let symbol = if class == AssetClass::Crypto {
            format!("S{:04}", i / places.len().max(1))
        } else {
            format!("T{i:04}")
        };
        let value = 10.0 + (rng.below(1_000_000) as f64) / 10.0;
        out.push(Position {
            symbol: symbol.clone(),
            alias: symbol,
            group,
            class,
            location: location.to_string(),
            value,
            price: Some(1.0 + rng.below(10_000) as f64 / 100.0),
            unknown: false,
        });
    }
    out
}

/// Daily closes of `assets` synthetic coins over `days` days ending 2026-11-20: returns of
/// one market factor times a per-asset beta plus noise (normal draws, seeded), prices from
/// 100. Keys are `crypto:A000`, `crypto:A001`… For the risk benchmark.
pub fn daily_history(
    assets: usize,
    days: usize,
    seed: u64,
) -> std::collections::BTreeMap<PriceKey, crate::domain::prices::history::DailySeries> {
    use crate::domain::calendar::days_before;
    use crate::domain::prices::history::DailySeries;
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    let mut rng = SplitMix64::new(seed);
    let mut normal = || {
        let u = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let v = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let dates: Vec<chrono::NaiveDate> = (0..days)
        .map(|i| days_before(end, (days - 1 - i) as u32))
        .collect();
    let factor: Vec<f64> = (0..days).map(|_| 0.03 * normal()).collect();
    let mut out = std::collections::BTreeMap::new();
    for a in 0..assets {
        let beta = 0.5 + (a % 10) as f64 / 10.0;
        let mut p = 100.0;
        let points = dates
            .iter()
            .zip(&factor)
            .map(|(d, f)| {
                p *= (1.0 + 0.0003 + beta * f + 0.02 * normal()).max(0.01);
                (*d, p)
            })
            .collect();
        let key = PriceKey::Crypto(format!("A{a:03}"));
        out.insert(
            key.clone(),
            DailySeries {
                key,
                currency: Currency::USD,
                points,
                source: "synthetic".into(),
            },
        );
    }
    out
}

/// The risk benchmark's inputs: [`daily_history`] of `assets` coins over `days` days, equal
/// values, every day in the window, `paths` Monte Carlo paths, the first coin as benchmark.
/// (The caller makes the job of them: jobs sit beside this module, not below it.)
pub fn risk_inputs(
    assets: usize,
    days: usize,
    paths: usize,
    seed: u64,
) -> (
    Vec<crate::domain::risk::report::AssetInput>,
    std::collections::BTreeMap<PriceKey, crate::domain::prices::history::DailySeries>,
    crate::domain::risk::report::RiskSettings,
) {
    use crate::domain::risk::report::{AssetInput, RiskSettings};
    let history = daily_history(assets, days, seed);
    let assets = history
        .keys()
        .map(|k| AssetInput {
            key: k.clone(),
            label: k.to_string(),
            group: "Others".into(),
            value: 1000.0,
            crypto: true,
        })
        .collect();
    let settings = RiskSettings {
        window_days: days as u32,
        mc_paths: paths,
        benchmark: PriceKey::crypto("A000"),
        ..RiskSettings::default()
    };
    (assets, history, settings)
}

/// A ledger of `rows` transactions across `accounts` accounts (at least 2) and `assets`
/// assets, in the mix a crypto and stock investor's history has: trades against EUR or USDT
/// (45 %, most with a fee, half with a value), staking and interest income in small
/// quantities (20 %), deposits (10 %), withdrawals with a network fee (6 %), transfers
/// between two of the accounts, matched (4 %), custody fees (5 %), internal moves (4 %),
/// spends (3 %), stock buys with ISIN and venue (3 %). Crypto quantities have up to 8
/// decimals, fiat 2; one account in two has exchange ids (Kraken-style, 19 characters),
/// the others fingerprint ids; 5 % of rows have a note. Times step by 1 s to 2 h from
/// 2018-01-01. Ids and accounts are assigned as an import would. For benchmarks and the
/// storage figures.
pub fn ledger(
    rows: usize,
    accounts: usize,
    assets: usize,
    seed: u64,
) -> Vec<crate::domain::ledger::Transaction> {
    use crate::domain::accounts::identity::assign_ids;
    use crate::domain::calendar::Timestamp;
    use crate::domain::currency::Currency;
    use crate::domain::holding::AssetClass;
    use crate::domain::ledger::{IncomeKind, Leg, Money, Transaction, TxKind};

    let accounts = accounts.max(2);
    let mut rng = SplitMix64::new(seed);
    let names: Vec<String> = (0..assets.max(1))
        .map(|i| match COINS.get(i) {
            Some(c) if *c != "EUR" => c.to_string(),
            _ => format!("TOK{i}"),
        })
        .collect();
    let coin = |rng: &mut SplitMix64, q: u64| Leg {
        asset: names[rng.below(names.len() as u64) as usize].clone(),
        class: AssetClass::Crypto,
        quantity: (rng.below(q) + 1) as f64 / 1e8,
    };
    let cash = |rng: &mut SplitMix64, asset: &str, q: u64| Leg {
        asset: asset.to_string(),
        class: AssetClass::Cash,
        quantity: (rng.below(q) + 1) as f64 / 100.0,
    };
    let id_chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let ext_id = |rng: &mut SplitMix64| {
        let mut s = String::with_capacity(19);
        for part in 0..3 {
            if part > 0 {
                s.push('-');
            }
            for _ in 0..if part == 2 { 6 } else { 5 } {
                s.push(id_chars[rng.below(32) as usize] as char);
            }
        }
        s
    };
    let blank = |account: usize, at: i64, kind: TxKind| Transaction {
        id: String::new(),
        account_id: format!("acct{account}"),
        at: Timestamp::from_millis(at),
        kind,
        received: None,
        given: None,
        fee: None,
        value: None,
        external_id: None,
        isin: None,
        venue: None,
        counterpart: None,
        note: None,
    };
    let mut at =
        Timestamp::start_of(chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default())
            .millis();
    let mut out: Vec<Transaction> = Vec::with_capacity(rows + 1);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    while out.len() < rows {
        at += (1 + rng.below(7_200) as i64) * 1_000;
        let account = rng.below(accounts as u64) as usize;
        let roll = rng.below(100);
        let mut t = match roll {
            0..=44 => {
                let quote = if rng.below(2) == 0 { "EUR" } else { "USDT" };
                let mut t = blank(account, at, TxKind::Trade);
                let (coin_leg, quote_leg) = (
                    coin(&mut rng, 500_000_000),
                    cash(&mut rng, quote, 2_000_000),
                );
                if rng.below(3) == 0 {
                    t.received = Some(quote_leg.clone());
                    t.given = Some(coin_leg);
                } else {
                    t.received = Some(coin_leg);
                    t.given = Some(quote_leg.clone());
                }
                if rng.below(5) != 0 {
                    t.fee = Some(cash(&mut rng, quote, 2_000));
                }
                if rng.below(2) == 0 {
                    t.value = Some(Money {
                        amount: quote_leg.quantity,
                        currency: Currency::EUR,
                    });
                }
                t
            }
            45..=64 => {
                let kind = if rng.below(2) == 0 {
                    IncomeKind::Staking
                } else {
                    IncomeKind::Interest
                };
                let mut t = blank(account, at, TxKind::Income(kind));
                t.received = Some(coin(&mut rng, 100_000));
                if rng.below(10) < 3 {
                    t.value = Some(Money {
                        amount: (rng.below(10_000) + 1) as f64 / 100.0,
                        currency: Currency::EUR,
                    });
                }
                t
            }
            65..=74 => {
                let mut t = blank(account, at, TxKind::Deposit);
                t.received = Some(if rng.below(2) == 0 {
                    cash(&mut rng, "EUR", 1_000_000)
                } else {
                    coin(&mut rng, 1_000_000_000)
                });
                t
            }
            75..=80 => {
                let mut t = blank(account, at, TxKind::Withdrawal);
                let leg = coin(&mut rng, 1_000_000_000);
                t.fee = Some(Leg {
                    quantity: (rng.below(50_000) + 1) as f64 / 1e8,
                    ..leg.clone()
                });
                t.given = Some(leg);
                t
            }
            81..=84 => {
                // A transfer: this account sends, the next receives 10 minutes later.
                let to = (account + 1) % accounts;
                let mut w = blank(account, at, TxKind::Withdrawal);
                let leg = coin(&mut rng, 1_000_000_000);
                let mut d = blank(to, at + 600_000, TxKind::Deposit);
                d.received = Some(leg.clone());
                w.given = Some(leg);
                out.push(w);
                pairs.push((out.len() - 1, out.len()));
                d
            }
            85..=89 => {
                let mut t = blank(account, at, TxKind::Fee);
                t.fee = Some(cash(&mut rng, "EUR", 5_000));
                t.note = Some("Custody Fee".into());
                t
            }
            90..=93 => {
                let mut t = blank(account, at, TxKind::Internal);
                let leg = coin(&mut rng, 1_000_000_000);
                t.received = Some(leg.clone());
                t.given = Some(leg);
                t
            }
            94..=96 => {
                let mut t = blank(account, at, TxKind::Spend);
                t.given = Some(coin(&mut rng, 10_000_000));
                t
            }
            _ => {
                let mut t = blank(account, at, TxKind::Trade);
                let n = rng.below(40);
                t.received = Some(Leg {
                    asset: format!("STK{n}"),
                    class: AssetClass::Stock,
                    quantity: (rng.below(50) + 1) as f64,
                });
                t.given = Some(cash(&mut rng, "USD", 1_000_000));
                t.fee = Some(cash(&mut rng, "USD", 500));
                t.isin = Some(format!("US{:010}", 1_000_000 + n));
                t.venue = Some("XNAS".into());
                t
            }
        };
        if t.note.is_none() && rng.below(20) == 0 {
            t.note = Some("Simple Earn Flexible Interest".into());
        }
        out.push(t);
    }
    out.truncate(rows);
    for t in &mut out {
        let account: usize = t.account_id[4..].parse().unwrap_or(0);
        if account.is_multiple_of(2) {
            t.external_id = Some(ext_id(&mut rng));
        }
    }
    // Ids per account, as each account's import would assign them.
    let mut by_account: Vec<Vec<usize>> = vec![Vec::new(); accounts];
    for (i, t) in out.iter().enumerate() {
        let account: usize = t.account_id[4..].parse().unwrap_or(0);
        by_account[account].push(i);
    }
    for (account, rows_of) in by_account.iter().enumerate() {
        let mut txs: Vec<Transaction> = rows_of.iter().map(|&i| out[i].clone()).collect();
        assign_ids(&format!("acct{account}"), &mut txs);
        for (&i, t) in rows_of.iter().zip(txs) {
            out[i].id = t.id;
        }
    }
    for (w, d) in pairs {
        if d < out.len() {
            let (wid, did) = (out[w].id.clone(), out[d].id.clone());
            out[w].kind = TxKind::TransferOut;
            out[w].counterpart = Some(did);
            out[d].kind = TxKind::TransferIn;
            out[d].counterpart = Some(wid);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, Format, ImportOptions};

    #[test]
    fn generators_are_deterministic_and_import_cleanly() {
        assert_eq!(balance_by_exchange(50, 7), balance_by_exchange(50, 7));
        assert_ne!(balance_by_exchange(50, 7), balance_by_exchange(50, 8));
        for (bytes, format, rows) in [
            (
                balance_by_exchange(500, 1),
                Format::CoinTrackingBalanceByExchange,
                500,
            ),
            (trade_list(500, 1), Format::CoinTrackingTradeList, 500),
            (saxo_positions(120, 1), Format::SaxoPositions, 120),
        ] {
            let out = import_bytes("gen.csv", bytes, &ImportOptions::default())
                .unwrap()
                .unwrap();
            assert_eq!(out.format, format);
            assert_eq!(out.report.imported, rows, "{:?}", out.report.skip_groups);
        }
    }

    #[test]
    fn positions_are_distinct_and_repeatable() {
        let a = positions(2000, 30, 7);
        assert_eq!(a, positions(2000, 30, 7));
        let mut keys: Vec<(String, String)> = a
            .iter()
            .map(|p| (p.alias.clone(), p.location.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 2000);
        let places: std::collections::BTreeSet<&str> =
            a.iter().map(|p| p.location.as_str()).collect();
        assert!(places.len() >= 30);
        assert!(a.iter().all(|p| p.value > 0.0));
    }

    #[test]
    fn daily_history_is_repeatable_with_one_close_a_day() {
        let h = daily_history(3, 40, 9);
        assert_eq!(h, daily_history(3, 40, 9));
        assert_eq!(h.len(), 3);
        let s = &h[&PriceKey::crypto("A001")];
        assert_eq!(s.points.len(), 40);
        assert_eq!(s.points.last().unwrap().0.to_string(), "2026-11-20");
        assert!(s.points.windows(2).all(|w| w[0].0 < w[1].0 && w[1].1 > 0.0));
    }
}
