//! Backing up and restoring: the whole database or the current profile to a `.folio` file —
//! a download, or a file the user chose that Folio rewrites after each change while the page
//! is open — optionally sealed with a passphrase; reading a backup, saying what it holds and
//! what it would replace, and restoring it in one transaction. The decisions are the
//! domain's (`domain::backup`, `domain::records::restore`); the records move through
//! `browser::store`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{bootstrap, Outcome, CURRENT_PROFILE_KEY};
use crate::browser::crypto::{WebCrypto, WebKey};
use crate::browser::files::{choose_backup_file, download_bytes, read_bytes, write_chosen_file};
use crate::browser::now;
use crate::browser::storage::{storage_estimate, StorageUse};
use crate::browser::store::{shared, Store};
use crate::domain::backup::{self, Backup, FileKey, Inspection, Scope};
use crate::domain::calendar::Timestamp;
use crate::domain::crypto::DEFAULT_ITERATIONS;
use crate::domain::format::byte_size;
use crate::domain::records::backup_log::{BackupLog, BackupMark};
use crate::domain::records::migrations::Owner;
use crate::domain::records::restore::{prepare, preview, summarise, Coverage, Preview, Restore};
use crate::ui::components::slug;
use crate::ui::error::AppError;
use crate::ui::state::AppState;

/// The `meta` key of the [`BackupLog`].
pub const LOG_KEY: &str = "backup_log";
/// How long after the last change a kept file is rewritten.
pub const REWRITE_AFTER: Duration = Duration::from_secs(5);
const MIME: &str = "application/octet-stream";

/// What to back up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupWhat {
    /// Every profile and the shared caches.
    Database,
    /// The current profile.
    CurrentProfile,
}

/// A backup to write: what, and the passphrase that seals it (none: not sealed).
#[derive(Debug, Clone)]
pub struct BackupRequest {
    /// What to back up.
    pub what: BackupWhat,
    /// The passphrase, if the file is to be sealed.
    pub passphrase: Option<String>,
}

/// A backup file read and checked, ready to restore.
#[derive(Debug)]
pub struct Opened {
    /// The file's name.
    pub file_name: String,
    /// What its header says.
    pub inspection: Inspection,
    /// Its records, checked and brought to the current schema.
    pub restore: Restore,
    /// What restoring it replaces here.
    pub preview: Preview,
}

/// A sealed file to open: its name, its bytes, the passphrase.
pub type Unlock = (String, Rc<Vec<u8>>, String);

/// A file picked for restoring.
#[derive(Debug, Clone)]
pub enum Picked {
    /// Sealed: what its header says; it opens with its passphrase.
    Sealed {
        /// The file's name.
        file_name: String,
        /// Its header.
        inspection: Inspection,
        /// Its bytes.
        bytes: Rc<Vec<u8>>,
    },
    /// Read and checked.
    Ready(Rc<Opened>),
}

/// The file Folio rewrites after each change, while this page is open.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFile {
    /// Its name.
    pub file_name: String,
    /// What it holds, in words.
    pub holds: String,
    /// Whether it is sealed.
    pub sealed: bool,
    /// When it was last written.
    pub written: Option<Timestamp>,
    /// Why the last rewrite failed.
    pub problem: Option<String>,
}

/// The backup use cases, provided as context by the whole app (`ui::App`) only, so that the
/// first page's module holds none of their code ([`backup_use_cases`] reads it).
#[derive(Clone, Copy)]
pub struct BackupUseCases {
    /// Writes a backup as a download; says what was written.
    pub download: Action<BackupRequest, Outcome<String>>,
    /// Asks for a file, writes the backup to it and rewrites it after each change; says what
    /// was written (nothing when the user cancels).
    pub keep_file: Action<BackupRequest, Outcome<Option<String>>>,
    /// Reads a chosen backup file.
    pub pick: Action<web_sys::File, Outcome<Picked>>,
    /// Opens a sealed file: (its name, its bytes, the passphrase).
    pub unlock: Action<Unlock, Outcome<Picked>>,
    /// Restores an opened file; says what was restored.
    pub restore: Action<Rc<Opened>, Outcome<String>>,
    /// Bytes stored and the quota, when the browser says.
    pub estimate: Action<(), Option<StorageUse>>,
    /// The file being kept, if any.
    pub kept: RwSignal<Option<KeptFile>>,
}

