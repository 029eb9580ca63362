//! Ledgers as IndexedDB stores them: each account's transactions in chunk records of up
//! to [`ROWS_PER_CHUNK`] rows, each chunk one compact columnar byte string (a `Uint8Array`
//! in the record, which the structured clone copies as raw bytes).
//!
//! # Cost (measured by `stored_size_of_a_realistic_mix` on `synthetic::ledger`'s mix)
//! 30.3 bytes per transaction in chunk records (22.1 if each chunk were deflated, not
//! done: the gain is a quarter, the cost an inflate of every chunk read), against 248
//! bytes for the same transaction as a plain JSON object: 1,000,000 transactions take
//! about 30 MB of IndexedDB instead of about 250 MB. Half the accounts of that mix carry
//! 19-character exchange ids, which are most of the bytes where present (about 41 bytes a
//! row there, 21 in the accounts without).
//!
//! # Layout of a chunk (version 1)
//! `FLDG`, version byte, flags (1: every time is a whole second, stored in seconds), row
//! count, then the string table (count, then each string's length and UTF-8 bytes:
//! assets, currencies, exchange ids, notes… each once), then eight columns, each prefixed
//! by its length in bytes. Integers are LEB128 varints, signed ones zigzag-encoded.
//! 1. times: each the difference from the previous row's;
//! 2. kinds: one byte per row ([`kind_code`]);
//! 3. presence: one varint per row: the id's form in the two low bits, then a bit per
//!    optional field, common ones first (one byte for most rows);
//! 4. leg assets: per leg present (received, given, fee, in that order), its asset's string
//!    index × 8 + its class;
//! 5. leg quantities, in the same order;
//! 6. values: amount and currency per value present;
//! 7. texts: a string index per optional text present (exchange id, ISIN, venue,
//!    counterpart, note);
//! 8. ids: per row, by its form: a fingerprint id `<account>:<fingerprint>#<n>` that the
//!    content still gives stores nothing (or `n` when it is not 1: the fingerprint is
//!    recomputed); an id that is `<account>:<exchange id>` stores nothing; any other stores
//!    its suffix after `<account>:`, or the whole id, as a string.
//!
//! A number is stored as the shortest decimal `m · 10⁻ᵉ` (e ≤ 22, |m| < 2⁵³) that reads
//! back to the same bits — one varint `(zigzag(m) · 32 + e) + 1` — else as the 8 bytes of
//! the f64 after a 0. Quantities read from files (`0.57647466`, `245.25`) take 3–6 bytes.
//! Round trips are exact, bit for bit.

use serde::{Deserialize, Serialize};

use crate::domain::accounts::identity::{fingerprint, fingerprint_id, id_suffix};
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::holding::AssetClass;
use crate::domain::ledger::{IncomeKind, Leg, Money, Transaction, TxKind};

/// Rows per chunk record: large enough that the per-record cost (key, string table) is
/// spread thin, small enough that adding rows to a ledger rewrites at most this many.
pub const ROWS_PER_CHUNK: usize = 10_000;

const MAGIC: &[u8; 4] = b"FLDG";
const VERSION: u8 = 1;

/// One stored chunk of an account's ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerChunk {
    /// The record's key: `<account id>/<seq>` (seq zero-padded to 6 digits).
    pub id: String,
    /// Owning profile.
    pub profile_id: String,
    /// The account.
    pub account_id: String,
    /// Position of the chunk in the account's ledger (0, 1, …).
    pub seq: u32,
    /// Number of transactions.
    pub count: u32,
    /// The earliest transaction's time (ms).
    pub first_ms: f64,
    /// The latest transaction's time (ms).
    pub last_ms: f64,
    /// The encoded transactions.
    #[serde(with = "bytes")]
    pub data: Vec<u8>,
}

