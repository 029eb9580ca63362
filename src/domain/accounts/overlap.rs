//! Two sources describing the same holdings: a Binance export's account and CoinTracking's
//! "Binance" location are one place seen twice. Such accounts are found, shown with the
//! evidence, and only the side the user picks counts; nothing is counted twice silently.
//!
//! # Rule
//! - Each account has a **place** ([`place_key`]): its venue, else its name, lower-cased,
//!   cut into words of letters and digits, without the words that name a sub-account
//!   (`earn`, `staking`, `spot`, `funding`, `futures`, `margin`, `savings`, `wallet(s)`…):
//!   "Kraken Earn" and "Kraken" are both `kraken`, "Ledger Wallets" is `ledger`.
//! - Each account comes from a **source**: the service whose export fed it (`Binance`,
//!   `CoinTracking`), given by the caller. Accounts fed by one source describe different
//!   places (CoinTracking's "Kraken" and "Kraken Earn" are two parts of one export).
//! - Accounts of one place fed by two or more sources [`Overlap`]: one side per source.
//!   Until the user decides, the [`Overlap::suggested`] side counts alone: the side with the
//!   most recent data (positions are "now"), then the place's own export (a source named
//!   like the place), then the first source by name. The user may count one side or all.
//!
//! # Limits
//! Places are compared by name: an account whose name does not name its venue ("My cold
//! storage") overlaps nothing; two different accounts at one venue fed by two sources (a
//! personal and a company Binance account) are flagged until the user counts all.

use std::collections::BTreeMap;

use crate::domain::calendar::Timestamp;
use crate::domain::ledger::Account;

/// Words that name a part of an account rather than the place.
const SUB_ACCOUNT_WORDS: [&str; 16] = [
    "earn", "staking", "stake", "savings", "saving", "spot", "funding", "futures", "margin",
    "flexible", "locked", "simple", "wallet", "wallets", "std", "vault",
];

/// The place an account is at (see the module's rule); empty when only sub-account words
/// remain.
pub fn place_key(account: &Account) -> String {
    let text = account
        .venue
        .as_deref()
        .unwrap_or(&account.name)
        .to_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SUB_ACCOUNT_WORDS.contains(w))
        .collect();
    words.join(" ")
}

/// What the caller knows of an account's data.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountData {
    /// The account.
    pub account_id: String,
    /// The service whose export fed it (`Binance`, `CoinTracking`).
    pub source: String,
    /// The time of its latest data (last transaction, or its positions file's instant).
    pub latest: Option<Timestamp>,
    /// Its positions: asset → quantity.
    pub holdings: BTreeMap<String, f64>,
}

/// One source's view of a place.
#[derive(Debug, Clone, PartialEq)]
pub struct Side {
    /// The source.
    pub source: String,
    /// Its accounts at the place.
    pub accounts: Vec<String>,
    /// Its latest data.
    pub latest: Option<Timestamp>,
}

/// An asset several sides hold, as evidence that they describe the same holdings.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedAsset {
    /// The asset.
    pub asset: String,
    /// Its quantity on each side, in [`Overlap::sides`] order.
    pub quantities: Vec<f64>,
}

/// A place described by several sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// The place ([`place_key`]).
    pub place: String,
    /// One side per source, by source name.
    pub sides: Vec<Side>,
    /// The side counted until the user decides (index into `sides`).
    pub suggested: usize,
    /// Assets held on at least two sides, by asset.
    pub shared: Vec<SharedAsset>,
}

/// What the user decided for a place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Choice {
    /// Every side counts (they are different holdings).
    CountAll,
    /// Only this source's side counts.
    CountOnly(String),
}

/// The user's decision for one place (kept in the profile's settings).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Decision {
    /// The place ([`place_key`]).
    pub place: String,
    /// The decision.
    pub choice: Choice,
}

/// Why an account is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    /// The place it overlaps at.
    pub place: String,
    /// The source counted instead.
    pub counted: String,
    /// Whether the user decided it (else it is the suggestion).
    pub decided: bool,
}

/// Which accounts count.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Counting {
    /// Accounts left out, and why.
    pub excluded: BTreeMap<String, Excluded>,
    /// Places whose overlap awaits the user's decision (the suggestion applies).
    pub undecided: Vec<String>,
}

impl Counting {
    /// Whether an account's holdings count.
    pub fn counts(&self, account_id: &str) -> bool {
        !self.excluded.contains_key(account_id)
    }
}

