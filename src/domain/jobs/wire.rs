//! The import worker's messages as they cross to the page. In JSON, 14,000 holdings are
//! 1.9 MB to write, copy and read back; so a finished import's holdings travel as columns:
//! each distinct string once (in the JSON), and per holding a row of indices and a row of
//! numbers, posted as typed arrays whose buffers are transferred, not copied. Every other
//! message is JSON as it is. [`ImportOutcome`]'s own serde form (what IndexedDB stores) is
//! not affected.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::import::ImportMessage;
use crate::domain::currency::Currency;
use crate::domain::holding::{AssetClass, Holding};
use crate::domain::import::ImportOutcome;

/// Indices per holding: symbol, alias, name, currency, price currency, location, venue,
/// ISIN (each an index into the strings; the optional ones + 1, 0 meaning none), then the
/// asset class (its position in [`AssetClass::ALL`]) with the flags [`HAS_VALUE`] and
/// [`HAS_PRICE`].
pub const INDICES_PER_HOLDING: usize = 9;

/// Numbers per holding: quantity, value, price (0 where the flags say there is none).
pub const NUMBERS_PER_HOLDING: usize = 3;

/// Flag of the class word: the holding has a value.
pub const HAS_VALUE: u32 = 1 << 8;

/// Flag of the class word: the holding has a price.
pub const HAS_PRICE: u32 = 1 << 9;

/// An import message as posted: JSON text and, for a finished import with holdings, the
/// holdings' indices and numbers (see [`INDICES_PER_HOLDING`], [`NUMBERS_PER_HOLDING`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WireMessage {
    /// The message, holdings taken out.
    pub json: String,
    /// [`INDICES_PER_HOLDING`] per holding.
    pub indices: Vec<u32>,
    /// [`NUMBERS_PER_HOLDING`] per holding.
    pub numbers: Vec<f64>,
}

/// The JSON part of a [`WireMessage`].
#[derive(Serialize, Deserialize)]
enum WireJson {
    /// Any message but `Done`, as it is.
    Message(ImportMessage),
    /// `Done`, the outcome's holdings taken out into the columns; `strings` are theirs.
    Done {
        outcome: Box<ImportOutcome>,
        worker_ms: f64,
        strings: Vec<String>,
    },
}

impl ImportMessage {
    /// The message as it is posted to the page.
    pub fn to_wire(self) -> WireMessage {
        let (json, indices, numbers) = match self {
            ImportMessage::Done {
                mut outcome,
                worker_ms,
            } => {
                let holdings = std::mem::take(&mut outcome.holdings);
                let (strings, indices, numbers) = to_columns(&holdings);
                let json = serde_json::to_string(&WireJson::Done {
                    outcome,
                    worker_ms,
                    strings,
                });
                (json, indices, numbers)
            }
            m => (
                serde_json::to_string(&WireJson::Message(m)),
                Vec::new(),
                Vec::new(),
            ),
        };
        match json {
            Ok(json) => WireMessage {
                json,
                indices,
                numbers,
            },
            Err(e) => WireMessage {
                json: serde_json::to_string(&WireJson::Message(ImportMessage::Failed(format!(
                    "The import's outcome could not be sent to the page: {e}"
                ))))
                .unwrap_or_default(),
                ..WireMessage::default()
            },
        }
    }

    /// Reads a message posted as a [`WireMessage`]; a damaged one gives the reason.
    pub fn from_wire(json: &str, indices: &[u32], numbers: &[f64]) -> Result<Self, String> {
        let parsed: WireJson = serde_json::from_str(json).map_err(|e| e.to_string())?;
        match parsed {
            WireJson::Message(m) if indices.is_empty() && numbers.is_empty() => Ok(m),
            WireJson::Message(_) => Err("columns came with a message that has none".into()),
            WireJson::Done {
                mut outcome,
                worker_ms,
                strings,
            } => {
                outcome.holdings = holdings_from_columns(&strings, indices, numbers)?;
                Ok(ImportMessage::Done { outcome, worker_ms })
            }
        }
    }
}