/// What is wrong with a chunk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkProblem {
    /// Not a ledger chunk.
    #[error("not a ledger chunk (no FLDG signature)")]
    NotAChunk,
    /// Written by a newer version of Folio.
    #[error("written in format version {0}, newer than this version of Folio reads")]
    NewerVersion(u8),
    /// The bytes end too early.
    #[error("its {section} ends early (byte {offset})")]
    Truncated {
        /// Where.
        section: &'static str,
        /// Byte offset.
        offset: usize,
    },
    /// A column's declared length disagrees with its content.
    #[error("its {section} column has {extra} bytes left over")]
    LeftOver {
        /// Which column.
        section: &'static str,
        /// Bytes not read.
        extra: usize,
    },
    /// An index past the string table.
    #[error("it refers to string {index} of {len}")]
    NoSuchString {
        /// The index.
        index: u64,
        /// The table's size.
        len: usize,
    },
    /// Text that is not UTF-8.
    #[error("string {0} is not UTF-8")]
    NotUtf8(usize),
    /// An unknown kind, class or currency.
    #[error("unknown {what} code {code}")]
    UnknownCode {
        /// Kind, class or currency.
        what: &'static str,
        /// The code.
        code: u64,
    },
    /// A value's currency that is not a currency code.
    #[error("“{0}” is not a currency code")]
    NotACurrency(String),
    /// A transaction of another account given to the encoder.
    #[error("transaction {id} belongs to account {found}")]
    OtherAccount {
        /// Its id.
        id: String,
        /// Its account.
        found: String,
    },
}

/// A chunk that cannot be written or read, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger chunk {seq} of account {account_id}: {problem}")]
pub struct ChunkError {
    /// The account.
    pub account_id: String,
    /// The chunk's position.
    pub seq: u32,
    /// What is wrong.
    pub problem: ChunkProblem,
}

/// The stable code of a kind (stored; never renumber).
pub fn kind_code(kind: TxKind) -> u8 {
    match kind {
        TxKind::Trade => 1,
        TxKind::Deposit => 2,
        TxKind::Withdrawal => 3,
        TxKind::TransferOut => 4,
        TxKind::TransferIn => 5,
        TxKind::Fee => 6,
        TxKind::Income(IncomeKind::Staking) => 7,
        TxKind::Income(IncomeKind::Interest) => 8,
        TxKind::Income(IncomeKind::Dividend) => 9,
        TxKind::Income(IncomeKind::Airdrop) => 10,
        TxKind::Income(IncomeKind::Mining) => 11,
        TxKind::Income(IncomeKind::Reward) => 12,
        TxKind::Spend => 13,
        TxKind::Internal => 14,
    }
}

fn kind_of(code: u8) -> Option<TxKind> {
    Some(match code {
        1 => TxKind::Trade,
        2 => TxKind::Deposit,
        3 => TxKind::Withdrawal,
        4 => TxKind::TransferOut,
        5 => TxKind::TransferIn,
        6 => TxKind::Fee,
        7 => TxKind::Income(IncomeKind::Staking),
        8 => TxKind::Income(IncomeKind::Interest),
        9 => TxKind::Income(IncomeKind::Dividend),
        10 => TxKind::Income(IncomeKind::Airdrop),
        11 => TxKind::Income(IncomeKind::Mining),
        12 => TxKind::Income(IncomeKind::Reward),
        13 => TxKind::Spend,
        14 => TxKind::Internal,
        _ => return None,
    })
}

fn class_code(class: AssetClass) -> u8 {
    match class {
        AssetClass::Crypto => 0,
        AssetClass::Stock => 1,
        AssetClass::Etf => 2,
        AssetClass::Cash => 3,
        AssetClass::Other => 4,
    }
}

fn class_of(code: u8) -> Option<AssetClass> {
    AssetClass::ALL.into_iter().find(|&c| class_code(c) == code)
}

