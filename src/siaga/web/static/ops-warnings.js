// Brawl early-warning layer for /ops: one marker per open warning (orange = assembling, red and
// pulsing = gathering), with its schools, time window, evidence count and suggested action.
//
//   import { mountWarnings } from "/static/ops-warnings.js";
//   const warnings = mountWarnings(map, api, onEvent);
//
// map: a Leaflet map; api: an Api from common.js; onEvent(type, fn) (optional): registers fn for
// /ws/ops messages of that type; the layer listens to warning.created and warning.updated.
// Without onEvent it polls. Returns { layer, refresh, destroy }, or null when Leaflet is missing.
import { formatDateTime } from "/static/common.js";

const REFRESH_MS = 60_000;
// Stage names as the command room says them; /intel shows the same words.
export const STAGE = { assembling: "Penggalangan", gathering: "Sudah berkumpul" };

// A model's probability as a percentage; never "100%", which would read as certainty.
export function riskPercent(risk) {
  const value = risk || 0;
  return value >= 0.995 ? ">99%" : `${Math.round(value * 100)}%`;
}

function injectStyle() {
  if (document.getElementById("ops-warnings-style")) return;
  const style = document.createElement("style");
  style.id = "ops-warnings-style";
  style.textContent = `
.warn-icon { background: none; border: none; }
.warn-dot { width: 30px; height: 30px; border-radius: 6px; transform: rotate(45deg); border: 2px solid #fff;
  box-shadow: 0 0 4px rgba(0,0,0,.6); }
.warn-dot span { display: block; transform: rotate(-45deg); color: #fff; font: bold 15px/26px sans-serif; text-align: center; }
.warn-dot.assembling { background: #ef6c00; }
.warn-dot.gathering { background: #c62828; animation: warn-pulse 1s ease-in-out infinite; }
@keyframes warn-pulse { 50% { box-shadow: 0 0 0 8px rgba(198,40,40,.45); } }
.warn-popup b { font-size: 1.05em; } .warn-popup p { margin: .3em 0; } .warn-popup small { color: #555; }`;
  document.head.append(style);
}

// A popup built from text nodes only: school and place names never become markup.
function popupHtml(w) {
  const when = w.window_start ? `${formatDateTime(w.window_start)} – ${formatDateTime(w.window_end)}` : "waktu belum diketahui";
  const box = document.createElement("div");
  box.className = "warn-popup";
  const add = (tag, text, parent = box) => {
    const node = document.createElement(tag);
    node.textContent = text;
    parent.append(node);
    return node;
  };
  add("b", `Peringatan dini tawuran #${w.id}`).style.display = "block";
  add("small", `${STAGE[w.stage] || w.stage} · risiko ${riskPercent(w.risk)} · ${w.post_count} unggahan`);
  add("p", (w.schools || []).join(" vs ") || "Sekolah belum dikenali");
  const where = add("p", `Tempat: ${(w.places || []).join(", ") || "-"}`);
  where.append(document.createElement("br"), document.createTextNode(`Waktu: ${when}`));
  const advice = add("p", "");
  add("b", "Saran: ", advice);
  advice.append(document.createTextNode(w.suggested_action || "-"));
  const link = add("a", "Buka di konsol analis");
  link.href = `/intel#w${w.id}`;
  link.target = "_blank";
  link.rel = "noopener";
  return box;
}

export function mountWarnings(map, api, onEvent) {
  if (typeof L === "undefined" || !map) return null;
  injectStyle();
  const layer = L.layerGroup().addTo(map);
  const markers = new Map(); // id -> { warning, marker }
  let timer = null;

  function icon(w) {
    return L.divIcon({ className: "warn-icon", iconSize: [30, 30], iconAnchor: [15, 15], popupAnchor: [0, -16],
      html: `<div class="warn-dot ${w.stage === "gathering" ? "gathering" : "assembling"}"><span>!</span></div>` });
  }

  function upsert(w) {
    const entry = markers.get(w.id);
    if (entry && entry.warning.version > w.version) return; // an older replayed snapshot
    if (w.status === "dismissed" || w.lat == null || w.lon == null) {
      if (entry) { layer.removeLayer(entry.marker); markers.delete(w.id); }
      return;
    }
    if (entry) {
      entry.warning = w;
      entry.marker.setLatLng([w.lat, w.lon]).setIcon(icon(w));
      return;
    }
    const marker = L.marker([w.lat, w.lon], { icon: icon(w), title: `Peringatan #${w.id}`, zIndexOffset: 500, keyboard: true });
    marker.bindPopup(() => popupHtml(markers.get(w.id).warning), { maxWidth: 320 });
    marker.addTo(layer);
    markers.set(w.id, { warning: w, marker });
  }

  function current(w) {
    // A warning stays on the map until a few hours after its time window (or its last post).
    const until = new Date(w.window_end || w.last_post_at).getTime() + (w.window_end ? 6 : 48) * 3600_000;
    return until > Date.now();
  }

  async function refresh() {
    try {
      const pages = await Promise.all(["open", "confirmed"].map((s) => api.get(`/api/v1/mediaintel/warnings?status=${s}&limit=200`)));
      const seen = new Set();
      for (const w of pages.flatMap((p) => p.items)) {
        if (!current(w)) continue;
        seen.add(w.id);
        upsert(w);
      }
      for (const [id, entry] of markers) {
        if (!seen.has(id)) { layer.removeLayer(entry.marker); markers.delete(id); }
      }
    } catch (err) {
      if (err.status !== 403) console.warn("peringatan dini tidak dimuat", err);
    }
  }

  const onMessage = (message) => { if (message.warning) upsert(message.warning); };
  if (typeof onEvent === "function") {
    onEvent("warning.created", onMessage);
    onEvent("warning.updated", onMessage);
  }
  refresh();
  timer = setInterval(refresh, REFRESH_MS);
  return {
    layer,
    refresh,
    handle: onMessage,
    destroy() { clearInterval(timer); map.removeLayer(layer); markers.clear(); },
  };
}
