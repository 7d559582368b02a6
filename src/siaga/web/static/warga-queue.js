// The citizen's alarm outbox: an alarm is kept on the phone until the server confirms it.
// Retries reuse the alarm's client_id, so the server stores it exactly once. What is retried
// is outbox.js's rule, as for visits and tips; the alarm itself sits in localStorage, written
// in the same moment as the third press (IndexedDB writes finish later, and a phone put away
// at once must still hold the alarm), and read at once by the status line and "Antar Aku".
import { newClientId, retryable } from "/static/outbox.js";

export { newClientId };

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
      if (retryable(err, { retry401: true })) {
        update(alarm.client_id, { attempts: (alarm.attempts || 0) + 1, error: err.message });
      } else {
        update(alarm.client_id, { state: "refused", error: err.message });
      }
    }
  }
  return pending().length === 0;
}