// Presence bits: the id's form in the two low bits and the common fields next, so that
// most rows take one byte.
const ID_MASK: u64 = 3;
const ID_FINGERPRINT: u64 = 0;
const ID_EXTERNAL: u64 = 1;
const ID_SUFFIX: u64 = 2;
const ID_WHOLE: u64 = 3;
const RECEIVED: u64 = 1 << 2;
const GIVEN: u64 = 1 << 3;
const FEE: u64 = 1 << 4;
const VALUE: u64 = 1 << 5;
const EXTERNAL: u64 = 1 << 6;
const ISIN: u64 = 1 << 7;
const VENUE: u64 = 1 << 8;
const COUNTERPART: u64 = 1 << 9;
const NOTE: u64 = 1 << 10;
/// A fingerprint id's multiplicity is stored (it is not 1).
const MULTIPLE: u64 = 1 << 11;

/// Header flag: every time of the chunk is a whole second, stored in seconds.
const WHOLE_SECONDS: u64 = 1;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The shortest `(m, e)` with `m / 10^e` equal to `x` bit for bit, if any.
fn as_decimal(x: f64) -> Option<(i64, u32)> {
    if !x.is_finite() || (x == 0.0 && x.is_sign_negative()) {
        return None;
    }
    for (e, &p) in POW10.iter().enumerate() {
        let m = (x * p).round();
        if m.abs() >= 9_007_199_254_740_992.0 {
            return None;
        }
        if m / p == x {
            return Some((m as i64, e as u32));
        }
    }
    None
}

