// After-action replay of one alarm (/replay?alarm=ID): the units' GPS tracks, the caller's
// positions and the alarm's timeline, played back on a map with a time slider.
import { Api, WIB, el } from "/static/common.js";
import { startStaffPage } from "/static/login.js";

const api = new Api("siaga.ops.token");
const $ = (id) => document.getElementById(id);
const COLORS = ["#42a5f5", "#66bb6a", "#ffa726", "#ab47bc", "#26c6da", "#ec407a", "#d4e157", "#8d6e63"];
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember"];
const TICK_MS = 100;

const state = { replay: null, start: 0, end: 0, now: 0, speed: 1, timer: null, map: null,
  tracks: [], callers: [], steps: [] };

/** "3 Desember 2026 14.05.09 WIB". */
function wibMoment(ms) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: WIB, year: "numeric", month: "numeric",
    day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(ms));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${Number(get("day"))} ${MONTHS[Number(get("month")) - 1]} ${get("year")} ${get("hour")}.${get("minute")}.${get("second")} WIB`;
}

function clock(ms) { return wibMoment(ms).split(" ")[3]; }

function speedText(kmh) {
  return kmh == null ? "tidak diketahui" : `${Math.round(kmh).toLocaleString("id-ID")} km/jam`;
}

function showMessage(text) {
  $("message").textContent = text;
  $("message").hidden = !text;
}

/** Where a track is at `ms`: interpolated between fixes; null before its first fix. */
function positionAt(fixes, ms) {
  if (!fixes.length || ms < fixes[0].t) return null;
  let i = 0;
  while (i + 1 < fixes.length && fixes[i + 1].t <= ms) i++;
  const a = fixes[i], b = fixes[i + 1];
  if (!b) return { lat: a.lat, lon: a.lon, speed: a.speed_kmh, index: i };
  const f = (ms - a.t) / Math.max(1, b.t - a.t);
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f, speed: a.speed_kmh, index: i };
}

async function initMap() {
  if (!window.L) { $("nomap").hidden = false; return null; }
  let config = {};
  try { config = await api.get("/api/v1/config"); } catch { /* defaults */ }
  const map = L.map("map", { zoomControl: true });
  if (config.tile_url) L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  return map;
}

function unitIcon(track) {
  const label = el("span", { class: "unit-label" }, track.callsign);
  label.style.borderColor = track.color;
  const dot = el("span", { class: "unit-dot" });
  dot.style.background = track.color;
  return L.divIcon({ className: "unit-marker", html: el("span", {}, dot, label), iconSize: [14, 14], iconAnchor: [7, 7] });
}

function drawMap(replay) {
  const map = state.map;
  if (!map) return;
  const bounds = L.latLngBounds([[replay.alarm.lat, replay.alarm.lon]]);
  L.circleMarker([replay.alarm.lat, replay.alarm.lon], { radius: 10, color: "#ff1744", weight: 3, fillOpacity: 0.25 })
    .bindTooltip(`Lokasi alarm #${replay.alarm.id}`).addTo(map);
  for (const p of state.callers) {
    p.marker = L.circleMarker([p.lat, p.lon], { radius: 5, color: "#ff8a80", weight: 2, fillOpacity: 0.6 })
      .bindTooltip(`Posisi pelapor ${clock(p.t)}`).addTo(map);
    bounds.extend([p.lat, p.lon]);
  }
  for (const track of state.tracks) {
    const line = track.fixes.map((f) => [f.lat, f.lon]);
    if (!line.length) continue;
    L.polyline(line, { color: track.color, weight: 3, opacity: 0.35, dashArray: "6 6" }).addTo(map);
    track.done = L.polyline([], { color: track.color, weight: 5, opacity: 0.95 }).addTo(map);
    track.marker = L.marker(line[0], { icon: unitIcon(track), keyboard: false }).addTo(map);
    for (const point of line) bounds.extend(point);
  }
  map.fitBounds(bounds.pad(0.15), { maxZoom: 16 });
}

function listUnits() {
  $("units").replaceChildren(...(state.tracks.length ? state.tracks.map((track) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = track.color;
    track.status = el("div", { class: "muted" }, "");
    return el("li", { "data-unit": track.unit_id },
      swatch, el("strong", {}, track.callsign), " ",
      el("span", { class: track.assigned ? "tag assigned" : "tag" }, track.assigned ? "Ditugaskan" : "Dalam 3 km"),
      el("div", { class: "muted" }, `${track.kind_label} · ${track.fixes.length.toLocaleString("id-ID")} titik GPS`),
      track.status);
  }) : [el("li", { class: "muted" }, "Tidak ada unit dengan jejak GPS di sekitar alarm ini.")]));
}

function listTimeline() {
  state.steps = state.replay.timeline.map((e) => {
    const t = Date.parse(e.at);
    const text = `${e.label}${e.callsign ? ` — ${e.callsign}` : ""}${e.actor ? ` (${e.actor})` : ""}${e.note && !e.callsign ? `: ${e.note}` : ""}`;
    const item = el("li", { tabindex: "0", onclick: () => seek(t) }, el("time", {}, clock(t)), " ", text);
    item.addEventListener("keydown", (ev) => { if (ev.key === "Enter") seek(t); });
    return { t, item };
  });
  $("timeline").replaceChildren(...state.steps.map((s) => s.item));
}