/// The overlaps among `accounts` (see the module's rule), by place.
pub fn find_overlaps(accounts: &[Account], data: &[AccountData]) -> Vec<Overlap> {
    let by_id: BTreeMap<&str, &AccountData> =
        data.iter().map(|d| (d.account_id.as_str(), d)).collect();
    // place → source → accounts
    let mut places: BTreeMap<String, BTreeMap<&str, Vec<&AccountData>>> = BTreeMap::new();
    for a in accounts {
        let Some(d) = by_id.get(a.id.as_str()) else {
            continue;
        };
        let place = place_key(a);
        if place.is_empty() {
            continue;
        }
        places
            .entry(place)
            .or_default()
            .entry(d.source.as_str())
            .or_default()
            .push(d);
    }
    let mut overlaps = Vec::new();
    for (place, sources) in places {
        if sources.len() < 2 {
            continue;
        }
        let sides: Vec<Side> = sources
            .iter()
            .map(|(source, ds)| Side {
                source: source.to_string(),
                accounts: ds.iter().map(|d| d.account_id.clone()).collect(),
                latest: ds.iter().filter_map(|d| d.latest).max(),
            })
            .collect();
        let own = |s: &Side| {
            let key = s
                .source
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            key == place
        };
        let suggested = (0..sides.len())
            .min_by(|&a, &b| {
                let (sa, sb) = (&sides[a], &sides[b]);
                sb.latest
                    .cmp(&sa.latest)
                    .then(own(sb).cmp(&own(sa)))
                    .then(sa.source.cmp(&sb.source))
            })
            .unwrap_or(0);
        let mut assets: BTreeMap<&str, Vec<Option<f64>>> = BTreeMap::new();
        for (i, ds) in sources.values().enumerate() {
            for d in ds {
                for (asset, q) in &d.holdings {
                    let row = assets
                        .entry(asset.as_str())
                        .or_insert_with(|| vec![None; sides.len()]);
                    row[i] = Some(row[i].unwrap_or(0.0) + q);
                }
            }
        }
        let shared = assets
            .into_iter()
            .filter(|(_, qs)| qs.iter().filter(|q| q.is_some()).count() >= 2)
            .map(|(asset, qs)| SharedAsset {
                asset: asset.to_string(),
                quantities: qs.into_iter().map(|q| q.unwrap_or(0.0)).collect(),
            })
            .collect();
        overlaps.push(Overlap {
            place,
            sides,
            suggested,
            shared,
        });
    }
    overlaps
}

