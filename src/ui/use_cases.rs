//! The use cases: everything the UI does beyond the page — the browser's database, the
//! price and FX sources, files — in one place. Pages dispatch these [`Action`]s and render
//! their results (errors inside an `<ErrorBoundary>`); no page touches the store.
//! Backing up and restoring are in [`backup`].

pub mod backup;

use std::collections::BTreeMap;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;

use crate::browser::files::read_bytes;
use crate::browser::prices::{crypto_history, fx_history};
use crate::browser::storage::{is_persisted, request_persistence};
use crate::browser::store::shared;
use crate::browser::worker::{price_job, risk_report};
use crate::browser::{new_id, now};
use crate::domain::calendar::Timestamp;
use crate::domain::currency::Currency;
use crate::domain::dashboard::{daily_due, snapshot, SnapshotReason};
use crate::domain::holding::SourceKind;
use crate::domain::jobs::prices::{PriceJob, PriceMessage, SpotJob, SpotRefresh};
use crate::domain::jobs::risk::RiskJob;
use crate::domain::price_key::PriceKey;
use crate::domain::prices::fx::is_fiat;
use crate::domain::prices::fx::{CachedFx, FxRates};
use crate::domain::prices::history::parse_history_csv;
use crate::domain::prices::ids::ProviderSymbol;
use crate::domain::prices::refresh::{FxRefresh, HistorySummary, RefreshSummary, SourceFailure};
use crate::domain::prices::wanted::wanted;
use crate::domain::prices::{PriceError, PriceOrigin, PricingMode, Provider, Quote};
use crate::domain::rebalance::saved::SavedPlan;
use crate::domain::records::appearance::Appearance;
use crate::domain::records::demo::{demo_profile, is_legacy_demo, DEMO_PROFILE_NAME};
use crate::domain::records::{plan_commit, ConfirmedImport, Profile, ProfileSettings};
use crate::domain::risk::report::RiskReport;
use crate::ui::error::AppError;
use crate::ui::state::{AppState, Load, PriceStatus};

const CURRENT_PROFILE_KEY: &str = "current_profile";
const FX_KEY: &str = "fx_latest";
const FX_HISTORY_KEY: &str = "fx_history";
const APPEARANCE_KEY: &str = "appearance";
/// FX rates are fetched again after this long (ECB publishes once per working day).
const FX_MAX_AGE_MS: i64 = 6 * 3_600_000;

/// A use case's result.
pub type Outcome<T> = Result<T, AppError>;

/// What loading daily history did: the summary, and one line per coin that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryOutcome {
    /// Counts and the coins left without history.
    pub summary: HistorySummary,
    /// Each failing coin's sources and errors (`ZZZ: CoinGecko HTTP 404 · Binance HTTP 404`).
    pub details: Vec<String>,
    /// Why the ECB rates of those days could not be fetched, if they could not.
    pub fx_error: Option<String>,
}

/// The use cases every page may need, provided as context by the shell ([`use_cases`]
/// reads it). The others are made by the pages that use them (the functions below), so
/// that the first page's module carries none of their code.
#[derive(Clone, Copy)]
pub struct UseCases {
    /// Saves the current profile's settings (and refreshes prices when the flag says the
    /// change affects which prices are needed).
    pub save_settings: Action<(ProfileSettings, bool), Outcome<()>>,
    /// Makes a profile the current one.
    pub select_profile: Action<String, Outcome<()>>,
    /// Fetches FX rates and live prices (what each source did lands in `AppState::prices`).
    pub refresh_prices: Action<(), ()>,
    /// Saves a snapshot of the portfolio as valued now.
    pub take_snapshot: Action<SnapshotReason, Outcome<()>>,
    /// Saves this device's appearance (theme, gain colours) and applies it.
    pub save_appearance: Action<Appearance, Outcome<()>>,
}

impl UseCases {
    /// The use cases acting on `state`.
    pub fn new(state: AppState) -> UseCases {
        UseCases {
            save_settings: Action::new_local(move |(next, refresh): &(ProfileSettings, bool)| {
                save_settings(state, next.clone(), *refresh)
            }),
            select_profile: Action::new_local(move |id: &String| select_profile(state, id.clone())),
            refresh_prices: Action::new_local(move |_: &()| refresh_prices(state)),
            take_snapshot: Action::new_local(move |reason: &SnapshotReason| {
                take_snapshot(state, *reason)
            }),
            save_appearance: Action::new_local(move |a: &Appearance| save_appearance(state, *a)),
        }
    }

