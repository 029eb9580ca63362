//! Serde helpers writing bytes as standard base64 text (for JSON records and headers).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{de, Deserialize, Deserializer, Serializer};

/// Writes bytes as base64 text.
pub fn serialize<S: Serializer>(bytes: impl AsRef<[u8]>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&STANDARD.encode(bytes))
}

/// Reads base64 text into a byte array or vector of the expected length.
pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<Vec<u8>>,
{
    let text = String::deserialize(d)?;
    let bytes = STANDARD
        .decode(text.as_bytes())
        .map_err(|_| de::Error::custom("bytes are not valid base64"))?;
    let len = bytes.len();
    T::try_from(bytes).map_err(|_| de::Error::custom(format!("unexpected length {len}")))
}
