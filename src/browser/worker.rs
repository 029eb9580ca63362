//! Runs Folio's computations in Web Workers so the page never freezes: the risk report
//! (`risk_worker`) and the importer (`import_worker`), each built for speed; and the price
//! and FX fetches (`price_worker`), so that the first page's module holds no provider code.
//! A worker says Ready once its handler is set; a job is one message; the worker answers
//! with progress messages and one final message (JSON, a finished import's holdings as typed
//! arrays beside it, see `domain::jobs::wire`; the price worker's as structured clones). One
//! idle worker of each kind is kept for the next job (starting one costs a module
//! instantiation); a job asked for while another runs gets a worker of its own.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::files::js_error_text;
use crate::domain::import::{ImportOutcome, MappingRequest, Progress};
use crate::domain::jobs::import::{ImportJob, ImportMessage};
use crate::domain::jobs::prices::{PriceJob, PriceMessage};
use crate::domain::jobs::risk::{RiskJob, WorkerMessage};
use crate::domain::risk::report::{RiskError, RiskReport};

/// A kind of worker: its loader (written by Trunk next to `index.html`) and its name in
/// messages to the user.
struct Kind {
    url: &'static str,
    name: &'static str,
}

const RISK: Kind = Kind {
    url: "/risk_worker_loader.js",
    name: "risk",
};
const IMPORT: Kind = Kind {
    url: "/import_worker_loader.js",
    name: "import",
};
const PRICES: Kind = Kind {
    url: "/price_worker_loader.js",
    name: "price",
};

thread_local! {
    /// Started workers with nothing to do (they have said Ready), by loader URL.
    static IDLE: RefCell<Vec<(&'static str, web_sys::Worker)>> = const { RefCell::new(Vec::new()) };
}

/// What a worker's message means to the caller.
enum Reply<T, P> {
    Ready,
    Progress(P),
    Done(Result<T, String>),
}

/// A worker's messages.
trait WorkerReply: Sized {
    type Output;
    type Progress;
    /// Reads a message event's data.
    fn decode(data: JsValue) -> Result<Self, String>;
    fn reply(self) -> Reply<Self::Output, Self::Progress>;
}

impl WorkerReply for WorkerMessage {
    type Output = Result<RiskReport, RiskError>;
    type Progress = f64;
    fn decode(data: JsValue) -> Result<Self, String> {
        serde_json::from_str(&data.as_string().unwrap_or_default()).map_err(|e| e.to_string())
    }
    fn reply(self) -> Reply<Result<RiskReport, RiskError>, f64> {
        match self {
            Self::Ready => Reply::Ready,
            Self::Progress(p) => Reply::Progress(p),
            Self::Done(r) => Reply::Done(Ok(Ok(*r))),
            Self::Refused(e) => Reply::Done(Ok(Err(e))),
            Self::Failed(e) => Reply::Done(Err(e)),
        }
    }
}

impl WorkerReply for PriceMessage {
    type Output = PriceMessage;
    type Progress = ();
    /// A structured clone (see `domain::jobs::prices`).
    fn decode(data: JsValue) -> Result<Self, String> {
        serde_wasm_bindgen::from_value(data).map_err(|e| e.to_string())
    }
    fn reply(self) -> Reply<PriceMessage, ()> {
        match self {
            Self::Ready => Reply::Ready,
            Self::Failed(e) => Reply::Done(Err(e)),
            answer => Reply::Done(Ok(answer)),
        }
    }
}

/// What the import worker made of a file.
pub enum Imported {
    /// The holdings and report, and the parsing time in the worker (ms).
    Done(Box<ImportOutcome>, f64),
    /// The columns must be mapped by the user.
    NeedsMapping(Box<MappingRequest>),
}

impl WorkerReply for ImportMessage {
    type Output = Imported;
    type Progress = Progress;
    /// JSON text, or `[JSON, Uint32Array, Float64Array]` for a finished import's holdings.
    fn decode(data: JsValue) -> Result<Self, String> {
        let Some(parts) = data.dyn_ref::<js_sys::Array>() else {
            return Self::from_wire(&data.as_string().unwrap_or_default(), &[], &[]);
        };
        let json = parts.get(0).as_string().unwrap_or_default();
        let indices = parts
            .get(1)
            .dyn_into::<js_sys::Uint32Array>()
            .map_err(|_| "the holdings' indices are missing")?;
        let numbers = parts
            .get(2)
            .dyn_into::<js_sys::Float64Array>()
            .map_err(|_| "the holdings' numbers are missing")?;
        Self::from_wire(&json, &indices.to_vec(), &numbers.to_vec())
    }
    fn reply(self) -> Reply<Imported, Progress> {
        match self {
            Self::Ready => Reply::Ready,
            Self::Progress(p) => Reply::Progress(p),
            Self::NeedsMapping(r) => Reply::Done(Ok(Imported::NeedsMapping(r))),
            Self::Done { outcome, worker_ms } => {
                Reply::Done(Ok(Imported::Done(outcome, worker_ms)))
            }
            Self::Failed(e) => Reply::Done(Err(e)),
        }
    }
}

/// A message and what to transfer with it.
type Message = (JsValue, js_sys::Array);

fn post(
    kind: &Kind,
    worker: &web_sys::Worker,
    (message, transfer): &Message,
) -> Result<(), String> {
    worker
        .post_message_with_transfer(message, transfer)
        .map_err(|e| {
            format!(
                "The {} job could not be sent: {}",
                kind.name,
                js_error_text(&e)
            )
        })
}

/// Runs one job in a worker of `kind`; `progress` gets the progress messages.
async fn run<R: WorkerReply + 'static>(
    kind: &'static Kind,
    job: Message,
    progress: impl Fn(R::Progress) + 'static,
) -> Result<R::Output, String> {
    let job = Rc::new(job);
    let idle = IDLE.with(|i| {
        let mut list = i.borrow_mut();
        let at = list.iter().position(|(url, _)| *url == kind.url)?;
        Some(list.swap_remove(at).1)
    });
    let worker = match idle {
        // An idle worker said Ready long ago: the job goes now (its answers arrive as events,
        // after the handlers below are set).
        Some(w) => {
            post(kind, &w, &job).inspect_err(|_| w.terminate())?;
            w
        }
        // A fresh one gets the job when it says Ready.
        None => web_sys::Worker::new(kind.url).map_err(|e| {
            format!(
                "The {} worker could not start: {}",
                kind.name,
                js_error_text(&e)
            )
        })?,
    };
    let (tx, rx) = oneshot::channel::<Result<R::Output, String>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let send = move |r: Result<R::Output, String>| {
        if let Some(tx) = tx.borrow_mut().take() {
            let _ = tx.send(r);
        }
    };
    let w2 = worker.clone();
    let send2 = send.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            match R::decode(ev.data()).map(R::reply) {
                Ok(Reply::Ready) => {
                    if let Err(e) = post(kind, &w2, &job) {
                        send2(Err(e));
                    }
                }
                Ok(Reply::Progress(p)) => progress(p),
                Ok(Reply::Done(r)) => send2(r),
                Err(e) => send2(Err(format!(
                    "The {} worker answered something unreadable: {e}",
                    kind.name
                ))),
            }
        });
    let failed = Rc::new(std::cell::Cell::new(false));
    let failed2 = failed.clone();
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        failed2.set(true);
        send(Err(format!(
            "The {} worker failed: {}",
            kind.name,
            ev.message()
        )));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = rx
        .await
        .unwrap_or_else(|_| Err(format!("The {} worker stopped.", kind.name)));
    worker.set_onmessage(None);
    worker.set_onerror(None);
    drop(on_message);
    drop(on_error);
    // A worker that answered is kept for the next job (one of each kind at most).
    let kept = !failed.get()
        && IDLE.with(|i| {
            let mut list = i.borrow_mut();
            !list.iter().any(|(url, _)| *url == kind.url) && {
                list.push((kind.url, worker.clone()));
                true
            }
        });
    if !kept {
        worker.terminate();
    }
    result
}

