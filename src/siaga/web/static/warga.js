// Citizen page: registration, the three-press Help button, the offline outbox, status, info menu.
import { Api, el, formatDistance, formatTime } from "/static/common.js";
import { backoff } from "/static/outbox.js";
import * as outbox from "/static/warga-queue.js";
import { offerSms, rememberGateway } from "/static/warga-sms.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.warga.token");
const PRESSES = 3;
const PRESS_WINDOW_MS = 3000;
const STATUS_TEXT = {
  open: "Alarm terkirim. Menunggu operator…",
  acknowledged: "Diterima operator. Bantuan sedang diatur.",
  coming: "Petugas menuju lokasi Anda.",
  on_scene: "Petugas sudah tiba di lokasi.",
  cleared: "Petugas sudah selesai menangani di lokasi. Operator akan menutup alarm ini.",
  closed: "Alarm sudah ditutup operator.",
  cancelled: "Alarm dibatalkan.",
};
// How the operator closed the alarm, in the caller's words.
const OUTCOME_TEXT = {
  genuine: "Selesai: kejadian sudah ditangani petugas.",
  false_alarm: "Ditutup operator: tidak ada keadaan darurat.",
  prank: "Ditutup operator sebagai laporan iseng.",
  duplicate: "Ditutup: digabung dengan laporan lain untuk kejadian yang sama.",
};
// A unit is really on its way (or there) only in these assignment states.
const COMING = ["dispatched", "accepted", "en_route"];
const FIX_STALE_MS = 2 * 60 * 1000;
let presses = [];
let pressTimer = null;
let lastPosition = JSON.parse(localStorage.getItem("siaga.warga.lastpos") || "null");
let watchId = null;
let statusTimer = null;
const retry = backoff(2000, 15000);
let staleFix = null;

const $ = (id) => document.getElementById(id);

function show(section) {
  for (const id of ["onboard", "warning", "home"]) $(id).hidden = id !== section;
}

function setNet() {
  $("net").textContent = navigator.onLine ? "" : "Tanpa sinyal — alarm dikirim saat sinyal kembali";
}

// --- location -------------------------------------------------------------------------------
// The fix keeps the time the phone measured it (GeolocationPosition.timestamp), never "now".
function rememberPosition(pos) {
  lastPosition = { lat: pos.coords.latitude, lon: pos.coords.longitude,
    accuracy_m: Math.round(pos.coords.accuracy || 0),
    fix_at: new Date(pos.timestamp || Date.now()).toISOString() };
  localStorage.setItem("siaga.warga.lastpos", JSON.stringify(lastPosition));
}

function storedPosition() {
  // Positions stored before fix_at existed carry "at", the time they were measured then.
  if (!lastPosition) return null;
  return { ...lastPosition, fix_at: lastPosition.fix_at || lastPosition.at || null };
}

// A fresh fix, or the last stored one marked with its real (old) time; null when none.
function currentPosition(timeoutMs) {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(storedPosition());
    navigator.geolocation.getCurrentPosition(
      (pos) => { rememberPosition(pos); resolve(lastPosition); },
      () => resolve(storedPosition()),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30000 });
  });
}

function fixAge(position) {
  return position && position.fix_at ? Date.now() - new Date(position.fix_at).getTime() : Infinity;
}

function followPosition(alarmId) {
  if (!navigator.geolocation || watchId !== null) return;
  let lastSent = Date.now();
  // While the alarm is active the operator keeps getting where the caller is (at most every 15 s).
  watchId = navigator.geolocation.watchPosition(async (pos) => {
    rememberPosition(pos);
    if (Date.now() - lastSent < 15000) return;
    lastSent = Date.now();
    const { lat, lon, accuracy_m, fix_at } = lastPosition;
    try {
      await api.post(`/api/v1/alarms/${alarmId}/location`, { lat, lon, accuracy_m: accuracy_m || null, fix_at });
    } catch (err) {
      if (err.status === 409) stopFollowing();
    }
  }, () => {}, { enableHighAccuracy: true, maximumAge: 10000 });
}

function stopFollowing() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
}

// --- the Help button --------------------------------------------------------------------------
function renderDots() {
  document.querySelectorAll("#press-dots i").forEach((d, i) => d.classList.toggle("on", i < presses.length));
}

// `text` is plain text; parts between ** are shown bold. Nothing becomes markup.
function hint(text, alert = false) {
  const box = $("help-hint");
  box.replaceChildren(...String(text).split("**").map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const bold = document.createElement("strong");
    bold.textContent = part;
    return bold;
  }));
  box.classList.toggle("alert", alert);
}

