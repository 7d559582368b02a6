// Command center: live map and alarm queue fed by /ws/ops, resuming from the last event seen.
// Every live message goes through onLiveMessage(message); the queue, the map and the detail
// are kept in their own modules (ops-queue.js, ops-markers.js, ops-detail.js).
import { Api, formatTime } from "/static/common.js";
import { connectLive } from "/static/live-socket.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";
import { addRegionOutlines } from "/static/region-outlines.js";
import { createDetail } from "/static/ops-detail.js";
import { failureText, notice } from "/static/dialog.js";
import { isActive, isOfficerSos } from "/static/ops-format.js";
import { mountHistory } from "/static/ops-history.js";
import { mountLegend } from "/static/ops-legend.js";
import { createAlarmMarkers } from "/static/ops-markers.js";
import { STATUS_FILTERS, createQueue } from "/static/ops-queue.js";
import { createUnitList } from "/static/ops-unitlist.js";
import { play as playTone, unlock as unlockSound } from "/static/tones.js";

const api = new Api("siaga.ops.token");
const state = { alarms: new Map(), lastEventId: null, selected: null, me: null, orgs: new Map() };
const listeners = new Map();
const detailHooks = [];
let map = null;
let soundOn = true;
let trail = null;
let markers = null;
let units = null;
let unitList = null;

const $ = (id) => document.getElementById(id);

// --- sound ------------------------------------------------------------------------------------
/** A citizen's alarm: three short beeps. An officer in danger: a rising and falling siren. */
function beep(kind = "citizen") {
  if (soundOn) playTone(kind === "officer" ? "sos" : "alarm");
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
  // Kelurahan/desa outlines of the user's area, under the markers.
  addRegionOutlines(api, map, { tip: (f) => `${f.properties.name} · ${f.properties.org_name}` }).catch(() => {});
  const home = [...state.orgs.values()].find((o) => o.lat != null && o.level !== "polda");
  if (home) map.setView([home.lat, home.lon], home.level === "polsek" ? 14 : 13);
}

async function loadOrgs() {
  try {
    const orgs = await api.get("/api/v1/orgs");
    for (const org of orgs.items) state.orgs.set(org.code, org);
  } catch { /* names fall back to blanks */ }
  const select = $("filter-org");
  for (const org of state.orgs.values()) {
    if (org.level !== "polsek") continue;
    const option = document.createElement("option");
    option.value = org.code;
    option.textContent = org.name;
    select.append(option);
  }
}

const orgName = (code) => (code && state.orgs.get(code)?.name) || "";

// --- state ------------------------------------------------------------------------------------
function upsert(alarm) {
  const known = state.alarms.get(alarm.id);
  if (known && known.version > alarm.version) return false; // never let an older snapshot win
  state.alarms.set(alarm.id, { ...known, ...alarm });
  const merged = state.alarms.get(alarm.id);
  if (markers) markers.draw(merged);
  queue.upsert(merged);
  return !known;
}

/** Every message of the live socket, in order (the socket code calls only this). */
function onLiveMessage(message) {
  if (typeof message.id === "number") state.lastEventId = Math.max(state.lastEventId || 0, message.id);
  if (message.alarm) {
    const before = state.alarms.get(message.alarm.id);
    const isNew = upsert(message.alarm);
    const alarm = state.alarms.get(message.alarm.id);
    const kind = isOfficerSos(alarm) ? "officer" : "citizen";
    if (message.type === "alarm.created" && isNew && alarm.status === "open") beep(kind);
    if (message.type === "alarm.escalated") beep(kind);
    if (alarm.duress && before && !before.duress) beep("officer");
    if (state.selected === alarm.id) detail.refresh(alarm.version);
  }
  for (const fn of listeners.get(message.type) || []) fn(message);
  for (const fn of listeners.get("*") || []) fn(message);
}

async function loadOpenAlarms() {
  const page = await api.get("/api/v1/alarms?status=open&limit=1000");
  for (const alarm of page.items) upsert(alarm);
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
      if (message.type !== "hello") { onLiveMessage(message); return; }
      if (state.lastEventId == null) {
        state.lastEventId = message.last_event_id;
        await loadOpenAlarms();
      }
    },
  });
}

// --- actions ----------------------------------------------------------------------------------
const ACTIONS = {
  acknowledge: (a) => api.post(`/api/v1/alarms/${a.id}/acknowledge`),
  "confirm-cancel": (a) => api.post(`/api/v1/alarms/${a.id}/confirm-cancel`),
  merge: (a) => api.post(`/api/v1/alarms/${a.id}/merge`, { into_id: a.incident_id }),
  unmerge: (a) => api.post(`/api/v1/alarms/${a.id}/unmerge`),
};

/** Explain a refused action in the page; after a lost race, show the alarm as it is now. */
async function failed(err, alarm) {
  const text = failureText(err);
  if (err && err.status === 409 && alarm) {
    try { upsert(await api.get(`/api/v1/alarms/${alarm.id}`)); } catch { /* the notice still explains */ }
    if (state.selected === alarm.id) { detail.explain(text); detail.refresh(); }
  }
  notice(text, err && err.status === 409 ? "warn" : "error");
}

