//! HTTP clients for the price and FX providers. Every failure (429, timeout, an opaque
//! network error, 5xx, malformed JSON) is a `PriceError`, never a panic; the chain moves
//! on to the next source. Identical concurrent requests share one fetch; requests to one
//! provider are spaced out; spot prices are batched (one request for many coins).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

use crate::browser::files::js_error_text;
use crate::browser::{now, now_ms};
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::jobs::prices::{PriceJob, PriceMessage, SpotJob, SpotRefresh};
use crate::domain::price_key::PriceKey;
use crate::domain::prices::chain::Chain;
use crate::domain::prices::fx::{is_fiat, FxRates, FxSeries};
use crate::domain::prices::history::DailySeries;
use crate::domain::prices::ids::{crypto_id, IdOverrides};
use crate::domain::prices::merge::InFlight;
use crate::domain::prices::parse::{
    binance_klines, binance_ticker, coinbase_ticker, coingecko_market_chart, coingecko_search,
    coingecko_simple, frankfurter_latest, frankfurter_series, http_error, twelvedata_price,
};
use crate::domain::prices::refresh::{HistoryLoad, RefreshReport, SourceFailure};
use crate::domain::prices::wanted::ListedAsset;
use crate::domain::prices::{urls, PriceError, PriceOrigin, Provider, Quote};

/// Seconds before a request is given up.
pub const TIMEOUT_S: u32 = 8;
/// CoinGecko takes at most this many ids per request.
const COINGECKO_BATCH: usize = 200;
/// Coinbase is asked coin by coin; at most this many per refresh.
const COINBASE_MAX: usize = 12;

thread_local! {
    static IN_FLIGHT: Rc<InFlight<Result<String, PriceError>>> = Rc::new(InFlight::default());
    static NEXT_SLOT: RefCell<HashMap<Provider, f64>> = RefCell::new(HashMap::new());
    /// Symbols already searched on CoinGecko in this session (found or not).
    static SEARCHED: RefCell<std::collections::HashSet<String>> = RefCell::new(std::collections::HashSet::new());
}

/// At most this many CoinGecko searches per refresh (each costs one call).
const MAX_SEARCHES: usize = 5;

/// Minimum spacing between two requests to a provider, in ms (keyless CoinGecko allows
/// about 30 calls a minute; Twelve Data's free plan 8 a minute).
fn spacing_ms(p: Provider) -> f64 {
    match p {
        Provider::CoinGecko => 2_000.0,
        Provider::TwelveData => 7_500.0,
        Provider::Coinbase => 150.0,
        Provider::Binance => 100.0,
        Provider::Frankfurter => 0.0,
    }
}

#[wasm_bindgen]
extern "C" {
    /// The global scope's `setTimeout` (a window's or a worker's: this runs in both).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> i32;
    /// The global scope's `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: i32);
}

async fn sleep_ms(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

async fn wait_for_slot(p: Provider) {
    let now = now_ms();
    let at = NEXT_SLOT.with(|m| {
        let mut m = m.borrow_mut();
        let at = m.get(&p).copied().unwrap_or(0.0).max(now);
        m.insert(p, at + spacing_ms(p));
        at
    });
    if at > now {
        sleep_ms(at - now).await;
    }
}

/// GETs `url` as text. A second identical request while the first runs gets its answer.
pub async fn get_text(url: &str, provider: Provider) -> Result<String, PriceError> {
    let owned = url.to_string();
    let inflight = IN_FLIGHT.with(Rc::clone);
    inflight.run(url, move || fetch_text(owned, provider)).await
}

async fn fetch_text(url: String, provider: Provider) -> Result<String, PriceError> {
    wait_for_slot(provider).await;
    let controller =
        web_sys::AbortController::new().map_err(|e| PriceError::Network(js_error_text(&e)))?;
    let signal = controller.signal();
    let abort = Closure::once_into_js(move || controller.abort());
    let timer = set_timeout(abort.unchecked_ref(), (TIMEOUT_S * 1000) as i32);
    let result = async {
        let response = gloo_net::http::Request::get(&url)
            .abort_signal(Some(&signal))
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(_) if signal.aborted() => return Err(PriceError::Timeout(TIMEOUT_S)),
            Err(e) => return Err(PriceError::Network(e.to_string())),
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok());
        let body = match response.text().await {
            Ok(b) => b,
            Err(_) if signal.aborted() => return Err(PriceError::Timeout(TIMEOUT_S)),
            Err(e) => return Err(PriceError::Network(e.to_string())),
        };
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(http_error(status, &body, retry_after))
        }
    }
    .await;
    clear_timeout(timer);
    result
}