function onPress() {
  const now = Date.now();
  presses = presses.filter((t) => now - t < PRESS_WINDOW_MS);
  presses.push(now);
  renderDots();
  if (navigator.vibrate) navigator.vibrate(60);
  clearTimeout(pressTimer);
  if (presses.length >= PRESSES) {
    presses = [];
    renderDots();
    trigger();
    return;
  }
  const left = PRESSES - presses.length;
  hint(`Tekan **${left} kali lagi** dengan cepat untuk mengirim alarm.`, true);
  pressTimer = setTimeout(() => {
    presses = [];
    renderDots();
    hint("Alarm **belum terkirim**. Untuk mengirim, tekan tombol **3 kali** dalam 3 detik.");
  }, PRESS_WINDOW_MS);
}

async function trigger() {
  if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
  hint("Mengirim alarm… mencari lokasi Anda.", true);
  const triggeredAt = new Date().toISOString();
  const position = await currentPosition(8000);
  if (!position) {
    hint("Lokasi tidak tersedia. Aktifkan GPS/lokasi lalu tekan lagi, atau telepon 110.", true);
    return;
  }
  // An old stored fix still goes out (better than nothing), but with its real time, so the
  // operator sees its age; the caller is told too.
  staleFix = fixAge(position) > FIX_STALE_MS ? position.fix_at : null;
  outbox.enqueue({ client_id: outbox.newClientId(), lat: position.lat, lon: position.lon,
    accuracy_m: position.accuracy_m || null, fix_at: position.fix_at || null,
    triggered_at: triggeredAt, kind: "panic" });
  renderStatus();
  await sendOutbox();
}

async function sendOutbox() {
  const done = await outbox.flush(api);
  renderStatus();
  if (!done) {
    setTimeout(sendOutbox, retry.next());
  } else {
    retry.reset();
    pollStatus();
  }
}

// --- status -----------------------------------------------------------------------------------
// What really happened, from the server's view of the alarm (never assumed from its status).
function progress(remote, status) {
  const units = remote ? (remote.assignments || []) : [];
  const unit = remote && remote.assigned_unit;
  const sentUnit = units.length > 0 || !!unit;
  const arrived = units.some((a) => a.on_scene_at) || (unit && unit.status === "on_scene");
  const coming = !!unit && COMING.includes(unit.status);
  // The officer finished at the scene; only the operator's closing is left.
  const cleared = !!unit && unit.status === "cleared";
  const acked = remote ? !!remote.acknowledged_at : false;
  const joined = remote ? (remote.timeline || []).some((e) => e.type === "joined") : false;
  return { sentUnit, arrived, coming, cleared, acked, joined, final: ["closed", "cancelled"].includes(status) };
}

function statusText(remote, status, p) {
  if (status === "closed") return OUTCOME_TEXT[remote && remote.outcome] || STATUS_TEXT.closed;
  if (status === "cancelled") {
    return p.sentUnit ? "Alarm dibatalkan. Petugas yang ditugaskan sudah diberi tahu." : STATUS_TEXT.cancelled;
  }
  if (p.cleared) return STATUS_TEXT.cleared;
  if (p.arrived) return STATUS_TEXT.on_scene;
  if (p.coming) return STATUS_TEXT.coming;
  if (p.acked) return STATUS_TEXT.acknowledged;
  return STATUS_TEXT.open;
}

function renderSteps(status, p) {
  const labels = { sent: "Terkirim", ack: "Diterima operator",
    coming: p.arrived ? "Petugas tiba" : "Petugas menuju lokasi" };
  // Once the alarm ended, a unit that was really sent counts as having set out.
  const done = { sent: !!status, ack: p.acked, coming: p.coming || p.arrived || (p.final && p.sentUnit) };
  document.querySelectorAll(".steps li").forEach((li) => {
    const step = li.dataset.step;
    if (step === "end") {
      li.hidden = !p.final;
      li.textContent = status === "closed" ? "Selesai" : "Dibatalkan";
      li.classList.toggle("done", p.final);
      return;
    }
    li.textContent = labels[step];
    li.classList.toggle("done", !!done[step]);
    // A step the alarm ended without reaching is shown as skipped, not as done.
    li.classList.toggle("skipped", p.final && !done[step]);
  });
}

