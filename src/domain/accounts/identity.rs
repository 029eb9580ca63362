//! Transaction identity: the id each transaction of an import gets, and the fingerprint of
//! its content that recognises it again.
//!
//! # Rule
//! - A transaction with the exchange's own id (`external_id`) is `<account id>:<external id>`;
//!   when one file repeats an external id, its k-th repeat is `<account id>:<external id>#k`
//!   (k ≥ 2, in file order).
//! - Any other transaction is `<account id>:<fingerprint>#<n>`: the [`Fingerprint`] of its
//!   canonical fields (time, kind, received, given, fee, value) and `n`, its multiplicity
//!   within the file (1 for the first row with that fingerprint, 2 for the second…). Rows
//!   that repeat within one file (a broker listing two equal deposits on one day) are
//!   separate transactions, and importing the same rows again gives the same ids.
//!
//! The canonical fields leave out what differs between exports of one event without
//! changing it: the legs' asset class, the note, ISIN and venue. A matched transfer keeps
//! the kind its file gave it for identity ([`identity_kind`]): a `TransferOut` is the
//! `Withdrawal` it was imported as.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;

use crate::domain::holding::{Fnv1a, FnvBuildHasher};
use crate::domain::ledger::{Leg, Money, Transaction, TxKind};

/// A 64-bit hash of a transaction's canonical fields, written as 16 lower-case hex digits.
///
/// FNV-1a over a fixed byte layout (little-endian numbers, `-0.0` as `0.0`, one NaN),
/// then murmur3's finaliser: the same on every platform and in every version, as stored
/// ids depend on it. Two different transactions share a fingerprint with a chance of about
/// n²/2⁶⁵ among n (3·10⁻⁸ for a million); a collision is never silent, as the content is
/// compared whenever ids agree (`accounts::dedup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub u64);

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// The kind identity compares: a matched transfer is the withdrawal or deposit its file
/// listed (matching changes the kind, not the transaction).
pub fn identity_kind(kind: TxKind) -> TxKind {
    match kind {
        TxKind::TransferOut => TxKind::Withdrawal,
        TxKind::TransferIn => TxKind::Deposit,
        k => k,
    }
}

/// A stable one-byte tag per kind (stored ids depend on it; never renumber).
fn kind_tag(kind: TxKind) -> [u8; 2] {
    use crate::domain::ledger::IncomeKind as I;
    match identity_kind(kind) {
        TxKind::Trade => [1, 0],
        TxKind::Deposit | TxKind::TransferIn => [2, 0],
        TxKind::Withdrawal | TxKind::TransferOut => [3, 0],
        TxKind::Fee => [6, 0],
        TxKind::Income(i) => [
            7,
            match i {
                I::Staking => 1,
                I::Interest => 2,
                I::Dividend => 3,
                I::Airdrop => 4,
                I::Mining => 5,
                I::Reward => 6,
            },
        ],
        TxKind::Spend => [8, 0],
        TxKind::Internal => [9, 0],
    }
}

/// The bits a quantity is hashed and compared by: `-0.0` is `0.0`, every NaN is one NaN.
pub(crate) fn canonical_bits(x: f64) -> u64 {
    if x == 0.0 {
        0
    } else if x.is_nan() {
        f64::NAN.to_bits()
    } else {
        x.to_bits()
    }
}

fn write_leg(h: &mut Fnv1a, leg: Option<&Leg>) {
    match leg {
        None => h.write_u8(0),
        Some(l) => {
            h.write_u8(1);
            h.write(l.asset.as_bytes());
            h.write_u8(0xff);
            h.write(&canonical_bits(l.quantity).to_le_bytes());
        }
    }
}

fn write_value(h: &mut Fnv1a, value: Option<&Money>) {
    match value {
        None => h.write_u8(0),
        Some(m) => {
            h.write_u8(1);
            h.write(&canonical_bits(m.amount).to_le_bytes());
            h.write(m.currency.as_str().as_bytes());
        }
    }
}

/// murmur3's 64-bit finaliser: spreads FNV's last bytes over every bit.
fn mix(mut z: u64) -> u64 {
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^ (z >> 33)
}

