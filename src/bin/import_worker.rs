//! The import Web Worker: receives `[ImportJob JSON, Blob or ArrayBuffer]`, reads the bytes
//! into its own memory, parses them (posting progress), then posts the outcome, a mapping
//! request or the error (`domain::jobs::wire`: JSON, and the holdings as typed arrays
//! whose buffers are transferred), so a 100 MB file never holds the page. It stays up for the
//! next file. Trunk builds it for speed as a worker (`import_worker_loader.js`). Does
//! nothing natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    use folio::browser::files::js_error_text;
    use folio::browser::worker::serve;
    use folio::domain::jobs::import::{run_import, ImportJob, ImportMessage};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |m: ImportMessage| {
            let wire = m.to_wire();
            let json = JsValue::from_str(&wire.json);
            if wire.indices.is_empty() && wire.numbers.is_empty() {
                let _ = scope.post_message(&json);
                return;
            }
            let indices = js_sys::Uint32Array::new_with_length(wire.indices.len() as u32);
            indices.copy_from(&wire.indices);
            let numbers = js_sys::Float64Array::new_with_length(wire.numbers.len() as u32);
            numbers.copy_from(&wire.numbers);
            let transfer = js_sys::Array::of2(&indices.buffer(), &numbers.buffer());
            let _ = scope.post_message_with_transfer(
                &js_sys::Array::of3(&json, &indices, &numbers),
                &transfer,
            );
        }
    };
    let now = {
        let performance = scope.performance();
        move || performance.as_ref().map_or(0.0, |p| p.now())
    };
    let ready = ImportMessage::Ready.to_wire().json;
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
                    let mut m = run_import(&job, bytes, &now, |p| post(ImportMessage::Progress(p)));
                    if let ImportMessage::Done { worker_ms, .. } = &mut m {
                        *worker_ms += copied;
                    }
                    m
                }
            };
            post(message);
        });
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