fn put_number(out: &mut Vec<u8>, x: f64) {
    match as_decimal(x) {
        Some((m, e)) => put_varint(out, ((zigzag(m) << 5) | u64::from(e)) + 1),
        None => {
            out.push(0);
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
}

/// Interns strings into the chunk's table.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, u64>,
}

impl<'a> Strings<'a> {
    fn of(&mut self, s: &'a str) -> u64 {
        let next = self.list.len() as u64;
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

/// Encodes transactions of one account into one chunk's bytes, in their order.
pub fn encode_chunk(account_id: &str, txs: &[Transaction]) -> Result<Vec<u8>, ChunkProblem> {
    let mut strings = Strings::default();
    let mut cols: [Vec<u8>; 8] = Default::default();
    let [times, kinds, presence, assets, quantities, values, texts, ids] = &mut cols;
    let unit = if txs.iter().all(|t| t.at.millis() % 1000 == 0) {
        1000
    } else {
        1
    };
    let mut last = 0i64;
    for tx in txs {
        if tx.account_id != account_id {
            return Err(ChunkProblem::OtherAccount {
                id: tx.id.clone(),
                found: tx.account_id.clone(),
            });
        }
        let at = tx.at.millis() / unit;
        put_varint(times, zigzag(at.wrapping_sub(last)));
        last = at;
        kinds.push(kind_code(tx.kind));
        let mut bits = 0u64;
        for (bit, leg) in [(RECEIVED, &tx.received), (GIVEN, &tx.given), (FEE, &tx.fee)] {
            if let Some(l) = leg {
                bits |= bit;
                put_varint(
                    assets,
                    strings.of(&l.asset) * 8 + u64::from(class_code(l.class)),
                );
                put_number(quantities, l.quantity);
            }
        }
        if let Some(v) = &tx.value {
            bits |= VALUE;
            put_number(values, v.amount);
            put_varint(values, strings.of(v.currency.as_str()));
        }
        for (bit, text) in [
            (EXTERNAL, &tx.external_id),
            (ISIN, &tx.isin),
            (VENUE, &tx.venue),
            (COUNTERPART, &tx.counterpart),
            (NOTE, &tx.note),
        ] {
            if let Some(t) = text {
                bits |= bit;
                put_varint(texts, strings.of(t));
            }
        }
        let form = match id_suffix(&tx.id, account_id) {
            None => {
                put_varint(ids, strings.of(&tx.id));
                ID_WHOLE
            }
            Some(suffix) if Some(suffix) == tx.external_id.as_deref() => ID_EXTERNAL,
            Some(suffix) => match fingerprint_multiplicity(tx, suffix) {
                Some(1) => ID_FINGERPRINT,
                Some(n) => {
                    put_varint(ids, u64::from(n));
                    ID_FINGERPRINT | MULTIPLE
                }
                None => {
                    put_varint(ids, strings.of(suffix));
                    ID_SUFFIX
                }
            },
        };
        put_varint(presence, bits | form);
    }
    let mut out = Vec::with_capacity(
        16 + strings.list.iter().map(|s| s.len() + 2).sum::<usize>()
            + cols.iter().map(|c| c.len() + 4).sum::<usize>(),
    );
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    put_varint(&mut out, if unit == 1000 { WHOLE_SECONDS } else { 0 });
    put_varint(&mut out, txs.len() as u64);
    put_varint(&mut out, strings.list.len() as u64);
    for s in &strings.list {
        put_varint(&mut out, s.len() as u64);
        out.extend_from_slice(s.as_bytes());
    }
    if std::env::var("FOLIO_CHUNK_DEBUG").is_ok() {
        eprintln!(
            "strings {} cols {:?}",
            strings.list.iter().map(|s| s.len() + 1).sum::<usize>(),
            cols.iter().map(|c| c.len()).collect::<Vec<_>>()
        );
    }
    for c in &cols {
        put_varint(&mut out, c.len() as u64);
        out.extend_from_slice(c);
    }
    Ok(out)
}

/// `n` when `suffix` is `<fingerprint of tx>#<n>` (written exactly as the id is made).
fn fingerprint_multiplicity(tx: &Transaction, suffix: &str) -> Option<u32> {
    let (fp, n) = suffix.split_once('#')?;
    let expected = fingerprint(tx).to_string();
    if fp != expected {
        return None;
    }
    let n: u32 = n.parse().ok()?;
    // "#01" reads as 1 but would not be written back the same.
    (format!("{expected}#{n}") == suffix).then_some(n)
}

/// Reads bytes with bounds checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    section: &'static str,
}

impl<'a> Reader<'a> {
    fn truncated(&self) -> ChunkProblem {
        ChunkProblem::Truncated {
            section: self.section,
            offset: self.pos,
        }
    }

    fn byte(&mut self) -> Result<u8, ChunkProblem> {
        let b = *self.bytes.get(self.pos).ok_or_else(|| self.truncated())?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ChunkProblem> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.truncated())?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.truncated())?;
        self.pos = end;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u64, ChunkProblem> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.truncated())
    }

    fn number(&mut self) -> Result<f64, ChunkProblem> {
        match self.varint()? {
            0 => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Ok(f64::from_le_bytes(a))
            }
            code => {
                let code = code - 1;
                let e = (code & 31) as usize;
                let m = unzigzag(code >> 5) as f64;
                let p = *POW10.get(e).ok_or(ChunkProblem::UnknownCode {
                    what: "exponent",
                    code: e as u64,
                })?;
                Ok(m / p)
            }
        }
    }

    /// The next column: its declared length, then a reader over it.
    fn column(&mut self, section: &'static str) -> Result<Reader<'a>, ChunkProblem> {
        self.section = section;
        let len = self.varint()?;
        let bytes = self.take(usize::try_from(len).map_err(|_| self.truncated())?)?;
        Ok(Reader {
            bytes,
            pos: 0,
            section,
        })
    }

    fn done(&self) -> Result<(), ChunkProblem> {
        match self.bytes.len() - self.pos {
            0 => Ok(()),
            extra => Err(ChunkProblem::LeftOver {
                section: self.section,
                extra,
            }),
        }
    }
}

