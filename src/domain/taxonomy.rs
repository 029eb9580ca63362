//! The asset-group taxonomy: SmartFolio's 11 crypto groups, its effective alias map, its
//! pattern rules for suggestions, per-profile overrides, and groups for non-crypto assets.

use std::collections::BTreeMap;

use crate::domain::holding::{AssetClass, Holding};

/// The 11 canonical crypto groups, in display order.
pub const GROUPS: [&str; 11] = [
    "BTC",
    "ETH",
    "Stablecoins",
    "SOL",
    "L1/L0 majors",
    "L2/Scaling",
    "DeFi",
    "AI/Data",
    "Gaming/NFT",
    "Memecoins",
    "Others",
];

/// The fallback group for unmapped crypto symbols.
pub const OTHERS: &str = "Others";

/// SmartFolio's effective alias → group map (`data/taxonomy_aliases.json` merged over the
/// code defaults), group by group.
const ALIASES: [(&str, &[&str]); 11] = [
    ("BTC", &["BTC", "TBTC", "WBTC"]),
    ("ETH", &["ETH", "WETH", "STETH", "WSTETH", "RETH"]),
    (
        "Stablecoins",
        &["DAI", "USD", "USDT", "USDC", "USDP", "TUSD", "EUR", "BUSD"],
    ),
    ("SOL", &["SOL", "JUPSOL", "JITOSOL", "SOL2"]),
    (
        "L1/L0 majors",
        &[
            "ADA", "ALGO", "APT", "ATOM", "AVAX", "BNB", "DOT", "EGLD", "ETC", "FIL", "ICP", "LTC",
            "NEAR", "SUI", "TIA", "TON", "TRX", "XLM", "XMR", "XRP", "XTZ", "TONCOIN", "APT3",
            "LUNA2", "LUNA3", "FLR2", "AMB", "ATOM2", "BCH", "BTG", "CKB", "CRO", "DOT2", "EGLD3",
            "EWT", "GNO", "HBAR", "ICP2", "IOTA2", "KSM", "LUNA", "NEO", "ROSE", "SCRT", "SUI3",
            "TIA3", "VET", "ZEC", "ZIL",
        ],
    ),
    (
        "L2/Scaling",
        &[
            "ARB", "OP", "MATIC", "POL", "STRK", "IMX", "LRC", "METIS", "ARBETH", "BASE", "BOBA",
            "IMX2", "POL3", "STRK2",
        ],
    ),
    (
        "DeFi",
        &[
            "KAVA", "UNI", "AAVE", "COMP", "MKR", "SNX", "CRV", "SUSHI", "1INCH", "YFI", "LDO",
            "RPL", "PENDLE", "RDNT", "JUP2", "ALCX", "ANKR", "BNT", "CAKE", "CFG", "DYDX", "EIGEN",
            "ENA", "ETHFI", "FXS", "INJ2", "JUNO", "KNC", "ONDO", "ORCA", "REN", "UNI2", "XVS",
            "ZRX",
        ],
    ),
    (
        "AI/Data",
        &[
            "FET", "RENDER", "TAO", "OCEAN", "GRT", "WLD", "TAO6", "WLD3", "AITOKEN", "AKT",
            "ARPA", "LINK", "MASA", "PHA",
        ],
    ),
    (
        "Gaming/NFT",
        &[
            "AXS", "SAND", "MANA", "ENJ", "GALA", "CHZ", "FLOW", "GMT5", "GAMEFI", "GHST",
            "NFTCOIN", "WLKN",
        ],
    ),
    (
        "Memecoins",
        &[
            "DOGE", "SHIB", "PEPE", "BONK", "WIF", "FLOKI", "ELONGATE", "MEGADOGE", "MELANIA2",
            "NATO", "PENGU7", "PEPE4", "TREMP", "TRUMP",
        ],
    ),
    (
        "Others",
        &[
            "GBP",
            "JPY",
            "CHF",
            "VVV3",
            "S5",
            "SPX3",
            "SEI2",
            "WAL3",
            "AC2",
            "AION",
            "ANC2",
            "ATR",
            "BAT",
            "BGB",
            "BNKR",
            "CBXRP",
            "CHERRY",
            "CHSB",
            "DIAMOND",
            "DOGI3",
            "ERA",
            "FIG",
            "FTT",
            "GIFT",
            "HEI2",
            "HMSTR",
            "HTM",
            "HUMA",
            "ID",
            "IMO",
            "JMPT",
            "KLY",
            "KTA",
            "LCX",
            "MIR2",
            "MYSTERY_TOKEN",
            "NEWT",
            "ONX",
            "OXT",
            "PAXG",
            "PIP",
            "PNUT2",
            "PROVE",
            "QTUM",
            "REP",
            "RIF",
            "SAGA3",
            "SAHARA",
            "SC",
            "SFP",
            "SIGT",
            "SUN2",
            "THETA2",
            "TOWNS",
            "TREE",
            "USTC",
            "VANRY",
            "VRA",
            "VSX",
            "VTHO",
            "XNO2",
            "XVG",
        ],
    ),
];