function render() {
  const ms = state.now;
  $("now").textContent = wibMoment(ms);
  $("slider").value = String(Math.round((ms - state.start) / 1000));
  for (const track of state.tracks) {
    if (!track.marker) continue;
    const at = positionAt(track.fixes, ms);
    const shown = at || track.fixes[0];
    track.marker.setLatLng([shown.lat, shown.lon]);
    track.marker.setOpacity(at ? 1 : 0.4);
    track.done.setLatLngs(at ? [...track.fixes.slice(0, at.index + 1).map((f) => [f.lat, f.lon]), [at.lat, at.lon]] : []);
    track.status.textContent = at ? `Kecepatan ${speedText(at.speed)}` : "Belum ada posisi GPS";
  }
  let latest = null;
  for (const p of state.callers) if (p.t <= ms) latest = p;
  for (const p of state.callers) {
    if (p.marker) p.marker.setStyle(p === latest ? { radius: 8, color: "#ffeb3b" } : { radius: 5, color: "#ff8a80" });
  }
  let current = -1;
  state.steps.forEach((s, i) => { if (s.t <= ms) current = i; });
  state.steps.forEach((s, i) => {
    s.item.classList.toggle("current", i === current);
    s.item.classList.toggle("future", s.t > ms);
    if (i === current) s.item.setAttribute("aria-current", "step"); else s.item.removeAttribute("aria-current");
  });
}

function seek(ms) {
  state.now = Math.min(state.end, Math.max(state.start, ms));
  render();
}

function pause() {
  clearInterval(state.timer);
  state.timer = null;
  $("play").textContent = "Putar";
  $("play").classList.remove("playing");
}

function play() {
  if (state.now >= state.end) state.now = state.start;
  $("play").textContent = "Jeda";
  $("play").classList.add("playing");
  let last = performance.now();
  state.timer = setInterval(() => {
    const now = performance.now();
    state.now = Math.min(state.end, state.now + (now - last) * state.speed);
    last = now;
    render();
    if (state.now >= state.end) pause();
  }, TICK_MS);
}

function setSpeed(speed) {
  state.speed = speed;
  for (const b of document.querySelectorAll("[data-speed]")) b.setAttribute("aria-pressed", String(Number(b.dataset.speed) === speed));
}

async function download() {
  const id = state.replay.alarm.id;
  try {
    const response = await fetch(`/api/v1/alarms/${id}/replay.geojson`, { headers: { Authorization: `Bearer ${api.token}` } });
    if (!response.ok) throw new Error(`Unduhan gagal (kode ${response.status})`);
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `putar-ulang-alarm-${id}.geojson` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) { showMessage(err.message); }
}

function prepare(replay) {
  state.replay = replay;
  state.tracks = replay.tracks.map((t, i) => ({ ...t, color: COLORS[i % COLORS.length],
    fixes: t.fixes.map((f) => ({ ...f, t: Date.parse(f.at) })) }));
  state.callers = replay.caller_positions.map((p) => ({ ...p, t: Date.parse(p.at) }));
  const times = [...state.tracks.flatMap((t) => t.fixes.map((f) => f.t)), ...state.callers.map((p) => p.t),
    ...replay.timeline.map((e) => Date.parse(e.at))];
  state.start = Math.min(...times);
  state.end = Math.max(...times, state.start + 1000);
  state.now = state.start;
  $("slider").max = String(Math.ceil((state.end - state.start) / 1000));
}

async function load(id) {
  let replay;
  try { replay = await api.get(`/api/v1/alarms/${id}/replay`); } catch (err) {
    if (err.status === 401) { api.setToken(""); $("page").hidden = true; session.showLogin(); return; }
    showMessage(err.status === 404 ? "Alarm tidak ditemukan atau di luar wilayah Anda." : err.message);
    return;
  }
  const a = replay.alarm;
  $("title").textContent = `Putar ulang alarm #${a.id}`;
  $("summary").textContent = `${a.status_label} · ${a.region_name || "di luar wilayah"} · ${a.org_name || "satuan belum diketahui"} · masuk ${wibMoment(Date.parse(a.triggered_at))}`;
  prepare(replay);
  state.map = state.map || await initMap();
  drawMap(replay);
  listUnits();
  listTimeline();
  $("controls").hidden = false;
  $("download").disabled = false;
  render();
}

async function start() {
  const id = Number(new URLSearchParams(location.search).get("alarm"));
  $("page").hidden = false;
  if (!Number.isInteger(id) || id <= 0) {
    showMessage("Pilih alarm dulu: buka detail alarm di pusat komando lalu tekan \u201cPutar ulang\u201d.");
    return;
  }
  await load(id);
}

$("play").addEventListener("click", () => (state.timer ? pause() : play()));
$("slider").addEventListener("input", () => seek(state.start + Number($("slider").value) * 1000));
for (const b of document.querySelectorAll("[data-speed]")) b.addEventListener("click", () => setSpeed(Number(b.dataset.speed)));
$("download").addEventListener("click", download);
const session = startStaffPage({ api, title: "Siaga — Putar Ulang Alarm", who: null, start, afterLogin: "start" });
