//! The `.folio` backup file: the whole database or one profile in one file, compressed,
//! checksummed, and optionally sealed with a passphrase.
//!
//! # Layout (format 1)
//!
//! | bytes | content |
//! |---|---|
//! | 10 | magic `89 46 4F 4C 49 4F 0D 0A 1A 0A` (`\x89FOLIO\r\n\x1a\n`) |
//! | 2 | format version, u16 little-endian (1) |
//! | 4 | header length *h*, u32 LE |
//! | 8 | body length *b*, u64 LE |
//! | *h* | header: JSON (app version, schema version, date written, compression, content length; the [`Summary`] when plain, the sealing parameters when sealed) |
//! | *b* | body: the contents (`{"summary": …, "stores": …}` as JSON) compressed with raw deflate; when sealed, that compressed text encrypted with AES-256-GCM (ciphertext ‖ 16-byte tag) |
//! | 32 | SHA-256 of everything above |
//!
//! The first four rows and the trailing checksum are the frame every later format keeps.
//!
//! # Sealing
//!
//! A fresh random 32-byte data key per file, wrapped ([`WrappedKey`]) by the key PBKDF2-HMAC-
//! SHA-256 derives from the passphrase (≥ 600,000 rounds, a fresh 16-byte salt; the rounds and
//! salt are in the header); the body is sealed with a fresh nonce, the prefix and the header as
//! associated data. A sealed header says only the versions, the date and the sizes: the
//! [`Summary`] (profile names, counts) travels inside the sealed body.
//!
//! Reading checks, in order: the magic ([`BackupError::NotABackup`]), the lengths
//! ([`BackupError::Truncated`]), the checksum ([`BackupError::Damaged`]), the format version
//! ([`BackupError::NewerFormat`]), then, when sealed, the wrapped key
//! ([`BackupError::WrongPassphrase`]) and the body ([`BackupError::Tampered`]: it was changed and
//! the checksum recomputed). An unsealed file has no secret, so a deliberate change with a
//! recomputed checksum cannot be told from a genuine file.
//!
//! The payload is generic: store name → records as JSON values, filled by the app, so the
//! format does not change when the schema grows; the schema version in the header tells the
//! app which migrations to run on restore.

mod frame;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::domain::calendar::Timestamp;
use crate::domain::crypto::{
    base64_bytes, fresh_nonce, Crypto, CryptoError, Nonce, WrappedKey, TAG_LEN,
};

/// The format version this code writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;
/// The associated data of a backup's wrapped key: a backup key is only ever a backup key.
const KEY_CONTEXT: &[u8] = b"folio/backup-key/v1";
/// The most a body may expand to once decompressed (1 GiB).
const MAX_CONTENT_LEN: u64 = 1 << 30;

/// Store name → its records, as the app exports them.
pub type Stores = BTreeMap<String, Vec<serde_json::Value>>;

/// Everything a backup file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    /// Version of Folio that wrote it (`CARGO_PKG_VERSION`).
    pub app_version: String,
    /// Version of the database schema its records follow.
    pub schema_version: u32,
    /// When it was written.
    pub written: Timestamp,
    /// What it holds, for the restore preview.
    pub summary: Summary,
    /// The records.
    pub stores: Stores,
}

/// Whether a backup holds the whole database or one profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every profile and the shared records.
    Database,
    /// One profile and its records.
    Profile,
}

/// One profile in a backup, with the number of its records of each kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSummary {
    /// The profile's id (a restore replaces the profile of the same id).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Accounts.
    pub accounts: u64,
    /// Transactions.
    pub transactions: u64,
    /// Import versions.
    pub imports: u64,
    /// Saved rebalancing plans.
    pub plans: u64,
}

/// What a backup holds: its scope and its profiles (exactly one for [`Scope::Profile`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Whole database or one profile.
    pub scope: Scope,
    /// The profiles it holds.
    pub profiles: Vec<ProfileSummary>,
}

/// Record counts summed over a backup's profiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Profiles.
    pub profiles: u64,
    /// Accounts.
    pub accounts: u64,
    /// Transactions.
    pub transactions: u64,
    /// Import versions.
    pub imports: u64,
    /// Saved plans.
    pub plans: u64,
}

