// Command center: live map and alarm queue fed by /ws/ops, resuming from the last event seen.
import { Api, el, formatAge, formatDateTime, formatTime, staffLogin } from "/static/common.js";
import { connectLive } from "/static/live-socket.js";

const api = new Api("siaga.ops.token");
const STATUS_LABEL = { open: "BARU", acknowledged: "Diterima", dispatched: "Ditugaskan", en_route: "Menuju lokasi",
  on_scene: "Di lokasi", closed: "Selesai", cancelled: "Dibatalkan" };
// Timeline entries as the operator says them (the API keeps its codes).
const EVENT_LABEL = { created: "Alarm masuk", acknowledged: "Diterima operator", dispatched: "Unit ditugaskan",
  escalated: "Dieskalasi", cancelled: "Dibatalkan pelapor", closed: "Ditutup",
  "unit.accepted": "Unit menerima tugas", "unit.en_route": "Unit menuju lokasi", "unit.on_scene": "Unit tiba di lokasi",
  "unit.cleared": "Unit selesai", "unit.cancelled": "Penugasan unit dibatalkan" };
const ACTIVE = ["open", "acknowledged", "dispatched", "en_route", "on_scene"];
const ACK_TARGET_S = 10;
const state = { alarms: new Map(), markers: new Map(), lastEventId: null, selected: null, me: null };
const listeners = new Map();
const detailHooks = [];
let map = null;
let audio = null;
let soundOn = true;
let trail = null;

const $ = (id) => document.getElementById(id);

// --- sound ------------------------------------------------------------------------------------
function beep() {
  if (!soundOn) return;
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const now = audio.currentTime;
    for (let i = 0; i < 3; i++) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = i % 2 ? 660 : 880;
      gain.gain.setValueAtTime(0.25, now + i * 0.22);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.22 + 0.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.22);
      osc.stop(now + i * 0.22 + 0.2);
    }
  } catch { /* no audio device */ }
}

