//! Locations: how exchange and wallet names are normalised, in which order a plan sells
//! from them, the execution hint each action carries, and the default fee per venue.
//!
//! The priorities are SmartFolio's (`constants/exchanges.py`), with one fix: names are
//! matched case-insensitively, so "OKX" is OKX (SmartFolio title-cases names first and
//! turns it into the unknown "Okx").

/// How a location is operated, which decides how hard selling there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VenueClass {
    /// Centralised exchange (priority below 15).
    Exchange,
    /// Broker account holding listed securities.
    Broker,
    /// Software wallet or DApp (15–29).
    Software,
    /// DeFi protocol (30–39).
    Defi,
    /// Hardware wallet or cold storage (40–49).
    Cold,
    /// Anything else, including unknown names (50 and above).
    Other,
}

impl VenueClass {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            VenueClass::Exchange => "Exchange",
            VenueClass::Broker => "Broker",
            VenueClass::Software => "Software wallet",
            VenueClass::Defi => "DeFi",
            VenueClass::Cold => "Cold storage",
            VenueClass::Other => "Other",
        }
    }
}

/// Sell priority by normalised lower-case name (lower sells first).
const PRIORITIES: [(&str, u32); 40] = [
    ("binance", 1),
    ("kraken", 2),
    ("coinbase", 3),
    ("bitget", 4),
    ("bybit", 5),
    ("okx", 6),
    ("huobi", 7),
    ("kucoin", 8),
    ("poloniex", 9),
    ("kraken earn", 10),
    ("coinbase pro", 11),
    ("bittrex", 12),
    ("ftx", 13),
    ("swissborg", 14),
    ("metamask", 20),
    ("phantom", 21),
    ("rabby", 22),
    ("trustwallet", 23),
    ("trust wallet", 23),
    ("solana", 25),
    ("ron", 25),
    ("siacoin", 25),
    ("vsync", 25),
    ("defi", 30),
    ("uniswap", 31),
    ("pancakeswap", 32),
    ("sushiswap", 33),
    ("curve", 34),
    ("ledger", 40),
    ("ledger wallets", 40),
    ("trezor", 41),
    ("cold storage", 42),
    ("portfolio", 50),
    ("cointracking", 51),
    ("demo wallet", 52),
    ("unknown", 60),
    ("manually", 61),
    ("saxo", 1),
    ("saxo bank", 1),
    ("interactive brokers", 1),
];

/// Software-wallet prefixes SmartFolio ranks at 25 ("Solana 1", "Ron Wallet 2"…).
const WALLET_PREFIXES: [&str; 5] = ["metamask", "solana", "ron", "siacoin", "vsync"];

/// Brokers, whose priority says nothing about crypto venues.
const BROKERS: [&str; 3] = ["saxo", "saxo bank", "interactive brokers"];

/// Priority of names nobody listed.
pub const DEFAULT_PRIORITY: u32 = 99;

/// The display form of a location: trimmed, `_` and `-` read as spaces, runs of spaces
/// collapsed, and one trailing " Balance", " Wallet", " Account" or " Wallets" removed
/// ("Ledger Wallets" → "Ledger"). Case is kept.
pub fn normalize_location(name: &str) -> String {
    let spaced: String = name
        .trim()
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    let mut out = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    for suffix in [" balance", " wallets", " wallet", " account"] {
        if out.len() > suffix.len() && out.to_lowercase().ends_with(suffix) {
            out.truncate(out.len() - suffix.len());
            break;
        }
    }
    out
}

/// The key a location is compared and looked up by: its normalised form in lower case.
pub fn location_key(name: &str) -> String {
    normalize_location(name).to_lowercase()
}

/// Sell priority of a location (lower sells first), case-insensitive.
pub fn priority(name: &str) -> u32 {
    priority_of_key(&location_key(name))
}

/// [`priority`] of a name already in [`location_key`] form.
pub fn priority_of_key(key: &str) -> u32 {
    if let Some((_, p)) = PRIORITIES.iter().find(|(k, _)| *k == key) {
        return *p;
    }
    if WALLET_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return 25;
    }
    DEFAULT_PRIORITY
}

/// Whether a name in [`location_key`] form is a broker.
pub fn is_broker_key(key: &str) -> bool {
    BROKERS.contains(&key)
}

/// The class of a location, from its priority (brokers are named).
pub fn venue_class(name: &str) -> VenueClass {
    if is_broker_key(&location_key(name)) {
        return VenueClass::Broker;
    }
    match priority(name) {
        0..=14 => VenueClass::Exchange,
        15..=29 => VenueClass::Software,
        30..=39 => VenueClass::Defi,
        40..=49 => VenueClass::Cold,
        _ => VenueClass::Other,
    }
}

/// SmartFolio's execution hint (`format_exec_hint`): "Sell on Binance", "Buy on
/// MetaMask (DApp)" at wallets, "(DeFi)" at protocols, on sells and buys alike; at cold
/// storage and unknown places "(complex)" for sells and "(manual)" for buys. Cash moves
/// are transfers.
pub fn exec_hint(sell: bool, location: &str, cash: bool) -> String {
    let broker = venue_class(location) == VenueClass::Broker;
    hint(
        sell,
        &normalize_location(location),
        priority(location),
        broker,
        cash,
    )
}