impl Summary {
    /// The counts of every profile added up.
    pub fn totals(&self) -> Totals {
        self.profiles.iter().fold(
            Totals {
                profiles: self.profiles.len() as u64,
                ..Totals::default()
            },
            |t, p| Totals {
                accounts: t.accounts.saturating_add(p.accounts),
                transactions: t.transactions.saturating_add(p.transactions),
                imports: t.imports.saturating_add(p.imports),
                plans: t.plans.saturating_add(p.plans),
                ..t
            },
        )
    }

    fn problem(&self) -> Option<String> {
        match (self.scope, self.profiles.len()) {
            (Scope::Profile, 1) | (Scope::Database, _) => None,
            (Scope::Profile, n) => Some(format!("a one-profile backup lists {n} profiles")),
        }
    }
}

/// What can be read from a file without its passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The file's format version.
    pub format_version: u16,
    /// Version of Folio that wrote it.
    pub app_version: String,
    /// Schema version of its records.
    pub schema_version: u32,
    /// When it was written.
    pub written: Timestamp,
    /// Whether a passphrase is needed to open it.
    pub sealed: bool,
    /// What it holds; `None` when sealed (the summary is sealed with the records).
    pub summary: Option<Summary>,
}

/// Why a backup could not be written or read. Each message is one sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// The file does not start with the magic bytes.
    #[error("This is not a Folio backup file.")]
    NotABackup,
    /// The file ends before the lengths its prefix declares.
    #[error("The backup file is incomplete: it ends before its last byte (was the download or copy interrupted?).")]
    Truncated,
    /// The checksum does not match.
    #[error("The backup file is damaged: its contents no longer match its checksum.")]
    Damaged,
    /// The checksum matches but the contents break the format.
    #[error("The backup file is damaged: {0}.")]
    Malformed(String),
    /// Written in a format version this code does not know.
    #[error("This backup was written by a newer version of Folio (file format {found}; this version reads up to {supported}); update Folio to restore it.")]
    NewerFormat {
        /// The file's format version.
        found: u16,
        /// The newest this code reads.
        supported: u16,
    },
    /// Its records follow a schema newer than the app's.
    #[error("This backup was written by a newer version of Folio (data version {found}; this version knows up to {supported}); update Folio to restore it.")]
    NewerSchema {
        /// The file's schema version.
        found: u32,
        /// The newest the app knows.
        supported: u32,
    },
    /// The file is sealed and no passphrase was given.
    #[error("This backup is protected by a passphrase; enter it to open the file.")]
    PassphraseNeeded,
    /// The passphrase does not open the file's key.
    #[error("The passphrase is wrong; the backup was not opened.")]
    WrongPassphrase,
    /// The key opened but the sealed body or header was changed.
    #[error("The backup file was altered after it was written; it cannot be trusted and was not opened.")]
    Tampered,
    /// The backup could not be made.
    #[error("The backup could not be written: {0}.")]
    Unwritable(String),
    /// The platform's cryptography failed, or the passphrase was refused.
    #[error(transparent)]
    Crypto(CryptoError),
}

/// The header's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    app_version: String,
    schema_version: u32,
    written: Timestamp,
    compression: Compression,
    /// Bytes of the contents once decompressed.
    content_len: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealing: Option<Sealing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Compression {
    #[serde(rename = "deflate")]
    Deflate,
}

/// How a sealed body is opened: the wrapped data key and the body's nonce (AES-256-GCM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sealing {
    key: WrappedKey,
    #[serde(with = "base64_bytes")]
    nonce: Nonce,
}

/// The body's JSON before compression.
#[derive(Serialize)]
struct ContentsOut<'a> {
    summary: &'a Summary,
    stores: &'a Stores,
}

#[derive(Deserialize)]
struct ContentsIn {
    summary: Summary,
    stores: Stores,
}

impl Backup {
    /// Refuses a backup whose records are newer than the app's schema `supported`.
    pub fn check_schema(&self, supported: u32) -> Result<(), BackupError> {
        check_schema(self.schema_version, supported)
    }

    fn header(&self, content_len: usize, sealing: Option<Sealing>) -> Header {
        Header {
            app_version: self.app_version.clone(),
            schema_version: self.schema_version,
            written: self.written,
            compression: Compression::Deflate,
            content_len: content_len as u64,
            summary: sealing.is_none().then(|| self.summary.clone()),
            sealing,
        }
    }

