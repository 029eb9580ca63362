//! Parsing of provider responses (recorded shapes in the tests), error bodies included.

use serde_json::Value;

use super::fx::{FxRates, FxSeries};
use chrono::NaiveDate;

use super::PriceError;
use crate::domain::calendar::{parse_iso_day, Timestamp};
use crate::domain::currency::Currency;

fn malformed(what: &str) -> PriceError {
    PriceError::Malformed(what.to_string())
}

fn json(body: &str) -> Result<Value, PriceError> {
    serde_json::from_str(body).map_err(|e| PriceError::Malformed(format!("not JSON ({e})")))
}

/// A number that providers send as a JSON number or a decimal string.
fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// Maps a non-2xx response to an error, keeping the provider's message when the body has one.
pub fn http_error(status: u16, body: &str, retry_after_s: Option<f64>) -> PriceError {
    if status == 429 || status == 418 {
        return PriceError::RateLimited {
            status,
            retry_after_s,
        };
    }
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| {
            [
                v.pointer("/status/error_message"),
                v.get("msg"),
                v.get("message"),
                v.get("error"),
            ]
            .into_iter()
            .flatten()
            .find_map(|m| m.as_str().map(str::to_string))
        })
        .unwrap_or_default();
    PriceError::Http { status, message }
}

/// One spot price from CoinGecko's `/simple/price`.
#[derive(Debug, Clone, PartialEq)]
pub struct SimplePrice {
    /// CoinGecko id.
    pub id: String,
    /// Price in the requested currency.
    pub price: f64,
    /// 24 h change in percent.
    pub change_24h_pct: Option<f64>,
    /// Last update.
    pub at: Option<Timestamp>,
}