// --- map --------------------------------------------------------------------------------------
async function initMap() {
  if (!window.L) { $("nomap").hidden = false; return; }
  let config = {};
  try { config = await api.get("/api/v1/config"); } catch { /* defaults */ }
  map = L.map("map", { zoomControl: true }).setView([-7.97, 112.63], 13);
  if (config.tile_url) {
    // Tiles are decoration: markers stay usable on a blank background when tiles can't load.
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  try {
    const orgs = await api.get("/api/v1/orgs");
    const home = orgs.items.find((o) => o.lat != null && o.level !== "polda");
    if (home) map.setView([home.lat, home.lon], home.level === "polsek" ? 14 : 13);
  } catch { /* keep the default view */ }
}

function markerIcon(alarm) {
  const blinking = alarm.status === "open" ? " blinking" : "";
  return L.divIcon({ className: "", html: `<div class="alarm-dot ${alarm.status}${blinking}" data-alarm="${alarm.id}"></div>`, iconSize: [28, 28], iconAnchor: [14, 14] });
}

function drawMarker(alarm) {
  if (!map) return;
  const marker = state.markers.get(alarm.id);
  if (!ACTIVE.includes(alarm.status)) {
    if (marker) { marker.remove(); state.markers.delete(alarm.id); }
    return;
  }
  if (!marker) {
    const m = L.marker([alarm.lat, alarm.lon], { icon: markerIcon(alarm), zIndexOffset: 1000 }).addTo(map);
    m.on("click", () => select(alarm.id));
    state.markers.set(alarm.id, m);
  } else {
    marker.setLatLng([alarm.lat, alarm.lon]);
    marker.setIcon(markerIcon(alarm));
  }
}

// --- state ------------------------------------------------------------------------------------
function upsert(alarm) {
  const known = state.alarms.get(alarm.id);
  if (known && known.version > alarm.version) return false; // never let an older snapshot win
  state.alarms.set(alarm.id, alarm);
  drawMarker(alarm);
  return !known;
}

function handleEvent(message) {
  if (typeof message.id === "number") state.lastEventId = Math.max(state.lastEventId || 0, message.id);
  if (message.alarm) {
    const isNew = upsert(message.alarm);
    if (message.type === "alarm.created" && isNew && message.alarm.status === "open") beep();
    if (message.type === "alarm.escalated") beep();
    renderQueue();
    if (state.selected === message.alarm.id) showDetail(message.alarm.id);
  }
  for (const fn of listeners.get(message.type) || []) fn(message);
  for (const fn of listeners.get("*") || []) fn(message);
}

async function loadOpenAlarms() {
  const page = await api.get("/api/v1/alarms?status=open&limit=1000");
  for (const alarm of page.items) upsert(alarm);
  renderQueue();
}

// --- live socket ------------------------------------------------------------------------------
// live-socket.js gets a single-use ticket, connects, reconnects and resumes after the last id.
function connect() {
  connectLive({
    api,
    after: () => state.lastEventId,
    onStatus: (status) => {
      $("conn").classList.toggle("live", status === "connected");
      if (status === "unauthorized") { api.setToken(""); location.reload(); }
    },
    onMessage: async (message) => {
      if (message.type !== "hello") { handleEvent(message); return; }
      if (state.lastEventId == null) {
        state.lastEventId = message.last_event_id;
        await loadOpenAlarms();
      }
    },
  });
}

// --- queue ------------------------------------------------------------------------------------
function ageSeconds(alarm) { return (Date.now() - new Date(alarm.created_at).getTime()) / 1000; }

function renderQueue() {
  const active = [...state.alarms.values()].filter((a) => ACTIVE.includes(a.status))
    .sort((a, b) => new Date(a.created_at) - new Date(b.created_at));
  $("count").textContent = active.length;
  $("queue").replaceChildren(...active.map((alarm) => {
    const age = ageSeconds(alarm);
    const late = alarm.status === "open" && age > ACK_TARGET_S;
    return el("li", { class: `${alarm.status}${state.selected === alarm.id ? " selected" : ""}`, "data-alarm": alarm.id,
      onclick: () => select(alarm.id) },
      el("div", {},
        el("strong", {}, `#${alarm.id} ${STATUS_LABEL[alarm.status] || alarm.status}`), " ",
        alarm.device_flagged ? el("span", { class: "flag", title: "Perangkat pernah mengirim alarm palsu" }, "⚑ pernah palsu ") : null,
        alarm.escalation_level ? el("span", { class: "esc" }, `▲ eskalasi ${alarm.escalation_level}`) : null,
        el("div", { class: "muted" }, `${alarm.region_name || "di luar wilayah"} · ${alarm.org_name || "-"}`),
        el("div", { class: "muted" }, `${alarm.caller_name || ""} ${alarm.caller_phone || ""}`)),
      el("div", {},
        el("div", { class: `timer${late ? " late" : ""}` }, formatAge(age)),
        alarm.status === "open" ? el("button", { class: "ack", onclick: (e) => { e.stopPropagation(); acknowledge(alarm.id); } }, "Terima") : null));
  }));
}

async function acknowledge(id) {
  try {
    const alarm = await api.post(`/api/v1/alarms/${id}/acknowledge`);
    upsert(alarm);
    renderQueue();
    if (state.selected === id) showDetail(id);
  } catch (err) { alert(err.message); }
}

// --- detail -----------------------------------------------------------------------------------
function select(id) {
  state.selected = id;
  renderQueue();
  const alarm = state.alarms.get(id);
  if (map && alarm) map.setView([alarm.lat, alarm.lon], Math.max(map.getZoom(), 15));
  showDetail(id);
}

async function showDetail(id) {
  const box = $("detail");
  let alarm;
  try { alarm = await api.get(`/api/v1/alarms/${id}`); } catch (err) { box.hidden = false; box.textContent = err.message; return; }
  box.hidden = false;
  const extra = el("div", { class: "detail-extra" });
  // Parts that do not apply are null; replaceChildren would print them as "null".
  box.replaceChildren(...[
    el("h3", {}, `Alarm #${alarm.id} — ${STATUS_LABEL[alarm.status] || alarm.status}`),
    el("dl", {},
      el("dt", {}, "Pelapor"), el("dd", {}, alarm.caller_name || "-"),
      el("dt", {}, "Telepon"), el("dd", {}, alarm.caller_phone ? el("a", { href: `tel:${alarm.caller_phone}` }, alarm.caller_phone) : "-"),
      el("dt", {}, "Lokasi"), el("dd", {}, `${alarm.lat.toFixed(5)}, ${alarm.lon.toFixed(5)}${alarm.accuracy_m ? ` (±${Math.round(alarm.accuracy_m)} m)` : ""}`),
      el("dt", {}, "Wilayah"), el("dd", {}, `${alarm.region_name || "di luar wilayah"} · ${alarm.org_name || "-"}`),
      el("dt", {}, "Masuk"), el("dd", {}, formatDateTime(alarm.created_at)),
      alarm.device_flagged ? [el("dt", {}, "Catatan"), el("dd", { class: "flag" }, "Perangkat ini pernah mengirim alarm palsu — tetap tangani.")] : null),
    alarm.status === "open" ? el("button", { class: "ack", onclick: () => acknowledge(alarm.id) }, "Terima alarm") : null,
    extra,
    el("h4", {}, "Riwayat"),
    el("ul", { class: "timeline" }, alarm.timeline.map((t) =>
      el("li", {}, `${formatTime(t.at)} — ${EVENT_LABEL[t.type] || t.type}${t.actor ? ` (${t.actor})` : ""}${t.note ? `: ${t.note}` : ""}`))),
    el("h4", {}, `Riwayat lokasi (${alarm.locations.length})`),
    el("ul", { class: "timeline" }, alarm.locations.map((p) =>
      el("li", {}, `${formatTime(p.at)} — ${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`))),
  ].filter((node) => node != null));
  for (const hook of detailHooks) {
    try { await hook(alarm, extra); } catch (err) { console.error(err); }
  }
  if (map) {
    if (trail) trail.remove();
    trail = L.polyline(alarm.locations.map((p) => [p.lat, p.lon]), { color: "#ff8a80", dashArray: "4 6" }).addTo(map);
  }
}

// --- extension modules (units, warnings, dispatch) -------------------------------------------
const context = {
  api,
  get map() { return map; },
  get me() { return state.me; },
  alarms: state.alarms,
  on(type, fn) { if (!listeners.has(type)) listeners.set(type, []); listeners.get(type).push(fn); },
  onDetail(fn) { detailHooks.push(fn); },
  refreshDetail() { if (state.selected) showDetail(state.selected); },
  upsertAlarm(alarm) { upsert(alarm); renderQueue(); },
};
window.siagaOps = context;

async function loadModules() {
  const modules = [
    ["/static/ops-units.js", (m) => m.mountUnits(map, api, (type, fn) => context.on(type, fn))],
    ["/static/ops-warnings.js", (m) => m.mountWarnings(map, api, (type, fn) => context.on(type, fn))],
    ["/static/ops-hotspots.js", (m) => m.mountHotspots(map, api)],
    ["/static/ops-dispatch.js", (m) => m.mount(context)],
  ];
  for (const [path, mount] of modules) {
    try { await mount(await import(path)); } catch (err) { console.warn(`module ${path} not loaded`, err); }
  }
}

// --- start ------------------------------------------------------------------------------------
function tick() {
  $("clock").textContent = `${formatTime(new Date().toISOString())} WIB`;
  renderQueue();
  const waiting = [...state.alarms.values()].some((a) => a.status === "open");
  if (waiting && Math.floor(Date.now() / 1000) % 10 === 0) beep();
}

async function start() {
  try { state.me = api.token ? await api.get("/api/v1/auth/me") : null; } catch { state.me = null; }
  if (!state.me) { $("login").hidden = false; return; }
  $("console").hidden = false;
  $("org").textContent = `${state.me.full_name} · ${state.me.org_name || "Semua satuan"}`;
  await initMap();
  await loadModules();
  connect();
  setInterval(tick, 1000);
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await staffLogin(api, form.get("username"), form.get("password"));
    audio = new (window.AudioContext || window.webkitAudioContext)(); // unlocked by this click
    $("login").hidden = true;
    start();
  } catch (err) { $("login-error").textContent = err.message; }
});
$("logout").addEventListener("click", () => { api.setToken(""); location.reload(); });
$("sound").addEventListener("click", () => {
  soundOn = !soundOn;
  $("sound").textContent = soundOn ? "🔔 Suara aktif" : "🔕 Suara mati";
  if (soundOn) beep();
});
start();
