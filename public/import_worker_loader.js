// Starts the import worker in its Web Worker. Trunk's own loader shim passes the wasm's address as
// a bare string, which wasm-bindgen deprecates with a console warning each time a worker
// starts; this one passes the object form.
importScripts('./import_worker.js');
wasm_bindgen({ module_or_path: './import_worker_bg.wasm' });