/// Spot prices in USD for crypto `symbols`, trying the chain's sources in order. Fiat
/// symbols are left to FX.
pub async fn crypto_spot(
    symbols: &[String],
    chain: &mut Chain,
    overrides: &IdOverrides,
) -> RefreshReport {
    let mut remaining: Vec<String> = symbols.iter().filter(|s| !is_fiat(s)).cloned().collect();
    remaining.sort();
    remaining.dedup();
    let mut report = RefreshReport::default();
    let started = now();
    let benched: Vec<Provider> = chain
        .order
        .iter()
        .copied()
        .filter(|p| !chain.candidates(started).contains(p))
        .collect();
    for p in benched {
        report.events.push(format!(
            "{}: set aside after failures, skipped for now",
            p.label()
        ));
        report.failed.push(SourceFailure {
            provider: p,
            error: None,
        });
    }
    for provider in chain.candidates(started) {
        if remaining.is_empty() {
            break;
        }
        let result = match provider {
            Provider::CoinGecko => coingecko(&remaining, overrides, &mut report.discovered).await,
            Provider::Binance => binance(&remaining, overrides).await,
            Provider::Coinbase => coinbase(&remaining, overrides).await,
            Provider::TwelveData | Provider::Frankfurter => continue,
        };
        match result {
            Ok(quotes) => {
                chain.succeeded(provider);
                report
                    .events
                    .push(format!("{}: {} price(s)", provider.label(), quotes.len()));
                let priced: Vec<String> =
                    quotes.iter().map(|q| q.key.symbol().to_string()).collect();
                remaining.retain(|s| !priced.contains(s));
                report.quotes.extend(quotes);
            }
            Err(e) => {
                report
                    .events
                    .push(format!("{}: {e}; trying the next source", provider.label()));
                chain.failed(provider, &e, now());
                report.failed.push(SourceFailure {
                    provider,
                    error: Some(e),
                });
            }
        }
    }
    report.unresolved = remaining;
    report
}

fn crypto_quote(
    symbol: &str,
    price: f64,
    at: Timestamp,
    change: Option<f64>,
    p: Provider,
) -> Quote {
    Quote {
        key: PriceKey::crypto(symbol),
        price,
        currency: Currency::USD,
        at,
        change_24h_pct: change,
        origin: PriceOrigin::Provider(p),
    }
}

async fn coingecko(
    symbols: &[String],
    overrides: &IdOverrides,
    discovered: &mut Vec<(String, String)>,
) -> Result<Vec<Quote>, PriceError> {
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut searches = 0;
    for s in symbols {
        let id = match crypto_id(Provider::CoinGecko, s, overrides) {
            Some(id) => Some(id),
            None if searches < MAX_SEARCHES
                && SEARCHED.with(|x| x.borrow_mut().insert(s.clone())) =>
            {
                searches += 1;
                let url = format!("{}/search?query={s}", urls::COINGECKO);
                let found = coingecko_search(&get_text(&url, Provider::CoinGecko).await?, s)?;
                if let Some(id) = &found {
                    discovered.push((s.clone(), id.clone()));
                }
                found
            }
            None => None,
        };
        if let Some(id) = id {
            by_id.entry(id).or_default().push(s.clone());
        }
    }
    let ids: Vec<String> = by_id.keys().cloned().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(COINGECKO_BATCH) {
        let url = format!(
            "{}/simple/price?ids={}&vs_currencies=usd&include_24hr_change=true&include_last_updated_at=true&precision=full",
            urls::COINGECKO,
            chunk.join(",")
        );
        let now = now();
        for p in coingecko_simple(&get_text(&url, Provider::CoinGecko).await?, "usd")? {
            for s in by_id.get(&p.id).into_iter().flatten() {
                out.push(crypto_quote(
                    s,
                    p.price,
                    p.at.unwrap_or(now),
                    p.change_24h_pct,
                    Provider::CoinGecko,
                ));
            }
        }
    }
    Ok(out)
}

