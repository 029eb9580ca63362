//! Settings → "Back up and restore": the last backup, the storage used, writing a backup
//! (whole database or current profile, optionally sealed, as a download or to a file kept up
//! to date), and restoring one after showing what it holds and what it replaces.

use std::rc::Rc;

use leptos::prelude::*;

use crate::browser::files::can_keep_a_file;
use crate::domain::backup::{ProfileSummary, Scope};
use crate::domain::format::byte_size;
use crate::domain::records::backup_log::REMIND_EVERY_DAYS;
use crate::domain::records::migrations::SCHEMA_VERSION;
use crate::domain::records::restore::{Coverage, Preview};
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::backup::{
    backup_use_cases, BackupRequest, BackupWhat, Opened, Picked, REWRITE_AFTER,
};

/// The "Back up and restore" section of the settings page.
#[component]
pub fn BackupSettings() -> impl IntoView {
    let uc = backup_use_cases();
    uc.estimate.dispatch_local(());
    view! {
        <h2 id="backup">"Back up and restore"</h2>
        <LastBackup/>
        <p id="storage-use">
            {move || match uc.estimate.value().get().flatten() {
                Some(space) => format!(
                    "Folio's data takes {} in this browser, of {} it may use ({} left).",
                    byte_size(space.used),
                    byte_size(space.quota),
                    byte_size(space.left())
                ),
                None => "This browser does not say how much space Folio's data takes.".into(),
            }}
        </p>
        <WriteBackup/>
        <RestoreBackup/>
    }
}

#[component]
fn LastBackup() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p id="last-backup">
            {move || match state.backups.get().last {
                None => "Last backup: none yet.".to_string(),
                Some(m) => format!(
                    "Last backup: {} — {}, {}{}.",
                    m.at.minute_label(),
                    match (m.scope, m.profile) {
                        (Scope::Database, _) => "the whole database".to_string(),
                        (Scope::Profile, Some(p)) => format!("profile “{p}”"),
                        (Scope::Profile, None) => "one profile".to_string(),
                    },
                    m.file,
                    if m.sealed { ", sealed" } else { "" }
                ),
            }}
        </p>
        <p class="muted">
            {format!("Folio reminds you to back up after an import not yet backed up, or when the last backup is {REMIND_EVERY_DAYS} days old — at most once every {REMIND_EVERY_DAYS} days.")}
        </p>
    }
}