    /// The contents as JSON, and compressed.
    fn contents(&self) -> Result<(usize, Vec<u8>), BackupError> {
        if let Some(problem) = self.summary.problem() {
            return Err(BackupError::Unwritable(problem));
        }
        let json = serde_json::to_vec(&ContentsOut {
            summary: &self.summary,
            stores: &self.stores,
        })
        .map_err(|e| BackupError::Unwritable(e.to_string()))?;
        let mut deflate =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        deflate
            .write_all(&json)
            .map_err(|e| BackupError::Unwritable(e.to_string()))?;
        let compressed = deflate
            .finish()
            .map_err(|e| BackupError::Unwritable(e.to_string()))?;
        Ok((json.len(), compressed))
    }
}

impl Inspection {
    /// Refuses a backup whose records are newer than the app's schema `supported`.
    pub fn check_schema(&self, supported: u32) -> Result<(), BackupError> {
        check_schema(self.schema_version, supported)
    }
}

fn check_schema(found: u32, supported: u32) -> Result<(), BackupError> {
    if found > supported {
        Err(BackupError::NewerSchema { found, supported })
    } else {
        Ok(())
    }
}

/// Writes an unsealed backup file.
pub fn encode(backup: &Backup) -> Result<Vec<u8>, BackupError> {
    let (content_len, compressed) = backup.contents()?;
    let header = header_json(&backup.header(content_len, None))?;
    let start = frame::start(FORMAT_VERSION, &header, compressed.len())?;
    Ok(frame::finish(start, &compressed))
}

/// A sealed file's key: a random data key and its wrapped form, made once from a passphrase.
/// Kept to rewrite the same file after each change (a fresh nonce every time), so that
/// neither the passphrase nor a slow derivation is needed again.
pub struct FileKey<K> {
    wrapped: WrappedKey,
    key: K,
}

impl<K> FileKey<K> {
    /// A fresh data key wrapped under `passphrase` (PBKDF2 with `iterations` rounds, at least
    /// [`crate::domain::crypto::MIN_ITERATIONS`], and a fresh salt).
    pub async fn create<C: Crypto<Key = K>>(
        crypto: &C,
        passphrase: &str,
        iterations: u32,
    ) -> Result<FileKey<K>, BackupError> {
        let (wrapped, key) = WrappedKey::create(crypto, passphrase, iterations, KEY_CONTEXT)
            .await
            .map_err(BackupError::Crypto)?;
        Ok(FileKey { wrapped, key })
    }
}

/// Writes a backup file sealed with `passphrase` (PBKDF2 with `iterations` rounds, at least
/// [`crate::domain::crypto::MIN_ITERATIONS`]).
pub async fn encode_sealed<C: Crypto>(
    backup: &Backup,
    crypto: &C,
    passphrase: &str,
    iterations: u32,
) -> Result<Vec<u8>, BackupError> {
    let key = FileKey::create(crypto, passphrase, iterations).await?;
    encode_sealed_with(backup, crypto, &key).await
}

/// Writes a backup file sealed with a key made before ([`FileKey::create`]).
pub async fn encode_sealed_with<C: Crypto>(
    backup: &Backup,
    crypto: &C,
    file_key: &FileKey<C::Key>,
) -> Result<Vec<u8>, BackupError> {
    let (content_len, compressed) = backup.contents()?;
    let nonce = fresh_nonce(crypto).map_err(BackupError::Crypto)?;
    let sealing = Sealing {
        key: file_key.wrapped.clone(),
        nonce,
    };
    let header = header_json(&backup.header(content_len, Some(sealing)))?;
    let start = frame::start(FORMAT_VERSION, &header, compressed.len() + TAG_LEN)?;
    let body = crypto
        .seal(&file_key.key, &nonce, &start, &compressed)
        .await
        .map_err(BackupError::Crypto)?;
    Ok(frame::finish(start, &body))
}

/// Reads what a file says about itself without opening it: versions, date, whether it is
/// sealed and, if not, its summary. Checks the frame and the checksum first.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, BackupError> {
    let (frame, header) = read_frame(bytes)?;
    Ok(Inspection {
        format_version: frame.version,
        app_version: header.app_version,
        schema_version: header.schema_version,
        written: header.written,
        sealed: header.sealing.is_some(),
        summary: header.summary,
    })
}