/// Looks a symbol up in the built-in alias map (case-insensitive). `None` when unmapped.
pub fn builtin_group(alias: &str) -> Option<&'static str> {
    let key = alias.trim().to_uppercase();
    ALIASES
        .iter()
        .find(|(_, aliases)| aliases.contains(&key.as_str()))
        .map(|(g, _)| *g)
}

/// Canonical spelling of a group name (case and space-insensitive), if it is one of [`GROUPS`].
pub fn canonical_group(name: &str) -> Option<&'static str> {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let key = fold(name);
    GROUPS.into_iter().find(|g| fold(g) == key)
}

/// SmartFolio's pattern rules for unknown symbols, in evaluation order. A suggestion is only
/// made when a rule matches (never "Others").
pub fn suggest_group(symbol: &str) -> Option<&'static str> {
    let s = symbol.trim().to_uppercase();
    let ends = |suffixes: &[&str]| suffixes.iter().any(|x| s.ends_with(x));
    let has = |parts: &[&str]| parts.iter().any(|x| s.contains(x));
    if s.ends_with("USD")
        || s.ends_with("USDC")
        || s.ends_with("USDT")
        || ends(&["DAI", "BUSD", "TUSD", "GUSD", "USDD", "FRAX"])
    {
        Some("Stablecoins")
    } else if has(&["ARB", "MATIC", "POL", "STRK"]) || s.ends_with("OP") {
        Some("L2/Scaling")
    } else if has(&[
        "DOGE", "SHIB", "PEPE", "BONK", "WIF", "FLOKI", "MEME", "MOON", "SAFE",
    ]) {
        Some("Memecoins")
    } else if has(&["AI", "GPT", "RENDER", "FET", "OCEAN", "GRT"]) {
        Some("AI/Data")
    } else if has(&["GAME", "NFT", "SAND", "MANA", "AXS", "ENJ", "GALA"]) {
        Some("Gaming/NFT")
    } else {
        None
    }
}

/// How a holding's group was decided, so the UI can explain it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupOrigin {
    /// The user assigned it in this profile.
    User,
    /// Found in the built-in alias map.
    Builtin,
    /// Derived from the asset class and currency (stocks, ETFs, cash, other).
    AssetClass,
    /// Not mapped: falls into "Others" until the user assigns it.
    Unknown,
}

/// Per-profile group assignments layered over the built-in map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Taxonomy {
    /// Upper-case symbol → group chosen by the user.
    pub overrides: BTreeMap<String, String>,
}

impl Taxonomy {
    /// A taxonomy with the given user overrides.
    pub fn with_overrides(overrides: BTreeMap<String, String>) -> Taxonomy {
        Taxonomy { overrides }
    }