/// `holdings` as columns: the strings they use, their indices and their numbers.
fn to_columns(holdings: &[Holding]) -> (Vec<String>, Vec<u32>, Vec<f64>) {
    let mut strings = Strings::default();
    let mut indices = Vec::with_capacity(holdings.len() * INDICES_PER_HOLDING);
    let mut numbers = Vec::with_capacity(holdings.len() * NUMBERS_PER_HOLDING);
    for h in holdings {
        indices.extend_from_slice(&[
            strings.id(&h.symbol),
            strings.optional(&h.alias),
            strings.optional(&h.name),
            strings.id(h.currency.as_str()),
            h.price_currency
                .as_ref()
                .map_or(0, |c| strings.id(c.as_str()) + 1),
            strings.id(&h.location),
            strings.optional(&h.venue),
            strings.optional(&h.isin),
            class_word(h),
        ]);
        numbers.extend_from_slice(&[h.quantity, h.value.unwrap_or(0.0), h.price.unwrap_or(0.0)]);
    }
    (strings.list, indices, numbers)
}

/// Each distinct string once, in first-seen order, and its index.
#[derive(Default)]
struct Strings<'a> {
    ids: HashMap<&'a str, u32>,
    list: Vec<String>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let list = &mut self.list;
        *self.ids.entry(s).or_insert_with(|| {
            list.push(s.to_owned());
            (list.len() - 1) as u32
        })
    }

    /// 0 for none, else the string's index + 1.
    fn optional(&mut self, s: &'a Option<String>) -> u32 {
        s.as_deref().map_or(0, |s| self.id(s) + 1)
    }
}

/// The asset class's position in [`AssetClass::ALL`] with the presence flags.
fn class_word(h: &Holding) -> u32 {
    let class = AssetClass::ALL
        .iter()
        .position(|c| *c == h.asset_class)
        .unwrap_or_default() as u32;
    class
        | if h.value.is_some() { HAS_VALUE } else { 0 }
        | if h.price.is_some() { HAS_PRICE } else { 0 }
}

