// Starts the price worker in its Web Worker. Trunk's own loader shim passes the wasm's address as
// a bare string, which wasm-bindgen deprecates with a console warning each time a worker
// starts; this one passes the object form.
importScripts('./price_worker.js');
wasm_bindgen({ module_or_path: './price_worker_bg.wasm' });