/// Which accounts count, given the overlaps and the user's decisions (a decision naming a
/// source no side has any more counts as no decision).
pub fn counting(overlaps: &[Overlap], decisions: &[Decision]) -> Counting {
    let decided: BTreeMap<&str, &Choice> = decisions
        .iter()
        .map(|d| (d.place.as_str(), &d.choice))
        .collect();
    let mut out = Counting::default();
    for o in overlaps {
        let choice = decided.get(o.place.as_str()).copied();
        let (counted, decided) = match choice {
            Some(Choice::CountAll) => continue,
            Some(Choice::CountOnly(source)) if o.sides.iter().any(|s| &s.source == source) => {
                (source.clone(), true)
            }
            _ => {
                out.undecided.push(o.place.clone());
                (o.sides[o.suggested].source.clone(), false)
            }
        };
        for side in o.sides.iter().filter(|s| s.source != counted) {
            for a in &side.accounts {
                out.excluded.insert(
                    a.clone(),
                    Excluded {
                        place: o.place.clone(),
                        counted: counted.clone(),
                        decided,
                    },
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::currency::Currency;
    use crate::domain::ledger::AccountKind;

    fn account(id: &str, name: &str, venue: Option<&str>) -> Account {
        Account {
            id: id.into(),
            profile_id: "p".into(),
            name: name.into(),
            kind: AccountKind::Exchange,
            currency: Currency::EUR,
            venue: venue.map(str::to_string),
        }
    }

    fn data(id: &str, source: &str, latest_ms: i64, holdings: &[(&str, f64)]) -> AccountData {
        AccountData {
            account_id: id.into(),
            source: source.into(),
            latest: Some(Timestamp::from_millis(latest_ms)),
            holdings: holdings.iter().map(|(a, q)| (a.to_string(), *q)).collect(),
        }
    }

    #[test]
    fn places_ignore_case_and_sub_account_words() {
        assert_eq!(place_key(&account("a", "Kraken Earn", None)), "kraken");
        assert_eq!(place_key(&account("a", "x", Some("Kraken"))), "kraken");
        assert_eq!(place_key(&account("a", "Ledger Wallets", None)), "ledger");
        assert_eq!(
            place_key(&account("a", "Metamask - BSC - Std", None)),
            "metamask bsc"
        );
        assert_eq!(place_key(&account("a", "Crypto.com", None)), "crypto com");
        assert_eq!(
            place_key(&account("a", "Coinbase Pro", None)),
            "coinbase pro"
        );
        assert_eq!(place_key(&account("a", "Spot", None)), "");
    }

    #[test]
    fn a_binance_export_and_cointracking_s_binance_location_overlap() {
        // The Binance export's account (data of day 10) and CoinTracking's "Binance"
        // location (day 12); CoinTracking's "Kraken" and "Kraken Earn" are one source's
        // two parts and overlap nothing without a Kraken export.
        let accounts = vec![
            account("bx", "Binance", Some("Binance")),
            account("ct-b", "Binance", Some("Binance")),
            account("ct-k", "Kraken", Some("Kraken")),
            account("ct-ke", "Kraken Earn", Some("Kraken Earn")),
        ];
        let day = 86_400_000;
        let data = vec![
            data("bx", "Binance", 10 * day, &[("BTC", 1.0), ("ETH", 2.0)]),
            data(
                "ct-b",
                "CoinTracking",
                12 * day,
                &[("BTC", 1.0), ("SOL", 5.0)],
            ),
            data("ct-k", "CoinTracking", 12 * day, &[("BTC", 3.0)]),
            data("ct-ke", "CoinTracking", 12 * day, &[("DOT", 3.0)]),
        ];
        let overlaps = find_overlaps(&accounts, &data);
        assert_eq!(overlaps.len(), 1);
        let o = &overlaps[0];
        assert_eq!(o.place, "binance");
        let sides: Vec<(&str, Vec<String>)> = o
            .sides
            .iter()
            .map(|s| (s.source.as_str(), s.accounts.clone()))
            .collect();
        assert_eq!(
            sides,
            vec![
                ("Binance", vec!["bx".to_string()]),
                ("CoinTracking", vec!["ct-b".to_string()])
            ]
        );
        assert_eq!(
            o.sides[o.suggested].source, "CoinTracking",
            "its data is newer"
        );
        assert_eq!(
            o.shared,
            vec![SharedAsset {
                asset: "BTC".into(),
                quantities: vec![1.0, 1.0]
            }]
        );

        // Undecided: the suggestion counts, and the place is listed.
        let c = counting(&overlaps, &[]);
        assert!(!c.counts("bx") && c.counts("ct-b") && c.counts("ct-k"));
        assert_eq!(c.undecided, vec!["binance".to_string()]);
        assert!(!c.excluded["bx"].decided);

        // The user picks the Binance export; or counts both.
        let pick = |choice| {
            counting(
                &overlaps,
                &[Decision {
                    place: "binance".into(),
                    choice,
                }],
            )
        };
        let c = pick(Choice::CountOnly("Binance".into()));
        assert!(c.counts("bx") && !c.counts("ct-b") && c.undecided.is_empty());
        assert_eq!(c.excluded["ct-b"].counted, "Binance");
        let c = pick(Choice::CountAll);
        assert!(c.excluded.is_empty() && c.undecided.is_empty());
        let c = pick(Choice::CountOnly("Gone".into()));
        assert_eq!(c.undecided, vec!["binance".to_string()]);
    }

    #[test]
    fn with_a_kraken_export_both_cointracking_kraken_parts_are_one_side() {
        let accounts = vec![
            account("kx", "Kraken", Some("Kraken")),
            account("ct-k", "Kraken", Some("Kraken")),
            account("ct-ke", "Kraken Earn", Some("Kraken Earn")),
        ];
        let data = vec![
            data("kx", "Kraken", 5, &[("BTC", 3.0), ("DOT", 3.0)]),
            data("ct-k", "CoinTracking", 5, &[("BTC", 3.0)]),
            data("ct-ke", "CoinTracking", 5, &[("DOT", 3.0)]),
        ];
        let o = &find_overlaps(&accounts, &data)[0];
        assert_eq!(o.sides[0].source, "CoinTracking", "sides by source name");
        assert_eq!(
            o.sides[0].accounts,
            vec!["ct-k".to_string(), "ct-ke".to_string()]
        );
        // Same age: the place's own export is suggested.
        assert_eq!(o.sides[o.suggested].source, "Kraken");
        let c = counting(std::slice::from_ref(o), &[]);
        assert!(c.counts("kx") && !c.counts("ct-k") && !c.counts("ct-ke"));
    }
}
