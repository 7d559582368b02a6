// Geofence and coverage alerts on /ops: open alerts in a side panel with their own sound
// (two falling tones, unlike the alarm beep) and a "Terima" button, and each open alert on the
// map as a diamond at its unit or zone (ops-legend.js lists it). Clicking an alert in the panel
// centres the map on it; an acknowledged alert leaves the panel and the map. Text only, via
// textContent.
import { Api, el } from "/static/common.js";
import { play as playTone } from "/static/tones.js";

const REFRESH_MS = 30_000;

function row(panel, alert) {
  const take = el("button", { type: "button", class: "geofence-take" }, "Terima");
  take.addEventListener("click", async (event) => {
    event.stopPropagation();
    take.disabled = true;
    try { await panel.api().post(`/api/v1/geofence/alerts/${alert.id}/acknowledge`); }
    catch (err) { panel.note.textContent = err.message || "Gagal menerima peringatan"; }
    refresh(panel);
  });
  const node = el("div", { class: "geofence-alert", "data-alert": alert.id, tabindex: 0,
    title: alert.lat != null ? "Klik untuk melihat di peta" : "Lokasi tidak diketahui" },
    el("strong", {}, alert.kind_label), el("div", {}, alert.message),
    el("div", { class: "muted" }, `${alert.rule_name} · ${alert.opened_at_label}`), take);
  node.addEventListener("click", () => focus(panel, alert.id));
  node.addEventListener("keydown", (e) => { if (e.key === "Enter" && e.target === node) focus(panel, alert.id); });
  return node;
}

// --- the map ----------------------------------------------------------------------------------
function icon(alert, selected) {
  const pin = el("div", { class: `geofence-pin ${alert.kind}${selected ? " selected" : ""}`, "data-geofence-alert": alert.id },
    el("span", {}, "!"));
  return L.divIcon({ className: "geofence-icon", html: pin, iconSize: [26, 26], iconAnchor: [13, 38] });
}

function drawMarkers(panel, items) {
  const map = window.siagaOps?.map;
  if (!map || !window.L) return;
  const open = new Set(items.map((a) => a.id));
  for (const [id, marker] of panel.markers) {
    if (!open.has(id)) { marker.remove(); panel.markers.delete(id); }
  }
  for (const alert of items) {
    if (alert.lat == null || alert.lon == null || panel.markers.has(alert.id)) continue;
    const marker = L.marker([alert.lat, alert.lon], { icon: icon(alert, false), zIndexOffset: 1800,
      title: `${alert.kind_label}: ${alert.message}`, keyboard: true }).addTo(map);
    marker.on("click", () => {
      const node = panel.rows.get(alert.id);
      if (node) { node.scrollIntoView({ block: "nearest" }); flash(node); }
    });
    marker.alert = alert;
    panel.markers.set(alert.id, marker);
  }
}

function flash(node) {
  node.classList.add("geofence-focus");
  setTimeout(() => node.classList.remove("geofence-focus"), 2500);
}

function focus(panel, id) {
  const marker = panel.markers.get(id);
  const map = window.siagaOps?.map;
  if (!marker || !map) {
    panel.note.textContent = "Peringatan ini tidak punya lokasi di peta.";
    return;
  }
  panel.note.textContent = "";
  map.setView(marker.getLatLng(), Math.max(map.getZoom(), 16));
  for (const [other, m] of panel.markers) m.setIcon(icon(m.alert, other === id));
  const node = panel.rows.get(id);
  if (node) flash(node);
}

// --- the panel --------------------------------------------------------------------------------
async function refresh(panel, ring = false) {
  const api = panel.api();
  if (!api.token) return;
  try {
    const data = await api.get("/api/v1/geofence/alerts?status=open");
    const fresh = data.items.filter((a) => !panel.seen.has(a.id));
    data.items.forEach((a) => panel.seen.add(a.id));
    panel.summary.textContent = data.items.length
      ? `Peringatan wilayah (${data.items.length})` : "Peringatan wilayah: tidak ada";
    // Rows are kept per alert (an alert's text never changes while it is open), so the row
    // under the pointer stays the same node across refreshes.
    const open = new Set(data.items.map((a) => a.id));
    for (const [id, node] of panel.rows) if (!open.has(id)) { node.remove(); panel.rows.delete(id); }
    data.items.forEach((alert, i) => {
      let node = panel.rows.get(alert.id);
      if (!node) { node = row(panel, alert); panel.rows.set(alert.id, node); }
      if (panel.list.children[i] !== node) panel.list.insertBefore(node, panel.list.children[i] || null);
    });
    drawMarkers(panel, data.items);
    panel.items = data.items;
    if (ring && fresh.length) playTone("geofence");
  } catch { /* next refresh */ }
}

function mount() {
  const side = document.querySelector("#console .side");
  if (!side || document.getElementById("geofence-alerts")) return;
  document.head.append(el("link", { rel: "stylesheet", href: "/static/ops-geofence.css" }));
  const summary = el("summary", {}, "Peringatan wilayah");
  const list = el("div", { class: "geofence-list" });
  const note = el("div", { class: "muted", role: "status" });
  side.prepend(el("details", { id: "geofence-alerts", open: "" }, summary, note, list));
  const panel = { summary, list, note, seen: new Set(), rows: new Map(), markers: new Map(), items: [],
    api: () => new Api("siaga.ops.token") };
  // The map is made after the organisations load; draw the markers as soon as it exists.
  let tries = 0;
  const waitMap = setInterval(() => {
    if (window.siagaOps?.map || ++tries > 60) { clearInterval(waitMap); drawMarkers(panel, panel.items); }
  }, 500);
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
