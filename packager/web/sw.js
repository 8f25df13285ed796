// The offline cache. Installed by offline.js on the first visit; from then on the app's own files
// come from this cache, so the app keeps working with the network off.
//
// This is a template: after every build the packager (packager/src/precache.rs) writes the
// build's version and the list of every file of the build into dist/sw.js.
//
// It never reaches beyond the app: requests to any other origin (there are none: the page's
// Content-Security-Policy allows none) are not touched, and nothing is ever sent anywhere.
"use strict";

const VERSION = "__VERSION__";
const FILES = ["__FILES__"];
const PREFIX = "teleport-review-";
const CACHE = PREFIX + VERSION;

// Everything is fetched once, at install: a half-filled cache never serves.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" })))),
  );
});

// The previous builds' caches go once this one is in charge. Neither skipWaiting() nor
// clients.claim(): a page keeps, from start to end, the build it started with (the worker files
// have fixed names, so mixing builds within one page must not happen); a new build serves from
// the first visit after every page of the old one has closed.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)))),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(answer(request));
});

// Cache first; a page load (any URL in the app's folder) is answered with the cached index.html.
async function answer(request) {
  const cache = await caches.open(CACHE);
  const hit =
    (await cache.match(request, { ignoreSearch: true })) ||
    (request.mode === "navigate" ? await cache.match("./index.html") : undefined);
  return hit || fetch(request);
}
