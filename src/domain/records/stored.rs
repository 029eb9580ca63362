//! Stored values as JSON: the view of IndexedDB records that backups carry and schema
//! upgrades rewrite ([`super::migrations::Records`]).
//!
//! A record is whatever Folio wrote through serde: objects, arrays, strings, numbers,
//! booleans, `null`/`undefined`, and byte arrays (`Uint8Array`). JSON has no bytes and no
//! NaN or infinities, so those are written as one-entry objects whose key starts with `$`:
//!
//! | stored | JSON |
//! |---|---|
//! | bytes | `{"$bytes": "<standard base64>"}` |
//! | NaN, ∞, −∞ | `{"$number": "NaN"}`, `{"$number": "Infinity"}`, `{"$number": "-Infinity"}` |
//! | an object key starting with `$` (`$x`) | the key with one more `$` (`$$x`) |
//! | `undefined` | `null` |
//!
//! so no stored value reads as a tag. [`StoredValue`] reads any self-describing serde input
//! (in the browser, `serde_wasm_bindgen` over a record) into this view; [`AsStored`] writes
//! the view back (bytes as bytes: a `Uint8Array`), so a record goes through a backup and a
//! restore unchanged.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Number, Value};

/// The tag of bytes.
pub const BYTES_TAG: &str = "$bytes";
/// The tag of a number JSON cannot write.
pub const NUMBER_TAG: &str = "$number";

/// A stored value read into its JSON view.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue(pub Value);

/// A JSON view written back as the stored value it stands for.
#[derive(Debug, Clone, Copy)]
pub struct AsStored<'a>(pub &'a Value);

fn tagged(tag: &str, text: String) -> Value {
    let mut map = Map::new();
    map.insert(tag.to_string(), Value::String(text));
    Value::Object(map)
}

fn number(v: f64) -> Value {
    match Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None => tagged(NUMBER_TAG, format!("{v}").replace("inf", "Infinity")),
    }
}

fn escape(key: String) -> String {
    if key.starts_with('$') {
        format!("${key}")
    } else {
        key
    }
}

impl<'de> Deserialize<'de> for StoredValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StoredValue, D::Error> {
        d.deserialize_any(ViewVisitor).map(StoredValue)
    }
}

struct ViewVisitor;

impl<'de> Visitor<'de> for ViewVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a stored value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(number(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(tagged(BYTES_TAG, STANDARD.encode(v)))
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(tagged(BYTES_TAG, STANDARD.encode(v)))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ViewVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StoredValue(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let StoredValue(v) = map.next_value()?;
            out.insert(escape(key), v);
        }
        Ok(Value::Object(out))
    }
}

impl Serialize for AsStored<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    s.serialize_i64(i)
                } else if let Some(u) = n.as_u64() {
                    s.serialize_u64(u)
                } else {
                    s.serialize_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(text) => s.serialize_str(text),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&AsStored(item))?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                if let Some(tag) = one_tag(fields) {
                    return match tag {
                        (BYTES_TAG, text) => {
                            let bytes = STANDARD.decode(text).map_err(|_| {
                                S::Error::custom("a byte array is not valid base64")
                            })?;
                            s.serialize_bytes(&bytes)
                        }
                        (_, text) => s.serialize_f64(non_finite(text).ok_or_else(|| {
                            S::Error::custom(format!("“{text}” is not a number"))
                        })?),
                    };
                }
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    let key = k.strip_prefix('$').filter(|k| k.starts_with('$'));
                    map.serialize_entry(key.unwrap_or(k), &AsStored(v))?;
                }
                map.end()
            }
        }
    }
}

/// The tag and its text, when `fields` is one of the tagged forms.
fn one_tag(fields: &Map<String, Value>) -> Option<(&'static str, &str)> {
    if fields.len() != 1 {
        return None;
    }
    let (k, v) = fields.iter().next()?;
    let tag = [BYTES_TAG, NUMBER_TAG].into_iter().find(|t| t == k)?;
    Some((tag, v.as_str()?))
}

