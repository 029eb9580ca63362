//! Runs the risk report in a Web Worker (`risk_worker`), reporting progress.

use futures::channel::oneshot;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::files::js_error_text;
use crate::domain::risk::report::{RiskJob, RiskReport, WorkerMessage};

/// The worker's loader, written by Trunk next to `index.html`.
const WORKER_URL: &str = "/risk_worker_loader.js";

/// Computes the report in a new worker; `progress` gets the share done. The worker is
/// terminated when the report (or an error) arrives.
pub async fn risk_report(
    job: &RiskJob,
    progress: impl Fn(f64) + 'static,
) -> Result<RiskReport, String> {
    let text = serde_json::to_string(job).map_err(|e| e.to_string())?;
    let worker = web_sys::Worker::new(WORKER_URL)
        .map_err(|e| format!("The risk worker could not start: {}", js_error_text(&e)))?;
    let (tx, rx) = oneshot::channel::<Result<RiskReport, String>>();
    let tx = std::rc::Rc::new(std::cell::RefCell::new(Some(tx)));
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
                    let _ = w2.post_message(&JsValue::from_str(&text));
                }
                Ok(WorkerMessage::Progress(p)) => progress(p),
                Ok(WorkerMessage::Done(r)) => send2(Ok(*r)),
                Ok(WorkerMessage::Failed(e)) => send2(Err(e)),
                Err(e) => send2(Err(format!(
                    "The risk worker answered something unreadable: {e}"
                ))),
            }
        });
    let on_error = Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |ev: web_sys::ErrorEvent| {
        send(Err(format!("The risk worker failed: {}", ev.message())));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let result = rx
        .await
        .unwrap_or_else(|_| Err("The risk worker stopped.".into()));
    worker.terminate();
    drop(on_message);
    drop(on_error);
    result
}