impl BackupUseCases {
    /// The use cases acting on `state`.
    pub fn new(state: AppState) -> BackupUseCases {
        let kept = RwSignal::new(None);
        BackupUseCases {
            download: Action::new_local(move |r: &BackupRequest| download(state, r.clone())),
            keep_file: Action::new_local(move |r: &BackupRequest| {
                keep_file(state, kept, r.clone())
            }),
            pick: Action::new_local(move |f: &web_sys::File| pick(f.clone())),
            unlock: Action::new_local(move |(name, bytes, pass): &Unlock| {
                unlock(name.clone(), bytes.clone(), pass.clone())
            }),
            restore: Action::new_local(move |o: &Rc<Opened>| restore(state, o.clone())),
            estimate: Action::new_local(move |_: &()| storage_estimate()),
            kept,
        }
    }

    /// Stops rewriting the kept file (the file stays as last written).
    pub fn stop_keeping(self) {
        KEEPER.with(|k| {
            if let Some(k) = k.borrow_mut().take() {
                if let Some(t) = k.timer.take() {
                    t.clear();
                }
            }
        });
        self.kept.set(None);
    }
}

fn refused(e: impl std::fmt::Display) -> AppError {
    AppError::Refused(e.to_string())
}

fn crypto() -> Outcome<WebCrypto> {
    WebCrypto::new().map_err(refused)
}

/// A backup of what `coverage` covers, read now.
async fn backup_of(store: &Store, coverage: &Coverage) -> Outcome<Backup> {
    let stores = store.dump(coverage).await?;
    Ok(Backup {
        app_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: store.schema().version(),
        written: now(),
        summary: summarise(store.schema(), coverage, &stores),
        stores,
    })
}

fn coverage_of(state: AppState, what: BackupWhat) -> Outcome<Coverage> {
    match what {
        BackupWhat::Database => Ok(Coverage::Database),
        BackupWhat::CurrentProfile => state
            .current
            .get_untracked()
            .map(Coverage::Profile)
            .ok_or_else(|| refused("No profile is selected.")),
    }
}

/// The backup's contents in words: "the whole database (2 profiles)", "profile “Demo”".
fn holds(backup: &Backup) -> String {
    match backup.summary.scope {
        Scope::Database => format!(
            "the whole database ({} profile(s))",
            backup.summary.profiles.len()
        ),
        Scope::Profile => format!("profile “{}”", profile_name(backup).unwrap_or_default()),
    }
}

fn profile_name(backup: &Backup) -> Option<String> {
    (backup.summary.scope == Scope::Profile)
        .then(|| backup.summary.profiles.first().map(|p| p.name.clone()))
        .flatten()
}

/// `folio-all-2026-12-02.folio`, or `folio-demo-mine-2026-12-02.folio` for the profile
/// "Demo (mine)": the name's letters and digits, runs of anything else one hyphen.
fn suggested_name(profile: Option<&str>, at: Timestamp) -> String {
    let what = profile.map_or_else(
        || "all".to_string(),
        |name| {
            let s = slug(name);
            let words: Vec<&str> = s.split('-').filter(|w| !w.is_empty()).collect();
            if words.is_empty() {
                "profile".to_string()
            } else {
                words.join("-")
            }
        },
    );
    format!("folio-{what}-{}.folio", at.date())
}

async fn encode(backup: &Backup, passphrase: Option<&str>) -> Outcome<Vec<u8>> {
    match passphrase {
        None => backup::encode(backup).map_err(refused),
        Some(p) => backup::encode_sealed(backup, &crypto()?, p, DEFAULT_ITERATIONS)
            .await
            .map_err(refused),
    }
}

async fn save_log(state: AppState, log: BackupLog) -> Outcome<()> {
    shared().await?.set_meta(LOG_KEY, &log).await?;
    state.backups.set(log);
    Ok(())
}

async fn mark(state: AppState, backup: &Backup, file: String, sealed: bool) -> Outcome<()> {
    let mut log = state.backups.get_untracked();
    log.last = Some(BackupMark {
        at: backup.written,
        scope: backup.summary.scope,
        profile: profile_name(backup),
        file,
        sealed,
    });
    save_log(state, log).await
}