    /// Saves settings that do not change which prices are needed.
    pub fn save(self, next: ProfileSettings) {
        self.save_settings.dispatch_local((next, false));
    }

    /// Saves settings that change which prices are needed, then refreshes prices.
    pub fn save_and_refresh(self, next: ProfileSettings) {
        self.save_settings.dispatch_local((next, true));
    }
}

/// The use cases of the app (provided by the shell).
pub fn use_cases() -> UseCases {
    expect_context::<UseCases>()
}

fn app_state() -> AppState {
    expect_context::<AppState>()
}

/// Creates an empty profile and selects it; gives its name back (Settings, and the demo
/// banner's "Start my own portfolio" in the whole app: the first page's module hands that
/// over to it, see `ui::shell`).
pub fn create_profile_case() -> Action<String, Outcome<String>> {
    let state = app_state();
    Action::new_local(move |name: &String| create_profile(state, name.clone()))
}

/// Renames a profile: (id, new name).
pub fn rename_profile_case() -> Action<(String, String), Outcome<()>> {
    let state = app_state();
    Action::new_local(move |(id, name): &(String, String)| {
        rename_profile(state, id.clone(), name.clone())
    })
}

/// Deletes a profile with everything it holds.
pub fn delete_profile_case() -> Action<String, Outcome<()>> {
    let state = app_state();
    Action::new_local(move |id: &String| delete_profile(state, id.clone()))
}

/// Stores confirmed imports as new active versions, all or nothing; gives the count.
pub fn commit_imports_case() -> Action<Vec<ConfirmedImport>, Outcome<usize>> {
    let state = app_state();
    Action::new_local(move |c: &Vec<ConfirmedImport>| commit_imports(state, c.clone()))
}

/// Deletes an import version: (its source, its id).
pub fn delete_version_case() -> Action<(SourceKind, String), Outcome<()>> {
    let state = app_state();
    Action::new_local(move |(kind, id): &(SourceKind, String)| {
        delete_version(state, *kind, id.clone())
    })
}

/// Fetches a year of daily closes for the profile's coins and the ECB rates of those days;
/// gives what it achieved (progress in `AppState::history_progress`).
pub fn load_history_case() -> Action<(), Outcome<HistoryOutcome>> {
    let state = app_state();
    Action::new_local(move |_: &()| load_history(state))
}

/// Reads a price-history CSV for an asset (its closes in a currency) and stores the series;
/// gives a sentence saying what was stored and which rows were left out.
pub fn add_history_case() -> Action<(web_sys::File, PriceKey, Currency), Outcome<String>> {
    let state = app_state();
    Action::new_local(
        move |(file, key, currency): &(web_sys::File, PriceKey, Currency)| {
            add_history(state, file.clone(), key.clone(), *currency)
        },
    )
}

/// Saves a plan (new, or in a new state).
pub fn save_plan_case() -> Action<SavedPlan, Outcome<SavedPlan>> {
    Action::new_local(move |plan: &SavedPlan| save_plan(plan.clone()))
}

/// Computes a risk report in the risk worker; the signal follows its progress (0–1, `None`
/// once done). Only the latest dispatch's result is kept. Why the portfolio has no report
/// comes typed as [`AppError::Risk`] (no history yet is a step to take, not a failure).
pub fn compute_risk_case() -> Action<(RiskJob, RwSignal<Option<f64>>), Outcome<RiskReport>> {
    Action::new_local(move |(job, progress): &(RiskJob, RwSignal<Option<f64>>)| {
        compute_risk(job.clone(), *progress)
    })
}

/// More of the database read before the pages show: the whole app's (stored daily history),
/// which the first page's module neither needs nor carries.
pub type StartMore = fn(AppState) -> LocalBoxFuture<'static, Outcome<()>>;

/// Opens the database (creating the demo profile on a first visit), reads the cached
/// prices (and with `more` what it reads), and selects the last profile used.
pub async fn start(state: AppState, more: Option<StartMore>) {
    match bootstrap(state, more).await {
        Ok(()) => state.load.set(Load::Ready),
        // The whole app's module upgrades it: this document is being replaced.
        Err(AppError::Store(e)) if e.is_old_database() && crate::ui::hand_over_to_whole_app() => {}
        Err(e) => state.load.set(Load::Failed(e.to_string())),
    }
    // Only reported here: the browser is asked to keep the data when the user first imports.
    state.persisted.set(is_persisted().await);
}

