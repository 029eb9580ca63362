//! IndexedDB at the level of stores and JSON records, for the code that works on every store
//! alike (schema upgrades, backups, restores): raw requests awaited as futures, and records
//! moved between IndexedDB and their JSON view (`domain::records::stored`).
//!
//! A request is awaited through a promise settled in its event handler; the continuation
//! runs in that handler's microtasks, while the transaction is still active, so a
//! transaction can be continued after an await.

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, IdbObjectStore, IdbRequest, IdbTransaction};

use crate::browser::files::js_error_text;
use crate::domain::records::migrations::{KeyPath, StoreSpec, PROFILE_INDEX};
use crate::domain::records::stored::{AsStored, StoredValue};

/// The result of `request`, once it succeeds; its error's message otherwise.
pub async fn settle(request: &IdbRequest) -> Result<JsValue, String> {
    let mut handlers = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = request.clone();
        let ok = Closure::<dyn FnMut(Event)>::new(move |_| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = request.clone();
        let failed = Closure::<dyn FnMut(Event)>::new(move |_| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&request_error(&r)));
        });
        request.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
        request.set_onerror(Some(failed.as_ref().unchecked_ref()));
        handlers = Some((ok, failed));
    });
    let out = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(handlers);
    out.map_err(|e| e.as_string().unwrap_or_else(|| js_error_text(&e)))
}

fn request_error(request: &IdbRequest) -> String {
    match request.error() {
        Ok(Some(e)) => format!("{}: {}", e.name(), e.message()),
        _ => "the request failed".into(),
    }
}

type Handler = Closure<dyn FnMut(Event)>;

/// The end of a transaction, watched from its creation (so that no event is missed).
pub struct Completion {
    future: JsFuture,
    _handlers: (Handler, Handler),
    tx: IdbTransaction,
}

/// Starts watching `tx` for its end: call right after creating it.
pub fn completion(tx: &IdbTransaction) -> Completion {
    let mut handlers = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::<dyn FnMut(Event)>::new(move |_| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let aborted = Closure::<dyn FnMut(Event)>::new(move |_| {
            let text = t
                .error()
                .map(|e| format!("{}: {}", e.name(), e.message()))
                .unwrap_or_else(|| "the transaction was aborted".into());
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&text));
        });
        tx.set_oncomplete(Some(done.as_ref().unchecked_ref()));
        tx.set_onabort(Some(aborted.as_ref().unchecked_ref()));
        handlers = Some((done, aborted));
    });
    let noop = || Closure::<dyn FnMut(Event)>::new(|_| {});
    Completion {
        future: JsFuture::from(promise),
        _handlers: handlers.unwrap_or_else(|| (noop(), noop())),
        tx: tx.clone(),
    }
}

impl Completion {
    /// Waits for the transaction to commit; its error (or "aborted") when it does not.
    pub async fn wait(self) -> Result<(), String> {
        let out = self.future.await;
        self.tx.set_oncomplete(None);
        self.tx.set_onabort(None);
        out.map(|_| ())
            .map_err(|e| e.as_string().unwrap_or_else(|| js_error_text(&e)))
    }
}

/// Aborts `tx`, ignoring the error of a transaction already finished.
pub fn abort(tx: &IdbTransaction) {
    let _ = tx.abort();
}

/// A browser error as text: `DataError: …` for a `DOMException`, else its message.
pub fn error_text(e: &JsValue) -> String {
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) => format!("{}: {}", d.name(), d.message()),
        None => js_error_text(e),
    }
}

fn js(e: JsValue) -> String {
    error_text(&e)
}

/// A record's JSON view.
pub fn to_json(value: JsValue) -> Result<Value, String> {
    serde_wasm_bindgen::from_value::<StoredValue>(value)
        .map(|v| v.0)
        .map_err(|e| e.to_string())
}

/// A JSON view as the value IndexedDB stores.
pub fn to_js(value: &Value) -> Result<JsValue, String> {
    AsStored(value)
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| e.to_string())
}