/// The risk job as a message: packed (closes as a `Float64Array` whose buffer is
/// transferred, the rest as JSON) when every date is ISO, else one JSON string.
fn risk_message(job: &RiskJob) -> Result<Message, String> {
    Ok(match job.pack() {
        Some(p) => {
            let closes = js_sys::Float64Array::new_with_length(p.closes.len() as u32);
            closes.copy_from(&p.closes);
            let transfer = js_sys::Array::of1(&closes.buffer());
            (
                js_sys::Array::of2(&JsValue::from_str(&p.header), &closes).into(),
                transfer,
            )
        }
        None => (
            JsValue::from_str(&serde_json::to_string(job).map_err(|e| e.to_string())?),
            js_sys::Array::new(),
        ),
    })
}

/// Computes the risk report in a worker; `progress` gets the share done. The outer error is
/// the worker's failure; the inner one why the portfolio has no report (typed).
pub async fn risk_report(
    job: &RiskJob,
    progress: impl Fn(f64) + 'static,
) -> Result<Result<RiskReport, RiskError>, String> {
    run::<WorkerMessage>(&RISK, risk_message(job)?, progress).await
}

/// Runs a price job in the price worker (which holds the provider code, so that the page's
/// module need not): the worker's answer, or why there is none.
pub async fn price_job(job: &PriceJob) -> Result<PriceMessage, String> {
    let message = serde_wasm_bindgen::to_value(job).map_err(|e| e.to_string())?;
    run::<PriceMessage>(&PRICES, (message, js_sys::Array::new()), |()| {}).await
}

/// The file's bytes for the import worker.
pub enum ImportBytes<'a> {
    /// A file (or blob): the worker reads it, the page never copies it.
    Blob(&'a web_sys::Blob),
    /// Bytes in a JS array: a copy is transferred.
    Array(&'a js_sys::Uint8Array),
}

/// Imports a file in the import worker; `progress` gets the rows read so far.
pub async fn import_file(
    job: &ImportJob,
    bytes: ImportBytes<'_>,
    progress: impl Fn(Progress) + 'static,
) -> Result<Imported, String> {
    let header = JsValue::from_str(&serde_json::to_string(job).map_err(|e| e.to_string())?);
    let (payload, transfer): (JsValue, _) = match bytes {
        ImportBytes::Blob(b) => (b.into(), js_sys::Array::new()),
        ImportBytes::Array(a) => {
            let copy = a.slice(0, a.length());
            let transfer = js_sys::Array::of1(&copy.buffer());
            (copy.buffer().into(), transfer)
        }
    };
    let message = (js_sys::Array::of2(&header, &payload).into(), transfer);
    run::<ImportMessage>(&IMPORT, message, progress).await
}

/// Inside a worker: handles every message with `on_message`, then says `ready` (the page
/// waits for it, as messages sent before the handler existed would be lost).
pub fn serve(ready: &str, on_message: impl Fn(web_sys::MessageEvent) + 'static) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn Fn(web_sys::MessageEvent)>::new(on_message);
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    let _ = scope.post_message(&JsValue::from_str(ready));
}
