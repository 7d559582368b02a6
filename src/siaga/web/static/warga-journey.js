// "Antar Aku": a timed journey home. The position is shared while it runs; when the time is up
// and the citizen has not checked in, the phone asks for 60 s, then raises an alarm that carries
// the journey's recent positions. A journey ended safely leaves no track on the server.
import { Api, WIB, el } from "/static/common.js";
import * as outbox from "/static/warga-queue.js";
import { play as playTone } from "/static/tones.js";

const KEY = "siaga.warga.journey";
const ASK_S = 60;
const ARRIVED_M = 100;
const SEND_EVERY_MS = 30000;
const MAX_MINUTES = 240;  // the server's limit for one journey
const api = () => new Api("siaga.warga.token");
const $ = (id) => document.getElementById(id);
const clock = new Intl.DateTimeFormat("id-ID", { hour: "2-digit", minute: "2-digit", timeZone: WIB });

let journey = load();   // { id, endAt (local ms), dest: {lat, lon} | null, label, askUntil, alarmClientId }
let watchId = null;
let lastSent = 0;
let lastFix = null;
let ticker = null;
let beeper = null;
let picked = null;      // destination chosen on the map
let map = null;

function load() { try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch { return null; } }
function save() { if (journey) localStorage.setItem(KEY, JSON.stringify(journey)); else localStorage.removeItem(KEY); }

function metres(a, b) {
  const r = 6371000, rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

function render() {
  const running = Boolean(journey);
  $("journey-setup").hidden = running;
  $("journey-run").hidden = !running;
  $("journey-ask").hidden = !(journey && journey.askUntil && !journey.alarmClientId);
  if (!running) return;
  const where = journey.label ? ` ke ${journey.label}` : "";
  const queued = journey.alarmClientId && outbox.loadOutbox().some((a) => a.client_id === journey.alarmClientId);
  $("journey-state").textContent = journey.alarmClientId
    ? (queued ? "Anda tidak menjawab. Alarm dikirim bersama posisi terakhir Anda."
      : "Anda tidak menjawab, tetapi lokasi Anda tidak diketahui. Telepon 110 sekarang.")
    : `Perjalanan${where} berjalan. Perkiraan tiba pukul ${clock.format(new Date(journey.endAt))} WIB.`;
  const left = Math.max(0, Math.round((journey.endAt - Date.now()) / 60000));
  $("journey-left").textContent = journey.alarmClientId || journey.askUntil ? "" : `Sisa waktu sekitar ${left} menit.`;
  $("journey-safe").hidden = Boolean(journey.alarmClientId);
}

// --- position ----------------------------------------------------------------------------------
function follow() {
  if (watchId !== null || !navigator.geolocation) return;
  watchId = navigator.geolocation.watchPosition(onFix, () => {}, { enableHighAccuracy: true, maximumAge: 15000 });
}

function stopFollowing() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
}

async function onFix(pos) {
  lastFix = { lat: pos.coords.latitude, lon: pos.coords.longitude,
    accuracy_m: Math.round(pos.coords.accuracy || 0) || null,
    fix_at: new Date(pos.timestamp || Date.now()).toISOString() };
  if (!journey || journey.alarmClientId) return;
  if (journey.dest && metres(lastFix, journey.dest) <= ARRIVED_M) {
    $("journey-near").hidden = false;
  }
  if (Date.now() - lastSent < SEND_EVERY_MS) return;
  lastSent = Date.now();
  try { await api().post(`/api/v1/journeys/${journey.id}/position`, lastFix); } catch { lastSent = 0; }
}

// --- the question when time is up ---------------------------------------------------------------
function tick() {
  if (!journey) return;
  const now = Date.now();
  if (!journey.askUntil && now >= journey.endAt) {
    journey.askUntil = now + ASK_S * 1000;
    save();
    startBeeping();
  }
  if (journey.askUntil && !journey.alarmClientId) {
    const left = Math.max(0, Math.ceil((journey.askUntil - now) / 1000));
    $("journey-countdown").textContent = `${left}`;
    if (left === 0) raiseAlarm();
  }
  if (journey && journey.alarmClientId) attachPositions();
  render();
}

function startBeeping() {
  const beep = () => {
    if (navigator.vibrate) navigator.vibrate([400, 200, 400]);
    playTone("journey");
  };
  beep();
  clearInterval(beeper);
  beeper = setInterval(beep, 3000);
}

function stopBeeping() { clearInterval(beeper); beeper = null; }

function raiseAlarm() {
  stopBeeping();
  const position = lastFix || JSON.parse(localStorage.getItem("siaga.warga.lastpos") || "null");
  journey.alarmClientId = outbox.newClientId();
  save();
  if (position) {
    outbox.enqueue({ client_id: journey.alarmClientId, lat: position.lat, lon: position.lon,
      accuracy_m: position.accuracy_m || null, fix_at: position.fix_at || null,
      triggered_at: new Date().toISOString(), kind: "panic" });
    // warga.js sends the outbox and shows the alarm's progress as for a pressed Help button.
    window.dispatchEvent(new Event("siaga:alarm-queued"));
  }
}