async fn binance(symbols: &[String], overrides: &IdOverrides) -> Result<Vec<Quote>, PriceError> {
    let wanted: BTreeMap<String, String> = symbols
        .iter()
        .filter_map(|s| crypto_id(Provider::Binance, s, overrides).map(|pair| (pair, s.clone())))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    // One request for every pair (weight 4) instead of one per coin; an unknown pair in a
    // `symbols=[…]` list would fail the whole request.
    let body = get_text(
        &format!("{}/ticker/price", urls::BINANCE),
        Provider::Binance,
    )
    .await?;
    let now = now();
    Ok(binance_ticker(&body)?
        .into_iter()
        .filter_map(|(pair, price)| {
            wanted
                .get(&pair)
                .map(|s| crypto_quote(s, price, now, None, Provider::Binance))
        })
        .collect())
}

async fn coinbase(symbols: &[String], overrides: &IdOverrides) -> Result<Vec<Quote>, PriceError> {
    let mut out = Vec::new();
    for s in symbols.iter().take(COINBASE_MAX) {
        let Some(product) = crypto_id(Provider::Coinbase, s, overrides) else {
            continue;
        };
        let url = format!("{}/products/{product}/ticker", urls::COINBASE);
        match get_text(&url, Provider::Coinbase)
            .await
            .and_then(|b| coinbase_ticker(&b))
        {
            Ok(price) => out.push(crypto_quote(s, price, now(), None, Provider::Coinbase)),
            Err(PriceError::NotListed(_)) | Err(PriceError::Http { status: 404, .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Latest ECB reference rates (base EUR).
pub async fn fx_latest() -> Result<FxRates, PriceError> {
    let body = get_text(
        &format!("{}/latest?base=EUR", urls::FRANKFURTER),
        Provider::Frankfurter,
    )
    .await?;
    frankfurter_latest(&body)
}

/// Prices of stocks and ETFs from Twelve Data with the user's key, one request per security
/// (its `mic_code` selects the listing Saxo reports).
pub async fn listed_spot(items: &[ListedAsset], api_key: &str, chain: &mut Chain) -> RefreshReport {
    let mut report = RefreshReport::default();
    if api_key.trim().is_empty() {
        report.unresolved = items.iter().map(|i| i.symbol.clone()).collect();
        report.without_key = items.len();
        if !items.is_empty() {
            report.events.push(
                "Twelve Data: no API key (Settings), stocks and ETFs keep their file values"
                    .to_string(),
            );
        }
        return report;
    }
    for (n, item) in items.iter().enumerate() {
        if !chain.candidates(now()).contains(&Provider::TwelveData) {
            report
                .unresolved
                .extend(items[n..].iter().map(|i| i.symbol.clone()));
            break;
        }
        let mut url = format!(
            "{}/price?symbol={}&apikey={}",
            urls::TWELVEDATA,
            item.symbol,
            api_key.trim()
        );
        if let Some(v) = &item.venue {
            url.push_str(&format!("&mic_code={v}"));
        }
        match get_text(&url, Provider::TwelveData)
            .await
            .and_then(|b| twelvedata_price(&b, std::slice::from_ref(&item.symbol)))
        {
            Ok(prices) if !prices.is_empty() => {
                chain.succeeded(Provider::TwelveData);
                report.quotes.push(Quote {
                    key: item.key.clone(),
                    price: prices[0].1,
                    currency: item.currency,
                    at: now(),
                    change_24h_pct: None,
                    origin: PriceOrigin::Provider(Provider::TwelveData),
                });
            }
            Ok(_) | Err(PriceError::NotListed(_)) => report.unresolved.push(item.symbol.clone()),
            Err(e) => {
                report.events.push(format!("Twelve Data: {e}"));
                chain.failed(Provider::TwelveData, &e, now());
                report.unresolved.push(item.symbol.clone());
                report.failed.push(SourceFailure {
                    provider: Provider::TwelveData,
                    error: Some(e),
                });
            }
        }
    }
    if !report.quotes.is_empty() {
        report
            .events
            .push(format!("Twelve Data: {} price(s)", report.quotes.len()));
    }
    report
}

/// Runs a price worker's job (in the worker: `price_worker`): the FX rates, or the live
/// prices through the crypto chain, then Twelve Data.
pub async fn run_price_job(job: PriceJob) -> PriceMessage {
    match job {
        PriceJob::Fx => PriceMessage::Fx(fx_latest().await),
        PriceJob::Spot(job) => PriceMessage::Spot(Box::new(spot(job).await)),
    }
}

async fn spot(job: SpotJob) -> SpotRefresh {
    let mut chain = Chain {
        order: job.crypto_sources,
        health: job.health,
    };
    let crypto = crypto_spot(&job.crypto, &mut chain, &job.id_overrides).await;
    chain.order = vec![Provider::TwelveData];
    let listed = listed_spot(&job.listed, &job.twelvedata_key, &mut chain).await;
    SpotRefresh {
        crypto,
        listed,
        health: chain.health,
    }
}

/// Days of daily history asked for (CoinGecko's free plan serves at most 365).
pub const HISTORY_DAYS: u32 = 365;

/// Daily closes in USD over the last [`HISTORY_DAYS`] days for crypto `symbols`: CoinGecko's
/// market chart, else Binance klines. One request per coin; coins are asked for together,
/// each provider's requests spaced as its limits require (a coin CoinGecko lacks goes to
/// Binance while the next waits for CoinGecko). `progress` gets (coins done, coins asked)
/// as each finishes. Gives the series and what each coin's load gave.
pub async fn crypto_history(
    symbols: &[String],
    overrides: &IdOverrides,
    progress: impl Fn(usize, usize),
) -> (Vec<DailySeries>, Vec<HistoryLoad>) {
    let coins: Vec<&String> = symbols.iter().filter(|s| !is_fiat(s)).collect();
    let total = coins.len();
    let done = std::cell::Cell::new(0usize);
    progress(0, total);
    let loads = coins.iter().map(|s| async {
        let (series, load) = coin_history(s, overrides).await;
        done.set(done.get() + 1);
        progress(done.get(), total);
        (series, load)
    });
    let mut out = Vec::new();
    let mut loads_out = Vec::new();
    for (series, load) in futures::future::join_all(loads).await {
        out.extend(series);
        loads_out.push(load);
    }
    (out, loads_out)
}

async fn coin_history(s: &str, overrides: &IdOverrides) -> (Option<DailySeries>, HistoryLoad) {
    let mut errors = Vec::new();
    let mut got = None;
    if let Some(id) = crypto_id(Provider::CoinGecko, s, overrides) {
        let url = format!(
            "{}/coins/{id}/market_chart?vs_currency=usd&days={HISTORY_DAYS}&interval=daily",
            urls::COINGECKO
        );
        match get_text(&url, Provider::CoinGecko)
            .await
            .and_then(|b| coingecko_market_chart(&b))
        {
            Ok(points) => got = Some((points, Provider::CoinGecko)),
            Err(e) => errors.push((Provider::CoinGecko, e)),
        }
    }
    if got.is_none() {
        if let Some(pair) = crypto_id(Provider::Binance, s, overrides) {
            let url = format!(
                "{}/klines?symbol={pair}&interval=1d&limit={HISTORY_DAYS}",
                urls::BINANCE
            );
            match get_text(&url, Provider::Binance)
                .await
                .and_then(|b| binance_klines(&b))
            {
                Ok(points) => got = Some((points, Provider::Binance)),
                Err(e) => errors.push((Provider::Binance, e)),
            }
        }
    }
    let symbol = s.to_string();
    match got {
        Some((points, p)) => {
            let days = points.len();
            let series = DailySeries::new(PriceKey::crypto(s), Currency::USD, p.label(), points);
            (
                Some(series),
                HistoryLoad {
                    symbol,
                    result: Ok((p, days)),
                },
            )
        }
        None => (
            None,
            HistoryLoad {
                symbol,
                result: Err(errors),
            },
        ),
    }
}

/// ECB rates for every working day from `start` to today.
pub async fn fx_history(start: chrono::NaiveDate) -> Result<FxSeries, PriceError> {
    let body = get_text(
        &format!("{}/{start}..?base=EUR", urls::FRANKFURTER),
        Provider::Frankfurter,
    )
    .await?;
    frankfurter_series(&body)
}
