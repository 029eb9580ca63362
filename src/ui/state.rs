//! App-wide state: plain domain values in signals, provided as context.

use leptos::prelude::*;
use leptos::task::spawn_local;

use std::collections::BTreeMap;

use crate::browser::files::request_persistence;
use crate::browser::prices::{
    crypto_history, crypto_spot, fx_history, fx_latest, listed_spot, Listed,
};
use crate::browser::store::{shared, StoreError};
use crate::browser::{new_id, now};
use crate::domain::calendar::Timestamp;
use crate::domain::dashboard::{daily_due, snapshot, Snapshot, SnapshotReason};
use crate::domain::holding::AssetClass;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::chain::{Chain, Health};
use crate::domain::prices::fx::{CachedFx, FxSeries};
use crate::domain::prices::history::{DailySeries, HistoryRowProblem};
use crate::domain::prices::ids::ProviderSymbol;
use crate::domain::prices::{PriceOrigin, PricingMode, Provider, Quote};
use crate::domain::records::demo::{demo_imports, demo_manual, DEMO_PROFILE_NAME};
use crate::domain::records::{plan_commit, ImportVersion, Profile, ProfileSettings};
use crate::domain::valuation::{value_rows, PriceBook, Pricing, Valuation};

const CURRENT_PROFILE_KEY: &str = "current_profile";
const FX_KEY: &str = "fx_latest";
const FX_HISTORY_KEY: &str = "fx_history";
/// FX rates are fetched again after this long (ECB publishes once per working day).
const FX_MAX_AGE_MS: i64 = 6 * 3_600_000;

/// Where the last price refresh stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceStatus {
    /// A refresh is running.
    pub loading: bool,
    /// What each source did in the last refresh.
    pub events: Vec<String>,
    /// When the last refresh finished.
    pub refreshed: Option<Timestamp>,
    /// Another refresh was asked for while this one ran: run again when it ends.
    pub again: bool,
}

/// Where the app is in loading its data.
#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    /// Opening the database.
    Loading,
    /// Data is loaded.
    Ready,
    /// The database could not be opened.
    Failed(String),
}

/// A message for the user, shown under the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// Error or not.
    pub error: bool,
    /// The text.
    pub text: String,
}

/// Signals shared by every page.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Loading state.
    pub load: RwSignal<Load>,
    /// All profiles.
    pub profiles: RwSignal<Vec<Profile>>,
    /// The current profile's id.
    pub current: RwSignal<Option<String>>,
    /// The current profile's settings.
    pub settings: RwSignal<ProfileSettings>,
    /// The current profile's import versions, newest first.
    pub versions: RwSignal<Vec<ImportVersion>>,
    /// The last notice.
    pub notice: RwSignal<Option<Notice>>,
    /// The answer to `navigator.storage.persist()`.
    pub persisted: RwSignal<Option<bool>>,
    /// Spot prices by price key (cached and fresh).
    pub quotes: RwSignal<BTreeMap<PriceKey, Quote>>,
    /// FX rates.
    pub fx: RwSignal<Option<CachedFx>>,
    /// The last price refresh.
    pub prices: RwSignal<PriceStatus>,
    /// Health of each price source in this session.
    pub health: RwSignal<BTreeMap<Provider, Health>>,
    /// The clock, ticking every 30 s so ages stay current.
    pub now: RwSignal<Timestamp>,
    /// The current profile's snapshots, oldest first.
    pub snapshots: RwSignal<Vec<Snapshot>>,
    /// A snapshot to take once the running price refresh ends (after an import).
    pub snapshot_after_refresh: RwSignal<Option<SnapshotReason>>,
    /// Daily price series by price key (fetched or imported from CSVs).
    pub history: RwSignal<BTreeMap<PriceKey, DailySeries>>,
    /// ECB rates of past days.
    pub fx_history: RwSignal<FxSeries>,
    /// What the last history load did; `None` while none ran.
    pub history_status: RwSignal<Option<(bool, Vec<String>)>>,
}

