// The citizen's outbox: an alarm is kept on the phone until the server confirms it.
// Retries reuse the alarm's client_id, so the server stores it exactly once.
const KEY = "siaga.warga.outbox";

export function loadOutbox() {
  try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch { return []; }
}

function save(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

export function enqueue(alarm) {
  const items = loadOutbox();
  items.push({ ...alarm, state: "pending", attempts: 0 });
  save(items);
}

export function update(clientId, changes) {
  const items = loadOutbox().map((a) => (a.client_id === clientId ? { ...a, ...changes } : a));
  save(items);
}

export function pending() { return loadOutbox().filter((a) => a.state === "pending"); }

export function latest() {
  const items = loadOutbox();
  return items.length ? items[items.length - 1] : null;
}

export function forget(clientId) { save(loadOutbox().filter((a) => a.client_id !== clientId)); }

export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // Older Android WebViews lack randomUUID; build a v4 UUID from getRandomValues.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Sends every pending alarm; returns true when nothing is left to send.
export async function flush(api) {
  for (const alarm of pending()) {
    const body = { client_id: alarm.client_id, lat: alarm.lat, lon: alarm.lon,
      accuracy_m: alarm.accuracy_m, triggered_at: alarm.triggered_at, kind: alarm.kind };
    if (alarm.fix_at) body.fix_at = alarm.fix_at; // when the phone measured that position
    try {
      const stored = await api.post("/api/v1/alarms", body);
      update(alarm.client_id, { state: "sent", id: stored.id, status: stored.status });
    } catch (err) {
      if (err.status && err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status)) {
        update(alarm.client_id, { state: "refused", error: err.message });
      } else {
        update(alarm.client_id, { attempts: (alarm.attempts || 0) + 1, error: err.message });
      }
    }
  }
  return pending().length === 0;
}