async fn download(state: AppState, request: BackupRequest) -> Outcome<String> {
    let store = shared().await?;
    let backup = backup_of(&store, &coverage_of(state, request.what)?).await?;
    let bytes = encode(&backup, request.passphrase.as_deref()).await?;
    let name = suggested_name(profile_name(&backup).as_deref(), backup.written);
    download_bytes(&name, MIME, &bytes).map_err(AppError::Browser)?;
    let sealed = request.passphrase.is_some();
    mark(state, &backup, name.clone(), sealed).await?;
    Ok(format!(
        "Backed up {} to {name} ({}){}.",
        holds(&backup),
        byte_size(bytes.len() as u64),
        if sealed {
            ", sealed with your passphrase"
        } else {
            ""
        }
    ))
}

/// The kept file: where, what, how it is sealed, and the debounce timer.
struct Keeper {
    handle: web_sys::FileSystemFileHandle,
    coverage: Coverage,
    key: Option<FileKey<WebKey>>,
    timer: Cell<Option<TimeoutHandle>>,
    writing: Cell<bool>,
    again: Cell<bool>,
}

thread_local! {
    static KEEPER: RefCell<Option<Rc<Keeper>>> = const { RefCell::new(None) };
}

fn keeper() -> Option<Rc<Keeper>> {
    KEEPER.with(|k| k.borrow().clone())
}

async fn keep_file(
    state: AppState,
    kept: RwSignal<Option<KeptFile>>,
    request: BackupRequest,
) -> Outcome<Option<String>> {
    // The picker comes first: it needs the click that asked for it, which does not last.
    let coverage = coverage_of(state, request.what)?;
    let profile = match &coverage {
        Coverage::Database => None,
        Coverage::Profile(id) => state
            .profiles
            .with_untracked(|ps| ps.iter().find(|p| &p.id == id).map(|p| p.name.clone())),
    };
    let Some(handle) = choose_backup_file(&suggested_name(profile.as_deref(), now()))
        .await
        .map_err(AppError::Browser)?
    else {
        return Ok(None);
    };
    let holds = match &profile {
        Some(name) => format!("profile “{name}”"),
        None => "the whole database".to_string(),
    };
    let key = match &request.passphrase {
        Some(p) => Some(
            FileKey::create(&crypto()?, p, DEFAULT_ITERATIONS)
                .await
                .map_err(refused)?,
        ),
        None => None,
    };
    let keeper = Rc::new(Keeper {
        handle,
        coverage,
        key,
        timer: Cell::new(None),
        writing: Cell::new(false),
        again: Cell::new(false),
    });
    KEEPER.with(|k| *k.borrow_mut() = Some(keeper.clone()));
    kept.set(Some(KeptFile {
        file_name: keeper.handle.name(),
        holds: holds.clone(),
        sealed: keeper.key.is_some(),
        written: None,
        problem: None,
    }));
    let store = shared().await?;
    let schema = store.schema().clone();
    store.on_write(move |stores| {
        // Cached prices, rates and app settings are written with the next change of data.
        let data = stores
            .iter()
            .any(|name| schema.store(name).is_some_and(|s| s.owner != Owner::Shared));
        if data {
            schedule(state, kept);
        }
    });
    rewrite(state, kept).await;
    match kept.get_untracked().and_then(|k| k.problem) {
        Some(problem) => Err(AppError::Browser(problem)),
        None => Ok(Some(format!(
            "Backed up {holds} to {}; Folio rewrites it {} s after each change while this page is open.",
            keeper.handle.name(),
            REWRITE_AFTER.as_secs()
        ))),
    }
}

/// Rewrites the kept file [`REWRITE_AFTER`] the last change.
fn schedule(state: AppState, kept: RwSignal<Option<KeptFile>>) {
    let Some(k) = keeper() else {
        return;
    };
    if let Some(t) = k.timer.take() {
        t.clear();
    }
    let timer = set_timeout_with_handle(move || spawn_local(rewrite(state, kept)), REWRITE_AFTER);
    k.timer.set(timer.ok());
}