async fn bootstrap(state: AppState, more: Option<StartMore>) -> Outcome<()> {
    let store = shared().await?;
    if let Some(appearance) = store.meta(APPEARANCE_KEY).await? {
        state.appearance.set(appearance);
    }
    let mut profiles = store.profiles().await?;
    if profiles.is_empty() {
        let profile = new_profile(DEMO_PROFILE_NAME, true);
        let (settings, versions) = demo_profile(&profile.id, now(), new_id);
        store
            .create_profile_from_json(&profile, &settings, &versions)
            .await?;
        profiles = store.profiles().await?;
    }
    // Inserted one by one (collecting into a map would compile a sort for it).
    let mut quotes = BTreeMap::new();
    for q in store.quotes().await? {
        quotes.insert(q.key.clone(), q);
    }
    state.quotes.set(quotes);
    state.fx.set(store.meta(FX_KEY).await?);
    if let Some(more) = more {
        more(state).await?;
    }
    state
        .backups
        .set(store.meta(backup::LOG_KEY).await?.unwrap_or_default());
    let profiles = recognise_demo(profiles).await?;
    let saved: Option<String> = store.meta(CURRENT_PROFILE_KEY).await?;
    let current = saved
        .filter(|id| profiles.iter().any(|p| &p.id == id))
        .or_else(|| profiles.first().map(|p| p.id.clone()));
    state.profiles.set(profiles);
    if let Some(id) = current {
        select_profile(state, id).await?;
    }
    Ok(())
}

/// Reads the stored daily series and the ECB rates of past days (the Dashboard's value over
/// time, the Risk page): the whole app's [`StartMore`].
pub fn stored_history(state: AppState) -> LocalBoxFuture<'static, Outcome<()>> {
    Box::pin(async move {
        let store = shared().await?;
        let mut history = BTreeMap::new();
        for s in store.all_history().await? {
            history.insert(s.key.clone(), s);
        }
        state.history.set(history);
        state
            .fx_history
            .set(store.meta(FX_HISTORY_KEY).await?.unwrap_or_default());
        Ok(())
    })
}

async fn select_profile(state: AppState, id: String) -> Outcome<()> {
    let store = shared().await?;
    let settings = store.settings(&id).await?;
    let versions = store.version_summaries(&id).await?;
    state.snapshots.set(store.snapshots(&id).await?);
    store.set_meta(CURRENT_PROFILE_KEY, &id).await?;
    state.settings.set(settings);
    state.versions.set(versions);
    state.current.set(Some(id));
    refresh_prices(state).await;
    Ok(())
}

/// Flags the demo among profiles stored before profiles carried the flag.
async fn recognise_demo(mut profiles: Vec<Profile>) -> Outcome<Vec<Profile>> {
    for p in profiles
        .iter_mut()
        .filter(|p| !p.demo && p.name == DEMO_PROFILE_NAME)
    {
        let versions = shared().await?.version_summaries(&p.id).await?;
        p.demo = is_legacy_demo(&p.name, versions.iter().map(|v| v.file_name.as_str()));
    }
    Ok(profiles)
}

/// Re-reads the profile list and the current profile (the first one when it is gone).
async fn reload(state: AppState) -> Outcome<()> {
    let profiles = recognise_demo(shared().await?.profiles().await?).await?;
    let current = state
        .current
        .get_untracked()
        .filter(|id| profiles.iter().any(|p| &p.id == id))
        .or_else(|| profiles.first().map(|p| p.id.clone()));
    state.profiles.set(profiles);
    match current {
        Some(id) => select_profile(state, id).await,
        None => {
            state.current.set(None);
            state.settings.set(ProfileSettings::default());
            state.versions.set(Vec::new());
            Ok(())
        }
    }
}

async fn save_settings(state: AppState, next: ProfileSettings, refresh: bool) -> Outcome<()> {
    store_settings(state, next).await?;
    if refresh {
        refresh_prices(state).await;
    }
    Ok(())
}

/// Stores the current profile's settings and shows them once stored.
async fn store_settings(state: AppState, next: ProfileSettings) -> Outcome<()> {
    shared().await?.save_settings(&next).await?;
    state.settings.set(next);
    Ok(())
}

