// Live unit layer for /ops: markers coloured by status, an arrow for heading, stale units
// dimmed, callsign labels when zoomed in, clusters when many units crowd the map, and a unit's
// recent trail on click. Units without a GPS fix are not drawn (desks stand at their post).
//
//   import { mountUnits } from "/static/ops-units.js";
//   const units = mountUnits(map, api, onEvent, { onChange, orgName });
//
// map: a Leaflet map; api: an Api from common.js; onEvent(type, fn): registers fn for the
// /ws/ops messages of that type (ops.js: `(type, fn) => context.on(type, fn)`); a one-argument
// onEvent(fn) receiving every message works too. The layer listens to unit.position,
// unit.status, unit.created and unit.alarm. onChange(unit) hears every change (the unit list);
// orgName(code) names a unit's organisation. Returns { layer, refresh, handle, focus, units,
// destroy }, or null when Leaflet is missing.
import { UNIT_KIND_LABELS, formatTime } from "/static/common.js";
import { formatAgo } from "/static/ops-format.js";

export const STATUS = {
  available: { label: "Tersedia", color: "#2e7d32" },
  dispatched: { label: "Ditugaskan", color: "#ef6c00" },
  en_route: { label: "Menuju lokasi", color: "#1565c0" },
  on_scene: { label: "Di lokasi", color: "#6a1b9a" },
  returning: { label: "Kembali", color: "#00838f" },
  out_of_service: { label: "Tidak bertugas", color: "#616161" },
};
const KIND = { car: "R4", motorbike: "R2", desk: "P", officer: "O" };
export const KIND_LABEL = UNIT_KIND_LABELS;
const EVENT_TYPES = ["unit.position", "unit.status", "unit.created", "unit.alarm"];
const TRAIL_MINUTES = 30;
const REFRESH_MS = 60_000;
// Below this many drawn units every marker stands alone; above, nearby ones cluster until
// zoomed in (a Polres of a few dozen units reads better unclustered).
const CLUSTER_FROM = 60;
const LABEL_ZOOM = 15;

function injectStyle() {
  if (document.getElementById("ops-units-style")) return;
  const style = document.createElement("style");
  style.id = "ops-units-style";
  style.textContent = `
.unit-icon { background: none; border: none; }
.unit-dot { position: relative; width: 26px; height: 26px; border-radius: 50%; border: 2px solid #fff;
  box-shadow: 0 0 3px rgba(0,0,0,.6); color: #fff; font: bold 10px/22px sans-serif; text-align: center; }
.unit-dot.desk { border-radius: 4px; }
.unit-dot.stale { opacity: .45; border-style: dashed; filter: grayscale(60%); }
.unit-arrow { position: absolute; left: 50%; top: 50%; width: 0; height: 0; }
.unit-arrow::before { content: ""; position: absolute; left: -5px; top: -23px; border-left: 5px solid transparent;
  border-right: 5px solid transparent; border-bottom: 9px solid currentColor; }
.unit-alarm { animation: unit-blink 0.8s steps(2) infinite; }
@keyframes unit-blink { 50% { box-shadow: 0 0 0 6px rgba(211,47,47,.8); } }
.unit-popup b { font-size: 1.05em; } .unit-popup small { color: #555; }
.unit-label { display: none; position: absolute; left: 28px; top: 4px; white-space: nowrap; padding: 0 4px;
  background: rgba(255,255,255,.9); color: #111; border-radius: 3px; font: 600 11px/16px sans-serif; }
.labels-on .unit-label { display: block; }
.labels-on .unit-label.crowded { display: none; }
.unit-cluster { display: grid; place-items: center; width: 36px; height: 36px; border-radius: 8px; background: #263238;
  color: #fff; border: 2px solid #b0bec5; font: bold 13px sans-serif; box-shadow: 0 0 3px rgba(0,0,0,.6); }`;
  document.head.append(style);
}

function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

