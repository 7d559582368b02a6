// Geofence and coverage alerts on /ops: open alerts in a side panel with their own sound
// (two falling tones, unlike the alarm beep) and a "Terima" button. Text only, via textContent.
import { Api, el } from "/static/common.js";
import { play as playTone } from "/static/tones.js";

const REFRESH_MS = 30_000;
function row(panel, alert) {
  const take = el("button", { type: "button", class: "geofence-take" }, "Terima");
  take.addEventListener("click", async () => {
    take.disabled = true;
    try { await panel.api().post(`/api/v1/geofence/alerts/${alert.id}/acknowledge`); }
    catch (err) { panel.note.textContent = err.message || "Gagal menerima peringatan"; }
    refresh(panel);
  });
  return el("div", { class: "geofence-alert", "data-alert": alert.id },
    el("strong", {}, alert.kind_label), el("div", {}, alert.message),
    el("div", { class: "muted" }, `${alert.rule_name} · ${alert.opened_at_label}`), take);
}

async function refresh(panel, ring = false) {
  const api = panel.api();
  if (!api.token) return;
  try {
    const data = await api.get("/api/v1/geofence/alerts?status=open");
    const fresh = data.items.filter((a) => !panel.seen.has(a.id));
    data.items.forEach((a) => panel.seen.add(a.id));
    panel.summary.textContent = data.items.length
      ? `Peringatan wilayah (${data.items.length})` : "Peringatan wilayah: tidak ada";
    panel.list.replaceChildren(...data.items.map((a) => row(panel, a)));
    if (ring && fresh.length) playTone("geofence");
  } catch { /* next refresh */ }
}

function mount() {
  const side = document.querySelector("#console .side");
  if (!side || document.getElementById("geofence-alerts")) return;
  const summary = el("summary", {}, "Peringatan wilayah");
  const list = el("div", { class: "geofence-list" });
  const note = el("div", { class: "muted", role: "status" });
  side.prepend(el("details", { id: "geofence-alerts", open: "" }, summary, note, list));
  const panel = { summary, list, note, seen: new Set(), api: () => new Api("siaga.ops.token") };
  refresh(panel).then(() => {
    window.siagaOps?.on("geofence.alert", (m) => refresh(panel, m.status === "open"));
    setInterval(() => refresh(panel, true), REFRESH_MS);
  });
}

// The console appears after log-in; wait for it without touching ops.js.
const consoleEl = document.getElementById("console");
if (consoleEl) {
  if (!consoleEl.hidden) mount();
  else new MutationObserver((_, observer) => {
    if (!consoleEl.hidden) { observer.disconnect(); mount(); }
  }).observe(consoleEl, { attributes: true, attributeFilter: ["hidden"] });
}