/// Decodes one chunk's bytes (the transactions of `account_id`, in their stored order).
pub fn decode_chunk(account_id: &str, bytes: &[u8]) -> Result<Vec<Transaction>, ChunkProblem> {
    let mut r = Reader {
        bytes,
        pos: 0,
        section: "header",
    };
    if r.take(4).ok() != Some(MAGIC.as_slice()) {
        return Err(ChunkProblem::NotAChunk);
    }
    let version = r.byte()?;
    if version != VERSION {
        return Err(ChunkProblem::NewerVersion(version));
    }
    let unit: i64 = if r.varint()? & WHOLE_SECONDS != 0 {
        1000
    } else {
        1
    };
    let n = r.varint()?;
    r.section = "string table";
    let count = r.varint()?;
    // Each string takes at least one byte: a count past the bytes left is a broken chunk,
    // not an allocation to attempt.
    if count > (bytes.len() - r.pos) as u64 || n > bytes.len() as u64 {
        return Err(r.truncated());
    }
    let mut strings: Vec<&str> = Vec::with_capacity(count as usize);
    for i in 0..count as usize {
        let len = r.varint()?;
        let b = r.take(usize::try_from(len).map_err(|_| r.truncated())?)?;
        strings.push(std::str::from_utf8(b).map_err(|_| ChunkProblem::NotUtf8(i))?);
    }
    let string = |i: u64| -> Result<&str, ChunkProblem> {
        usize::try_from(i)
            .ok()
            .and_then(|i| strings.get(i).copied())
            .ok_or(ChunkProblem::NoSuchString {
                index: i,
                len: strings.len(),
            })
    };
    let mut times = r.column("times")?;
    let mut kinds = r.column("kinds")?;
    let mut presence = r.column("presence")?;
    let mut assets = r.column("leg assets")?;
    let mut quantities = r.column("quantities")?;
    let mut values = r.column("values")?;
    let mut texts = r.column("texts")?;
    let mut ids = r.column("ids")?;
    r.section = "chunk";
    r.done()?;

    let mut out = Vec::with_capacity(n as usize);
    let mut last = 0i64;
    for _ in 0..n {
        last = last.wrapping_add(unzigzag(times.varint()?));
        let at = last.checked_mul(unit).ok_or(ChunkProblem::UnknownCode {
            what: "time",
            code: last as u64,
        })?;
        let code = kinds.byte()?;
        let kind = kind_of(code).ok_or(ChunkProblem::UnknownCode {
            what: "kind",
            code: u64::from(code),
        })?;
        let bits = presence.varint()?;
        let mut leg = |bit: u64| -> Result<Option<Leg>, ChunkProblem> {
            if bits & bit == 0 {
                return Ok(None);
            }
            let code = assets.varint()?;
            let asset = string(code / 8)?.to_string();
            let class = class_of((code % 8) as u8).ok_or(ChunkProblem::UnknownCode {
                what: "asset class",
                code: code % 8,
            })?;
            Ok(Some(Leg {
                asset,
                class,
                quantity: quantities.number()?,
            }))
        };
        let received = leg(RECEIVED)?;
        let given = leg(GIVEN)?;
        let fee = leg(FEE)?;
        let value = if bits & VALUE != 0 {
            let amount = values.number()?;
            let code = string(values.varint()?)?;
            let currency =
                Currency::parse(code).map_err(|_| ChunkProblem::NotACurrency(code.to_string()))?;
            Some(Money { amount, currency })
        } else {
            None
        };
        let mut text = |bit: u64| -> Result<Option<String>, ChunkProblem> {
            if bits & bit == 0 {
                return Ok(None);
            }
            Ok(Some(string(texts.varint()?)?.to_string()))
        };
        let mut tx = Transaction {
            id: String::new(),
            account_id: account_id.to_string(),
            at: Timestamp::from_millis(at),
            kind,
            received,
            given,
            fee,
            value,
            external_id: text(EXTERNAL)?,
            isin: text(ISIN)?,
            venue: text(VENUE)?,
            counterpart: text(COUNTERPART)?,
            note: text(NOTE)?,
        };
        tx.id = match bits & ID_MASK {
            ID_FINGERPRINT => {
                let n = if bits & MULTIPLE != 0 {
                    u32::try_from(ids.varint()?).unwrap_or(u32::MAX)
                } else {
                    1
                };
                fingerprint_id(account_id, fingerprint(&tx), n)
            }
            ID_EXTERNAL => format!("{account_id}:{}", tx.external_id.as_deref().unwrap_or("")),
            ID_SUFFIX => format!("{account_id}:{}", string(ids.varint()?)?),
            ID_WHOLE => string(ids.varint()?)?.to_string(),
            other => {
                return Err(ChunkProblem::UnknownCode {
                    what: "id form",
                    code: other,
                })
            }
        };
        out.push(tx);
    }
    for c in [
        &times,
        &kinds,
        &presence,
        &assets,
        &quantities,
        &values,
        &texts,
        &ids,
    ] {
        c.done()?;
    }
    Ok(out)
}

