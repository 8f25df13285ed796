
// ---- Worker start-up of the single-file build (packager/web/single_worker.js) ----
// As static/worker_boot.js, with the wasm from WORKER_WASM (base64, put in front of this script
// by the page) instead of a fetch. Messages that arrive while the module is loading are queued.
const queued = [];
self.onmessage = (event) => queued.push(event);
const workerBinary = atob(WORKER_WASM);
const workerBytes = new Uint8Array(workerBinary.length);
for (let i = 0; i < workerBinary.length; i++) workerBytes[i] = workerBinary.charCodeAt(i);
wasm_bindgen({ module_or_path: workerBytes }).then(() => {
  for (const event of queued.splice(0)) self.onmessage(event);
});
