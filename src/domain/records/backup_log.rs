//! When the last backup was made, and when to remind the user to make one.
//!
//! The reminder comes after an import not yet backed up, or when the last backup is a week
//! old, and at most once a week: dismissing it silences it for [`REMIND_EVERY_DAYS`] days.
//! Nothing is said before the first import (the demo profile alone needs no backup).

use serde::{Deserialize, Serialize};

use crate::domain::backup::Scope;
use crate::domain::calendar::{Timestamp, DAY_MS};

/// Days between reminders, and the age at which a backup is due again.
pub const REMIND_EVERY_DAYS: i64 = 7;

/// One backup written (or restored from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupMark {
    /// When its contents were read.
    #[serde(rename = "at_ms")]
    pub at: Timestamp,
    /// Whole database or one profile.
    pub scope: Scope,
    /// The profile's name, for a one-profile backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The file's name.
    pub file: String,
    /// Whether it is sealed with a passphrase.
    pub sealed: bool,
}

/// The app's record of backups (kept in the `meta` store).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupLog {
    /// The last backup written.
    #[serde(default)]
    pub last: Option<BackupMark>,
    /// The last import committed.
    #[serde(default, rename = "last_import_ms")]
    pub last_import: Option<Timestamp>,
    /// When the reminder was last dismissed.
    #[serde(default, rename = "dismissed_ms")]
    pub dismissed: Option<Timestamp>,
}

/// Why a backup is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// Files were imported after the last backup (or none was made).
    ImportedSince {
        /// The last import.
        imported: Timestamp,
    },
    /// The last backup is at least a week old.
    Old {
        /// Its age in whole days.
        days: i64,
    },
}

impl BackupLog {
    /// The reminder due at `now`, if any.
    pub fn reminder(&self, now: Timestamp) -> Option<Reminder> {
        let week = REMIND_EVERY_DAYS * DAY_MS;
        if self.dismissed.is_some_and(|d| now.millis_since(d) < week) {
            return None;
        }
        let backed_up = self.last.as_ref().map(|m| m.at);
        match (self.last_import, backed_up) {
            (Some(imported), None) => Some(Reminder::ImportedSince { imported }),
            (Some(imported), Some(at)) if imported > at => {
                Some(Reminder::ImportedSince { imported })
            }
            (_, Some(at)) if now.millis_since(at) >= week => Some(Reminder::Old {
                days: now.millis_since(at) / DAY_MS,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_MS;

    fn at(days: f64) -> Timestamp {
        Timestamp::from_millis((days * DAY as f64) as i64)
    }

    fn backed_up(days: f64) -> Option<BackupMark> {
        Some(BackupMark {
            at: at(days),
            scope: Scope::Database,
            profile: None,
            file: "folio.folio".into(),
            sealed: false,
        })
    }

    #[test]
    fn nothing_is_said_before_the_first_import() {
        assert_eq!(BackupLog::default().reminder(at(100.0)), None);
    }

    #[test]
    fn an_import_after_the_last_backup_reminds_at_once() {
        let log = BackupLog {
            last: backed_up(10.0),
            last_import: Some(at(11.0)),
            dismissed: None,
        };
        assert_eq!(
            log.reminder(at(11.0)),
            Some(Reminder::ImportedSince { imported: at(11.0) })
        );
        let never = BackupLog {
            last_import: Some(at(1.0)),
            ..BackupLog::default()
        };
        assert!(matches!(
            never.reminder(at(1.0)),
            Some(Reminder::ImportedSince { .. })
        ));
    }

    #[test]
    fn a_backup_after_the_import_silences_it_for_a_week() {
        let log = BackupLog {
            last: backed_up(12.0),
            last_import: Some(at(11.0)),
            dismissed: None,
        };
        assert_eq!(log.reminder(at(18.9)), None);
        // 12 + 7 = day 19: a week old.
        assert_eq!(log.reminder(at(19.0)), Some(Reminder::Old { days: 7 }));
        assert_eq!(log.reminder(at(40.5)), Some(Reminder::Old { days: 28 }));
    }

    #[test]
    fn dismissing_silences_every_reminder_for_a_week() {
        let log = BackupLog {
            last: backed_up(0.0),
            last_import: Some(at(20.0)),
            dismissed: Some(at(20.5)),
        };
        assert_eq!(log.reminder(at(27.4)), None, "6.9 days after dismissal");
        assert!(log.reminder(at(27.5)).is_some(), "7 days after dismissal");
    }

    #[test]
    fn the_log_reads_back_from_what_it_wrote_and_from_nothing() {
        let log = BackupLog {
            last: backed_up(3.0),
            last_import: Some(at(4.0)),
            dismissed: None,
        };
        let json = serde_json::to_value(&log).unwrap();
        assert_eq!(json["last"]["at_ms"], 3 * DAY);
        assert_eq!(json["last"]["scope"], "database");
        assert_eq!(serde_json::from_value::<BackupLog>(json).unwrap(), log);
        assert_eq!(
            serde_json::from_str::<BackupLog>("{}").unwrap(),
            BackupLog::default()
        );
    }
}