/// A new profile named `name` (the demo when `demo`).
fn new_profile(name: &str, demo: bool) -> Profile {
    Profile {
        id: new_id(),
        name: name.to_string(),
        created: now(),
        demo,
    }
}

async fn create_profile(state: AppState, name: String) -> Outcome<String> {
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::Refused("Give the new profile a name.".into()));
    }
    let profile = new_profile(&name, false);
    let settings = ProfileSettings {
        profile_id: profile.id.clone(),
        ..ProfileSettings::default()
    };
    shared()
        .await?
        .create_profile(&profile, &settings, &[])
        .await?;
    state.current.set(Some(profile.id));
    reload(state).await?;
    Ok(name)
}

async fn rename_profile(state: AppState, id: String, name: String) -> Outcome<()> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::Refused("A profile needs a name.".into()));
    }
    shared().await?.rename_profile(&id, name).await?;
    reload(state).await
}

async fn delete_profile(state: AppState, id: String) -> Outcome<()> {
    shared().await?.delete_profile(&id).await?;
    reload(state).await
}

async fn commit_imports(state: AppState, confirmed: Vec<ConfirmedImport>) -> Outcome<usize> {
    let n = confirmed.len();
    let settings = state.settings.get_untracked();
    let (versions, next) = plan_commit(&settings, confirmed, now(), new_id);
    shared()
        .await?
        .commit_imports(&versions, &next)
        .await
        .map_err(|e| {
            AppError::Refused(format!(
                "{e}. Nothing was saved; your earlier data is unchanged."
            ))
        })?;
    state
        .snapshot_after_refresh
        .set(Some(SnapshotReason::Import));
    let mut log = state.backups.get_untracked();
    log.last_import = Some(now());
    shared().await?.set_meta(backup::LOG_KEY, &log).await?;
    state.backups.set(log);
    // Imported data is worth keeping: ask the browser not to evict it (again, if it refused).
    if state.persisted.get_untracked() != Some(true) {
        state.persisted.set(request_persistence().await);
    }
    reload(state).await?;
    Ok(n)
}

async fn delete_version(state: AppState, kind: SourceKind, id: String) -> Outcome<()> {
    let mut settings = state.settings.get_untracked();
    if settings.active.get(kind.key()) == Some(&id) {
        settings.active.remove(kind.key());
    }
    shared().await?.delete_version(&id, &settings).await?;
    reload(state).await
}

/// Fetches FX rates (when older than a few hours) and live prices for the current
/// profile's holdings through the source chain, keeping cached values where sources fail.
/// While a refresh runs, another request is remembered and run once it ends.
async fn refresh_prices(state: AppState) {
    if state.prices.with_untracked(|p| p.loading) {
        state.prices.update(|p| p.again = true);
        return;
    }
    loop {
        state.prices.update(|p| p.loading = true);
        let (events, summary) = fetch_prices(state).await;
        state.now.set(now());
        let again = state.prices.with_untracked(|p| p.again);
        state.prices.set(PriceStatus {
            loading: false,
            events,
            summary: Some(summary),
            refreshed: Some(now()),
            again: false,
        });
        // Prices for what changed meanwhile are fetched first; snapshots wait for them.
        if !again {
            break;
        }
    }
    let rows_empty = state
        .versions
        .with_untracked(|v| state.settings.with_untracked(|s| s.rows(v).is_empty()));
    let daily = daily_due(
        state.snapshots.with_untracked(|s| s.last().map(|s| s.at)),
        now(),
    );
    let reason = match state.snapshot_after_refresh.get_untracked() {
        Some(reason) => Some(reason),
        None if daily && !rows_empty => Some(SnapshotReason::Daily),
        None => None,
    };
    state.snapshot_after_refresh.set(None);
    if let Some(reason) = reason {
        if let Err(e) = take_snapshot(state, reason).await {
            state.error(e.to_string());
        }
    }
}

