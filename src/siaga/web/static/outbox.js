// The offline outbox every page uses: records wait on the phone (IndexedDB, through idb-keyval)
// until the server confirms them. Each record carries a client_id made on the phone, so sending
// it again after a lost reply never stores it twice.
//
//   const box = openOutbox("visits");                  // one database per kind of record
//   await box.put(record); await box.all(); await box.remove(record.client_id);
//   await box.drain({ ready: (r) => r.state === "queued", send: (r) => api.request(...),
//                     sent: (r, reply) => ..., refused: (r, err) => ..., waiting: (err) => ... });
//   retryEvery(15000, () => box.drain(...));           // and again whenever the signal returns
//
// What is retried is decided here once: no reply at all, a server error, 408 and 429 are
// retried later; so is 401 where the page says a new log-in will follow (retry401); any other
// refusal is the record's own fault and is handed to `refused`.

// Loaded on first use, so the panic path (retryable, newClientId, backoff) never waits for it.
let idbModule = null;
const idb = () => (idbModule ||= import("/vendor/idb-keyval/index.js"));

/** Whether a failed send should wait and be tried again (true) or is refused for good. */
export function retryable(err, { retry401 = false } = {}) {
  const status = err && err.status;
  if (!status || status >= 500 || status === 408 || status === 429) return true;
  return retry401 && status === 401;
}

/** A v4 UUID, also on older Android WebViews that lack crypto.randomUUID. */
export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Before this module, visits and tips sat in their own databases keyed by client_id (keyPath);
// move what a phone still holds there, once.
const LEGACY = { visits: ["siaga-petugas", "visits"], tips: ["siaga-warga-tips", "tips"] };

async function adoptLegacy(name, store) {
  const marker = `siaga.outbox.${name}.migrated`;
  if (!LEGACY[name] || localStorage.getItem(marker)) return;
  const { clear, createStore, setMany, values } = await idb();
  try {
    const old = createStore(...LEGACY[name]);
    const records = await values(old);
    if (records.length) await setMany(records.map((r) => [r.client_id, r]), store);
    await clear(old);
  } catch { /* nothing to adopt */ }
  localStorage.setItem(marker, "1");
}

/** The outbox of one kind of record (keyed by client_id). */
export function openOutbox(name) {
  let opened = null;
  const open = () => (opened ||= idb().then(async (lib) => {
    const store = lib.createStore(`siaga-outbox-${name}`, "records");
    await adoptLegacy(name, store);
    return { lib, store };
  }));
  let draining = false;
  const box = {
    async put(record) { const { lib, store } = await open(); await lib.set(record.client_id, record, store); },
    async get(clientId) { const { lib, store } = await open(); return lib.get(clientId, store); },
    async remove(clientId) { const { lib, store } = await open(); await lib.del(clientId, store); },
    async all() { const { lib, store } = await open(); return lib.values(store); },
    /**
     * Send every ready record in order. A sent record leaves the outbox; a retryable failure
     * stops the round (the next ones would fail the same way); a refusal goes to `refused`.
     * Returns true when the round ended without waiting. One round at a time.
     */
    async drain({ ready: isReady = () => true, send, sent = () => {}, refused = () => {}, waiting = () => {}, retry401 = false }) {
      if (draining) return false;
      draining = true;
      try {
        for (const record of (await box.all()).filter(isReady)) {
          let reply;
          try { reply = await send(record); } catch (err) {
            if (retryable(err, { retry401 })) { await waiting(err, record); return false; }
            await refused(record, err);
            continue;
          }
          await box.remove(record.client_id);
          await sent(record, reply);
        }
        return true;
      } finally { draining = false; }
    },
  };
  return box;
}

/** Run `fn` every `ms` while the phone is online, and at once when the signal returns. */
export function retryEvery(ms, fn) {
  window.addEventListener("online", fn);
  return setInterval(() => { if (navigator.onLine) fn(); }, ms);
}

/** A retry delay that doubles after each failure up to `max` and starts over after a success. */
export function backoff(first, max) {
  let delay = first;
  return {
    next() { const now = delay; delay = Math.min(delay * 2, max); return now; },
    reset() { delay = first; },
  };
}