/// The fingerprint of a transaction's canonical fields (see the module's rule).
pub fn fingerprint(tx: &Transaction) -> Fingerprint {
    let mut h = Fnv1a::default();
    h.write(&tx.at.millis().to_le_bytes());
    h.write(&kind_tag(tx.kind));
    write_leg(&mut h, tx.received.as_ref());
    write_leg(&mut h, tx.given.as_ref());
    write_leg(&mut h, tx.fee.as_ref());
    write_value(&mut h, tx.value.as_ref());
    Fingerprint(mix(h.finish()))
}

fn same_leg(a: Option<&Leg>, b: Option<&Leg>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.asset == b.asset && canonical_bits(a.quantity) == canonical_bits(b.quantity)
        }
        _ => false,
    }
}

/// Whether two transactions have the same canonical fields (those the fingerprint hashes).
pub fn same_content(a: &Transaction, b: &Transaction) -> bool {
    a.at == b.at
        && kind_tag(a.kind) == kind_tag(b.kind)
        && same_leg(a.received.as_ref(), b.received.as_ref())
        && same_leg(a.given.as_ref(), b.given.as_ref())
        && same_leg(a.fee.as_ref(), b.fee.as_ref())
        && match (&a.value, &b.value) {
            (None, None) => true,
            (Some(x), Some(y)) => {
                canonical_bits(x.amount) == canonical_bits(y.amount) && x.currency == y.currency
            }
            _ => false,
        }
}

/// The id of the `n`-th (1-based) transaction of a file with fingerprint `fp`.
pub fn fingerprint_id(account_id: &str, fp: Fingerprint, n: u32) -> String {
    format!("{account_id}:{fp}#{n}")
}

/// The part of `id` after its account's prefix (`<account id>:`), when it has that prefix.
pub fn id_suffix<'a>(id: &'a str, account_id: &str) -> Option<&'a str> {
    id.strip_prefix(account_id)?.strip_prefix(':')
}