/// `GET /simple/price?ids=…&vs_currencies=usd&include_24hr_change=true&include_last_updated_at=true`.
/// Ids CoinGecko does not know are simply absent from the answer.
pub fn coingecko_simple(body: &str, vs: &str) -> Result<Vec<SimplePrice>, PriceError> {
    let v = json(body)?;
    if let Some(code) = v.pointer("/status/error_code") {
        return Err(PriceError::Http {
            status: code.as_u64().unwrap_or(0) as u16,
            message: v
                .pointer("/status/error_message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        });
    }
    let obj = v
        .as_object()
        .ok_or_else(|| malformed("CoinGecko price is not an object"))?;
    let vs = vs.to_lowercase();
    let mut out = Vec::new();
    for (id, entry) in obj {
        let Some(price) = entry.get(&vs).and_then(num) else {
            continue;
        };
        out.push(SimplePrice {
            id: id.clone(),
            price,
            change_24h_pct: entry.get(format!("{vs}_24h_change")).and_then(num),
            at: entry
                .get("last_updated_at")
                .and_then(num)
                .and_then(|s| Timestamp::from_js(s * 1000.0)),
        });
    }
    Ok(out)
}

/// `GET /coins/{id}/market_chart?vs_currency=usd&days=365&interval=daily` → daily closes.
pub fn coingecko_market_chart(body: &str) -> Result<Vec<(NaiveDate, f64)>, PriceError> {
    let v = json(body)?;
    let prices = v
        .get("prices")
        .ok_or_else(|| malformed("CoinGecko chart has no prices"))?;
    daily_points(
        prices,
        1,
        1.0,
        "CoinGecko chart points are not [time, price]",
    )
}

/// Reads rows `[time, …]` into `(date, value)`: the time at index 0, in milliseconds once
/// multiplied by `ms_per_unit` (1 for milliseconds, 1000 for seconds), the value at `value_at`.
fn daily_points(
    rows: &Value,
    value_at: usize,
    ms_per_unit: f64,
    what: &str,
) -> Result<Vec<(NaiveDate, f64)>, PriceError> {
    rows.as_array()
        .ok_or_else(|| malformed(what))?
        .iter()
        .map(
            |r| match (r.get(0).and_then(num), r.get(value_at).and_then(num)) {
                (Some(t), Some(v)) => Timestamp::from_js(t * ms_per_unit)
                    .map(|t| (t.date(), v))
                    .ok_or_else(|| malformed(what)),
                _ => Err(malformed(what)),
            },
        )
        .collect()
}

/// Coinbase answers errors as `{"message": …}`; "NotFound" means the product is not listed.
fn coinbase_error(v: &Value) -> Option<PriceError> {
    let m = v.get("message").and_then(Value::as_str)?;
    let lower = m.to_lowercase();
    Some(
        if lower.contains("notfound") || lower.contains("not found") {
            PriceError::NotListed(m.to_string())
        } else {
            PriceError::Http {
                status: 400,
                message: m.to_string(),
            }
        },
    )
}

/// `GET /api/v3/ticker/price?symbols=[…]` (array) or `?symbol=…` (object) → (pair, price).
pub fn binance_ticker(body: &str) -> Result<Vec<(String, f64)>, PriceError> {
    let v = json(body)?;
    if let (Some(code), Some(msg)) = (v.get("code"), v.get("msg")) {
        // -1121 "Invalid symbol." is how Binance says it does not list a pair.
        let msg = msg.as_str().unwrap_or("").to_string();
        return Err(if code.as_i64() == Some(-1121) {
            PriceError::NotListed(msg)
        } else {
            PriceError::Http {
                status: 400,
                message: msg,
            }
        });
    }
    let items = match &v {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![&v],
        _ => return Err(malformed("Binance ticker is neither a list nor an object")),
    };
    items
        .into_iter()
        .map(|t| {
            match (
                t.get("symbol").and_then(Value::as_str),
                t.get("price").and_then(num),
            ) {
                (Some(s), Some(p)) => Ok((s.to_string(), p)),
                _ => Err(malformed("Binance ticker entry without symbol or price")),
            }
        })
        .collect()
}

/// `GET /api/v3/klines?symbol=…&interval=1d` → daily closes (close is field 4, open time field 0).
pub fn binance_klines(body: &str) -> Result<Vec<(NaiveDate, f64)>, PriceError> {
    daily_points(
        &json(body)?,
        4,
        1.0,
        "Binance klines are not [open time, …, close, …]",
    )
}

/// `GET /products/{id}/candles?granularity=86400` → `[[time, low, high, open, close, volume], …]`
/// (time in seconds, newest first) → daily closes, oldest first.
pub fn coinbase_candles(body: &str) -> Result<Vec<(NaiveDate, f64)>, PriceError> {
    let v = json(body)?;
    if let Some(e) = coinbase_error(&v) {
        return Err(e);
    }
    let mut out = daily_points(
        &v,
        4,
        1000.0,
        "Coinbase candles are not [time, low, high, open, close, …]",
    )?;
    out.sort_by_key(|p| p.0);
    Ok(out)
}

/// Frankfurter `GET /v1/latest?base=EUR` (or a single date) → one table.
pub fn frankfurter_latest(body: &str) -> Result<FxRates, PriceError> {
    let v = json(body)?;
    if let Some(m) = v.get("message").and_then(Value::as_str) {
        return Err(PriceError::Http {
            status: 404,
            message: m.to_string(),
        });
    }
    let base = v
        .get("base")
        .and_then(Value::as_str)
        .and_then(|b| Currency::parse(b).ok())
        .ok_or_else(|| malformed("Frankfurter answer has no base currency"))?;
    let date = v
        .get("date")
        .and_then(Value::as_str)
        .and_then(parse_iso_day)
        .ok_or_else(|| malformed("Frankfurter answer has no date"))?;
    let rates = rates_of(v.get("rates"))?;
    Ok(FxRates { base, date, rates })
}

/// Frankfurter `GET /v1/2024-01-01..2024-12-31?base=EUR` → a daily series.
pub fn frankfurter_series(body: &str) -> Result<FxSeries, PriceError> {
    let v = json(body)?;
    let base = v
        .get("base")
        .and_then(Value::as_str)
        .and_then(|b| Currency::parse(b).ok())
        .ok_or_else(|| malformed("Frankfurter series has no base currency"))?;
    let days = v
        .get("rates")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("Frankfurter series has no rates"))?;
    let mut series = FxSeries::default();
    for (date, r) in days {
        let date = parse_iso_day(date)
            .ok_or_else(|| malformed("Frankfurter series has a key that is not a date"))?;
        let rates = rates_of(Some(r))?;
        series.days.insert(date, FxRates { base, date, rates });
    }
    Ok(series)
}

/// The rates of a table; entries that are not a currency code and a number are left out.
fn rates_of(v: Option<&Value>) -> Result<std::collections::BTreeMap<Currency, f64>, PriceError> {
    let obj = v
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("rates are not an object"))?;
    Ok(obj
        .iter()
        .filter_map(|(k, v)| Some((Currency::parse(k).ok()?, num(v)?)))
        .collect())
}

/// Twelve Data `GET /price?symbol=A,B&apikey=…`: `{"price":"…"}` for one symbol, `{"A":{"price":"…"},…}`
/// for several. Error bodies carry `"status":"error"` with a `code` even on HTTP 200.
pub fn twelvedata_price(
    body: &str,
    requested: &[String],
) -> Result<Vec<(String, f64)>, PriceError> {
    let v = json(body)?;
    if v.get("status").and_then(Value::as_str) == Some("error") {
        let code = v.get("code").and_then(Value::as_u64).unwrap_or(400) as u16;
        let message = v
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        return Err(match code {
            429 => PriceError::RateLimited {
                status: 429,
                retry_after_s: Some(60.0),
            },
            401 | 403
                if message.to_lowercase().contains("apikey")
                    || message.to_lowercase().contains("api key") =>
            {
                PriceError::NoKey
            }
            404 => PriceError::NotListed(message),
            _ => PriceError::Http {
                status: code,
                message,
            },
        });
    }
    if let (Some(p), [one]) = (v.get("price").and_then(num), requested) {
        return Ok(vec![(one.clone(), p)]);
    }
    Ok(requested
        .iter()
        .filter_map(|s| {
            v.get(s)
                .and_then(|e| e.get("price"))
                .and_then(num)
                .map(|p| (s.clone(), p))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_iso_day(s).unwrap()
    }

    #[test]
    fn parses_coingecko_simple_price_and_skips_unknown_ids() {
        let body = r#"{"bitcoin":{"usd":97000.5,"usd_24h_change":-1.25,"last_updated_at":1735776000},"ethereum":{"usd":3400}}"#;
        let mut p = coingecko_simple(body, "USD").unwrap();
        p.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(
            p[0],
            SimplePrice {
                id: "bitcoin".into(),
                price: 97000.5,
                change_24h_pct: Some(-1.25),
                at: Some(Timestamp::from_millis(1_735_776_000_000))
            }
        );
        assert_eq!(p[1].at, None);
        assert_eq!(coingecko_simple("{}", "usd").unwrap(), vec![]);
    }

    #[test]
    fn reads_coingecko_error_bodies() {
        let body =
            r#"{"status":{"error_code":429,"error_message":"You've exceeded the Rate Limit."}}"#;
        assert!(matches!(
            coingecko_simple(body, "usd"),
            Err(PriceError::Http { status: 429, .. })
        ));
        assert_eq!(
            http_error(
                500,
                r#"{"status":{"error_code":500,"error_message":"boom"}}"#,
                None
            ),
            PriceError::Http {
                status: 500,
                message: "boom".into()
            }
        );
        assert_eq!(
            http_error(429, "", Some(30.0)),
            PriceError::RateLimited {
                status: 429,
                retry_after_s: Some(30.0)
            }
        );
        assert!(matches!(
            coingecko_simple("<html>", "usd"),
            Err(PriceError::Malformed(_))
        ));
        assert!(matches!(
            coingecko_simple("[1,2]", "usd"),
            Err(PriceError::Malformed(_))
        ));
    }

    #[test]
    fn parses_market_chart_and_klines_and_candles() {
        let chart = r#"{"prices":[[1735689600000,93500.1],[1735776000000,97000.5]],"market_caps":[],"total_volumes":[]}"#;
        assert_eq!(
            coingecko_market_chart(chart).unwrap(),
            vec![(day("2025-01-01"), 93500.1), (day("2025-01-02"), 97000.5)]
        );
        let klines = r#"[[1735689600000,"93000.0","94000.0","92000.0","93500.10","12.5",1735775999999,"1","2","3","4","0"]]"#;
        assert_eq!(
            binance_klines(klines).unwrap(),
            vec![(day("2025-01-01"), 93500.1)]
        );
        let candles = "[[1735776000,1,2,3,97000.5,10],[1735689600,1,2,3,93500.1,10]]";
        assert_eq!(
            coinbase_candles(candles).unwrap()[0],
            (day("2025-01-01"), 93500.1)
        );
        assert!(matches!(
            coinbase_candles(r#"{"message":"NotFound"}"#),
            Err(PriceError::NotListed(_))
        ));
    }

    #[test]
    fn parses_binance_tickers_and_errors() {
        assert_eq!(
            binance_ticker(r#"{"symbol":"BTCUSDT","price":"97000.50000000"}"#).unwrap(),
            vec![("BTCUSDT".to_string(), 97000.5)]
        );
        assert_eq!(
            binance_ticker(r#"[{"symbol":"ETHUSDT","price":"3400.1"}]"#)
                .unwrap()
                .len(),
            1
        );
        assert!(matches!(
            binance_ticker(r#"{"code":-1121,"msg":"Invalid symbol."}"#),
            Err(PriceError::NotListed(_))
        ));
        assert_eq!(
            http_error(
                451,
                r#"{"code":0,"msg":"Service unavailable from a restricted location"}"#,
                None
            ),
            PriceError::Http {
                status: 451,
                message: "Service unavailable from a restricted location".into()
            }
        );
    }

    #[test]
    fn parses_frankfurter_latest_series_and_errors() {
        let latest = r#"{"amount":1.0,"base":"EUR","date":"2025-01-02","rates":{"USD":1.0321,"CHF":0.9387}}"#;
        let fx = frankfurter_latest(latest).unwrap();
        assert_eq!(
            (fx.base, fx.date, fx.rates[&Currency::USD]),
            (Currency::EUR, day("2025-01-02"), 1.0321)
        );
        let series = r#"{"amount":1.0,"base":"EUR","start_date":"2025-01-02","end_date":"2025-01-03","rates":{"2025-01-02":{"USD":1.03},"2025-01-03":{"USD":1.04}}}"#;
        assert_eq!(
            frankfurter_series(series)
                .unwrap()
                .on(day("2025-01-04"))
                .unwrap()
                .rates[&Currency::USD],
            1.04
        );
        assert!(matches!(
            frankfurter_latest(r#"{"message":"not found"}"#),
            Err(PriceError::Http { status: 404, .. })
        ));
    }

    #[test]
    fn parses_twelvedata_prices_and_errors() {
        assert_eq!(
            twelvedata_price(r#"{"price":"200.99000"}"#, &["AAPL".into()]).unwrap(),
            vec![("AAPL".to_string(), 200.99)]
        );
        let many = r#"{"AAPL":{"price":"200.99"},"MSFT":{"price":"505.1"}}"#;
        assert_eq!(
            twelvedata_price(many, &["AAPL".into(), "MSFT".into(), "NOPE".into()])
                .unwrap()
                .len(),
            2
        );
        let nokey = r#"{"code":401,"message":"**apikey** parameter is incorrect or not specified.","status":"error"}"#;
        assert_eq!(
            twelvedata_price(nokey, &["AAPL".into()]),
            Err(PriceError::NoKey)
        );
        let limit = r#"{"code":429,"message":"You have run out of API credits","status":"error"}"#;
        assert!(matches!(
            twelvedata_price(limit, &["AAPL".into()]),
            Err(PriceError::RateLimited { .. })
        ));
    }
}

/// Coinbase Exchange `GET /products/{id}/ticker` → `{"price":"…","time":"…",…}`.
pub fn coinbase_ticker(body: &str) -> Result<f64, PriceError> {
    let v = json(body)?;
    if let Some(e) = coinbase_error(&v) {
        return Err(e);
    }
    v.get("price")
        .and_then(num)
        .ok_or_else(|| malformed("Coinbase ticker has no price"))
}

#[cfg(test)]
mod coinbase_ticker_tests {
    use super::*;

    #[test]
    fn parses_coinbase_ticker() {
        assert_eq!(
            coinbase_ticker(
                r#"{"ask":"1","bid":"1","volume":"1","trade_id":1,"price":"97000.5","size":"0.1","time":"2025-01-02T00:00:00Z"}"#
            ),
            Ok(97000.5)
        );
        assert!(matches!(
            coinbase_ticker(r#"{"message":"NotFound"}"#),
            Err(PriceError::NotListed(_))
        ));
        assert!(matches!(
            coinbase_ticker(r#"{"bid":"1"}"#),
            Err(PriceError::Malformed(_))
        ));
    }
}

/// CoinGecko `GET /search?query=SYM` → the id of the best-ranked coin whose ticker is
/// exactly `symbol` (case-insensitive), if any.
pub fn coingecko_search(body: &str, symbol: &str) -> Result<Option<String>, PriceError> {
    let v = json(body)?;
    let coins = v
        .get("coins")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("CoinGecko search has no coins"))?;
    Ok(coins
        .iter()
        .filter(|c| {
            c.get("symbol")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case(symbol))
        })
        .min_by_key(|c| {
            c.get("market_cap_rank")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX)
        })
        .and_then(|c| c.get("id").and_then(Value::as_str))
        .map(str::to_string))
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn picks_the_best_ranked_exact_ticker() {
        let body = r#"{"coins":[{"id":"virtual-x","symbol":"VIRTUALX","market_cap_rank":5},{"id":"fake-virtual","symbol":"VIRTUAL","market_cap_rank":null},{"id":"virtual-protocol","symbol":"VIRTUAL","market_cap_rank":80}],"exchanges":[]}"#;
        assert_eq!(
            coingecko_search(body, "virtual").unwrap().as_deref(),
            Some("virtual-protocol")
        );
        assert_eq!(coingecko_search(r#"{"coins":[]}"#, "X").unwrap(), None);
        assert!(coingecko_search(r#"{"error":"x"}"#, "X").is_err());
    }
}