/// The key of an account's `seq`-th chunk.
pub fn chunk_key(account_id: &str, seq: u32) -> String {
    format!("{account_id}/{seq:06}")
}

/// Encodes an account's ledger as chunk records of `rows_per_chunk` rows (at least 1),
/// sorted by time (then id) so each chunk covers a span of time.
pub fn encode_ledger(
    profile_id: &str,
    account_id: &str,
    ledger: &[Transaction],
    rows_per_chunk: usize,
) -> Result<Vec<LedgerChunk>, ChunkError> {
    let mut sorted: Vec<&Transaction> = ledger.iter().collect();
    sorted.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let mut out = Vec::new();
    for (seq, rows) in sorted.chunks(rows_per_chunk.max(1)).enumerate() {
        let seq = seq as u32;
        let owned: Vec<Transaction> = rows.iter().map(|&t| t.clone()).collect();
        let data = encode_chunk(account_id, &owned).map_err(|problem| ChunkError {
            account_id: account_id.to_string(),
            seq,
            problem,
        })?;
        out.push(LedgerChunk {
            id: chunk_key(account_id, seq),
            profile_id: profile_id.to_string(),
            account_id: account_id.to_string(),
            seq,
            count: rows.len() as u32,
            first_ms: rows.first().map_or(0.0, |t| t.at.as_js()),
            last_ms: rows.last().map_or(0.0, |t| t.at.as_js()),
            data,
        });
    }
    Ok(out)
}

/// Decodes an account's chunk records back into its ledger, in chunk order.
pub fn decode_ledger(chunks: &[LedgerChunk]) -> Result<Vec<Transaction>, ChunkError> {
    let mut sorted: Vec<&LedgerChunk> = chunks.iter().collect();
    sorted.sort_by_key(|c| (c.account_id.as_str(), c.seq));
    let mut out = Vec::with_capacity(chunks.iter().map(|c| c.count as usize).sum());
    for c in sorted {
        let txs = decode_chunk(&c.account_id, &c.data).map_err(|problem| ChunkError {
            account_id: c.account_id.clone(),
            seq: c.seq,
            problem,
        })?;
        out.extend(txs);
    }
    Ok(out)
}