impl AppState {
    /// Creates the signals and starts loading.
    pub fn start() -> AppState {
        let state = AppState {
            load: RwSignal::new(Load::Loading),
            profiles: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            settings: RwSignal::new(ProfileSettings::default()),
            versions: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            persisted: RwSignal::new(None),
            quotes: RwSignal::new(BTreeMap::new()),
            fx: RwSignal::new(None),
            prices: RwSignal::new(PriceStatus::default()),
            health: RwSignal::new(BTreeMap::new()),
            now: RwSignal::new(now()),
            snapshots: RwSignal::new(Vec::new()),
            snapshot_after_refresh: RwSignal::new(None),
            history: RwSignal::new(BTreeMap::new()),
            fx_history: RwSignal::new(FxSeries::default()),
            history_status: RwSignal::new(None),
        };
        spawn_local(async move {
            match state.bootstrap().await {
                Ok(()) => state.load.set(Load::Ready),
                Err(e) => state.load.set(Load::Failed(e.to_string())),
            }
            state.persisted.set(request_persistence().await);
        });
        let tick = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || state.now.set(now()));
        if let Some(w) = web_sys::window() {
            use wasm_bindgen::JsCast;
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                30_000,
            );
        }
        tick.forget();
        state
    }

    async fn bootstrap(self) -> Result<(), StoreError> {
        let store = shared().await?;
        let mut profiles = store.profiles().await?;
        if profiles.is_empty() {
            let demo = create_profile_records(DEMO_PROFILE_NAME, true);
            store.create_profile(&demo.0, &demo.1, &demo.2).await?;
            profiles = store.profiles().await?;
        }
        let cached = store.quotes().await?;
        self.quotes
            .set(cached.into_iter().map(|q| (q.key.clone(), q)).collect());
        self.fx.set(store.meta(FX_KEY).await?);
        let history = store.all_history().await?;
        self.history
            .set(history.into_iter().map(|s| (s.key.clone(), s)).collect());
        self.fx_history
            .set(store.meta(FX_HISTORY_KEY).await?.unwrap_or_default());
        let saved: Option<String> = store.meta(CURRENT_PROFILE_KEY).await?;
        let current = saved
            .filter(|id| profiles.iter().any(|p| &p.id == id))
            .or_else(|| profiles.first().map(|p| p.id.clone()));
        self.profiles.set(profiles);
        if let Some(id) = current {
            self.load_profile(&id).await?;
        }
        Ok(())
    }

    /// Makes `id` the current profile and loads its data.
    pub async fn load_profile(self, id: &str) -> Result<(), StoreError> {
        let store = shared().await?;
        let settings = store.settings(id).await?;
        let versions = store.versions(id).await?;
        self.snapshots.set(store.snapshots(id).await?);
        store.set_meta(CURRENT_PROFILE_KEY, &id.to_string()).await?;
        self.settings.set(settings);
        self.versions.set(versions);
        self.current.set(Some(id.to_string()));
        self.refresh_prices();
        Ok(())
    }

    /// Re-reads the profile list and the current profile.
    pub async fn refresh(self) -> Result<(), StoreError> {
        let store = shared().await?;
        let profiles = store.profiles().await?;
        let current = self
            .current
            .get_untracked()
            .filter(|id| profiles.iter().any(|p| &p.id == id))
            .or_else(|| profiles.first().map(|p| p.id.clone()));
        self.profiles.set(profiles);
        match current {
            Some(id) => self.load_profile(&id).await,
            None => {
                self.current.set(None);
                self.settings.set(ProfileSettings::default());
                self.versions.set(Vec::new());
                Ok(())
            }
        }
    }

    /// Saves new settings for the current profile, and shows them once stored.
    pub fn save_settings(self, next: ProfileSettings) {
        spawn_local(async move {
            let result = async { shared().await?.save_settings(&next).await }.await;
            match result {
                Ok(()) => self.settings.set(next),
                Err(e) => self.error(e.to_string()),
            }
        });
    }

    /// Saves settings that change which prices are needed, then refreshes prices.
    pub fn save_settings_and_refresh(self, next: ProfileSettings) {
        spawn_local(async move {
            let result = async { shared().await?.save_settings(&next).await }.await;
            match result {
                Ok(()) => {
                    self.settings.set(next);
                    self.refresh_prices();
                }
                Err(e) => self.error(e.to_string()),
            }
        });
    }

    /// Fetches FX rates (when older than a few hours) and live prices for the current
    /// profile's holdings through the source chain, keeping cached values where sources
    /// fail. Does nothing while a refresh runs.
    pub fn refresh_prices(self) {
        if self.prices.with_untracked(|p| p.loading) {
            self.prices.update(|p| p.again = true);
            return;
        }
        self.prices.update(|p| p.loading = true);
        spawn_local(async move {
            let settings = self.settings.get_untracked();
            let rows = self.versions.with_untracked(|v| settings.rows(v));
            let mut events = Vec::new();
            let fx_old = self.fx.with_untracked(|f| {
                f.as_ref()
                    .is_none_or(|f| now().millis_since(f.fetched) > FX_MAX_AGE_MS)
            });
            if fx_old {
                match fx_latest().await {
                    Ok(rates) => {
                        events.push(format!("Frankfurter (ECB): rates of {}", rates.date));
                        let cached = CachedFx { rates, fetched: now() };
                        if let Ok(store) = shared().await {
                            let _ = store.set_meta(FX_KEY, &cached).await;
                        }
                        self.fx.set(Some(cached));
                    }
                    Err(e) => events.push(match self.fx.get_untracked() {
                        Some(f) => format!("Frankfurter (ECB): {e}; using cached rates of {}", f.rates.date),
                        None => format!("Frankfurter (ECB): {e}; values in other currencies cannot be converted yet"),
                    }),
                }
            }
            let mut fresh: Vec<Quote> = Vec::new();
            if settings.pricing_mode != PricingMode::Local {
                let crypto: Vec<String> = rows
                    .iter()
                    .filter(|r| r.holding.asset_class == AssetClass::Crypto)
                    .map(|r| r.holding.symbol.clone())
                    .collect();
                let mut listed: Vec<Listed> = rows
                    .iter()
                    .filter(|r| {
                        matches!(r.holding.asset_class, AssetClass::Stock | AssetClass::Etf)
                    })
                    .map(|r| Listed {
                        key: PriceKey::of(&r.holding),
                        symbol: r.holding.symbol.clone(),
                        venue: r.holding.venue.clone(),
                        currency: r.holding.price_currency.unwrap_or(r.holding.currency),
                    })
                    .collect();
                listed.dedup_by(|a, b| a.key == b.key);
                let mut chain = Chain {
                    order: settings.crypto_sources.clone(),
                    health: self.health.get_untracked(),
                };
                let crypto_report = crypto_spot(&crypto, &mut chain, &settings.id_overrides).await;
                if !crypto_report.discovered.is_empty() {
                    // Ids found by search are kept as overrides the user can see and change.
                    let mut next = self.settings.get_untracked();
                    for (symbol, id) in &crypto_report.discovered {
                        events.push(format!("CoinGecko search: {symbol} is “{id}”"));
                        next.id_overrides
                            .insert(ProviderSymbol::new(Provider::CoinGecko, symbol), id.clone());
                    }
                    self.save_settings(next);
                }
                chain.order = vec![Provider::TwelveData];
                let listed_report =
                    listed_spot(&listed, &settings.twelvedata_key, &mut chain).await;
                self.health.set(chain.health);
                for report in [crypto_report, listed_report] {
                    events.extend(report.events);
                    if !report.unresolved.is_empty() {
                        events.push(format!(
                            "No live price for {}",
                            report.unresolved.join(", ")
                        ));
                    }
                    fresh.extend(report.quotes);
                }
            }
            if !fresh.is_empty() {
                if let Ok(store) = shared().await {
                    if let Err(e) = store.save_quotes(&fresh).await {
                        events.push(e.to_string());
                    }
                }
                self.quotes
                    .update(|q| q.extend(fresh.into_iter().map(|x| (x.key.clone(), x))));
            }
            self.now.set(now());
            let again = self.prices.with_untracked(|p| p.again);
            self.prices.set(PriceStatus {
                loading: false,
                events,
                refreshed: Some(now()),
                again: false,
            });
            if again {
                // Prices for what changed meanwhile are fetched first; snapshots wait for them.
                self.refresh_prices();
                return;
            }
            let daily = daily_due(
                self.snapshots.with_untracked(|s| s.last().map(|s| s.at)),
                now(),
            );
            match self.snapshot_after_refresh.get_untracked() {
                Some(reason) => {
                    self.snapshot_after_refresh.set(None);
                    self.take_snapshot(reason).await;
                }
                None if daily && !rows.is_empty() => {
                    self.take_snapshot(SnapshotReason::Daily).await
                }
                None => {}
            }
        });
    }

    /// The current profile's rows valued with what is known now.
    pub fn valuation(self) -> Valuation {
        let settings = self.settings.get_untracked();
        let rows = self.versions.with_untracked(|v| settings.rows(v));
        let book = PriceBook {
            quotes: self.quotes.get_untracked(),
            manual: settings.manual_prices.clone(),
        };
        let fx = self.fx.get_untracked().map(|f| f.rates);
        value_rows(
            rows,
            &Pricing {
                book: &book,
                fx: fx.as_ref(),
                base: settings.base_currency,
                mode: settings.pricing_mode,
                now: now(),
            },
        )
    }

    /// The current profile's rows and their valuation, recomputed whenever an input changes
    /// (imports, settings, quotes, FX rates, or the clock).
    pub fn valued(self) -> Memo<Valuation> {
        Memo::new(move |_| {
            self.versions.track();
            self.settings.track();
            self.quotes.track();
            self.fx.track();
            self.now.track();
            self.valuation()
        })
    }

    /// Saves a snapshot of the current profile as valued now.
    pub async fn take_snapshot(self, reason: SnapshotReason) {
        let Some(profile_id) = self.current.get_untracked() else {
            return;
        };
        let valuation = self.valuation();
        let snap = snapshot(new_id(), &profile_id, reason, &valuation, now());
        match async { shared().await?.save_snapshot(&snap).await }.await {
            Ok(()) => self.snapshots.update(|s| s.push(snap)),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Fetches a year of daily closes for the profile's crypto assets and the ECB rates of
    /// those days, and stores them (one record per asset).
    pub fn load_history(self) {
        if self
            .history_status
            .with_untracked(|s| s.as_ref().is_some_and(|(running, _)| *running))
        {
            return;
        }
        self.history_status.set(Some((true, Vec::new())));
        spawn_local(async move {
            let rows = self.valuation().rows;
            let overrides = self.settings.with_untracked(|s| s.id_overrides.clone());
            let mut symbols: Vec<String> = rows
                .iter()
                .map(|r| r.holding())
                .filter(|h| h.asset_class == AssetClass::Crypto)
                .map(|h| h.symbol.clone())
                .collect();
            symbols.sort();
            symbols.dedup();
            let (series, mut events) = crypto_history(&symbols, &overrides).await;
            let start = series
                .iter()
                .filter_map(|s| s.points.first().map(|p| p.0))
                .min();
            let store = shared().await;
            if let Some(start) = start {
                match fx_history(start).await {
                    Ok(fx) => {
                        if let Ok(store) = &store {
                            let _ = store.set_meta(FX_HISTORY_KEY, &fx).await;
                        }
                        self.fx_history.set(fx);
                    }
                    Err(e) => events.push(format!("Frankfurter (ECB) history: {e}")),
                }
            }
            if let Ok(store) = &store {
                for s in &series {
                    if let Err(e) = store.save_history(s).await {
                        events.push(e.to_string());
                    }
                }
            }
            events.insert(
                0,
                format!(
                    "Daily history for {} of {} asset(s)",
                    series.len(),
                    symbols.len()
                ),
            );
            self.history
                .update(|h| h.extend(series.into_iter().map(|s| (s.key.clone(), s))));
            self.history_status.set(Some((false, events)));
        });
    }

    /// Stores a daily series imported from a CSV; its last close becomes the asset's price.
    /// Rows that were left out are listed with their line and reason.
    pub fn add_history(self, series: DailySeries, problems: Vec<HistoryRowProblem>) {
        spawn_local(async move {
            let Some((date, close)) = series.last().cloned() else {
                return;
            };
            let quote = Quote {
                key: series.key.clone(),
                price: close,
                currency: series.currency,
                at: Timestamp::start_of(date),
                change_24h_pct: None,
                origin: PriceOrigin::HistoryCsv,
            };
            let result = async {
                let store = shared().await?;
                store.save_history(&series).await?;
                store.save_quotes(std::slice::from_ref(&quote)).await
            }
            .await;
            match result {
                Ok(()) => {
                    let left_out = problems
                        .iter()
                        .map(|p| format!("line {}: {}", p.line, p.reason))
                        .collect::<Vec<_>>();
                    self.info(format!(
                        "{} daily closes stored for {} (last {date}: {close}).{}",
                        series.points.len(),
                        series.key,
                        if left_out.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " {} row(s) left out — {}.",
                                left_out.len(),
                                left_out.join("; ")
                            )
                        }
                    ));
                    self.quotes.update(|q| {
                        q.insert(quote.key.clone(), quote);
                    });
                    self.history.update(|h| {
                        h.insert(series.key.clone(), series);
                    });
                }
                Err(e) => self.error(e.to_string()),
            }
        });
    }

    /// Shows an error.
    pub fn error(self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }

    /// Shows an information message.
    pub fn info(self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }
}

/// The records of a new profile: the profile, its settings and (for the demo) its imports.
pub fn create_profile_records(
    name: &str,
    demo: bool,
) -> (Profile, ProfileSettings, Vec<ImportVersion>) {
    let profile = Profile {
        id: new_id(),
        name: name.to_string(),
        created: now(),
    };
    let mut settings = ProfileSettings {
        profile_id: profile.id.clone(),
        ..ProfileSettings::default()
    };
    let mut versions = Vec::new();
    if demo {
        let (v, s) = plan_commit(&settings, demo_imports(), now(), new_id);
        versions = v;
        settings = s;
        settings.manual = demo_manual();
    }
    (profile, settings, versions)
}