function isStale(unit, staleMinutes) {
  if (unit.kind === "desk") return false;
  if (unit.stale) return true;
  const at = unit.position && unit.position.at;
  return !at || Date.now() - new Date(at).getTime() > staleMinutes * 60_000;
}

/** Drawn on the map: a fix from its GPS app, or a desk at its post. */
export function drawable(unit) {
  return Boolean(unit.position) && (Boolean(unit.position.at) || unit.kind === "desk");
}

function iconHtml(unit, staleMinutes, alarm) {
  const status = STATUS[unit.status] || STATUS.out_of_service;
  const stale = isStale(unit, staleMinutes);
  const moving = unit.heading !== null && unit.heading !== undefined && unit.kind !== "desk";
  const arrow = moving
    ? `<span class="unit-arrow" style="transform: rotate(${Number(unit.heading)}deg); color: ${status.color}"></span>`
    : "";
  const classes = ["unit-dot", unit.kind === "desk" ? "desk" : "", stale ? "stale" : "", alarm ? "unit-alarm" : ""].join(" ");
  return `<div class="${classes}" style="background: ${status.color}">${arrow}${KIND[unit.kind] || "?"}</div>`
    + `<span class="unit-label">${escapeHtml(unit.callsign)}</span>`;
}

function icon(html) {
  return L.divIcon({ className: "unit-icon", iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -14], html });
}

function clusterIcon(cluster) {
  return L.divIcon({ className: "unit-icon", iconSize: [36, 36],
    html: `<div class="unit-cluster" title="Kumpulan unit">${cluster.getChildCount()}</div>` });
}

// A popup built from text nodes only: callsigns, crews and names never become markup.
function popupHtml(unit, staleMinutes, orgName) {
  const status = STATUS[unit.status] || { label: unit.status };
  const pos = unit.position;
  const box = document.createElement("div");
  box.className = "unit-popup";
  const line = (text, tag = "div") => {
    if (!text) return null;
    const node = document.createElement(tag);
    node.textContent = text;
    box.append(node);
    return node;
  };
  const head = line(unit.callsign, "b");
  if (head) head.style.display = "block";
  line(KIND_LABEL[unit.kind] || unit.kind, "small");
  line(`Status: ${status.label}`);
  if (unit.org_code) line(orgName(unit.org_code), "small");
  line(pos && pos.at ? `Posisi terakhir: ${formatTime(pos.at)} WIB (${formatAgo(pos.at)})${isStale(unit, staleMinutes) ? " · usang" : ""}`
    : unit.kind === "desk" ? "Di pos piket" : "Belum ada posisi GPS");
  if (unit.speed_kmh !== null && unit.speed_kmh !== undefined) line(`Kecepatan: ${Math.round(unit.speed_kmh)} km/j`);
  if (unit.battery !== null && unit.battery !== undefined) line(`Baterai: ${Math.round(unit.battery)}%`);
  if ((unit.crew || []).length) line(`Awak: ${unit.crew.join(", ")}`);
  return box;
}

