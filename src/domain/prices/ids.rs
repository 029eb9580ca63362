//! Which identifier each provider uses for an asset: a bundled map for common coins
//! (CoinTracking aliases resolve to their base coin before this), overridable per symbol.

use std::collections::BTreeMap;

use super::Provider;

/// CoinGecko ids of common coins.
const COINGECKO: [(&str, &str); 84] = [
    ("BTC", "bitcoin"),
    ("ETH", "ethereum"),
    ("USDT", "tether"),
    ("USDC", "usd-coin"),
    ("SOL", "solana"),
    ("BNB", "binancecoin"),
    ("XRP", "ripple"),
    ("ADA", "cardano"),
    ("DOGE", "dogecoin"),
    ("DOT", "polkadot"),
    ("AVAX", "avalanche-2"),
    ("LINK", "chainlink"),
    ("UNI", "uniswap"),
    ("AAVE", "aave"),
    ("ATOM", "cosmos"),
    ("LTC", "litecoin"),
    ("NEAR", "near"),
    ("ARB", "arbitrum"),
    ("OP", "optimism"),
    ("FET", "fetch-ai"),
    ("PEPE", "pepe"),
    ("SHIB", "shiba-inu"),
    ("TRX", "tron"),
    ("XLM", "stellar"),
    ("XMR", "monero"),
    ("WSTETH", "wrapped-steth"),
    ("STETH", "staked-ether"),
    ("RETH", "rocket-pool-eth"),
    ("TBTC", "tbtc"),
    ("WBTC", "wrapped-bitcoin"),
    ("WETH", "weth"),
    ("DAI", "dai"),
    ("APT", "aptos"),
    ("SUI", "sui"),
    ("TAO", "bittensor"),
    ("RENDER", "render-token"),
    ("INJ", "injective-protocol"),
    ("MATIC", "matic-network"),
    ("POL", "polygon-ecosystem-token"),
    ("MKR", "maker"),
    ("LDO", "lido-dao"),
    ("CRV", "curve-dao-token"),
    ("GRT", "the-graph"),
    ("TON", "the-open-network"),
    ("ICP", "internet-computer"),
    ("FIL", "filecoin"),
    ("ALGO", "algorand"),
    ("EGLD", "elrond-erd-2"),
    ("HBAR", "hedera-hashgraph"),
    ("VET", "vechain"),
    ("BCH", "bitcoin-cash"),
    ("ETC", "ethereum-classic"),
    ("XTZ", "tezos"),
    ("KSM", "kusama"),
    ("SAND", "the-sandbox"),
    ("MANA", "decentraland"),
    ("AXS", "axie-infinity"),
    ("GALA", "gala"),
    ("CHZ", "chiliz"),
    ("IMX", "immutable-x"),
    ("STRK", "starknet"),
    ("BONK", "bonk"),
    ("WIF", "dogwifcoin"),
    ("FLOKI", "floki"),
    ("SNX", "havven"),
    ("COMP", "compound-governance-token"),
    ("SUSHI", "sushi"),
    ("1INCH", "1inch"),
    ("YFI", "yearn-finance"),
    ("PENDLE", "pendle"),
    ("ENA", "ethena"),
    ("ONDO", "ondo-finance"),
    ("JUP", "jupiter-exchange-solana"),
    ("TIA", "celestia"),
    ("SEI", "sei-network"),
    ("CRO", "crypto-com-chain"),
    ("PAXG", "pax-gold"),
    ("WLD", "worldcoin-wld"),
    ("OCEAN", "ocean-protocol"),
    ("AKT", "akash-network"),
    ("KAVA", "kava"),
    ("RPL", "rocket-pool"),
    ("BUSD", "binance-usd"),
    ("TUSD", "true-usd"),
];

/// Stablecoins pegged to the US dollar (Binance quotes in USDT; Folio takes 1 USDT = 1 USD
/// for Binance prices and says so).
pub const USD_STABLES: [&str; 5] = ["USDT", "USDC", "BUSD", "TUSD", "DAI"];

/// Per-symbol identifiers chosen by the user, by provider.
pub type IdOverrides = BTreeMap<String, String>;

/// The identifier `provider` uses for the crypto `symbol`, or `None` when it has none.
/// An override (`"coingecko:BTC" → "bitcoin"`) wins over the bundled map.
pub fn crypto_id(provider: Provider, symbol: &str, overrides: &IdOverrides) -> Option<String> {
    let key = format!("{}:{symbol}", provider_key(provider));
    if let Some(id) = overrides.get(&key) {
        return Some(id.clone());
    }
    match provider {
        Provider::CoinGecko => COINGECKO
            .iter()
            .find(|(s, _)| *s == symbol)
            .map(|(_, id)| id.to_string()),
        Provider::Binance if symbol == "USDT" => None,
        Provider::Binance => Some(format!("{symbol}USDT")),
        Provider::Coinbase => Some(format!("{symbol}-USD")),
        Provider::TwelveData | Provider::Frankfurter => None,
    }
}

/// Short key of a provider for storage.
pub fn provider_key(p: Provider) -> &'static str {
    match p {
        Provider::CoinGecko => "coingecko",
        Provider::Binance => "binance",
        Provider::Coinbase => "coinbase",
        Provider::TwelveData => "twelvedata",
        Provider::Frankfurter => "frankfurter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_coins_and_honours_overrides() {
        let none = IdOverrides::new();
        assert_eq!(
            crypto_id(Provider::CoinGecko, "AVAX", &none).as_deref(),
            Some("avalanche-2")
        );
        assert_eq!(crypto_id(Provider::CoinGecko, "ZZZ", &none), None);
        assert_eq!(
            crypto_id(Provider::Binance, "BTC", &none).as_deref(),
            Some("BTCUSDT")
        );
        assert_eq!(crypto_id(Provider::Binance, "USDT", &none), None);
        assert_eq!(
            crypto_id(Provider::Coinbase, "ETH", &none).as_deref(),
            Some("ETH-USD")
        );
        let mut o = IdOverrides::new();
        o.insert("coingecko:ZZZ".into(), "zzz-token".into());
        assert_eq!(
            crypto_id(Provider::CoinGecko, "ZZZ", &o).as_deref(),
            Some("zzz-token")
        );
        let mut ids: Vec<&str> = COINGECKO.iter().map(|(s, _)| *s).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), COINGECKO.len());
    }
}
