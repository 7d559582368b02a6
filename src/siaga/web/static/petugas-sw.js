// Lets the officer page open without a network; unsent visits wait in IndexedDB meanwhile.
const CACHE = "siaga-petugas-v2";
const SHELL = ["/petugas", "/static/petugas.js", "/static/petugas.css", "/static/common.js",
  "/static/live-socket.js", "/static/petugas-tugas.js", "/static/petugas-kunjungan.js", "/static/petugas-patroli.js"];

self.addEventListener("install", (event) => {
  // A module that is not there yet must not stop the others from being cached.
  event.waitUntil(caches.open(CACHE).then((c) => Promise.allSettled(SHELL.map((u) => c.add(u))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("siaga-petugas") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok && SHELL.includes(url.pathname)) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});
