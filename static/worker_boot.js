// Starts the worker's WebAssembly. Messages that arrive while the module is still loading are
// queued and replayed once the module has installed its own handler: a file dropped the moment
// the page appears must not be lost.
"use strict";
const queued = [];
self.onmessage = (event) => queued.push(event);
importScripts("./worker_reads.js", "./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).then(() => {
  for (const event of queued.splice(0)) self.onmessage(event);
});