    /// The group of a holding and how it was decided. Crypto uses the user's overrides,
    /// then the alias as written (`APT3`), then the canonical symbol; stocks and ETFs are
    /// grouped by asset type and currency (`Stocks · USD`); cash by currency (`Cash · EUR`).
    pub fn group_of(&self, h: &Holding) -> (String, GroupOrigin) {
        let keys = [h.alias.as_deref(), Some(h.symbol.as_str())];
        for key in keys.into_iter().flatten() {
            if let Some(g) = self.overrides.get(&key.to_uppercase()) {
                return (g.clone(), GroupOrigin::User);
            }
        }
        match h.asset_class {
            AssetClass::Crypto => {
                for key in keys.into_iter().flatten() {
                    if let Some(g) = canonical_group(key).or_else(|| builtin_group(key)) {
                        return (g.to_string(), GroupOrigin::Builtin);
                    }
                }
                (OTHERS.to_string(), GroupOrigin::Unknown)
            }
            AssetClass::Stock | AssetClass::Etf | AssetClass::Cash => {
                let currency = h.price_currency.unwrap_or(h.currency);
                (
                    format!("{} · {}", h.asset_class.label(), currency),
                    GroupOrigin::AssetClass,
                )
            }
            AssetClass::Other => (
                AssetClass::Other.label().to_string(),
                GroupOrigin::AssetClass,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::currency::Currency;

    fn crypto(symbol: &str, alias: Option<&str>) -> Holding {
        let mut h = Holding::new(symbol, AssetClass::Crypto, 1.0, Currency::USD, "Binance");
        h.alias = alias.map(str::to_string);
        h
    }

    #[test]
    fn builtin_map_uses_effective_smartfolio_aliases() {
        assert_eq!(builtin_group("link"), Some("AI/Data"));
        assert_eq!(builtin_group("EUR"), Some("Stablecoins"));
        assert_eq!(builtin_group("KAVA"), Some("DeFi"));
        assert_eq!(builtin_group("PAXG"), Some("Others"));
        assert_eq!(builtin_group("NOPE"), None);
        let total: usize = ALIASES.iter().map(|(_, a)| a.len()).sum();
        let mut all: Vec<&str> = ALIASES
            .iter()
            .flat_map(|(_, a)| a.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), total, "an alias is listed in two groups");
    }

    #[test]
    fn alias_as_written_wins_then_base_symbol() {
        let t = Taxonomy::default();
        assert_eq!(t.group_of(&crypto("LUNA", Some("LUNA2"))).0, "L1/L0 majors");
        assert_eq!(t.group_of(&crypto("GMT", Some("GMT5"))).0, "Gaming/NFT");
        assert_eq!(t.group_of(&crypto("TAO", Some("TAO9"))).0, "AI/Data");
        assert_eq!(
            t.group_of(&crypto("ZZZ", None)),
            ("Others".to_string(), GroupOrigin::Unknown)
        );
    }

    #[test]
    fn user_overrides_come_first() {
        let mut o = BTreeMap::new();
        o.insert("LINK".to_string(), "DeFi".to_string());
        let t = Taxonomy::with_overrides(o);
        assert_eq!(
            t.group_of(&crypto("LINK", None)),
            ("DeFi".to_string(), GroupOrigin::User)
        );
    }

    #[test]
    fn stocks_group_by_type_and_currency() {
        let t = Taxonomy::default();
        let mut h = Holding::new("TSLA", AssetClass::Stock, 25.0, Currency::EUR, "Saxo");
        h.price_currency = Some(Currency::USD);
        assert_eq!(t.group_of(&h).0, "Stocks · USD");
        let cash = Holding::new(
            "CHF",
            AssetClass::Cash,
            100.0,
            Currency::parse("CHF").unwrap(),
            "UBS",
        );
        assert_eq!(t.group_of(&cash).0, "Cash · CHF");
    }

    #[test]
    fn pattern_rules_suggest_but_never_others() {
        assert_eq!(suggest_group("FOOUSD"), Some("Stablecoins"));
        assert_eq!(suggest_group("BABYDOGE"), Some("Memecoins"));
        assert_eq!(suggest_group("AIXBT"), Some("AI/Data"));
        assert_eq!(suggest_group("ARBDOGE"), Some("L2/Scaling"));
        assert_eq!(suggest_group("XYZ"), None);
        assert_eq!(canonical_group("l1/l0 MAJORS"), Some("L1/L0 majors"));
    }
}