#[component]
fn WriteBackup() -> impl IntoView {
    let state = expect_context::<AppState>();
    let uc = backup_use_cases();
    let what = RwSignal::new(BackupWhat::CurrentProfile);
    let seal = RwSignal::new(false);
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let mismatch = RwSignal::new(None::<&'static str>);
    // The request, or why the passphrase fields stop it.
    let request = move || -> Option<BackupRequest> {
        let passphrase = if seal.get_untracked() {
            let (p, a) = (pass.get_untracked(), again.get_untracked());
            let problem = if p.is_empty() {
                Some("Type a passphrase, or untick “Protect with a passphrase”.")
            } else if p != a {
                Some("The two passphrases differ; type the same one twice.")
            } else {
                None
            };
            mismatch.set(problem);
            if problem.is_some() {
                return None;
            }
            Some(p)
        } else {
            mismatch.set(None);
            None
        };
        Some(BackupRequest {
            what: what.get_untracked(),
            passphrase,
        })
    };
    let busy = move || uc.download.pending().get() || uc.keep_file.pending().get();
    let current_name = move || {
        let id = state.current.get();
        state.profiles.with(|ps| {
            ps.iter()
                .find(|p| Some(&p.id) == id.as_ref())
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h3>"Back up"</h3>
        <fieldset class="backup-what">
            <legend>"What to back up"</legend>
            <label>
                <input type="radio" name="backup-what" id="backup-profile" prop:checked=move || what.get() == BackupWhat::CurrentProfile on:change=move |_| what.set(BackupWhat::CurrentProfile)/>
                {move || format!(" The current profile, “{}”", current_name())}
            </label>
            <label>
                <input type="radio" name="backup-what" id="backup-database" prop:checked=move || what.get() == BackupWhat::Database on:change=move |_| what.set(BackupWhat::Database)/>
                " The whole database: every profile, with cached prices, history and rates"
            </label>
        </fieldset>
        <label>
            <input type="checkbox" id="backup-seal" prop:checked=move || seal.get() on:change=move |ev| seal.set(event_target_checked(&ev))/>
            " Protect the file with a passphrase"
        </label>
        <Show when=move || seal.get()>
            <p class="notice error" role="note" id="passphrase-warning">
                "A forgotten passphrase cannot be recovered. There is no reset and no copy of the key anywhere: without the passphrase, nobody — not you, not Folio — can open this file. Keep it in a password manager or write it down somewhere safe."
            </p>
            <div class="inline-form">
                <label for="backup-passphrase">"Passphrase"</label>
                <input id="backup-passphrase" type="password" autocomplete="new-password" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                <label for="backup-passphrase-again">"Again"</label>
                <input id="backup-passphrase-again" type="password" autocomplete="new-password" prop:value=move || again.get() on:input=move |ev| again.set(event_target_value(&ev))/>
            </div>
        </Show>
        {move || mismatch.get().map(|m| view! { <p class="notice error" role="alert">{m}</p> })}
        <div class="inline-form">
            <button type="button" id="backup-download" disabled=busy on:click=move |_| {
                if let Some(r) = request() { uc.download.dispatch_local(r); }
            }>"Download a backup"</button>
            {can_keep_a_file().then(|| view! {
                <button type="button" id="backup-keep" disabled=busy on:click=move |_| {
                    if let Some(r) = request() { uc.keep_file.dispatch_local(r); }
                }>"Back up to a file kept up to date…"</button>
            })}
        </div>
        <p class="muted">
            {if can_keep_a_file() {
                format!("A file you choose is rewritten {} s after each change, only while this page is open; after a reload, choose it again. Elsewhere, or otherwise, each backup is a download.", REWRITE_AFTER.as_secs())
            } else {
                "This browser cannot write to a file you choose (no File System Access API): each backup is a download.".to_string()
            }}
        </p>
        {move || uc.kept.get().map(|k| view! {
            <p id="kept-file" role="status">
                {format!(
                    "Keeping {} up to date ({}{}): {}",
                    k.file_name,
                    k.holds,
                    if k.sealed { ", sealed" } else { "" },
                    match (&k.problem, k.written) {
                        (Some(p), _) => format!("the last rewrite failed — {p}"),
                        (None, Some(at)) => format!("last written {}.", at.minute_label()),
                        (None, None) => "writing…".to_string(),
                    }
                )}
                " "
                <button type="button" id="backup-keep-stop" on:click=move |_| uc.stop_keeping()>"Stop"</button>
            </p>
        })}
        <ErrorBoundary fallback=show_errors>
            {move || uc.download.value().get().map(|r| r.map(|text| view! { <p class="notice info" role="status" id="backup-done">{text}</p> }))}
            {move || uc.keep_file.value().get().map(|r| r.map(|text| text.map(|text| view! { <p class="notice info" role="status" id="backup-kept">{text}</p> })))}
        </ErrorBoundary>
    }
}

#[component]
fn RestoreBackup() -> impl IntoView {
    let uc = backup_use_cases();
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        uc.unlock.value().set(None);
        uc.restore.value().set(None);
        uc.pick.dispatch_local(file);
        // The same file can be picked again after a failure.
        input.set_value("");
    };
    let picked = move || {
        match uc.restore.value().get() {
        Some(Ok(text)) => view! { <p class="notice info" role="status" id="restore-done">{text}</p> }.into_any(),
        _ => match uc.pick.value().get() {
            None => ().into_any(),
            Some(Err(e)) => view! { <p class="notice error" role="alert" id="restore-error">{e.to_string()}</p> }.into_any(),
            Some(Ok(Picked::Ready(o))) => view! { <RestorePreview opened=o/> }.into_any(),
            Some(Ok(Picked::Sealed { file_name, inspection, bytes })) => {
                let unlocked = move || match uc.unlock.value().get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="notice error" role="alert" id="restore-error">{e.to_string()}</p> }.into_any(),
                    Some(Ok(Picked::Ready(o))) => view! { <RestorePreview opened=o/> }.into_any(),
                    Some(Ok(Picked::Sealed { .. })) => ().into_any(),
                };
                let pass = RwSignal::new(String::new());
                let file = StoredValue::new_local((file_name.clone(), bytes));
                let open = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let (name, bytes) = file.get_value();
                    uc.unlock.dispatch_local((name, bytes, pass.get_untracked()));
                };
                let opened = move || matches!(uc.unlock.value().get(), Some(Ok(Picked::Ready(_))));
                view! {
                    <p id="restore-sealed">
                        {format!(
                            "{file_name} was written on {} by Folio {} (data version {}) and is sealed with a passphrase: what it holds is shown once it is opened.",
                            inspection.written.minute_label(), inspection.app_version, inspection.schema_version
                        )}
                    </p>
                    <Show when=move || !opened()>
                        <form class="inline-form" on:submit=open>
                            <label for="restore-passphrase">"Passphrase"</label>
                            <input id="restore-passphrase" type="password" autocomplete="off" prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                            <button type="submit" id="restore-unlock" disabled=move || uc.unlock.pending().get()>"Open"</button>
                        </form>
                    </Show>
                    {unlocked}
                }
                .into_any()
            }
        },
    }
    };
    view! {
        <h3>"Restore"</h3>
        <p class="muted">"Choose a .folio file: Folio shows what it holds and what it would replace, and changes nothing until you confirm. The restore lands whole or not at all."</p>
        <label for="restore-file">"Backup file "</label>
        <input type="file" id="restore-file" accept=".folio" on:change=on_file/>
        {move || uc.pick.pending().get().then(|| view! { <p class="muted" role="status">"Reading the file…"</p> })}
        {picked}
        <ErrorBoundary fallback=show_errors>
            {move || uc.restore.value().get().map(|r| r.map(|_| ()))}
        </ErrorBoundary>
    }
}