/// Writes the kept file now (once more after, if a change comes meanwhile).
async fn rewrite(state: AppState, kept: RwSignal<Option<KeptFile>>) {
    let Some(k) = keeper() else {
        return;
    };
    if k.writing.replace(true) {
        k.again.set(true);
        return;
    }
    let written = async {
        let store = shared().await?;
        let backup = backup_of(&store, &k.coverage).await?;
        let bytes = match &k.key {
            None => backup::encode(&backup).map_err(refused)?,
            Some(key) => backup::encode_sealed_with(&backup, &crypto()?, key)
                .await
                .map_err(refused)?,
        };
        write_chosen_file(&k.handle, &bytes).await.map_err(|e| {
            AppError::Browser(format!("{} could not be written: {e}", k.handle.name()))
        })?;
        mark(state, &backup, k.handle.name(), k.key.is_some()).await?;
        Ok::<_, AppError>(backup.written)
    }
    .await;
    k.writing.set(false);
    // Stopped meanwhile: say nothing.
    if !keeper().is_some_and(|now| Rc::ptr_eq(&now, &k)) {
        return;
    }
    kept.update(|f| {
        if let Some(f) = f {
            match written {
                Ok(at) => {
                    f.written = Some(at);
                    f.problem = None;
                }
                Err(e) => f.problem = Some(e.to_string()),
            }
        }
    });
    if k.again.replace(false) {
        schedule(state, kept);
    }
}

async fn pick(file: web_sys::File) -> Outcome<Picked> {
    let bytes = read_bytes(&file).await.map_err(AppError::Browser)?;
    let inspection = backup::inspect(&bytes).map_err(refused)?;
    let store = shared().await?;
    // A newer file is refused before any passphrase is asked.
    inspection
        .check_schema(store.schema().version())
        .map_err(refused)?;
    if inspection.sealed {
        return Ok(Picked::Sealed {
            file_name: file.name(),
            inspection,
            bytes: Rc::new(bytes),
        });
    }
    let backup = backup::decode_plain(&bytes).map_err(refused)?;
    opened(&store, file.name(), inspection, backup).await
}

async fn unlock(file_name: String, bytes: Rc<Vec<u8>>, passphrase: String) -> Outcome<Picked> {
    let inspection = backup::inspect(&bytes).map_err(refused)?;
    let backup = backup::decode(&bytes, &crypto()?, Some(&passphrase))
        .await
        .map_err(refused)?;
    opened(&*shared().await?, file_name, inspection, backup).await
}

async fn opened(
    store: &Store,
    file_name: String,
    inspection: Inspection,
    backup: Backup,
) -> Outcome<Picked> {
    let restore = prepare(store.schema(), backup).map_err(refused)?;
    let here = store.summary().await?;
    let preview = preview(&here, &restore.summary);
    Ok(Picked::Ready(Rc::new(Opened {
        file_name,
        inspection,
        restore,
        preview,
    })))
}

async fn restore(state: AppState, opened: Rc<Opened>) -> Outcome<String> {
    let store = shared().await?;
    let log = state.backups.get_untracked();
    store.restore(&opened.restore).await.map_err(|e| {
        refused(format!(
            "{e}. Nothing was changed: a restore lands whole or not at all."
        ))
    })?;
    let r = &opened.restore;
    let profile = match &r.coverage {
        Coverage::Profile(id) => {
            store.set_meta(CURRENT_PROFILE_KEY, id).await?;
            r.summary.profiles.first().map(|p| p.name.clone())
        }
        Coverage::Database => None,
    };
    // The data is now the file's: it counts as the last backup, with no import since.
    let log = BackupLog {
        last: Some(BackupMark {
            at: r.written,
            scope: r.coverage.scope(),
            profile: profile.clone(),
            file: opened.file_name.clone(),
            sealed: opened.inspection.sealed,
        }),
        last_import: None,
        ..log
    };
    save_log(state, log).await?;
    bootstrap(state, Some(super::stored_history)).await?;
    let what = match profile {
        Some(name) => format!("profile “{name}”"),
        None => format!(
            "the whole database ({} profile(s))",
            r.summary.profiles.len()
        ),
    };
    Ok(format!(
        "Restored {what} from {}, written {}.",
        opened.file_name,
        r.written.date()
    ))
}

/// The backup use cases (provided by the whole app).
pub fn backup_use_cases() -> BackupUseCases {
    expect_context::<BackupUseCases>()
}

/// Silences the backup reminder for a week (the reminder is on every page, the first one
/// included: this is the one backup use case its module holds).
pub async fn dismiss_reminder(state: AppState) -> Outcome<()> {
    let mut log = state.backups.get_untracked();
    log.dismissed = Some(now());
    save_log(state, log).await
}