async function act(alarm, action) {
  try {
    const updated = await ACTIONS[action](alarm);
    upsert(updated);
    if (state.selected === alarm.id) detail.refresh();
    return true;
  } catch (err) {
    await failed(err, alarm);
    return false;
  }
}

// --- queue and detail -------------------------------------------------------------------------
const queue = createQueue({ list: $("queue"), count: $("count"), hint: $("hint"), onSelect: select, onAction: act });
const detail = createDetail({ box: $("detail"), api, hooks: detailHooks, alarms: state.alarms, onAction: act,
  onClose: () => select(null) });

for (const [value, label] of STATUS_FILTERS) {
  const option = document.createElement("option");
  option.value = value;
  option.textContent = label;
  $("filter-status").append(option);
}
$("filter-org").addEventListener("change", (e) => queue.setFilter({ org: e.target.value }));
$("filter-status").addEventListener("change", (e) => queue.setFilter({ status: e.target.value }));

async function select(id) {
  state.selected = id;
  queue.select(id);
  if (markers) markers.select(id);
  $("layout").classList.toggle("with-detail", id != null);
  if (map) setTimeout(() => map.invalidateSize(), 0);
  if (trail) { trail.remove(); trail = null; }
  if (id == null) { detail.hide(); return; }
  const known = state.alarms.get(id);
  if (map && known) map.setView([known.lat, known.lon], Math.max(map.getZoom(), 15));
  const alarm = await detail.show(id);
  if (map && alarm && state.selected === id) {
    trail = L.polyline(alarm.locations.map((p) => [p.lat, p.lon]), { color: "#ff8a80", dashArray: "4 6" }).addTo(map);
    if (!known) map.setView([alarm.lat, alarm.lon], Math.max(map.getZoom(), 15));
  }
}

createTabs({ list: document.querySelector(".side .tabs"), prefix: "pane-" }); // alarm queue / units

// --- extension modules (units, warnings, hotspots, dispatch) ---------------------------------
const context = {
  api,
  get map() { return map; },
  get me() { return state.me; },
  alarms: state.alarms,
  on(type, fn) { if (!listeners.has(type)) listeners.set(type, []); listeners.get(type).push(fn); },
  onDetail(fn) { detailHooks.push(fn); },
  refreshDetail() { detail.refresh(); },
  upsertAlarm(alarm) { upsert(alarm); },
  failed,
};
window.siagaOps = context;

async function loadModules() {
  unitList = createUnitList({ root: $("pane-units"), orgName, onFocus: (unit) => {
    if (!units || !units.focus(unit.id)) notice(`${unit.callsign} belum mengirim posisi GPS, jadi tidak tampil di peta.`);
  } });
  const onChange = (unit, removedId) => (unit ? unitList.update(unit) : unitList.remove(removedId));
  const modules = [
    ["/static/ops-units.js", (m) => { units = m.mountUnits(map, api, (type, fn) => context.on(type, fn), { onChange, orgName }); }],
    ["/static/ops-warnings.js", (m) => m.mountWarnings(map, api, (type, fn) => context.on(type, fn))],
    ["/static/ops-hotspots.js", (m) => m.mountHotspots(map, api)],
    ["/static/ops-dispatch.js", (m) => m.mount(context)],
  ];
  for (const [path, mount] of modules) {
    try { await mount(await import(path)); } catch (err) { console.warn(`module ${path} not loaded`, err); }
  }
  mountLegend(map);
  mountHistory({ button: $("history"), api, onOpen: select });
}

// --- start ------------------------------------------------------------------------------------
let ticks = 0;
function tick() {
  $("clock").textContent = `${formatTime(new Date().toISOString())} WIB`;
  queue.tick();
  if (++ticks % 10 === 0) {
    if (unitList) unitList.tick();
    const waiting = [...state.alarms.values()].filter((a) => a.status === "open" && isActive(a));
    if (waiting.length) beep(waiting.some(isOfficerSos) ? "officer" : "citizen");
  }
}

async function start(me) {
  state.me = me;
  $("console").hidden = false;
  $("org").textContent = `${state.me.full_name} · ${state.me.org_name || "Semua satuan"}`;
  await loadOrgs();
  await initMap();
  if (map) markers = createAlarmMarkers(map, { onSelect: select });
  await loadModules();
  connect();
  setInterval(tick, 1000);
}

$("sound").addEventListener("click", () => {
  soundOn = !soundOn;
  $("sound").textContent = soundOn ? "Suara: aktif" : "Suara: mati";
  if (soundOn) beep();
});
startStaffPage({ api, title: "Siaga — Pusat Komando", who: null, start, afterLogin: "start",
  onLogin: unlockSound }); // sound unlocked by the tap that signs in
