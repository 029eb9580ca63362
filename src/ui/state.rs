//! App-wide state: plain domain values in signals, provided as context.

use leptos::prelude::*;
use leptos::task::spawn_local;

use std::collections::BTreeMap;

use crate::browser::now;
use crate::domain::calendar::Timestamp;
use crate::domain::dashboard::{Snapshot, SnapshotReason};
use crate::domain::price_key::PriceKey;
use crate::domain::prices::chain::Health;
use crate::domain::prices::fx::{CachedFx, FxSeries};
use crate::domain::prices::history::DailySeries;
use crate::domain::prices::refresh::RefreshSummary;
use crate::domain::prices::{Provider, Quote};
use crate::domain::records::appearance::Appearance;
use crate::domain::records::backup_log::BackupLog;
use crate::domain::records::{Profile, ProfileSettings, VersionSummary};
use crate::domain::valuation::{value_rows, PriceBook, Pricing, Valuation};

/// Where the last price refresh stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceStatus {
    /// A refresh is running.
    pub loading: bool,
    /// What each source did in the last refresh.
    pub events: Vec<String>,
    /// What the last refresh achieved.
    pub summary: Option<RefreshSummary>,
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
    /// The current profile's import versions (without their reports' details), newest first.
    pub versions: RwSignal<Vec<VersionSummary>>,
    /// The last notice.
    pub notice: RwSignal<Option<Notice>>,
    /// Whether storage is persistent: `navigator.storage.persisted()` at start, the answer to
    /// `persist()` once the user imports.
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
    /// The last backup, the last import, the reminder's dismissal.
    pub backups: RwSignal<BackupLog>,
    /// The current profile's rows and their valuation, recomputed whenever an input
    /// changes (imports, settings, quotes, FX rates, or the clock).
    pub valued: Memo<Valuation>,
    /// This device's theme and gain colours.
    pub appearance: RwSignal<Appearance>,
    /// The system asks for dark colours (`prefers-color-scheme`), kept current.
    pub system_dark: RwSignal<bool>,
    /// Loading daily history: (coins done, coins asked) while it runs.
    pub history_progress: RwSignal<Option<(usize, usize)>>,
}

impl AppState {
    /// Creates the signals and starts loading.
    /// The state, its data read by `use_cases::start` (with `more`, the whole app's extra
    /// reads).
    pub fn start(more: Option<crate::ui::use_cases::StartMore>) -> AppState {
        let settings = RwSignal::new(ProfileSettings::default());
        let versions = RwSignal::new(Vec::new());
        let quotes = RwSignal::new(BTreeMap::new());
        let fx = RwSignal::new(None::<CachedFx>);
        let clock = RwSignal::new(now());
        let valued = Memo::new(move |_| {
            settings.with(|s| {
                versions.with(|v| {
                    quotes.with(|q| fx.with(|f| valuation_of(s, v, q, f.as_ref(), clock.get())))
                })
            })
        });
        let state = AppState {
            load: RwSignal::new(Load::Loading),
            profiles: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            settings,
            versions,
            notice: RwSignal::new(None),
            persisted: RwSignal::new(None),
            quotes,
            fx,
            prices: RwSignal::new(PriceStatus::default()),
            health: RwSignal::new(BTreeMap::new()),
            now: clock,
            snapshots: RwSignal::new(Vec::new()),
            snapshot_after_refresh: RwSignal::new(None),
            history: RwSignal::new(BTreeMap::new()),
            fx_history: RwSignal::new(FxSeries::default()),
            backups: RwSignal::new(BackupLog::default()),
            valued,
            appearance: RwSignal::new(Appearance::default()),
            system_dark: RwSignal::new(false),
            history_progress: RwSignal::new(None),
        };
        follow_system_theme(state.system_dark);
        spawn_local(crate::ui::use_cases::start(state, more));
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

    /// The current profile (tracked).
    pub fn profile(self) -> Option<Profile> {
        let id = self.current.get()?;
        self.profiles
            .with(|p| p.iter().find(|p| p.id == id).cloned())
    }

    /// Whether the current profile is the demo (tracked).
    pub fn on_demo(self) -> bool {
        self.profile().is_some_and(|p| p.demo)
    }

    /// Whether charts draw in dark colours (tracked).
    pub fn dark(self) -> bool {
        self.appearance.get().is_dark(self.system_dark.get())
    }

    /// The current profile's rows valued with what is known now (not tracked).
    pub fn valuation(self) -> Valuation {
        self.valued.get_untracked()
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

/// Keeps `dark` equal to the system's `prefers-color-scheme: dark`.
fn follow_system_theme(dark: RwSignal<bool>) {
    use wasm_bindgen::JsCast;
    let Some(query) = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok())
        .flatten()
    else {
        return;
    };
    dark.set(query.matches());
    let q = query.clone();
    let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || dark.set(q.matches()));
    let _ = query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();
}

/// A profile's rows valued with its settings, quotes and FX rates at `now`.
fn valuation_of(
    settings: &ProfileSettings,
    versions: &[VersionSummary],
    quotes: &BTreeMap<PriceKey, Quote>,
    fx: Option<&CachedFx>,
    now: Timestamp,
) -> Valuation {
    let book = PriceBook {
        quotes: quotes.clone(),
        manual: settings.manual_prices.clone(),
    };
    value_rows(
        settings.rows(versions),
        &Pricing {
            book: &book,
            fx: fx.map(|f| &f.rates),
            base: settings.base_currency,
            mode: settings.pricing_mode,
            now,
        },
    )
}