fn non_finite(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{BytesDeserializer, Error as ValueError};
    use serde_json::json;

    /// A record shaped like a ledger chunk: a byte field among ordinary ones.
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Chunk {
        id: String,
        #[serde(with = "serde_bytes_like")]
        data: Vec<u8>,
        ratio: f64,
        note: Option<String>,
    }

    mod serde_bytes_like {
        use serde::{Deserialize, Deserializer, Serializer};
        pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
            Vec::<u8>::deserialize(d)
        }
    }

    #[test]
    fn bytes_are_tagged_as_base64() {
        let d = BytesDeserializer::<ValueError>::new(&[0, 1, 254, 255]);
        let StoredValue(v) = StoredValue::deserialize(d).unwrap();
        // base64 of 00 01 FE FF is "AAH+/w==".
        assert_eq!(v, json!({"$bytes": "AAH+/w=="}));
    }

    #[test]
    fn bytes_are_written_back_as_bytes() {
        let view = json!({"id": "c1", "data": {"$bytes": "AAH+/w=="}, "ratio": 0.5, "note": null});
        // serde_json writes bytes as an array of numbers: they arrive as bytes, not as text.
        let written = serde_json::to_value(AsStored(&view)).unwrap();
        assert_eq!(written["data"], json!([0, 1, 254, 255]));
        let chunk: Chunk = serde_json::from_value(written).unwrap();
        assert_eq!(
            chunk,
            Chunk {
                id: "c1".into(),
                data: vec![0, 1, 254, 255],
                ratio: 0.5,
                note: None
            }
        );
    }

    #[test]
    fn keys_starting_with_a_dollar_never_read_as_tags() {
        // A user's group override for a symbol spelt "$bytes" stays a string, both ways.
        let stored = json!({"group_overrides": {"$bytes": "DeFi", "BTC": "BTC", "$$x": 1}});
        let StoredValue(view) = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(
            view,
            json!({"group_overrides": {"$$bytes": "DeFi", "BTC": "BTC", "$$$x": 1}})
        );
        assert_eq!(serde_json::to_value(AsStored(&view)).unwrap(), stored);
    }

    #[test]
    fn numbers_json_cannot_write_are_tagged_and_come_back() {
        let d = serde::de::value::F64Deserializer::<ValueError>::new(f64::NEG_INFINITY);
        let StoredValue(v) = StoredValue::deserialize(d).unwrap();
        assert_eq!(v, json!({"$number": "-Infinity"}));
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let Value::Object(tag) = number(x) else {
                panic!("{x} is not tagged")
            };
            let (name, text) = one_tag(&tag).unwrap();
            assert_eq!(name, NUMBER_TAG);
            let back = non_finite(text).unwrap();
            assert!(back.to_bits() == x.to_bits() || (back.is_nan() && x.is_nan()));
        }
        let bad = json!({"$number": "lots"});
        assert!(serde_json::to_value(AsStored(&bad)).is_err());
    }

    #[test]
    fn ordinary_values_round_trip_unchanged() {
        let stored = json!({
            "id": "p1", "n": -3, "big": 9007199254740991u64, "x": 0.1, "ok": true,
            "list": [1, "a", null, {"k": []}], "nothing": null,
        });
        let StoredValue(view) = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(view, stored);
        assert_eq!(serde_json::to_value(AsStored(&view)).unwrap(), stored);
    }

    #[test]
    fn a_tag_with_a_second_field_is_an_ordinary_object() {
        let view = json!({"$bytes": "AA==", "other": 1});
        // Not a tag (two fields): written as an object, its keys unescaped only when doubled.
        assert_eq!(
            serde_json::to_value(AsStored(&view)).unwrap(),
            json!({"$bytes": "AA==", "other": 1})
        );
        let bad = json!({"$bytes": "not base64!"});
        assert!(serde_json::to_value(AsStored(&bad)).is_err());
    }
}