export function mountUnits(map, api, onEvent, { staleMinutes = 5, onChange = () => {}, orgName = () => "" } = {}) {
  if (typeof L === "undefined" || !map) return null;
  injectStyle();
  const plain = L.layerGroup().addTo(map);
  const cluster = L.markerClusterGroup ? L.markerClusterGroup({ disableClusteringAtZoom: LABEL_ZOOM + 1,
    maxClusterRadius: 45, showCoverageOnHover: false, chunkedLoading: true, iconCreateFunction: clusterIcon }) : null;
  let layer = plain;
  let drawn = 0;
  let declutterPending = false;
  const labels = () => {
    map.getContainer().classList.toggle("labels-on", map.getZoom() >= LABEL_ZOOM);
    scheduleDeclutter();
  };
  map.on("zoomend", labels);
  map.on("moveend", scheduleDeclutter);
  labels();
  const trailLayer = L.layerGroup().addTo(map);
  const units = new Map(); // id -> { unit, marker, alarmUntil }
  let trailFor = null;
  let timer = null;

  function newer(old, next) {
    // Never let an older snapshot replace a newer one (events can be replayed).
    const a = old.position && old.position.at, b = next.position && next.position.at;
    if (a && b && new Date(b) < new Date(a)) return { ...next, position: old.position, heading: old.heading, speed_kmh: old.speed_kmh };
    if (a && !b && next.position === null) return { ...next, position: old.position };
    return next;
  }

  function draw(id) {
    const entry = units.get(id);
    if (!entry) return;
    const { unit } = entry;
    const alarm = entry.alarmUntil && entry.alarmUntil > Date.now();
    if (!drawable(unit)) {
      if (entry.marker) { layer.removeLayer(entry.marker); entry.marker = null; drawn--; }
      return;
    }
    const latlng = [unit.position.lat, unit.position.lon];
    const html = iconHtml(unit, staleMinutes, alarm);
    if (!entry.marker) {
      entry.marker = L.marker(latlng, { icon: icon(html), title: unit.callsign, keyboard: true });
      entry.html = html;
      entry.marker.bindPopup(() => popupHtml(units.get(id).unit, staleMinutes, orgName));
      entry.marker.on("click", () => showTrail(id));
      entry.marker.on("popupclose", () => { if (trailFor === id) clearTrail(); });
      entry.marker.addTo(layer);
      drawn++;
      if (cluster && layer === plain && drawn >= CLUSTER_FROM) useClusters();
      scheduleDeclutter();
    } else {
      const at = entry.marker.getLatLng();
      if (at.lat !== latlng[0] || at.lng !== latlng[1]) entry.marker.setLatLng(latlng);
      if (entry.html !== html) { entry.marker.setIcon(icon(html)); entry.html = html; scheduleDeclutter(); }
      else if (at.lat !== latlng[0] || at.lng !== latlng[1]) scheduleDeclutter();
      if (entry.marker.isPopupOpen()) entry.marker.setPopupContent(popupHtml(unit, staleMinutes, orgName));
    }
  }

  function scheduleDeclutter() {
    if (declutterPending) return;
    declutterPending = true;
    setTimeout(() => { declutterPending = false; declutter(); }, 50);
  }

  /** Callsign labels that would cover another label or unit are hidden (the callsign stays in
   *  the marker's title and popup); the open popup's unit and moving units are labelled first. */
  function declutter() {
    if (map.getZoom() < LABEL_ZOOM) return;
    const size = map.getSize();
    const entries = [];
    for (const entry of units.values()) {
      const node = entry.marker && entry.marker.getElement && entry.marker.getElement();
      const label = node && node.querySelector(".unit-label");
      if (!label) continue;
      const p = map.latLngToContainerPoint(entry.marker.getLatLng());
      if (p.x < -200 || p.y < -50 || p.x > size.x + 50 || p.y > size.y + 50) continue;
      const rank = entry.marker.isPopupOpen() ? 0 : entry.unit.status !== "available" ? 1 : 2;
      entries.push({ entry, label, p, rank, width: 8 + 6.5 * String(entry.unit.callsign || "").length });
    }
    entries.sort((a, b) => a.rank - b.rank || a.entry.unit.id - b.entry.unit.id);
    const taken = entries.map(({ p }) => ({ left: p.x - 13, right: p.x + 13, top: p.y - 13, bottom: p.y + 13, dot: true }));
    for (const item of entries) {
      const box = { left: item.p.x + 15, right: item.p.x + 15 + item.width, top: item.p.y - 9, bottom: item.p.y + 8 };
      const hit = taken.some((t) => !(t.right <= box.left || t.left >= box.right || t.bottom <= box.top || t.top >= box.bottom)
        && !(t.dot && t.left === item.p.x - 13 && t.top === item.p.y - 13));
      item.label.classList.toggle("crowded", hit);
      if (!hit) taken.push(box);
    }
  }

  function useClusters() {
    const all = [...units.values()].map((e) => e.marker).filter(Boolean);
    plain.clearLayers();
    map.removeLayer(plain);
    layer = cluster;
    cluster.addLayers(all);
    map.addLayer(cluster);
  }

  function upsert(unit, { alarm = false } = {}) {
    if (!unit || unit.id === undefined) return;
    const entry = units.get(unit.id);
    if (entry) entry.unit = newer(entry.unit, unit);
    else units.set(unit.id, { unit, marker: null, alarmUntil: 0 });
    if (alarm) units.get(unit.id).alarmUntil = Date.now() + 5 * 60_000;
    draw(unit.id);
    if (trailFor === unit.id && unit.position) extendTrail(unit);
    onChange(units.get(unit.id).unit);
  }

  function clearTrail() {
    trailLayer.clearLayers();
    trailFor = null;
  }

  function extendTrail(unit) {
    trailLayer.eachLayer((l) => { if (l instanceof L.Polyline) l.addLatLng([unit.position.lat, unit.position.lon]); });
  }

  async function showTrail(id) {
    clearTrail();
    trailFor = id;
    const since = new Date(Date.now() - TRAIL_MINUTES * 60_000).toISOString();
    let data;
    try {
      data = await api.get(`/api/v1/units/${id}/track.geojson?since=${encodeURIComponent(since)}`);
    } catch (err) {
      console.warn("jejak unit tidak dapat dimuat", err);
      return;
    }
    if (trailFor !== id || !data) return;
    const color = (STATUS[units.get(id)?.unit.status] || STATUS.out_of_service).color;
    L.geoJSON(data, {
      style: { color, weight: 3, opacity: 0.8, dashArray: "6 4" },
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 2.5, color, weight: 1, fillOpacity: 0.7 })
        .bindTooltip(formatTime(feature.properties.at)),
    }).eachLayer((l) => trailLayer.addLayer(l));
  }

  async function refresh() {
    let offset = 0;
    const seen = new Set();
    for (;;) {
      const page = await api.get(`/api/v1/units?limit=1000&offset=${offset}`);
      for (const unit of page.items) { seen.add(unit.id); upsert(unit); }
      offset += page.items.length;
      if (!page.items.length || offset >= page.total) break;
    }
    for (const [id, entry] of units) {
      if (!seen.has(id)) { if (entry.marker) { layer.removeLayer(entry.marker); drawn--; } units.delete(id); onChange(null, id); }
    }
  }

  function handle(message) {
    if (!message || typeof message.type !== "string" || !message.type.startsWith("unit.")) return;
    upsert(message.unit, { alarm: message.type === "unit.alarm" });
  }

  if (typeof onEvent === "function") {
    if (onEvent.length >= 2) for (const type of EVENT_TYPES) onEvent(type, handle);
    else onEvent(handle);
  }
  refresh().catch((err) => console.warn("daftar unit tidak dapat dimuat", err));
  // Re-read the list now and then: fixes dim as they age, and a missed event heals itself.
  timer = setInterval(() => {
    for (const id of units.keys()) draw(id);
    refresh().catch(() => {});
  }, REFRESH_MS);

  return {
    layer,
    refresh,
    handle,
    units,
    focus(id) {
      const entry = units.get(id);
      if (!entry || !entry.marker) return false;
      const open = () => {
        // Close enough to read the callsign labels.
        if (map.getZoom() < LABEL_ZOOM) map.setView(entry.marker.getLatLng(), LABEL_ZOOM);
        entry.marker.openPopup();
        showTrail(id);
      };
      if (layer === cluster) cluster.zoomToShowLayer(entry.marker, open);
      else { map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), LABEL_ZOOM)); open(); }
      return true;
    },
    destroy() {
      clearInterval(timer);
      map.removeLayer(layer);
      map.removeLayer(trailLayer);
      units.clear();
    },
  };
}
