
// ---- Start-up of the single-file build (packager/web/single_boot.js), after the UI's glue ----
// A page opened from disk can fetch nothing, so the wasm, the worker and the demo files are held
// in this page's data blocks (base64) and handed over as bytes.
function base64Bytes(text) {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
const block = (id) => document.getElementById(id).textContent;

// Both workers start from one Blob URL: the worker's glue and start-up, with its wasm in front.
// The page's backend (src/ui/backend.rs) starts workers from window.__reviewWorkerUrl when set.
const workerScript = [`const WORKER_WASM = "${block("worker-wasm").trim()}";\n`, block("worker-js")];
window.__reviewWorkerUrl = URL.createObjectURL(new Blob(workerScript, { type: "text/javascript" }));

// "Load demo data" fetches demo/manifest.json and demo/<path> (src/ui/input.rs): those URLs are
// answered from the files held here, encoded as the loader encodes them; any other fetch goes
// on to the browser, whose policy here refuses every request.
const demoFiles = JSON.parse(block("demo-files"));
const demoUrls = new Map(
  Object.entries(demoFiles).map(([path, data]) => ["demo/" + path.split("/").map(encodeURIComponent).join("/"), data]),
);
const browserFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const held = demoUrls.get(url);
  return held === undefined ? browserFetch(input, init) : Promise.resolve(new Response(base64Bytes(held)));
};

await __reviewInit({ module_or_path: base64Bytes(block("ui-wasm")) });