/// Records written as JSON text, as IndexedDB holds them when serde wrote them: a `None`,
/// which JSON writes as `null`, is `undefined` (how `serde_wasm_bindgen` writes it).
pub fn records_from_json(text: &str) -> Result<Vec<JsValue>, String> {
    let parsed = js_sys::JSON::parse(text).map_err(js)?;
    let records: js_sys::Array = parsed
        .dyn_into()
        .map_err(|_| "the records are not a list".to_string())?;
    Ok(records.iter().inspect(nulls_to_undefined).collect())
}

/// Replaces every `null` inside `value` (an object or an array) by `undefined`.
fn nulls_to_undefined(value: &JsValue) {
    if !value.is_object() {
        return;
    }
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let item = js_sys::Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        if item.is_null() {
            let _ = js_sys::Reflect::set(object, &key, &JsValue::UNDEFINED);
        } else {
            nulls_to_undefined(&item);
        }
    }
}

/// A record of `spec`'s store as IndexedDB takes it: the key (out-of-line stores only) and
/// the value.
pub fn record_to_js(
    spec: &StoreSpec,
    record: &Value,
) -> Result<(Option<JsValue>, JsValue), String> {
    match spec.key {
        KeyPath::Field(_) => Ok((None, to_js(record)?)),
        KeyPath::OutOfLine => Ok((Some(to_js(&record["key"])?), to_js(&record["value"])?)),
    }
}

/// Joins values (and, for out-of-line stores, their keys) into JSON records.
pub fn records_to_json(
    spec: &StoreSpec,
    values: js_sys::Array,
    keys: Option<js_sys::Array>,
) -> impl Iterator<Item = Result<Value, String>> {
    let keys = keys.map(|k| k.to_vec());
    let key_path = spec.key;
    values.to_vec().into_iter().enumerate().map(move |(i, v)| {
        let value = to_json(v)?;
        Ok(match (key_path, &keys) {
            (KeyPath::OutOfLine, Some(keys)) => {
                let key = keys.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
                serde_json::json!({ "key": to_json(key)?, "value": value })
            }
            _ => value,
        })
    })
}

/// Issues the reads of a store's records (every one, or one profile's through its index):
/// the values' request and, for out-of-line stores, the keys'.
pub fn read(
    store: &IdbObjectStore,
    spec: &StoreSpec,
    profile: Option<&str>,
) -> Result<(IdbRequest, Option<IdbRequest>), String> {
    let query = profile.map(JsValue::from_str);
    let values = match &query {
        Some(q) if spec.indexed => store
            .index(PROFILE_INDEX)
            .and_then(|i| i.get_all_with_key(q)),
        _ => store.get_all(),
    }
    .map_err(js)?;
    let keys = match spec.key {
        KeyPath::OutOfLine => Some(
            match &query {
                Some(q) if spec.indexed => store
                    .index(PROFILE_INDEX)
                    .and_then(|i| i.get_all_keys_with_key(q)),
                _ => store.get_all_keys(),
            }
            .map_err(js)?,
        ),
        KeyPath::Field(_) => None,
    };
    Ok((values, keys))
}

/// Awaits what [`read`] issued: the values and the keys.
pub async fn results(
    requests: (IdbRequest, Option<IdbRequest>),
) -> Result<(js_sys::Array, Option<js_sys::Array>), String> {
    let values = settle(&requests.0).await?.unchecked_into();
    let keys = match &requests.1 {
        Some(k) => Some(settle(k).await?.unchecked_into()),
        None => None,
    };
    Ok((values, keys))
}

/// Issues the write of a record converted by [`record_to_js`].
pub fn put(
    store: &IdbObjectStore,
    record: &(Option<JsValue>, JsValue),
) -> Result<IdbRequest, String> {
    match &record.0 {
        Some(key) => store.put_with_key(&record.1, key),
        None => store.put(&record.1),
    }
    .map_err(js)
}