function renderStatus(remote) {
  const alarm = outbox.latest();
  const box = $("status");
  if (!alarm) { box.hidden = true; return; }
  box.hidden = false;
  const status = remote ? remote.status : alarm.state === "sent" ? (alarm.status || "open") : null;
  const p = progress(remote, status);
  renderSteps(status, p);
  // After a failed try (or with no network at all) the SMS gateway is offered as well.
  offerSms(alarm, alarm.state === "pending" && (!navigator.onLine || alarm.attempts > 0));
  if (alarm.state === "pending") {
    const waiting = !navigator.onLine || alarm.attempts > 0;
    $("status-text").textContent = navigator.onLine
      ? "Mengirim alarm… (akan dicoba terus sampai diterima server)"
      : "Belum ada sinyal. Alarm disimpan dan dikirim otomatis saat sinyal kembali.";
    // The line under the button says the same as the status, never "mencari lokasi" still.
    hint(waiting ? `Alarm disimpan di HP ini pukul ${formatTime(alarm.triggered_at)} WIB, **menunggu sinyal**.`
      : "Mengirim alarm…", true);
  } else if (alarm.state === "refused") {
    $("status-text").textContent = `Alarm ditolak: ${alarm.error}. Telepon 110.`;
  } else {
    $("status-text").textContent = statusText(remote, status, p);
    hint(`Alarm terkirim pukul ${formatTime(alarm.triggered_at)} WIB.`);
  }
  const notes = [];
  if (p.joined && !p.final) notes.push("Tekanan ulang Anda digabung ke alarm yang sama; operator sudah menanganinya.");
  if (staleFix && !p.final) notes.push(`GPS belum dapat posisi baru; operator menerima posisi terakhir pukul ${formatTime(staleFix)} WIB.`);
  $("alarm-note").textContent = notes.join(" ");
  const unit = remote && remote.assigned_unit;
  // Who is coming, as the server words it for citizens (never a unit's callsign).
  const who = unit && (unit.citizen_label || "Petugas Polri");
  $("unit-text").textContent = unit && (p.coming || p.arrived || p.cleared) && !p.final
    ? `${p.coming ? "Yang datang" : p.cleared ? "Ditangani oleh" : "Di lokasi"}: ${who}${p.coming && unit.eta_minutes != null ? ` — perkiraan tiba ${Math.max(1, Math.round(unit.eta_minutes))} menit` : ""}`
    : "";
  const active = status && !p.final;
  const cancellable = remote && remote.cancellable_until && new Date(remote.cancellable_until) > new Date();
  // Once the officer is there (or done), "tidak sengaja" no longer applies: no cancel form.
  // The server would still take a cancel within its window; the page does not offer it.
  $("cancel-form").hidden = !(active && cancellable) || p.arrived || p.cleared;
  $("new-alarm").hidden = (active && !p.cleared) || alarm.state === "pending";
  if (active && alarm.id) followPosition(alarm.id);
  if (!active) { stopFollowing(); staleFix = null; }
}

async function pollStatus() {
  clearTimeout(statusTimer);
  const alarm = outbox.latest();
  if (!alarm || alarm.state !== "sent" || !alarm.id) return;
  try {
    const remote = await api.get(`/api/v1/alarms/${alarm.id}`);
    outbox.update(alarm.client_id, { status: remote.status });
    renderStatus(remote);
    if (["closed", "cancelled"].includes(remote.status)) return;
  } catch { /* offline: keep the last known status */ }
  statusTimer = setTimeout(pollStatus, 4000);
}

async function cancelAlarm(event) {
  event.preventDefault();
  const alarm = outbox.latest();
  const pin = new FormData(event.target).get("pin");
  try {
    await api.post(`/api/v1/alarms/${alarm.id}/cancel`, { pin });
    $("cancel-error").textContent = "";
    event.target.reset();
    pollStatus();
  } catch (err) {
    $("cancel-error").textContent = err.message;
  }
}

// --- information menu -------------------------------------------------------------------------
// A number to tap: shown as written ("0341-350003"), dialled without separators.
function telLink(phone) {
  return phone ? el("a", { class: "tel", href: `tel:${phone.replace(/[^\d+]/g, "")}` }, phone) : null;
}

