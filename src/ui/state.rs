//! App-wide state: plain domain values in signals, provided as context.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::files::request_persistence;
use crate::browser::store::{shared, StoreError};
use crate::browser::{new_id, now_ms};
use crate::domain::demo::{demo_imports, demo_manual, DEMO_PROFILE_NAME};
use crate::domain::store::{plan_commit, ImportVersion, Profile, ProfileSettings};

const CURRENT_PROFILE_KEY: &str = "current_profile";

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
        };
        spawn_local(async move {
            match state.bootstrap().await {
                Ok(()) => state.load.set(Load::Ready),
                Err(e) => state.load.set(Load::Failed(e.to_string())),
            }
            state.persisted.set(request_persistence().await);
        });
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
        store.set_meta(CURRENT_PROFILE_KEY, &id.to_string()).await?;
        self.settings.set(settings);
        self.versions.set(versions);
        self.current.set(Some(id.to_string()));
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
        created_ms: now_ms(),
    };
    let mut settings = ProfileSettings {
        profile_id: profile.id.clone(),
        ..ProfileSettings::default()
    };
    let mut versions = Vec::new();
    if demo {
        let (v, s) = plan_commit(&settings, demo_imports(), now_ms(), new_id);
        versions = v;
        settings = s;
        settings.manual = demo_manual();
    }
    (profile, settings, versions)
}