fn counts(p: &ProfileSummary) -> String {
    format!(
        "{} account(s), {} transaction(s), {} import(s), {} plan(s)",
        p.accounts, p.transactions, p.imports, p.plans
    )
}

/// What each restore would do, one sentence each.
fn consequences(preview: &Preview) -> Vec<String> {
    let mut out = Vec::new();
    for r in &preview.replaced {
        out.push(format!(
            "Replaces profile “{}” here ({}) with the file's “{}” ({}).",
            r.here.name,
            counts(&r.here),
            r.file.name,
            counts(&r.file)
        ));
    }
    for p in &preview.added {
        out.push(format!("Adds profile “{}” ({}).", p.name, counts(p)));
    }
    for p in &preview.removed {
        out.push(format!(
            "Deletes profile “{}” ({}): the file does not have it.",
            p.name,
            counts(p)
        ));
    }
    for p in &preview.kept {
        out.push(format!("Leaves profile “{}” as it is.", p.name));
    }
    out.push(if preview.replaces_shared {
        "Replaces the cached prices, price history, exchange rates and app settings with the file's.".into()
    } else {
        "Leaves the cached prices, price history and exchange rates as they are.".into()
    });
    out
}

#[component]
fn RestorePreview(opened: Rc<Opened>) -> impl IntoView {
    let uc = backup_use_cases();
    let r = &opened.restore;
    let i = &opened.inspection;
    let upgraded = r.written_at_version < SCHEMA_VERSION;
    let scope = match &r.coverage {
        Coverage::Database => "the whole database",
        Coverage::Profile(_) => "one profile",
    };
    let rows = r
        .summary
        .profiles
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.name.clone()}</th>
                    <td class="num">{p.accounts}</td>
                    <td class="num">{p.transactions}</td>
                    <td class="num">{p.imports}</td>
                    <td class="num">{p.plans}</td>
                </tr>
            }
        })
        .collect_view();
    let confirm = {
        let o = opened.clone();
        move |_| {
            uc.restore.dispatch_local(o.clone());
        }
    };
    view! {
        <section id="restore-preview" aria-label="What the backup holds">
            <dl class="facts">
                <dt>"File"</dt><dd>{opened.file_name.clone()}</dd>
                <dt>"Holds"</dt><dd>{scope}</dd>
                <dt>"Written"</dt><dd id="restore-written">{r.written.minute_label()}</dd>
                <dt>"By"</dt><dd>{format!("Folio {}", r.app_version)}</dd>
                <dt>"Data version"</dt>
                <dd id="restore-version">{if upgraded {
                    format!("{} (brought up to {SCHEMA_VERSION} as it is restored)", r.written_at_version)
                } else {
                    r.written_at_version.to_string()
                }}</dd>
                <dt>"Sealed"</dt><dd>{if i.sealed { "yes, opened with its passphrase" } else { "no" }}</dd>
            </dl>
            <table id="restore-profiles">
                <caption>"Profiles in the file"</caption>
                <thead><tr><th scope="col">"Profile"</th><th scope="col">"Accounts"</th><th scope="col">"Transactions"</th><th scope="col">"Imports"</th><th scope="col">"Plans"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <h4>"Restoring it here"</h4>
            <ul id="restore-consequences">
                {consequences(&opened.preview).into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ul>
            <button type="button" class="danger" id="restore-confirm" disabled=move || uc.restore.pending().get() on:click=confirm>"Restore"</button>
            {move || uc.restore.pending().get().then(|| view! { <span class="muted" role="status">" Restoring…"</span> })}
        </section>
    }
}
