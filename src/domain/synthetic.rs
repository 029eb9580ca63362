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

/// The risk benchmark's job: [`daily_history`] of `assets` coins over `days` days, equal
/// values, every day in the window, `paths` Monte Carlo paths, the first coin as benchmark.
pub fn risk_job(
    assets: usize,
    days: usize,
    paths: usize,
    seed: u64,
) -> crate::domain::risk::report::RiskJob {
    use crate::domain::risk::report::{AssetInput, RiskJob, RiskSettings};
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
    RiskJob {
        assets,
        history,
        held: Vec::new(),
        settings: RiskSettings {
            window_days: days as u32,
            mc_paths: paths,
            benchmark: PriceKey::crypto("A000"),
            ..RiskSettings::default()
        },
    }
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
