//! The import Web Worker: receives `[ImportJob JSON, Blob or ArrayBuffer]`, reads the bytes
//! into its own memory, parses them (posting progress), then posts the outcome, a mapping
//! request or the error (JSON), so a 100 MB file never holds the page. It stays up for the
//! next file. Trunk builds it for speed as a worker (`import_worker_loader.js`). Does
//! nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    use folio::browser::files::js_error_text;
    use folio::browser::worker::serve;
    use folio::domain::import::job::{run_import, ImportJob, ImportMessage};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |m: &ImportMessage| {
            let text = serde_json::to_string(m).unwrap_or_default();
            let _ = scope.post_message(&JsValue::from_str(&text));
        }
    };
    let now = {
        let performance = scope.performance();
        move || performance.as_ref().map_or(0.0, |p| p.now())
    };
    let ready = serde_json::to_string(&ImportMessage::Ready).unwrap_or_default();
    serve(&ready, move |ev: web_sys::MessageEvent| {
        let post = post.clone();
        let now = now.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let parts: js_sys::Array = ev.data().unchecked_into();
            let job =
                serde_json::from_str::<ImportJob>(&parts.get(0).as_string().unwrap_or_default());
            let payload = parts.get(1);
            let buffer = match payload.dyn_ref::<web_sys::Blob>() {
                Some(blob) => JsFuture::from(blob.array_buffer()).await,
                None => Ok(payload),
            };
            let message = match (job, buffer) {
                (Err(e), _) => ImportMessage::Failed(format!("Unreadable import job: {e}")),
                (_, Err(e)) => ImportMessage::Failed(format!(
                    "The file could not be read: {}",
                    js_error_text(&e)
                )),
                (Ok(job), Ok(buffer)) => {
                    // Timed from the copy into wasm memory, as native times a copy too.
                    let t0 = now();
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    let copied = now() - t0;
                    let mut m =
                        run_import(&job, bytes, &now, |p| post(&ImportMessage::Progress(p)));
                    if let ImportMessage::Done { worker_ms, .. } = &mut m {
                        *worker_ms += copied;
                    }
                    m
                }
            };
            post(&message);
        });
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
