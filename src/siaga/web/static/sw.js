// The one service worker: it keeps a page usable without a network. Each page registers it
// under its own scope (/warga/sw.js for /warga, /petugas/sw.js for /petugas: the same file),
// and the worker caches that page's shell, listed below. The shell is fetched network first so
// updates arrive, and served from the cache when offline; API calls always go to the network
// (each page's outbox, static/outbox.js, retries them).
const SHARED = ["/static/common.js", "/static/tabs.js", "/static/dialog.js", "/static/dialog.css",
  "/static/tones.js", "/static/outbox.js", "/vendor/idb-keyval/index.js"];
const PAGES = {
  warga: { version: 4, shell: ["/warga", "/static/warga.js", "/static/warga-queue.js", "/static/warga-tips.js",
    "/static/warga-survey.js", "/static/warga-journey.js", "/static/warga-sms.js", "/static/warga.css",
    "/static/icon.svg", "/static/icon-192.png", "/warga/manifest.webmanifest"] },
  petugas: { version: 3, shell: ["/petugas", "/static/petugas.js", "/static/petugas.css", "/static/login.js",
    "/static/live-socket.js", "/static/petugas-tugas.js", "/static/petugas-kunjungan.js",
    "/static/petugas-kunjungan.css", "/static/petugas-patroli.js"] },
};

const PAGE = new URL(self.registration.scope).pathname.split("/")[1];
const CACHE = `siaga-${PAGE}-v${PAGES[PAGE].version}`;
const SHELL = [...PAGES[PAGE].shell, ...SHARED];

self.addEventListener("install", (event) => {
  // A file that cannot be fetched now must not stop the others from being cached.
  event.waitUntil(caches.open(CACHE).then((c) => Promise.allSettled(SHELL.map((u) => c.add(u))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Only this page's older caches: the other page's worker shares the origin's cache storage.
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(`siaga-${PAGE}-`) && k !== CACHE).map((k) => caches.delete(k))))
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