/// Gives every transaction of one import its account and its id (see the module's rule).
/// The ids are unique within the batch.
pub fn assign_ids(account_id: &str, txs: &mut [Transaction]) {
    let mut seen_fp = HashMap::<Fingerprint, u32>::with_capacity(txs.len());
    let mut seen_ext = HashMap::<&str, u32, FnvBuildHasher>::default();
    let mut ids: Vec<String> = txs
        .iter()
        .map(|tx| match tx.external_id.as_deref() {
            Some(ext) => {
                let k = seen_ext.entry(ext).or_insert(0);
                *k += 1;
                if *k == 1 {
                    format!("{account_id}:{ext}")
                } else {
                    format!("{account_id}:{ext}#{k}")
                }
            }
            None => {
                let fp = fingerprint(tx);
                let n = seen_fp.entry(fp).or_insert(0);
                *n += 1;
                fingerprint_id(account_id, fp, *n)
            }
        })
        .collect();
    // An exchange id written like another row's generated id ("x#2") would collide: such
    // an id gets "~2", "~3"…. Only an exchange id with a '#' can collide.
    if seen_ext.keys().any(|e| e.contains('#')) {
        let mut used = HashSet::<String>::with_capacity(ids.len());
        for id in &mut ids {
            let base = id.clone();
            let mut extra = 1u32;
            while used.contains(id.as_str()) {
                extra += 1;
                *id = format!("{base}~{extra}");
            }
            used.insert(id.clone());
        }
    }
    for (tx, id) in txs.iter_mut().zip(ids) {
        tx.account_id = account_id.to_string();
        tx.id = id;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::calendar::Timestamp;
    use crate::domain::holding::AssetClass;

    pub(crate) fn leg(asset: &str, quantity: f64) -> Option<Leg> {
        Some(Leg {
            asset: asset.into(),
            class: if asset.len() == 3 && asset.chars().all(|c| c.is_ascii_uppercase()) {
                AssetClass::Cash
            } else {
                AssetClass::Crypto
            },
            quantity,
        })
    }

    pub(crate) fn tx(at_s: i64, kind: TxKind) -> Transaction {
        Transaction {
            id: String::new(),
            account_id: String::new(),
            at: Timestamp::from_millis(at_s * 1000),
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
        }
    }

    pub(crate) fn deposit(at_s: i64, asset: &str, q: f64) -> Transaction {
        Transaction {
            received: leg(asset, q),
            ..tx(at_s, TxKind::Deposit)
        }
    }

    #[test]
    fn equal_rows_in_one_file_are_numbered_by_multiplicity() {
        // A broker lists two equal deposits of 100 EUR on one day: two transactions.
        let mut txs = vec![
            deposit(86_400, "EUR", 100.0),
            deposit(86_400, "EUR", 100.0),
            deposit(86_400, "EUR", 50.0),
        ];
        assign_ids("acc1", &mut txs);
        let fp = fingerprint(&txs[0]);
        assert_eq!(txs[0].id, format!("acc1:{fp}#1"));
        assert_eq!(txs[1].id, format!("acc1:{fp}#2"));
        assert!(txs[2].id.ends_with("#1") && txs[2].id != txs[0].id);
        assert!(txs.iter().all(|t| t.account_id == "acc1"));
        assert_eq!(fp.to_string().len(), 16);
    }

    #[test]
    fn exchange_ids_name_the_transaction_and_repeats_are_numbered() {
        let mut a = deposit(1, "BTC", 1.0);
        a.external_id = Some("T-1".into());
        let mut b = deposit(2, "BTC", 2.0);
        b.external_id = Some("T-1".into());
        let mut c = deposit(3, "BTC", 3.0);
        c.external_id = Some("T-1#2".into());
        let mut txs = vec![a, b, c];
        assign_ids("k", &mut txs);
        assert_eq!(txs[0].id, "k:T-1");
        assert_eq!(txs[1].id, "k:T-1#2");
        assert_eq!(
            txs[2].id, "k:T-1#2~2",
            "a colliding external id stays unique"
        );
    }

    #[test]
    fn the_fingerprint_reads_the_canonical_fields_only() {
        let base = Transaction {
            given: leg("EUR", 245.25),
            ..deposit(1_603_922_583, "BNB", 0.576474665)
        };
        let mut other_note = base.clone();
        other_note.note = Some("Transaction Related".into());
        other_note.isin = Some("X".into());
        if let Some(l) = other_note.received.as_mut() {
            l.class = AssetClass::Other;
        }
        assert_eq!(fingerprint(&base), fingerprint(&other_note));
        assert!(same_content(&base, &other_note));

        let mut matched = base.clone();
        matched.kind = TxKind::TransferIn;
        assert_eq!(
            fingerprint(&base),
            fingerprint(&matched),
            "matching keeps the id"
        );

        for changed in [
            Transaction {
                at: Timestamp::from_millis(base.at.millis() + 1),
                ..base.clone()
            },
            Transaction {
                kind: TxKind::Income(crate::domain::ledger::IncomeKind::Staking),
                ..base.clone()
            },
            Transaction {
                received: leg("BNB", 0.576474666),
                ..base.clone()
            },
            Transaction {
                fee: leg("BNB", 0.001),
                ..base.clone()
            },
            Transaction {
                value: Some(Money {
                    amount: 245.25,
                    currency: crate::domain::currency::Currency::EUR,
                }),
                ..base.clone()
            },
            Transaction {
                received: base.given.clone(),
                given: base.received.clone(),
                ..base.clone()
            },
        ] {
            assert_ne!(fingerprint(&base), fingerprint(&changed), "{changed:?}");
            assert!(!same_content(&base, &changed));
        }
        let zero = Transaction {
            fee: leg("BNB", 0.0),
            ..base.clone()
        };
        let minus_zero = Transaction {
            fee: leg("BNB", -0.0),
            ..base.clone()
        };
        assert_eq!(fingerprint(&zero), fingerprint(&minus_zero));
    }

    #[test]
    fn the_fingerprint_is_the_same_in_every_version() {
        // Stored ids depend on these bits. Reference: the same byte layout hashed by an
        // independent Python FNV-1a + fmix64 (ms 1603922583000 as i64 LE, [2, 0],
        // 01 "BNB" ff f64 LE, 01 "EUR" ff f64 LE, 00, 00).
        let t = Transaction {
            given: leg("EUR", 245.25),
            ..deposit(1_603_922_583, "BNB", 0.576474665)
        };
        assert_eq!(fingerprint(&t).to_string(), "973a359303460863");
    }

    #[test]
    fn suffixes_are_read_after_the_account_prefix() {
        assert_eq!(id_suffix("acc1:T-1", "acc1"), Some("T-1"));
        assert_eq!(id_suffix("acc10:T-1", "acc1"), None);
        assert_eq!(id_suffix("other:T-1", "acc1"), None);
    }
}
