//! The risk Web Worker: receives a [`RiskJob`](folio::domain::jobs::risk::RiskJob) packed
//! (closes as a `Float64Array`, the rest as JSON) or as JSON, posts progress, then the report
//! (JSON strings), so the page never freezes while a large covariance or 100,000 Monte
//! Carlo paths are computed. It stays up for the next job. Trunk builds it as a worker
//! (`risk_worker_loader.js`). Does nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    use folio::browser::worker::serve;
    use folio::domain::jobs::risk::{run_job, run_packed_job, WorkerMessage};
    use wasm_bindgen::{JsCast, JsValue};

    console_error_panic_hook::set_once();
    let reply: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let ready = serde_json::to_string(&WorkerMessage::Ready).unwrap_or_default();
    serve(&ready, move |ev: web_sys::MessageEvent| {
        let data = ev.data();
        let mut progress = |p: String| {
            let _ = reply.post_message(&JsValue::from_str(&p));
        };
        // A packed job is [header JSON, Float64Array of closes]; else one JSON string.
        let out = match data.dyn_ref::<js_sys::Array>() {
            Some(parts) => {
                let header = parts.get(0).as_string().unwrap_or_default();
                let closes = js_sys::Float64Array::new(&parts.get(1)).to_vec();
                run_packed_job(&header, &closes, &mut progress)
            }
            None => run_job(&data.as_string().unwrap_or_default(), &mut progress),
        };
        let _ = reply.post_message(&JsValue::from_str(&out));
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
