// Keeps the citizen page usable without a network: the shell is served from cache,
// and API calls always go to the network (the page's own outbox retries them).
const CACHE = "siaga-warga-v3";
const SHELL = ["/warga", "/static/warga.js", "/static/warga-queue.js", "/static/common.js", "/static/warga-tips.js", "/static/warga-survey.js", "/static/warga-journey.js", "/static/warga-sms.js",
  "/static/warga.css", "/static/icon.svg", "/static/icon-192.png", "/warga/manifest.webmanifest"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  // Network first so updates arrive; the cached copy when offline.
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok && SHELL.includes(url.pathname)) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});
