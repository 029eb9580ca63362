//! The price Web Worker: receives a [`PriceJob`](folio::domain::jobs::prices::PriceJob) (a
//! structured clone), fetches the FX rates or the live prices from the providers, and posts
//! the answer. The page's modules ask it (`browser::worker::price_job`), so the first page's
//! holds no provider code. It stays up for the next job, keeping each provider's request
//! spacing and the ids it searched. Trunk builds it as a worker (`price_worker_loader.js`).
//! Does nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    use folio::browser::prices::run_price_job;
    use folio::browser::worker::serve;
    use folio::domain::jobs::prices::{PriceJob, PriceMessage};
    use wasm_bindgen::{JsCast, JsValue};

    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let ready = serde_wasm_bindgen::to_value(&PriceMessage::Ready).unwrap_or(JsValue::NULL);
    let ready = ready.as_string().unwrap_or_default();
    serve(&ready, move |ev: web_sys::MessageEvent| {
        let scope = scope.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let answer = match serde_wasm_bindgen::from_value::<PriceJob>(ev.data()) {
                Ok(job) => run_price_job(job).await,
                Err(e) => PriceMessage::Failed(format!("Unreadable price job: {e}")),
            };
            let message = serde_wasm_bindgen::to_value(&answer).unwrap_or_else(|e| {
                JsValue::from_str(&format!("the answer could not be sent: {e}"))
            });
            let _ = scope.post_message(&message);
        });
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