/// One round of fetching; returns what each source did and what the round achieved.
async fn fetch_prices(state: AppState) -> (Vec<String>, RefreshSummary) {
    let settings = state.settings.get_untracked();
    let rows = state.versions.with_untracked(|v| settings.rows(v));
    let mut events = Vec::new();
    let mut summary = RefreshSummary::default();
    let fx_old = state.fx.with_untracked(|f| {
        f.as_ref()
            .is_none_or(|f| now().millis_since(f.fetched) > FX_MAX_AGE_MS)
    });
    if fx_old {
        match fx_rates().await {
            Ok(rates) => {
                events.push(format!("Frankfurter (ECB): rates of {}", rates.date));
                summary.fx = FxRefresh::Fetched(rates.date);
                let cached = CachedFx {
                    rates,
                    fetched: now(),
                };
                if let Ok(store) = shared().await {
                    let _ = store.set_meta(FX_KEY, &cached).await;
                }
                state.fx.set(Some(cached));
            }
            Err(e) => {
                events.push(match state.fx.get_untracked() {
                    Some(f) => format!(
                        "Frankfurter (ECB): {e}; using cached rates of {}",
                        f.rates.date
                    ),
                    None => format!(
                        "Frankfurter (ECB): {e}; values in other currencies cannot be converted yet"
                    ),
                });
                summary.fx = match state.fx.get_untracked() {
                    Some(f) => FxRefresh::Cached(f.rates.date, e),
                    None => FxRefresh::Missing(e),
                };
            }
        }
    }
    if settings.pricing_mode == PricingMode::Local {
        return (events, summary);
    }
    let want = wanted(rows.iter().map(|r| &r.holding));
    summary.wanted = want.crypto.iter().filter(|s| !is_fiat(s)).count() + want.listed.len();
    let job = SpotJob {
        crypto: want.crypto,
        listed: want.listed,
        crypto_sources: settings.crypto_sources.clone(),
        health: state.health.get_untracked(),
        id_overrides: settings.id_overrides.clone(),
        twelvedata_key: settings.twelvedata_key.clone(),
    };
    let SpotRefresh {
        crypto: crypto_report,
        listed: listed_report,
        health,
    } = match spot_prices(&job).await {
        Ok(refresh) => refresh,
        Err(e) => {
            // No source was asked: each that would have been is reported failed.
            events.push(format!("Live prices: {e}"));
            let error = PriceError::Network(e);
            let sources = job.crypto_sources.iter().copied();
            let listed = (!job.listed.is_empty()).then_some(Provider::TwelveData);
            summary.failed = sources
                .chain(listed)
                .map(|provider| SourceFailure {
                    provider,
                    error: Some(error.clone()),
                })
                .collect();
            return (events, summary);
        }
    };
    if !crypto_report.discovered.is_empty() {
        // Ids found by search are kept as overrides the user can see and change.
        let mut next = state.settings.get_untracked();
        for (symbol, id) in &crypto_report.discovered {
            events.push(format!("CoinGecko search: {symbol} is “{id}”"));
            next.id_overrides
                .insert(ProviderSymbol::new(Provider::CoinGecko, symbol), id.clone());
        }
        if let Err(e) = store_settings(state, next).await {
            events.push(e.to_string());
        }
    }
    state.health.set(health);
    let mut fresh: Vec<Quote> = Vec::new();
    for report in [crypto_report, listed_report] {
        summary.priced += report.quotes.len();
        summary.failed.extend(report.failed);
        summary.without_key += report.without_key;
        events.extend(report.events);
        if !report.unresolved.is_empty() {
            events.push(format!(
                "No live price for {}",
                report.unresolved.join(", ")
            ));
        }
        fresh.extend(report.quotes);
    }
    if !fresh.is_empty() {
        if let Ok(store) = shared().await {
            if let Err(e) = store.save_quotes(&fresh).await {
                events.push(e.to_string());
            }
        }
        state
            .quotes
            .update(|q| q.extend(fresh.into_iter().map(|x| (x.key.clone(), x))));
    }
    (events, summary)
}

/// The latest FX rates, fetched by the price worker.
async fn fx_rates() -> Result<FxRates, PriceError> {
    match price_job(&PriceJob::Fx).await {
        Ok(PriceMessage::Fx(rates)) => rates,
        Ok(_) => Err(PriceError::Network(UNEXPECTED_ANSWER.into())),
        Err(e) => Err(PriceError::Network(e)),
    }
}

/// Live prices, fetched by the price worker; why not when it could not run.
async fn spot_prices(job: &SpotJob) -> Result<SpotRefresh, String> {
    match price_job(&PriceJob::Spot(job.clone())).await? {
        PriceMessage::Spot(refresh) => Ok(*refresh),
        _ => Err(UNEXPECTED_ANSWER.into()),
    }
}