let attaching = false;
async function attachPositions() {
  if (attaching) return;
  const sent = outbox.loadOutbox().find((a) => a.client_id === journey.alarmClientId && a.id);
  if (!sent) return;
  attaching = true;
  try {
    await api().post(`/api/v1/journeys/${journey.id}/alarm`, { alarm_id: sent.id });
    end();
  } catch (err) {
    if (err.status === 404 || err.status === 409) end();
  } finally { attaching = false; }
}

// --- start / end -------------------------------------------------------------------------------
async function begin(minutes) {
  $("journey-error").textContent = "";
  $("journey-done").textContent = "";  // "sudah sampai" belonged to the journey before
  if (minutes > MAX_MINUTES) {
    $("journey-error").textContent = `Waktu tiba paling lama ${MAX_MINUTES / 60} jam (${MAX_MINUTES} menit) dari sekarang. Pilih pukul yang lebih dekat.`;
    return;
  }
  const label = $("journey-dest").value.trim();
  const body = { minutes };
  if (picked) Object.assign(body, { dest_lat: picked.lat, dest_lon: picked.lon });
  if (label || picked) body.dest_label = label || "titik di peta";
  try {
    const data = await api().post("/api/v1/journeys", body);
    journey = { id: data.id, endAt: Date.now() + minutes * 60000,
      dest: picked ? { ...picked } : null, label: body.dest_label || null,
      askUntil: null, alarmClientId: null };
    save();
    lastSent = 0;
    follow();
    render();
  } catch (err) {
    $("journey-error").textContent = err.status ? err.message : "Tidak ada sinyal. Perjalanan belum bisa dimulai; coba lagi.";
  }
}

function minutesUntil(value) {
  const [h, m] = value.split(":").map(Number);
  const now = new Date();
  const wib = new Date(now.getTime() + 7 * 3600000);  // the clock the citizen reads (WIB)
  let minutes = h * 60 + m - (wib.getUTCHours() * 60 + wib.getUTCMinutes());
  if (minutes <= 0) minutes += 24 * 60;
  return minutes;
}

function end() {
  stopBeeping();
  stopFollowing();
  journey = null;
  save();
  $("journey-near").hidden = true;
  render();
}

async function checkIn() {
  const id = journey.id;
  try {
    await api().post(`/api/v1/journeys/${id}/check-in`);
  } catch (err) {
    if (err.status !== 404 && err.status !== 409) {
      $("journey-error").textContent = "Belum tersambung ke server. Coba ketuk 'Saya aman' lagi.";
      return;
    }
  }
  end();
  $("journey-done").textContent = "Syukurlah Anda sudah sampai. Jejak perjalanan sudah dihapus.";
}

// --- destination on a small map (Leaflet loaded only when asked for) ------------------------------
function loadLeaflet() {
  if (window.L) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const css = el("link", { rel: "stylesheet", href: "/vendor/leaflet/leaflet.css" });
    document.head.append(css);
    const script = el("script", { src: "/vendor/leaflet/leaflet.js" });
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

async function openMap() {
  const box = $("journey-map");
  box.hidden = false;
  if (map) return;
  try { await loadLeaflet(); } catch { box.textContent = "Peta tidak bisa dimuat. Tulis nama tujuan saja."; return; }
  const start = lastFix || JSON.parse(localStorage.getItem("siaga.warga.lastpos") || "null") || { lat: -7.98, lon: 112.63 };
  map = window.L.map(box).setView([start.lat, start.lon], 15);
  try {
    const cfg = await api().get("/api/v1/config");
    if (cfg.tile_url) window.L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution, maxZoom: 19 }).addTo(map);
  } catch { /* the map still takes a tap without tiles */ }
  let marker = null;
  map.on("click", (e) => {
    picked = { lat: e.latlng.lat, lon: e.latlng.lng };
    if (marker) marker.setLatLng(e.latlng); else marker = window.L.marker(e.latlng).addTo(map);
    $("journey-picked").textContent = "Tujuan dipilih di peta.";
  });
}

export function mount() {
  if (!$("journey")) return;
  document.querySelectorAll("#journey [data-minutes]").forEach((b) =>
    b.addEventListener("click", () => begin(Number(b.dataset.minutes))));
  $("journey-at-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("journey-at").value;
    if (value) begin(minutesUntil(value));
  });
  $("journey-open-map").addEventListener("click", openMap);
  $("journey-safe").addEventListener("click", checkIn);
  $("journey-ask-safe").addEventListener("click", checkIn);
  $("journey-near-safe").addEventListener("click", checkIn);
  if (journey) follow();
  if (journey && journey.askUntil && !journey.alarmClientId) startBeeping();  // reopened while asking
  ticker = setInterval(tick, 1000);
  render();
  return ticker;
}

mount();