/// Reads an unsealed file ([`BackupError::PassphraseNeeded`] for a sealed one).
pub fn decode_plain(bytes: &[u8]) -> Result<Backup, BackupError> {
    let (frame, header) = read_frame(bytes)?;
    if header.sealing.is_some() {
        return Err(BackupError::PassphraseNeeded);
    }
    contents(header, frame.body)
}

/// Reads a file, opening it with `passphrase` when it is sealed (an unsealed file ignores it).
pub async fn decode<C: Crypto>(
    bytes: &[u8],
    crypto: &C,
    passphrase: Option<&str>,
) -> Result<Backup, BackupError> {
    let (frame, header) = read_frame(bytes)?;
    let Some(sealing) = &header.sealing else {
        return contents(header, frame.body);
    };
    let passphrase = passphrase.ok_or(BackupError::PassphraseNeeded)?;
    let key = sealing
        .key
        .unwrap(crypto, passphrase, KEY_CONTEXT)
        .await
        .map_err(|e| match e {
            CryptoError::Rejected => BackupError::WrongPassphrase,
            other => BackupError::Crypto(other),
        })?;
    let compressed = crypto
        .open(&key, &sealing.nonce, frame.signed, frame.body)
        .await
        .map_err(|e| match e {
            CryptoError::Rejected => BackupError::Tampered,
            other => BackupError::Crypto(other),
        })?;
    contents(header, &compressed)
}

fn header_json(header: &Header) -> Result<Vec<u8>, BackupError> {
    serde_json::to_vec(header).map_err(|e| BackupError::Unwritable(e.to_string()))
}

/// The frame and its parsed header, every check that needs no passphrase done.
fn read_frame(bytes: &[u8]) -> Result<(frame::Frame<'_>, Header), BackupError> {
    let frame = frame::split(bytes)?;
    if frame.version > FORMAT_VERSION {
        return Err(BackupError::NewerFormat {
            found: frame.version,
            supported: FORMAT_VERSION,
        });
    }
    if frame.version == 0 {
        return Err(BackupError::Malformed(
            "it declares file format 0, which never existed".into(),
        ));
    }
    let header: Header = serde_json::from_slice(frame.header)
        .map_err(|e| BackupError::Malformed(format!("its header cannot be read ({e})")))?;
    if header.content_len > MAX_CONTENT_LEN {
        return Err(BackupError::Malformed(format!(
            "it claims {} bytes of contents, more than Folio can hold",
            header.content_len
        )));
    }
    match (&header.summary, &header.sealing) {
        (Some(summary), None) => {
            if let Some(problem) = summary.problem() {
                return Err(BackupError::Malformed(problem));
            }
        }
        (None, Some(sealing)) => sealing.key.kdf.check().map_err(|e| {
            BackupError::Malformed(format!("its key-derivation setting is refused ({e})"))
        })?,
        (Some(_), Some(_)) => {
            return Err(BackupError::Malformed(
                "its header shows a summary although it is sealed".into(),
            ))
        }
        (None, None) => return Err(BackupError::Malformed("its header has no summary".into())),
    }
    Ok((frame, header))
}

/// Decompresses and reads the contents, checked against the header.
fn contents(header: Header, compressed: &[u8]) -> Result<Backup, BackupError> {
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(compressed)
        .take(header.content_len.saturating_add(1))
        .read_to_end(&mut json)
        .map_err(|_| BackupError::Malformed("its contents cannot be decompressed".into()))?;
    if json.len() as u64 != header.content_len {
        return Err(BackupError::Malformed(format!(
            "its contents are {} bytes long where its header says {}",
            json.len(),
            header.content_len
        )));
    }
    let contents: ContentsIn = serde_json::from_slice(&json)
        .map_err(|e| BackupError::Malformed(format!("its contents cannot be read ({e})")))?;
    if let Some(problem) = contents.summary.problem() {
        return Err(BackupError::Malformed(problem));
    }
    if header
        .summary
        .as_ref()
        .is_some_and(|s| *s != contents.summary)
    {
        return Err(BackupError::Malformed(
            "its header's summary differs from its contents".into(),
        ));
    }
    Ok(Backup {
        app_version: header.app_version,
        schema_version: header.schema_version,
        written: header.written,
        summary: contents.summary,
        stores: contents.stores,
    })
}