/// CoinTracking's location for coins entered by hand: no venue to trade on.
const MANUAL_ENTRY: &str = "manually";

/// [`exec_hint`] from a location's normalised name, priority and broker flag. Coins
/// CoinTracking holds as manual entries ("Manually") have no venue: the hint says so rather
/// than "Buy on Manually (manual)".
pub fn hint(sell: bool, place: &str, p: u32, broker: bool, cash: bool) -> String {
    if cash {
        return if sell {
            format!("Transfer from {place}")
        } else {
            format!("Transfer to {place}")
        };
    }
    if place.eq_ignore_ascii_case(MANUAL_ENTRY) {
        return if sell {
            "Sell where it is held (manual entry, no venue)".to_string()
        } else {
            "Buy on a venue of your choice (manual entry, no venue)".to_string()
        };
    }
    let suffix = match (sell, p) {
        _ if broker => "",
        (_, 15..=29) => " (DApp)",
        (_, 30..=39) => " (DeFi)",
        (true, 40..) => " (complex)",
        (false, 40..) => " (manual)",
        _ => "",
    };
    let verb = if sell { "Sell" } else { "Buy" };
    format!("{verb} on {place}{suffix}")
}

/// Default trading cost in basis points of a location: QFrame's venue commissions
/// (Binance 10, Kraken 25, Coinbase 50) and SmartFolio's default execution cost (15)
/// for the rest. The user can change each one.
pub fn default_fee_bps(name: &str) -> f64 {
    match location_key(name).as_str() {
        "binance" => 10.0,
        "kraken" | "kraken earn" => 25.0,
        "coinbase" | "coinbase pro" => 50.0,
        _ => 15.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_case_insensitively_unlike_smartfolio() {
        assert_eq!(priority("OKX"), 6);
        assert_eq!(priority("okx"), 6);
        assert_eq!(priority("MetaMask"), 20);
        assert_eq!(priority("  binance_balance "), 1);
        assert_eq!(priority("Ledger Wallets"), 40);
        assert_eq!(priority("Solana 2"), 25);
        assert_eq!(priority("Nowhere"), DEFAULT_PRIORITY);
        assert_eq!(normalize_location("Coinbase-Account"), "Coinbase");
        assert_eq!(normalize_location("Wallet"), "Wallet");
    }

    #[test]
    fn classes_and_hints_follow_priorities() {
        assert_eq!(venue_class("Kraken"), VenueClass::Exchange);
        assert_eq!(venue_class("Phantom"), VenueClass::Software);
        assert_eq!(venue_class("Uniswap"), VenueClass::Defi);
        assert_eq!(venue_class("Trezor"), VenueClass::Cold);
        assert_eq!(venue_class("Saxo Bank"), VenueClass::Broker);
        assert_eq!(venue_class("Demo Wallet"), VenueClass::Other);
        assert_eq!(exec_hint(true, "binance", false), "Sell on binance");
        assert_eq!(
            exec_hint(true, "Metamask", false),
            "Sell on Metamask (DApp)"
        );
        assert_eq!(exec_hint(true, "Curve", false), "Sell on Curve (DeFi)");
        assert_eq!(
            exec_hint(true, "Ledger Wallets", false),
            "Sell on Ledger (complex)"
        );
        assert_eq!(exec_hint(false, "Ledger", false), "Buy on Ledger (manual)");
        // CoinTracking's manual entries are no place to trade.
        assert_eq!(
            exec_hint(false, "Manually", false),
            "Buy on a venue of your choice (manual entry, no venue)"
        );
        assert_eq!(
            exec_hint(true, "manually", false),
            "Sell where it is held (manual entry, no venue)"
        );
        assert_eq!(exec_hint(false, "Saxo", false), "Buy on Saxo");
        assert_eq!(
            exec_hint(true, "Demo Bank", true),
            "Transfer from Demo Bank"
        );
    }

    #[test]
    fn buy_hints_at_wallets_and_defi_carry_smartfolio_suffixes() {
        // SmartFolio's format_exec_hint: "(DApp)" for priorities 15–29 and "(DeFi)" for
        // 30–39, on buys as on sells.
        assert_eq!(
            exec_hint(false, "Metamask", false),
            "Buy on Metamask (DApp)"
        );
        assert_eq!(exec_hint(false, "Phantom", false), "Buy on Phantom (DApp)");
        assert_eq!(
            exec_hint(false, "Solana 2", false),
            "Buy on Solana 2 (DApp)"
        );
        assert_eq!(exec_hint(false, "Uniswap", false), "Buy on Uniswap (DeFi)");
        assert_eq!(exec_hint(false, "DeFi", false), "Buy on DeFi (DeFi)");
        assert_eq!(exec_hint(false, "Kraken", false), "Buy on Kraken");
    }

    #[test]
    fn fees_default_to_venue_commissions() {
        assert_eq!(default_fee_bps("BINANCE"), 10.0);
        assert_eq!(default_fee_bps("Coinbase Pro"), 50.0);
        assert_eq!(default_fee_bps("Ledger"), 15.0);
    }
}
