//! Which identifier each provider uses for an asset: a bundled map for common coins
//! (CoinTracking aliases resolve to their base coin before this), overridable per symbol.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// A symbol as one provider knows it: the key of an id override. Stored as
/// `coingecko:BTC`; that text form is written and read here only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderSymbol {
    /// The provider.
    pub provider: Provider,
    /// The asset's canonical symbol.
    pub symbol: String,
}

impl ProviderSymbol {
    /// The key of `symbol` at `provider`.
    pub fn new(provider: Provider, symbol: &str) -> ProviderSymbol {
        ProviderSymbol {
            provider,
            symbol: symbol.to_string(),
        }
    }
}

impl fmt::Display for ProviderSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", provider_key(self.provider), self.symbol)
    }
}

impl FromStr for ProviderSymbol {
    type Err = String;
    fn from_str(s: &str) -> Result<ProviderSymbol, String> {
        let bad = || format!("“{s}” is not a provider and symbol (coingecko:BTC)");
        let (p, symbol) = s.split_once(':').ok_or_else(bad)?;
        let provider = Provider::ALL
            .into_iter()
            .find(|x| provider_key(*x) == p)
            .ok_or_else(bad)?;
        if symbol.is_empty() {
            return Err(bad());
        }
        Ok(ProviderSymbol::new(provider, symbol))
    }
}

impl Serialize for ProviderSymbol {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ProviderSymbol {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ProviderSymbol, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Per-symbol identifiers chosen by the user, by provider.
pub type IdOverrides = BTreeMap<ProviderSymbol, String>;

/// The identifier `provider` uses for the crypto `symbol`, or `None` when it has none.
/// An override (`coingecko:BTC` → `bitcoin`) wins over the bundled map.
pub fn crypto_id(provider: Provider, symbol: &str, overrides: &IdOverrides) -> Option<String> {
    if let Some(id) = overrides.get(&ProviderSymbol::new(provider, symbol)) {
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
        o.insert("coingecko:ZZZ".parse().unwrap(), "zzz-token".into());
        assert_eq!(
            crypto_id(Provider::CoinGecko, "ZZZ", &o).as_deref(),
            Some("zzz-token")
        );
        let key = ProviderSymbol::new(Provider::CoinGecko, "ZZZ");
        assert_eq!(key.to_string(), "coingecko:ZZZ");
        assert_eq!(
            serde_json::to_string(&o).unwrap(),
            r#"{"coingecko:ZZZ":"zzz-token"}"#
        );
        assert!("gecko:ZZZ".parse::<ProviderSymbol>().is_err());
        assert!("coingecko:".parse::<ProviderSymbol>().is_err());
        let mut ids: Vec<&str> = COINGECKO.iter().map(|(s, _)| *s).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), COINGECKO.len());
    }
}