/// `Vec<u8>` as serde bytes: a `Uint8Array` through serde-wasm-bindgen (copied as raw bytes
/// by the structured clone), not an array of numbers.
mod bytes {
    use serde::{de, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::identity::assign_ids;

    fn leg(asset: &str, class: AssetClass, quantity: f64) -> Option<Leg> {
        Some(Leg {
            asset: asset.into(),
            class,
            quantity,
        })
    }

    fn sample() -> Vec<Transaction> {
        let base = Transaction {
            id: String::new(),
            account_id: String::new(),
            at: Timestamp::from_millis(1_603_922_583_000),
            kind: TxKind::Trade,
            received: leg("BNB", AssetClass::Crypto, 0.576474665),
            given: leg("EUR", AssetClass::Cash, 245.25),
            fee: leg("BNB", AssetClass::Crypto, 3.605e-5),
            value: Some(Money {
                amount: 245.25,
                currency: Currency::EUR,
            }),
            external_id: None,
            isin: None,
            venue: None,
            counterpart: None,
            note: Some("Transaction Related 分发".into()),
        };
        let mut txs = vec![
            base.clone(),
            base.clone(),
            Transaction {
                at: Timestamp::from_millis(1_603_922_000_123),
                kind: TxKind::Income(IncomeKind::Dividend),
                received: leg("USD", AssetClass::Cash, 12.5),
                given: None,
                fee: None,
                value: None,
                isin: Some("US0378331005".into()),
                venue: Some("XNAS".into()),
                external_id: Some("T-99".into()),
                note: None,
                ..base.clone()
            },
            Transaction {
                kind: TxKind::TransferOut,
                received: None,
                given: leg("BTC", AssetClass::Crypto, 0.1 + 0.2),
                fee: leg("BTC", AssetClass::Crypto, -0.0),
                value: None,
                counterpart: Some("wallet:abc#1".into()),
                ..base.clone()
            },
            Transaction {
                at: Timestamp::from_millis(-5),
                kind: TxKind::Internal,
                received: leg("X", AssetClass::Other, f64::MAX),
                given: leg("X", AssetClass::Other, 1e-300),
                ..base
            },
        ];
        assign_ids("acc", &mut txs);
        // An edited row keeps its id though its content changed; an id of another form.
        txs[1].received = leg("BNB", AssetClass::Crypto, 0.6);
        txs[4].id = "imported-by-hand".into();
        txs
    }

    #[test]
    fn chunks_read_back_exactly() {
        let txs = sample();
        let bytes = encode_chunk("acc", &txs).unwrap();
        let back = decode_chunk("acc", &bytes).unwrap();
        assert_eq!(back, txs);
        let bits = |t: &Transaction| t.fee.as_ref().map(|l| l.quantity.to_bits());
        assert_eq!(bits(&back[3]), Some((-0.0f64).to_bits()), "−0 kept");
        assert!(decode_chunk("acc", &encode_chunk("acc", &[]).unwrap())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn decimals_are_stored_short_and_others_raw() {
        let size = |x: f64| {
            let mut out = Vec::new();
            put_number(&mut out, x);
            let back = Reader {
                bytes: &out,
                pos: 0,
                section: "t",
            }
            .number()
            .unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
            out.len()
        };
        // 245.25 = 24525 · 10⁻²: zigzag 49050, · 32 + 2 + 1 = 1569603 < 2²¹ → 3 varint
        // bytes (7 bits each).
        assert_eq!(size(245.25), 3);
        assert_eq!(size(0.0), 1);
        assert_eq!(size(-3.605e-5), 3, "3605 · 10⁻⁸");
        assert_eq!(
            size(0.576474665),
            6,
            "576474665 · 10⁻⁹: zigzag 1152949330 · 32 + 10 ≥ 2³⁵ → 6 bytes"
        );
        assert_eq!(
            size(0.1 + 0.2),
            9,
            "0.30000000000000004 needs 17 digits: raw"
        );
        assert_eq!(size(-0.0), 9);
        assert_eq!(size(f64::NAN), 9);
        assert_eq!(size(1e300), 9);
    }

    #[test]
    fn fingerprint_ids_are_recomputed_not_stored() {
        let txs = sample();
        let bytes = encode_chunk("acc", &txs).unwrap();
        let id = txs[0].id.as_bytes();
        assert!(
            !bytes.windows(id.len()).any(|w| w == id),
            "the fingerprint id is not in the bytes"
        );
        assert!(bytes.windows(16).any(|w| w == b"imported-by-hand"));
    }

    #[test]
    fn broken_chunks_are_refused_with_where() {
        let txs = sample();
        let bytes = encode_chunk("acc", &txs).unwrap();
        assert_eq!(decode_chunk("acc", b"nope"), Err(ChunkProblem::NotAChunk));
        let mut newer = bytes.clone();
        newer[4] = 9;
        assert_eq!(
            decode_chunk("acc", &newer),
            Err(ChunkProblem::NewerVersion(9))
        );
        for cut in [5, 6, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                decode_chunk("acc", &bytes[..cut]).is_err(),
                "cut at {cut} of {}",
                bytes.len()
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            decode_chunk("acc", &longer),
            Err(ChunkProblem::LeftOver {
                section: "chunk",
                extra: 1
            })
        );
        // Every single-byte corruption either reads or is refused: never a panic.
        for i in 0..bytes.len() {
            for b in [0u8, 0x7f, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] = b;
                let _ = decode_chunk("acc", &bad);
            }
        }
        let e = encode_chunk("other", &txs).unwrap_err();
        assert!(matches!(e, ChunkProblem::OtherAccount { .. }));
    }

    #[test]
    fn ledgers_split_into_sorted_chunks_and_read_back() {
        let txs = crate::domain::synthetic::ledger(2_500, 3, 50, 7);
        let acc0: Vec<Transaction> = txs
            .into_iter()
            .filter(|t| t.account_id == "acct0")
            .collect();
        let chunks = encode_ledger("p", "acct0", &acc0, 300).unwrap();
        assert_eq!(chunks.len(), acc0.len().div_ceil(300));
        assert_eq!(chunks[1].id, "acct0/000001");
        assert!(chunks.windows(2).all(|w| w[0].last_ms <= w[1].first_ms));
        let mut sorted = acc0.clone();
        sorted.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        let mut shuffled = chunks.clone();
        shuffled.reverse();
        assert_eq!(decode_ledger(&shuffled).unwrap(), sorted);
        let mut broken = chunks;
        broken[2].data.truncate(10);
        let e = decode_ledger(&broken).unwrap_err();
        assert_eq!((e.account_id.as_str(), e.seq), ("acct0", 2));
        assert!(e
            .to_string()
            .starts_with("ledger chunk 2 of account acct0: "));
    }

    #[test]
    fn records_carry_the_bytes_as_bytes() {
        let chunk = &encode_ledger("p", "acc", &sample()[..1], 10).unwrap()[0];
        let json = serde_json::to_string(chunk).unwrap();
        assert_eq!(serde_json::from_str::<LedgerChunk>(&json).unwrap(), *chunk);
    }

    /// The figures in the module's docs: bytes per transaction of `synthetic::ledger`'s
    /// mix, stored as chunks and as one JSON object each. Run with `--nocapture` to see them.
    #[test]
    fn stored_size_of_a_realistic_mix() {
        let txs = crate::domain::synthetic::ledger(100_000, 6, 500, 42);
        let mut chunk_bytes = 0usize;
        let mut deflated = 0usize;
        let mut by_account: std::collections::BTreeMap<&str, Vec<Transaction>> =
            std::collections::BTreeMap::new();
        for t in &txs {
            by_account
                .entry(t.account_id.as_str())
                .or_default()
                .push(t.clone());
        }
        for (account, ledger) in &by_account {
            for c in encode_ledger("p", account, ledger, ROWS_PER_CHUNK).unwrap() {
                // Record fields besides the bytes: key, profile, account, numbers.
                chunk_bytes +=
                    c.data.len() + c.id.len() + c.profile_id.len() + c.account_id.len() + 40;
                let mut enc =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                std::io::Write::write_all(&mut enc, &c.data).unwrap();
                deflated += enc.finish().unwrap().len();
            }
        }
        let json_bytes: usize = txs
            .iter()
            .map(|t| serde_json::to_string(t).map_or(0, |s| s.len()))
            .sum();
        let per_row = chunk_bytes as f64 / txs.len() as f64;
        let json_per_row = json_bytes as f64 / txs.len() as f64;
        let deflated_per_row = deflated as f64 / txs.len() as f64;
        eprintln!(
            "{} transactions: chunks {per_row:.1} B/row ({per_row:.1} MB per million; \
             deflated {deflated_per_row:.1} B/row), JSON objects {json_per_row:.1} B/row \
             ({json_per_row:.0} MB per million)",
            txs.len(),
        );
        assert!(per_row < 32.0, "chunks cost {per_row:.1} B/row");
        assert!(json_per_row > 5.0 * per_row, "JSON {json_per_row:.1} B/row");
    }
}