/// A price worker's answer to another job than the one asked (never sent).
const UNEXPECTED_ANSWER: &str = "the price worker answered another question";

async fn take_snapshot(state: AppState, reason: SnapshotReason) -> Outcome<()> {
    let Some(profile_id) = state.current.get_untracked() else {
        return Ok(());
    };
    let snap = snapshot(new_id(), &profile_id, reason, &state.valuation(), now());
    shared().await?.save_snapshot(&snap).await?;
    state.snapshots.update(|s| s.push(snap));
    Ok(())
}

async fn load_history(state: AppState) -> Outcome<HistoryOutcome> {
    let symbols = wanted(state.valuation().rows.iter().map(|r| r.holding())).crypto;
    let overrides = state.settings.with_untracked(|s| s.id_overrides.clone());
    let progress = move |done, total| state.history_progress.set(Some((done, total)));
    let (series, loads) = crypto_history(&symbols, &overrides, progress).await;
    let start = series
        .iter()
        .filter_map(|s| s.points.first().map(|p| p.0))
        .min();
    let store = shared().await?;
    let mut fx_error = None;
    if let Some(start) = start {
        match fx_history(start).await {
            Ok(fx) => {
                store.set_meta(FX_HISTORY_KEY, &fx).await?;
                state.fx_history.set(fx);
            }
            Err(e) => fx_error = Some(format!("Frankfurter (ECB) history: {e}")),
        }
    }
    for s in &series {
        store.save_history(s).await?;
    }
    let details = loads
        .iter()
        .filter_map(|l| {
            let errors = l.result.as_ref().err()?;
            let why: Vec<String> = errors
                .iter()
                .map(|(p, e)| format!("{} {e}", p.label()))
                .collect();
            Some(if why.is_empty() {
                format!("{}: no source knows this coin", l.symbol)
            } else {
                format!("{}: {}", l.symbol, why.join(" · "))
            })
        })
        .collect();
    state
        .history
        .update(|h| h.extend(series.into_iter().map(|s| (s.key.clone(), s))));
    Ok(HistoryOutcome {
        summary: HistorySummary::of(&loads),
        details,
        fx_error,
    })
}

async fn add_history(
    state: AppState,
    file: web_sys::File,
    key: PriceKey,
    currency: Currency,
) -> Outcome<String> {
    let bytes = read_bytes(&file).await.map_err(AppError::Browser)?;
    let (series, problems) = parse_history_csv(&file.name(), bytes, key, currency)
        .map_err(|e| AppError::Refused(e.to_string()))?;
    let Some((date, close)) = series.last().copied() else {
        return Err(AppError::Refused("The file has no price to store.".into()));
    };
    let quote = Quote {
        key: series.key.clone(),
        price: close,
        currency: series.currency,
        at: Timestamp::start_of(date),
        change_24h_pct: None,
        origin: PriceOrigin::HistoryCsv,
    };
    let store = shared().await?;
    store.save_history(&series).await?;
    store.save_quotes(std::slice::from_ref(&quote)).await?;
    let left_out: Vec<String> = problems
        .iter()
        .map(|p| format!("line {}: {}", p.line, p.reason))
        .collect();
    let said = format!(
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
    );
    state.quotes.update(|q| {
        q.insert(quote.key.clone(), quote);
    });
    state.history.update(|h| {
        h.insert(series.key.clone(), series);
    });
    Ok(said)
}

/// The saved plans of a profile, newest first.
pub async fn saved_plans(profile_id: String) -> Outcome<Vec<SavedPlan>> {
    Ok(shared().await?.plans(&profile_id).await?)
}

async fn compute_risk(job: RiskJob, progress: RwSignal<Option<f64>>) -> Outcome<RiskReport> {
    progress.set(Some(0.0));
    let report = risk_report(&job, move |p| progress.set(Some(p))).await;
    progress.set(None);
    Ok(report.map_err(AppError::Browser)??)
}

async fn save_appearance(state: AppState, appearance: Appearance) -> Outcome<()> {
    state.appearance.set(appearance);
    shared()
        .await?
        .set_meta(APPEARANCE_KEY, &appearance)
        .await?;
    Ok(())
}

async fn save_plan(plan: SavedPlan) -> Outcome<SavedPlan> {
    shared().await?.save_plan(&plan).await?;
    Ok(plan)
}
