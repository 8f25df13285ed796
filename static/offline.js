// Installs the offline cache (sw.js, written after each build by the packager): after one visit
// the app's own files come from the browser's cache, and the app works with the network off.
// Service workers need a secure context (https:, or http://localhost / 127.0.0.1); elsewhere,
// and from file://, the app works as before, without it.
//
// It waits until the app has started (boot.js), so filling the cache never competes with the
// start; and the page that installs it is not taken over (sw.js does not claim it): the cache
// serves from the next visit on, a page is never switched to it halfway.
function install() {
  navigator.serviceWorker.register("./sw.js", { scope: "./" }).catch((error) => {
    console.warn("offline cache not installed:", error);
  });
}

if ("serviceWorker" in navigator && window.isSecureContext && location.protocol !== "file:") {
  if (window.__reviewStarted) install();
  else window.addEventListener("review-started", install, { once: true });
}
