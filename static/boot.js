// Starts the app. Trunk would inline this as a <script type="module"> in index.html; the page's
// Content-Security-Policy allows scripts from the app's own files only, so it is this file, and
// Trunk.toml's pattern_script writes the tag that loads it, with the build's hashed names of the
// UI's JS glue and wasm in data-js / data-wasm. Both are relative: the app works from any folder.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(new URL(tag.dataset.js, document.baseURI).href);
await init({ module_or_path: new URL(tag.dataset.wasm, document.baseURI) });
// Running: whatever waits for the app (the offline cache, offline.js) may start now.
window.__reviewStarted = true;
window.dispatchEvent(new Event("review-started"));