async function renderInfo() {
  const box = $("info");
  box.textContent = "Memuat…";
  const pos = lastPosition || (await currentPosition(5000));
  const query = pos ? `?lat=${pos.lat}&lon=${pos.lon}` : "";
  let menu;
  try { menu = await api.get(`/api/v1/info${query}`); } catch (err) {
    box.textContent = `Informasi belum bisa dimuat: ${err.message}`;
    return;
  }
  // Parts that do not apply are null; replaceChildren would print them as "null".
  box.replaceChildren(...[
    el("div", { class: "info-group" }, el("h2", {}, "Nomor penting"),
      menu.hotlines.map((h) => el("div", { class: "info-item" },
        telLink(h.phone),
        el("strong", {}, h.title), el("div", { class: "muted" }, h.body)))),
    menu.nearest_polsek ? el("div", { class: "info-group" }, el("h2", {}, "Polsek terdekat"),
      el("div", { class: "info-item" },
        telLink(menu.nearest_polsek.phone),
        el("strong", {}, menu.nearest_polsek.name),
        el("div", { class: "muted" }, menu.nearest_polsek.address || ""),
        menu.nearest_polsek.distance_m != null ? el("div", { class: "muted" }, `± ${formatDistance(menu.nearest_polsek.distance_m)} dari Anda`) : null)) : null,
    menu.bhabinkamtibmas ? el("div", { class: "info-group" }, el("h2", {}, `Bhabinkamtibmas kelurahan ${menu.bhabinkamtibmas.kelurahan}`),
      el("div", { class: "info-item" },
        telLink(menu.bhabinkamtibmas.phone),
        el("strong", {}, menu.bhabinkamtibmas.name))) : null,
    !pos ? el("p", { class: "muted" }, "Aktifkan lokasi untuk melihat Polsek dan Bhabinkamtibmas terdekat.") : null,
    el("div", { class: "info-group" }, el("h2", {}, "Tips keamanan"),
      menu.tips.map((t) => el("div", { class: "info-item" }, el("strong", {}, t.title), el("div", {}, t.body)))),
    menu.notices.length ? el("div", { class: "info-group" }, el("h2", {}, "Pengumuman"),
      menu.notices.map((t) => el("div", { class: "info-item" }, el("strong", {}, t.title), el("div", {}, t.body)))) : null,
  ].filter((node) => node != null));
}

// --- tabs and start-up ------------------------------------------------------------------------
const OPTIONAL_TABS = { lapor: "/static/warga-tips.js", survei: "/static/warga-survey.js" };
const mounted = {};

async function mountTab(name) {
  if (name === "info") return renderInfo();
  if (!OPTIONAL_TABS[name] || mounted[name]) return;
  mounted[name] = true;
  const box = $(`tab-${name}`);
  try {
    const module = await import(OPTIONAL_TABS[name]);
    await module.mount(box, api);
  } catch {
    box.textContent = "Bagian ini belum tersedia.";
  }
}

async function start() {
  setNet();
  window.addEventListener("online", () => { setNet(); sendOutbox(); });
  window.addEventListener("offline", setNet);
  if (!api.token) return show("onboard");
  let device = JSON.parse(localStorage.getItem("siaga.warga.device") || "null");
  try {
    device = await api.get("/api/v1/devices/me");
    localStorage.setItem("siaga.warga.device", JSON.stringify(device));
  } catch (err) {
    if (err.status === 401) { api.setToken(""); return show("onboard"); }
  }
  if (device && !device.warning_accepted) return show("warning");
  show("home");
  rememberGateway(api);
  currentPosition(10000);
  renderStatus();
  if (outbox.pending().length) sendOutbox();
  else pollStatus();
}

$("register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const duress = form.get("duress_pin");
    const data = await api.post("/api/v1/devices", { name: form.get("name"), phone: form.get("phone"), pin: form.get("pin"),
      ...(duress ? { duress_pin: duress } : {}) });
    api.setToken(data.token);
    show("warning");
  } catch (err) {
    $("register-error").textContent = err.message;
  }
});
$("accept-warning").addEventListener("click", async () => {
  try { await api.post("/api/v1/devices/me/accept-warning"); } catch { /* offline: accept locally */ }
  localStorage.setItem("siaga.warga.device", JSON.stringify({ warning_accepted: true }));
  start();
});
$("help").addEventListener("click", onPress);
// "Antar Aku" (warga-journey.js) queues an alarm when a journey ends unanswered.
window.addEventListener("siaga:alarm-queued", () => { renderStatus(); sendOutbox(); });
$("cancel-form").addEventListener("submit", cancelAlarm);
$("new-alarm").addEventListener("click", () => { const a = outbox.latest(); if (a) outbox.forget(a.client_id); renderStatus(); hint("Tekan tombol **3 kali** dalam 3 detik untuk mengirim alarm."); });
createTabs({ onShow: mountTab });
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/warga/sw.js", { scope: "/warga" }).catch(() => {});
start();
