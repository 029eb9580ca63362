//! Runs the risk report in a Web Worker (`risk_worker`), reporting progress. One idle worker
//! is kept for the next report (starting one costs a module instantiation); a report asked
//! for while another runs gets a worker of its own.

use std::cell::RefCell;

use futures::channel::oneshot;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::files::js_error_text;
use crate::domain::risk::report::{RiskJob, RiskReport, WorkerMessage};

/// The worker's loader, written by Trunk next to `index.html`.
const WORKER_URL: &str = "/risk_worker_loader.js";

thread_local! {
    /// A started worker with nothing to do (it has said Ready).
    static IDLE: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
}

/// The job as a message: packed (closes as a `Float64Array` whose buffer is transferred,
/// the rest as JSON) when every date is ISO, else one JSON string. Returns the message and
/// what to transfer with it.
fn message(job: &RiskJob) -> Result<(JsValue, js_sys::Array), String> {
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

fn post(
    worker: &web_sys::Worker,
    (message, transfer): &(JsValue, js_sys::Array),
) -> Result<(), String> {
    worker
        .post_message_with_transfer(message, transfer)
        .map_err(|e| format!("The risk job could not be sent: {}", js_error_text(&e)))
}

/// Computes the report in a worker; `progress` gets the share done.
pub async fn risk_report(
    job: &RiskJob,
    progress: impl Fn(f64) + 'static,
) -> Result<RiskReport, String> {
    let job = std::rc::Rc::new(message(job)?);
    let worker = match IDLE.with(|i| i.borrow_mut().take()) {
        // An idle worker said Ready long ago: the job goes now (its answers arrive as events,
        // after the handlers below are set).
        Some(w) => {
            post(&w, &job).inspect_err(|_| w.terminate())?;
            w
        }
        // A fresh one gets the job when it says Ready.
        None => web_sys::Worker::new(WORKER_URL)
            .map_err(|e| format!("The risk worker could not start: {}", js_error_text(&e)))?,
    };
    let (tx, rx) = oneshot::channel::<Result<RiskReport, String>>();
    let tx = std::rc::Rc::new(RefCell::new(Some(tx)));
    let send = move |r: Result<RiskReport, String>| {
        if let Some(tx) = tx.borrow_mut().take() {
            let _ = tx.send(r);
        }
    };
    let w2 = worker.clone();
    let send2 = send.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let data = ev.data().as_string().unwrap_or_default();
            match serde_json::from_str::<WorkerMessage>(&data) {
                Ok(WorkerMessage::Ready) => {
                    if let Err(e) = post(&w2, &job) {
                        send2(Err(e));
                    }
                }
                Ok(WorkerMessage::Progress(p)) => progress(p),
                Ok(WorkerMessage::Done(r)) => send2(Ok(*r)),
                Ok(WorkerMessage::Failed(e)) => send2(Err(e)),
                Err(e) => send2(Err(format!(
                    "The risk worker answered something unreadable: {e}"
                ))),
            }
        });
    let failed = std::rc::Rc::new(std::cell::Cell::new(false));
    let failed2 = failed.clone();
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        failed2.set(true);
        send(Err(format!("The risk worker failed: {}", ev.message())));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = rx
        .await
        .unwrap_or_else(|_| Err("The risk worker stopped.".into()));
    worker.set_onmessage(None);
    worker.set_onerror(None);
    drop(on_message);
    drop(on_error);
    // A worker that answered is kept for the next report (one at most).
    let kept = !failed.get()
        && IDLE.with(|i| {
            let mut slot = i.borrow_mut();
            slot.is_none() && {
                *slot = Some(worker.clone());
                true
            }
        });
    if !kept {
        worker.terminate();
    }
    result
}
