//! The import as a job for a Web Worker: what the page sends with the file's bytes, what
//! the worker answers, and the run itself (pure, so it is tested natively). The page keeps
//! the preview and the mapping dialog; the parsing never runs on its thread.

use serde::{Deserialize, Serialize};

use crate::domain::import::Started;
use crate::domain::import::{
    ImportError, ImportOptions, ImportOutcome, ImportSession, MappingRequest, Progress,
};

/// Rows parsed between two progress messages.
pub const ROWS_PER_PROGRESS: usize = 20_000;

/// What the page asks of the import worker (the bytes travel beside it).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImportJob {
    /// The file's name (a hint for the format, and shown in the report).
    pub file_name: String,
    /// Saved mappings and the mapping the user just confirmed.
    pub options: ImportOptions,
}

/// A message from the import worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ImportMessage {
    /// The worker's handler is set: jobs may be sent.
    Ready,
    /// Rows read so far.
    Progress(Progress),
    /// The file is a table whose columns the user must map.
    NeedsMapping(Box<MappingRequest>),
    /// The holdings and the report; `worker_ms` is the time spent in the worker from the
    /// bytes' copy into its memory to the outcome.
    Done {
        /// The import's outcome.
        outcome: Box<ImportOutcome>,
        /// Parsing time inside the worker, in ms.
        worker_ms: f64,
    },
    /// The file could not be imported: the reason, for the user.
    Failed(String),
}

impl From<ImportError> for ImportMessage {
    fn from(e: ImportError) -> Self {
        Self::Failed(e.to_string())
    }
}

/// Runs `job` on `bytes`, sending progress every [`ROWS_PER_PROGRESS`] rows; `clock` gives
/// milliseconds (for `worker_ms`). Returns the final message.
pub fn run_import(
    job: &ImportJob,
    bytes: Vec<u8>,
    clock: impl Fn() -> f64,
    mut progress: impl FnMut(Progress),
) -> ImportMessage {
    let t0 = clock();
    let mut session = match ImportSession::start(&job.file_name, bytes, &job.options) {
        Err(e) => return e.into(),
        Ok(Started::NeedsMapping(request)) => return ImportMessage::NeedsMapping(request),
        Ok(Started::Ready(session)) => session,
    };
    loop {
        let p = session.step(ROWS_PER_PROGRESS);
        if p.finished {
            break;
        }
        progress(p);
    }
    let outcome = Box::new(session.finish());
    ImportMessage::Done {
        outcome,
        worker_ms: clock() - t0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::import::{import_bytes, Format};
    use crate::domain::synthetic::trade_list;

    /// The message as the page reads it after the worker posted it.
    fn round_trip(m: &ImportMessage) -> ImportMessage {
        let w = m.clone().to_wire();
        ImportMessage::from_wire(&w.json, &w.indices, &w.numbers).unwrap()
    }

    #[test]
    fn a_job_gives_what_import_bytes_gives_and_survives_the_trip_to_the_page() {
        let bytes = trade_list(50_000, 7);
        let job = ImportJob {
            file_name: "trades.csv".into(),
            options: ImportOptions::default(),
        };
        let mut seen = Vec::new();
        let msg = run_import(&job, bytes.clone(), || 0.0, |p| seen.push(p));
        let expected = import_bytes("trades.csv", bytes.clone(), &ImportOptions::default())
            .unwrap()
            .unwrap();
        let ImportMessage::Done { outcome, .. } = round_trip(&msg) else {
            panic!("{msg:?}")
        };
        assert_eq!(*outcome, expected);
        assert_eq!(outcome.format, Format::CoinTrackingTradeList);
        // Progress: two messages for 50,000 rows, rising, never past the file.
        assert_eq!(seen.len(), 2);
        assert!(seen
            .windows(2)
            .all(|w| w[0].done < w[1].done && w[0].rows < w[1].rows));
        assert_eq!(seen[1].rows, 40_000);
        assert!(seen
            .iter()
            .all(|p| !p.finished && p.done < bytes.len() as u64));
    }

    #[test]
    fn mapping_requests_and_errors_become_messages() {
        let job = |name: &str| ImportJob {
            file_name: name.into(),
            options: ImportOptions::default(),
        };
        let table = b"Ding;Menge\nBTC;1\n".to_vec();
        let msg = run_import(&job("x.csv"), table, || 0.0, |_| {});
        let ImportMessage::NeedsMapping(request) = round_trip(&msg) else {
            panic!("{msg:?}")
        };
        assert_eq!(request.headers, ["Ding", "Menge"]);
        let msg = run_import(&job("empty.csv"), b" \n".to_vec(), || 0.0, |_| {});
        assert_eq!(
            msg,
            ImportMessage::Failed(
                ImportError::Empty {
                    file: "empty.csv".into()
                }
                .to_string()
            )
        );
    }
}
