//! The risk Web Worker: receives a [`RiskJob`](folio::domain::risk::report::RiskJob) as JSON,
//! posts progress, then the report (all as JSON strings), so the page never freezes while
//! a large covariance or 100,000 Monte Carlo paths are computed. Trunk builds it as a
//! worker (`risk_worker_loader.js`). Does nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    use folio::domain::risk::report::{run_job, WorkerMessage};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let job = ev.data().as_string().unwrap_or_default();
            let out = run_job(&job, &mut |p| {
                let _ = reply.post_message(&JsValue::from_str(&p));
            });
            let _ = reply.post_message(&JsValue::from_str(&out));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed would be lost: the page waits for Ready.
    let ready = serde_json::to_string(&WorkerMessage::Ready).unwrap_or_default();
    let _ = scope.post_message(&JsValue::from_str(&ready));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
