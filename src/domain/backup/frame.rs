//! The frame every format version keeps: a fixed prefix (magic bytes, format version, the
//! header's and the body's lengths), the header, the body, and a SHA-256 of all of it. The
//! frame is checked (lengths, then checksum) before the version is read, so a damaged version
//! field reads as damage, not as a newer file.

use sha2::{Digest, Sha256};

use super::BackupError;

/// PNG's scheme: a high-bit byte (7-bit transfers), the name, CR LF (line-ending
/// conversion), Ctrl-Z (DOS `type`), LF (LF → CR LF).
pub(super) const MAGIC: [u8; 10] = *b"\x89FOLIO\r\n\x1a\n";
/// Magic, format version (u16), header length (u32), body length (u64); little-endian.
pub(super) const PREFIX_LEN: usize = MAGIC.len() + 2 + 4 + 8;
/// SHA-256 of everything before it.
pub(super) const CHECKSUM_LEN: usize = 32;

/// A file cut into its parts, its lengths and checksum verified.
pub(super) struct Frame<'a> {
    /// The format version it declares.
    pub version: u16,
    /// The header's bytes (JSON).
    pub header: &'a [u8],
    /// The body's bytes.
    pub body: &'a [u8],
    /// Prefix and header: the associated data of a sealed body.
    pub signed: &'a [u8],
}

/// Cuts `bytes` into a frame: the magic, the lengths, then the checksum.
pub(super) fn split(bytes: &[u8]) -> Result<Frame<'_>, BackupError> {
    if !bytes.starts_with(&MAGIC) {
        return Err(if MAGIC.starts_with(bytes) {
            BackupError::Truncated
        } else {
            BackupError::NotABackup
        });
    }
    let (Some(version), Some(header_len), Some(body_len)) = (
        bytes.get(10..12).and_then(|b| b.try_into().ok()),
        bytes.get(12..16).and_then(|b| b.try_into().ok()),
        bytes.get(16..24).and_then(|b| b.try_into().ok()),
    ) else {
        return Err(BackupError::Truncated);
    };
    let version = u16::from_le_bytes(version);
    let header_len = u64::from(u32::from_le_bytes(header_len));
    let body_len = u64::from_le_bytes(body_len);
    let declared = [header_len, body_len, CHECKSUM_LEN as u64]
        .into_iter()
        .try_fold(PREFIX_LEN as u64, u64::checked_add);
    let actual = bytes.len() as u64;
    match declared {
        Some(total) if total > actual => return Err(BackupError::Truncated),
        Some(total) if total < actual => {
            return Err(BackupError::Malformed(format!(
                "it has {} unexpected bytes after its end",
                actual - total
            )))
        }
        Some(_) => {}
        None => return Err(BackupError::Truncated),
    }
    // The lengths add up to `bytes.len()`, so these conversions and cuts cannot fail.
    let header_end = PREFIX_LEN + header_len as usize;
    let body_end = bytes.len() - CHECKSUM_LEN;
    let (checked, checksum) = bytes.split_at(body_end);
    if Sha256::digest(checked).as_slice() != checksum {
        return Err(BackupError::Damaged);
    }
    Ok(Frame {
        version,
        header: &bytes[PREFIX_LEN..header_end],
        body: &bytes[header_end..body_end],
        signed: &bytes[..header_end],
    })
}

/// Prefix and header of a file whose body will be `body_len` bytes long.
pub(super) fn start(version: u16, header: &[u8], body_len: usize) -> Result<Vec<u8>, BackupError> {
    let header_len = u32::try_from(header.len())
        .map_err(|_| BackupError::Unwritable("its header is over 4 GB".into()))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + header.len() + body_len + CHECKSUM_LEN);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&(body_len as u64).to_le_bytes());
    out.extend_from_slice(header);
    Ok(out)
}

/// Appends the body and the checksum to what [`start`] returned.
pub(super) fn finish(mut out: Vec<u8>, body: &[u8]) -> Vec<u8> {
    out.extend_from_slice(body);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    out
}
