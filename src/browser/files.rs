//! Reading user files and offering downloads.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads a `File` (or `Blob`) into bytes (small files: imports are read by the import
/// worker).
pub async fn read_bytes(file: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("The file could not be read: {}", js_error_text(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The message of a JS error value.
pub fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Yields to the browser's event loop so it can paint and handle input.
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Yields to the browser whenever `budget_ms` have passed since the last yield, so that a
/// long loop calling [`Pacer::tick`] leaves no long task.
pub struct Pacer {
    since: f64,
    budget_ms: f64,
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

impl Pacer {
    /// A pacer yielding every `budget_ms`.
    pub fn new(budget_ms: f64) -> Pacer {
        Pacer {
            since: performance_now(),
            budget_ms,
        }
    }

    /// Whether the budget is spent (then the clock restarts).
    pub fn spent(&mut self) -> bool {
        let now = performance_now();
        if now - self.since >= self.budget_ms {
            self.since = now;
            true
        } else {
            false
        }
    }

    /// Yields if the budget is spent.
    pub async fn tick(&mut self) {
        if self.spent() {
            yield_now().await;
            self.since = performance_now();
        }
    }
}

/// Offers `text` as a file download named `name` (a Blob and an object URL; nothing leaves
/// the browser).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_error_text(&e))?;
    click_download(name, &blob)
}

/// Offers `bytes` as a file download named `name`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| js_error_text(&e))?;
    click_download(name, &blob)
}

fn click_download(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| js_error_text(&e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error_text(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Copies text to the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| js_error_text(&e))
}

/// Whether this browser lets a page write a file the user chose (the File System Access
/// API's `showSaveFilePicker`: Chromium-based browsers on desktops).
pub fn can_keep_a_file() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &"showSaveFilePicker".into()).is_ok_and(|f| f.is_function())
    })
}

/// Asks the user where to save a Folio backup (suggesting `suggested`); `None` when they
/// cancel. Must follow a click.
pub async fn choose_backup_file(
    suggested: &str,
) -> Result<Option<web_sys::FileSystemFileHandle>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let picker: js_sys::Function = js_sys::Reflect::get(&window, &"showSaveFilePicker".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("this browser cannot write a chosen file")?;
    let accept = js_sys::Object::new();
    let extensions = js_sys::Array::of1(&".folio".into());
    let set = |o: &js_sys::Object, k: &str, v: &wasm_bindgen::JsValue| {
        let _ = js_sys::Reflect::set(o, &k.into(), v);
    };
    set(&accept, "application/octet-stream", &extensions);
    let kind = js_sys::Object::new();
    set(&kind, "description", &"Folio backup".into());
    set(&kind, "accept", &accept);
    let options = js_sys::Object::new();
    set(&options, "suggestedName", &suggested.into());
    set(&options, "types", &js_sys::Array::of1(&kind));
    let promise: js_sys::Promise = picker
        .call1(&window, &options)
        .map_err(|e| js_error_text(&e))?
        .dyn_into()
        .map_err(|_| "the file picker gave no answer".to_string())?;
    match JsFuture::from(promise).await {
        Ok(handle) => Ok(Some(handle.unchecked_into())),
        Err(e) if error_name(&e).as_deref() == Some("AbortError") => Ok(None),
        Err(e) => Err(js_error_text(&e)),
    }
}

fn error_name(e: &wasm_bindgen::JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &"name".into()).ok()?.as_string()
}

/// Replaces the contents of a file the user chose with `bytes`.
pub async fn write_chosen_file(
    handle: &web_sys::FileSystemFileHandle,
    bytes: &[u8],
) -> Result<(), String> {
    let text = |e: wasm_bindgen::JsValue| js_error_text(&e);
    let stream: web_sys::FileSystemWritableFileStream = JsFuture::from(handle.create_writable())
        .await
        .map_err(text)?
        .unchecked_into();
    JsFuture::from(stream.write_with_u8_array(bytes).map_err(text)?)
        .await
        .map_err(text)?;
    JsFuture::from(stream.close()).await.map_err(text)?;
    Ok(())
}
