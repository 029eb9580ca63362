//! The reminder to back up, under the header of every page: after an import not yet backed
//! up, or when the last backup is a week old; "Not now" silences it for a week.

use leptos::prelude::*;

use crate::domain::records::backup_log::{Reminder, REMIND_EVERY_DAYS};
use crate::ui::error::show_errors;
use crate::ui::state::AppState;
use crate::ui::use_cases::backup::dismiss_reminder;

/// The reminder, when one is due.
#[component]
pub fn BackupReminder() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dismiss = Action::new_local(move |_: &()| dismiss_reminder(state));
    let reminder = move || {
        let reminder = state.backups.with(|log| log.reminder(state.now.get()))?;
        let why = match reminder {
            Reminder::ImportedSince { imported } => format!(
                "You imported files on {} and have not backed up since.",
                imported.date()
            ),
            Reminder::Old { days } => format!("Your last backup is {days} days old."),
        };
        Some(view! {
            <div class="notice info backup-reminder" role="status" id="backup-reminder">
                <span class="notice-text">
                    {why}" "<a href="/settings#backup">"Back up now"</a>
                    {format!(" (Folio reminds you at most once every {REMIND_EVERY_DAYS} days.)")}
                </span>
                <button type="button" id="backup-reminder-dismiss" on:click=move |_| { dismiss.dispatch_local(()); }>"Not now"</button>
            </div>
        })
    };
    view! {
        {reminder}
        <ErrorBoundary fallback=show_errors>{move || dismiss.value().get()}</ErrorBoundary>
    }
}