/// The holdings written by [`to_columns`]; damaged columns give the reason.
fn holdings_from_columns(
    strings: &[String],
    indices: &[u32],
    numbers: &[f64],
) -> Result<Vec<Holding>, String> {
    let count = indices.len() / INDICES_PER_HOLDING;
    if !indices.len().is_multiple_of(INDICES_PER_HOLDING)
        || numbers.len() != count * NUMBERS_PER_HOLDING
    {
        return Err(format!(
            "{} indices and {} numbers do not make whole holdings",
            indices.len(),
            numbers.len()
        ));
    }
    let string = |i: u32| {
        strings
            .get(i as usize)
            .cloned()
            .ok_or_else(|| format!("string {i} of {} is missing", strings.len()))
    };
    let optional = |i: u32| match i {
        0 => Ok(None),
        i => string(i - 1).map(Some),
    };
    let currency = |i: u32| string(i).and_then(|c| Currency::parse(&c).map_err(|e| e.to_string()));
    let optional_currency = |i: u32| match i {
        0 => Ok(None),
        i => currency(i - 1).map(Some),
    };
    indices
        .chunks_exact(INDICES_PER_HOLDING)
        .zip(numbers.chunks_exact(NUMBERS_PER_HOLDING))
        .map(|(i, n)| {
            let word = i[8];
            let asset_class = *AssetClass::ALL
                .get((word & 0xff) as usize)
                .filter(|_| word & !(0xff | HAS_VALUE | HAS_PRICE) == 0)
                .ok_or_else(|| format!("{word:#x} is not an asset class"))?;
            Ok(Holding {
                symbol: string(i[0])?,
                alias: optional(i[1])?,
                name: optional(i[2])?,
                currency: currency(i[3])?,
                price_currency: optional_currency(i[4])?,
                location: string(i[5])?,
                venue: optional(i[6])?,
                isin: optional(i[7])?,
                asset_class,
                quantity: n[0],
                value: (word & HAS_VALUE != 0).then_some(n[1]),
                price: (word & HAS_PRICE != 0).then_some(n[2]),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, ImportOptions};

    /// A real outcome (its report says a row was skipped) with `holdings` instead of its own.
    fn outcome(holdings: Vec<Holding>) -> ImportOutcome {
        let file = b"\"Amount\",\"Currency\",\"Current value in USD\",\"Exchange\"\n\
                     \"1\",\"BTC\",\"90000\",\"Kraken\"\n\"x\",\"ETH\",\"1\",\"Kraken\"\n";
        let mut outcome = import_bytes("x.csv", file.to_vec(), &ImportOptions::default())
            .unwrap()
            .unwrap();
        assert_eq!(outcome.report.skipped, 1);
        outcome.holdings = holdings;
        outcome
    }

    fn every_field() -> Holding {
        Holding {
            alias: Some("APT3".into()),
            name: Some("Aptos".into()),
            value: Some(-0.0),
            price: Some(1e-300),
            price_currency: Some(Currency::USD),
            venue: Some("XNAS".into()),
            isin: Some("US0000000001".into()),
            ..Holding::new("APT", AssetClass::Other, -12.5, Currency::EUR, "Kraken")
        }
    }

    fn through_the_wire(m: ImportMessage) -> Result<ImportMessage, String> {
        let w = m.to_wire();
        ImportMessage::from_wire(&w.json, &w.indices, &w.numbers)
    }

    #[test]
    fn holdings_cross_as_columns_and_come_back_equal() {
        let mut bare = Holding::new("BTC", AssetClass::Crypto, 0.5, Currency::EUR, "Kraken");
        bare.value = Some(20_000.125);
        let holdings = vec![
            every_field(),
            bare,
            Holding::new("€", AssetClass::Cash, 1.0, Currency::EUR, ""),
        ];
        let sent = ImportMessage::Done {
            outcome: Box::new(outcome(holdings.clone())),
            worker_ms: 12.5,
        };
        let w = sent.clone().to_wire();
        assert_eq!(w.indices.len(), 3 * INDICES_PER_HOLDING);
        assert_eq!(w.numbers.len(), 3 * NUMBERS_PER_HOLDING);
        // Shared strings are written once: EUR, Kraken.
        assert_eq!(w.json.matches("\"Kraken\"").count(), 1);
        assert_eq!(w.json.matches("\"EUR\"").count(), 1);
        let back = ImportMessage::from_wire(&w.json, &w.indices, &w.numbers).unwrap();
        assert_eq!(back, sent);
        let ImportMessage::Done { outcome, .. } = back else {
            unreachable!()
        };
        // -0.0 == 0.0 for PartialEq: the sign bit too.
        assert!(outcome.holdings[0].value.unwrap().is_sign_negative());
    }

    #[test]
    fn other_messages_cross_as_json_alone() {
        for m in [
            ImportMessage::Ready,
            ImportMessage::Failed("no".into()),
            ImportMessage::Done {
                outcome: Box::new(outcome(Vec::new())),
                worker_ms: 1.0,
            },
        ] {
            let w = m.clone().to_wire();
            assert!(w.indices.is_empty() && w.numbers.is_empty());
            assert_eq!(through_the_wire(m.clone()), Ok(m));
        }
    }

    #[test]
    fn damaged_columns_are_refused_with_the_reason() {
        let w = ImportMessage::Done {
            outcome: Box::new(outcome(vec![every_field()])),
            worker_ms: 1.0,
        }
        .to_wire();
        let read = |indices: &[u32], numbers: &[f64]| {
            ImportMessage::from_wire(&w.json, indices, numbers).unwrap_err()
        };
        assert_eq!(
            read(&w.indices[1..], &w.numbers),
            "8 indices and 3 numbers do not make whole holdings"
        );
        assert_eq!(
            read(&w.indices, &w.numbers[1..]),
            "9 indices and 2 numbers do not make whole holdings"
        );
        let mut bad = w.indices.clone();
        bad[0] = 99;
        assert_eq!(read(&bad, &w.numbers), "string 99 of 8 is missing");
        bad = w.indices.clone();
        bad[8] = 7;
        assert_eq!(read(&bad, &w.numbers), "0x7 is not an asset class");
        bad[8] = 1 << 12;
        assert_eq!(read(&bad, &w.numbers), "0x1000 is not an asset class");
        let ready = ImportMessage::Ready.to_wire();
        assert_eq!(
            ImportMessage::from_wire(&ready.json, &w.indices, &w.numbers).unwrap_err(),
            "columns came with a message that has none"
        );
        assert!(ImportMessage::from_wire("{", &[], &[]).is_err());
    }
}
