// Officer "Tugas" tab: the officer's active assignment, phone first.
// Takes its tasks from the live socket (/ws/ops carries only this officer's own assignments):
// each event reloads GET /api/v1/dispatch/mine at once. Only while the socket is down does it
// poll every few seconds instead. Alerts a new task with a beep and vibration, shows the
// caller's location with navigation links, sends status steps back, and can share the phone's
// location every 15 s through POST /api/v1/tracking/me. A status press made without signal
// waits in the shared outbox (outbox.js, "status") and is sent, in order, when it returns.
import { el, formatDistance, formatTime } from "/static/common.js";
import { confirmAction } from "/static/dialog.js";
import { newClientId, openOutbox, retryEvery } from "/static/outbox.js";
import { connectLive } from "/static/live-socket.js";
import { play as playTone, running as soundRunning, unlock as unlockTones } from "/static/tones.js";

const POLL_MS = 4000;
const TICK_MS = 15000; // redraw "n menit lalu" and the ETA countdown without asking the server
const SHARE_MS = 15000;
const ALERT_REPEAT_MS = 2500;
const ALERT_MAX_MS = 60000;
const SHARE_KEY = "siaga.petugas.share-location";
const RETRY_MS = 10000;
const presses = openOutbox("status");
const KIND_LABELS = { panic: "Tombol panik", medical: "Darurat medis", fire: "Kebakaran", crime: "Kejahatan", other: "Lainnya" };
// Each step: the button that moves the assignment on, and the statuses it is offered from.
const STEPS = [
  { status: "accepted", label: "Terima tugas", from: ["dispatched"], main: true },
  { status: "en_route", label: "Berangkat ke lokasi", from: ["dispatched", "accepted"], main: true },
  { status: "on_scene", label: "Tiba di lokasi", from: ["dispatched", "accepted", "en_route"], main: true },
  { status: "cleared", label: "Selesai", from: ["on_scene"], main: true },
];
const STYLE = `
.tg-status { display: flex; gap: .5rem; align-items: center; flex-wrap: nowrap; margin: .8rem; font-size: .9rem; color: #445; min-height: 2.8rem; }
.tg-status button { margin-left: auto; width: 11rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; padding: .5rem; }
.tg-status .tg-dot { width: .7rem; height: .7rem; border-radius: 50%; background: #999; display: inline-block; }
.tg-status .tg-dot.on { background: #1a8f3c; }
.tg-status .tg-dot.off { background: #d0021b; }
.tg-error { margin: 0 .8rem; }
.tg-error:empty { display: none; }
.tg-queued { background: #fff4d6; padding: .4rem .6rem; border-radius: 6px; }
.tg-task { border-left: 6px solid #0b3d91; }
.tg-task.tg-new { border-left-color: #d0021b; animation: tg-blink 1s step-start infinite; }
@keyframes tg-blink { 50% { background: #ffe3e3; } }
.tg-cancel { border-left: 6px solid #b35c00; background: #fff1e0; }
.tg-cancel h2 { margin: 0 0 .3rem; color: #8a4500; }
.tg-task h2 { margin: 0 0 .3rem; font-size: 1.25rem; }
.tg-badge { display: inline-block; padding: .15rem .55rem; border-radius: 999px; background: #0b3d91; color: #fff; font-size: .85rem; }
.tg-badge.dispatched { background: #d0021b; } .tg-badge.on_scene { background: #1a8f3c; }
.tg-row { margin: .35rem 0; }
.tg-eta { font-size: 1.6rem; font-weight: 700; }
.tg-links { display: flex; gap: .5rem; flex-wrap: wrap; margin: .6rem 0; }
.tg-links a { flex: 1; text-align: center; padding: .7rem; border-radius: 8px; background: #e8eefb; color: #0b3d91; font-weight: 600; text-decoration: none; min-width: 9rem; }
.tg-steps { display: grid; gap: .5rem; margin-top: .6rem; }
.tg-steps button { min-height: 52px; font-size: 1.05rem; }
.tg-flag { background: #fff4d6; padding: .4rem .6rem; border-radius: 6px; }
.tg-empty { text-align: center; color: #556; }
.tg-share label { display: flex; gap: .6rem; align-items: center; margin: 0; }
.tg-share input { width: auto; transform: scale(1.4); }
`;

export async function mount(container, api, me) {
  const view = new TaskView(container, api, me);
  await view.start();
  return view;
}

class TaskView {
  constructor(container, api, me) {
    this.container = container;
    this.api = api;
    this.me = me;
    this.tasks = [];
    this.alerted = new Set();
    this.alerting = null;
    this.live = null;
    this.again = false;
    this.shareTimer = null;
    this.watchId = null;
    this.lastFix = null;
    this.pollTimer = null;
    this.busy = false;
    this.renderedKey = null;
    this.queued = new Map(); // assignment id -> the status pressed without signal, not yet sent
    this.lastUpdated = null;
  }

  async start() {
    if (!document.getElementById("tg-style")) {
      document.head.append(el("style", { id: "tg-style" }, STYLE));
    }
    this.connDot = el("span", { class: "tg-dot" });
    this.updated = el("span", {}, "Memuat tugas...");
    this.soundButton = el("button", { type: "button", onclick: () => this.unlockSound() }, "Aktifkan suara");
    this.list = el("div", { id: "tugas-list", "aria-live": "polite" });
    this.shareBox = el("input", { type: "checkbox", id: "tg-share", onchange: (e) => this.toggleShare(e.target.checked) });
    this.shareNote = el("p", { class: "muted", id: "tg-share-note" }, "Lokasi tidak dibagikan.");
    this.error = el("p", { class: "error tg-error", role: "alert" });
    this.cancelSeen = new Set();
    this.cancelText = el("p", { id: "tg-cancel-text" });
    this.cancelBanner = el("section", { class: "card tg-cancel", id: "tg-cancel", role: "alert", hidden: true },
      el("h2", {}, "Dibatalkan pelapor"), this.cancelText,
      el("button", { type: "button", class: "primary", onclick: () => this.dismissCancel() }, "Mengerti"));
    this.container.append(
      el("div", { class: "tg-status" }, this.connDot, this.updated, this.soundButton),
      this.cancelBanner,
      this.error,
      this.list,
      el("section", { class: "card tg-share" },
        el("label", { for: "tg-share" }, this.shareBox, "Bagikan lokasi saya ke command center"),
        this.shareNote),
    );
    // Any tap on the page may unlock audio (browsers refuse sound before a gesture).
    document.addEventListener("pointerdown", () => this.unlockSound(), { once: true });
    await this.loadQueued();
    await this.refresh();
    this.startPolling(); // until the socket is up
    window.addEventListener("offline", () => this.showConnection());
    window.addEventListener("online", () => this.backOnline());
    retryEvery(RETRY_MS, () => this.sendQueued());
    this.sendQueued();
    setInterval(() => this.redrawIfChanged(), TICK_MS);
    this.connect();
    if (localStorage.getItem(SHARE_KEY) === "1") {
      this.shareBox.checked = true;
      this.toggleShare(true);
    }
  }

  // --- Tasks ---------------------------------------------------------------------------------
  async refresh() {
    // A live event during a load may describe a change that load missed: load once more after.
    if (this.busy) { this.again = true; return; }
    if (!navigator.onLine) { this.showConnection(); return; }  // nothing to ask; the dot says why
    this.busy = true;
    try {
      const page = await this.api.get("/api/v1/dispatch/mine");
      this.tasks = page.items;
      this.error.textContent = "";
      this.lastUpdated = new Date().toISOString();
      this.showConnection();
      this.redrawIfChanged();
      this.alertNew();
    } catch (err) {
      this.error.textContent = `Gagal memuat tugas: ${err.message}`;
    } finally {
      this.busy = false;
    }
    if (this.again) { this.again = false; await this.refresh(); }
  }

  /** The dot and its words: "Daring" (green while the live socket is up), "Luring" (red). */
  showConnection() {
    const online = navigator.onLine;
    const live = online && this.liveUp;
    this.connDot.classList.toggle("on", Boolean(live));
    this.connDot.classList.toggle("off", !online);
    this.connDot.title = !online ? "Luring: tidak ada sinyal"
      : live ? "Daring, terhubung langsung" : "Daring; koneksi langsung terputus, memeriksa tiap 4 detik";
    const when = this.lastUpdated ? formatTime(this.lastUpdated) : null;
    this.updated.textContent = online
      ? (when ? `Daring · Diperbarui ${when}` : "Daring · memuat tugas…")
      : `Luring${when ? ` · terakhir diperbarui ${when}` : ""}`;
  }

  async backOnline() {
    // The signal is back: old "no connection" lines go, waiting presses go out, tasks reload.
    this.error.textContent = "";
    if (this.shareNote.textContent.startsWith("Lokasi tidak terkirim")) this.shareNote.textContent = "Mengirim lokasi…";
    this.showConnection();
    await this.sendQueued();
    await this.refresh();
    if (this.shareTimer) this.sendFix();
  }

  redrawIfChanged() {
    // Redraw only on a visible change, so an update never replaces a button being tapped.
    const key = JSON.stringify(this.tasks.map((t) => [t.assignment.id, t.assignment.status,
      this.queued.get(t.assignment.id) || null,
      etaMinutes(t.assignment), t.alarm.status,
      Math.floor((Date.now() - new Date(t.alarm.created_at).getTime()) / 60000)]));
    if (key === this.renderedKey) return;
    this.renderedKey = key;
    this.render();
  }

  startPolling() {
    if (!this.pollTimer) this.pollTimer = setInterval(() => this.refresh(), POLL_MS);
  }

  stopPolling() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  render() {
    this.list.replaceChildren();
    if (!this.tasks.length) {
      this.list.append(el("section", { class: "card tg-empty" },
        el("p", {}, "Belum ada tugas aktif."),
        el("p", { class: "muted" }, "Tugas baru akan berbunyi dan bergetar.")));
      return;
    }
    for (const task of this.tasks) this.list.append(this.taskCard(task));
  }

  taskCard(task) {
    const a = task.assignment, alarm = task.alarm;
    const minutes = Math.floor((Date.now() - new Date(alarm.created_at).getTime()) / 60000);
    // A press still waiting for signal counts as done here; the server hears it on reconnect.
    const waiting = this.queued.get(a.id);
    const shown = waiting || a.status;
    const steps = STEPS.filter((s) => s.from.includes(shown)).map((s, i) =>
      el("button", { type: "button", class: i === 0 ? "primary" : "", "data-step": s.status,
        onclick: () => this.setStatus(a.id, s.status) }, s.label));
    const caller = alarm.caller_phone
      ? el("a", { href: `tel:${alarm.caller_phone}` }, `${alarm.caller_name || "Pelapor"} · ${alarm.caller_phone}`)
      : (alarm.caller_name || "Pelapor");
    return el("section", { class: `card tg-task${a.status === "dispatched" ? " tg-new" : ""}`, "data-assignment-id": a.id },
      el("h2", {}, `${KIND_LABELS[alarm.kind] || alarm.kind} · ${alarm.region_name || "lokasi pelapor"}`),
      el("div", { class: "tg-row" }, el("span", { class: `tg-badge ${a.status}`, "data-status": a.status }, a.status_label),
        " ", el("span", { class: "muted" }, `${a.callsign} · alarm #${alarm.id} · ${minutes < 1 ? "baru saja" : `${minutes} menit lalu`}`)),
      etaMinutes(a) !== null
        ? el("div", { class: "tg-row" }, "Perkiraan tiba: ", el("span", { class: "tg-eta" }, `${etaMinutes(a)} menit`),
            a.distance_m ? el("span", { class: "muted" }, ` (${formatDistance(a.distance_m)} garis lurus)`) : null)
        : null,
      el("div", { class: "tg-row" }, "Pelapor: ", caller),
      alarm.device_flagged ? el("p", { class: "tg-flag" }, "Perhatian: perangkat ini pernah mengirim alarm palsu. Tetap datangi dan periksa.") : null,
      el("div", { class: "tg-row muted" }, `Lokasi: ${alarm.lat.toFixed(5)}, ${alarm.lon.toFixed(5)}` +
        (alarm.accuracy_m ? ` (±${Math.round(alarm.accuracy_m)} m)` : "")),
      el("div", { class: "tg-links" },
        el("a", { href: task.navigation_url, target: "_blank", rel: "noopener", "data-nav": "google" }, "Navigasi (Google Maps)"),
        el("a", { href: task.geo_url, "data-nav": "geo" }, "Buka aplikasi peta")),
      waiting ? el("p", { class: "tg-queued", "data-queued": waiting },
        `"${STEPS.find((s) => s.status === waiting).label}" tersimpan di HP ini; dikirim otomatis saat sinyal kembali.`) : null,
      el("div", { class: "tg-steps" }, steps),
    );
  }

  async setStatus(assignmentId, status) {
    if (status === "cleared" && !(await confirmAction("Tandai tugas ini selesai?", { ok: "Ya, selesai" }))) return;
    this.stopAlert();
    // Kept on the phone first, so a press without signal is never lost; sent in press order.
    // The key starts with the press time: the outbox sends in key order, so in press order.
    const at = new Date();
    await presses.put({ client_id: `${String(at.getTime()).padStart(15, "0")}-${newClientId()}`,
      assignment_id: assignmentId, status,
      pressed_at: at.toISOString() });
    await this.loadQueued();
    this.redrawIfChanged();
    await this.sendQueued();
    await this.refresh();
  }

  async loadQueued() {
    const records = (await presses.all()).sort((x, y) => x.pressed_at.localeCompare(y.pressed_at));
    this.queued = new Map(records.map((r) => [r.assignment_id, r.status]));
    return records;
  }

  async sendQueued() {
    if (!(await presses.all()).length) return;
    const done = await presses.drain({
      // How long ago it was pressed, on this phone's own clock: the server stamps the step then.
      send: (r) => this.api.post(`/api/v1/dispatch/${r.assignment_id}/status`, { status: r.status,
        pressed_seconds_ago: Math.max(0, (Date.now() - Date.parse(r.pressed_at)) / 1000) || 0 }),
      sent: () => { this.error.textContent = ""; },
      refused: (r, err) => {
        // A press sent before, whose reply was lost, is refused as "already": nothing to say.
        if (err.status === 409 && r.status === "cleared") return;
        this.error.textContent = `Status tidak terkirim: ${err.message}`;
      },
      waiting: () => { this.showConnection(); },
    });
    await this.loadQueued();
    this.renderedKey = null;
    this.redrawIfChanged();
    if (done) await this.refresh();
  }

  // --- Alerts --------------------------------------------------------------------------------
  alertNew() {
    const fresh = this.tasks.filter((t) => t.assignment.status === "dispatched" && !this.alerted.has(t.assignment.id));
    const waiting = this.tasks.some((t) => t.assignment.status === "dispatched");
    if (!waiting) this.stopAlert();
    if (!fresh.length) return;
    fresh.forEach((t) => this.alerted.add(t.assignment.id));
    this.stopAlert();
    const started = Date.now();
    const ring = () => {
      this.beep();
      if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 600]);
      if (Date.now() - started > ALERT_MAX_MS) this.stopAlert();
    };
    ring();
    this.alerting = setInterval(ring, ALERT_REPEAT_MS);
    document.title = "TUGAS BARU · Siaga Petugas";
  }

  /** Ends a new-task alert if one is ringing; anything else (a caller's cancel) keeps going. */
  stopAlert() {
    if (!this.alerting) return;
    clearInterval(this.alerting);
    this.alerting = null;
    if (navigator.vibrate) navigator.vibrate(0);
    document.title = "Siaga Petugas";
  }

  unlockSound() {
    if (!unlockTones()) return;
    // Relabel rather than hide: a layout shift under the finger would swallow the tap.
    this.soundButton.textContent = "Suara aktif";
    this.soundButton.disabled = true;
  }

  beep() { if (soundRunning()) playTone("task"); }

  // --- The caller cancelled: tell the officer at once (banner, tone, vibration) --------------
  callerCancelled(message) {
    const a = message.assignment;
    if (this.cancelSeen.has(a.id)) return;
    this.cancelSeen.add(a.id);
    this.stopAlert();
    const place = message.alarm && message.alarm.region_name ? ` di ${message.alarm.region_name}` : "";
    this.cancelText.textContent = `Pelapor membatalkan alarm #${a.alarm_id}${place}. Tugas ${a.callsign} ` +
      "dihentikan, tidak perlu ke lokasi. Kembali siaga.";
    this.cancelBanner.hidden = false;
    this.cancelBanner.scrollIntoView({ block: "nearest" });
    if (navigator.vibrate) navigator.vibrate([300, 120, 300, 120, 300]);
    this.cancelTone();
    document.title = "DIBATALKAN PELAPOR · Siaga Petugas";
  }

  dismissCancel() {
    this.cancelBanner.hidden = true;
    if (navigator.vibrate) navigator.vibrate(0);
    document.title = "Siaga Petugas";
  }

  cancelTone() { if (soundRunning()) playTone("cancel"); }

  // --- Live events: the socket carries this officer's assignments; polling only while it is down
  connect() {
    if (!this.api.token || !("WebSocket" in window)) return;
    this.live = connectLive({
      api: this.api,
      onStatus: (status) => this.onLiveStatus(status),
      onMessage: (message) => {
        // Every alarm event reaching this socket is about one of this officer's tasks.
        if (message.type === "alarm.assignment" && message.assignment
            && message.assignment.status === "cancelled_by_caller") this.callerCancelled(message);
        if (message.type.startsWith("alarm.")) this.refresh();
      },
    });
  }

  onLiveStatus(status) {
    const live = status === "connected";
    this.liveUp = live;
    this.showConnection();
    if (live) {
      this.stopPolling();
      this.refresh(); // catch up on whatever happened while the socket was down
    } else {
      this.startPolling();
    }
  }

  // --- Location sharing ----------------------------------------------------------------------
  toggleShare(on) {
    localStorage.setItem(SHARE_KEY, on ? "1" : "0");
    if (this.shareTimer) clearInterval(this.shareTimer);
    this.shareTimer = null;
    if (this.watchId !== null && navigator.geolocation) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    if (!on) {
      this.shareNote.textContent = "Lokasi tidak dibagikan.";
      return;
    }
    if (!navigator.geolocation) {
      this.shareNote.textContent = "Perangkat ini tidak mendukung GPS di peramban.";
      this.shareBox.checked = false;
      return;
    }
    this.shareNote.textContent = "Menunggu GPS...";
    this.watchId = navigator.geolocation.watchPosition(
      (pos) => { const first = !this.lastFix; this.lastFix = pos; if (first) this.sendFix(); },
      (err) => { this.shareNote.textContent = `GPS tidak tersedia: ${err.message}`; },
      { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 },
    );
    this.shareTimer = setInterval(() => this.sendFix(), SHARE_MS);
  }

  async sendFix() {
    const pos = this.lastFix;
    if (!pos) return;
    const c = pos.coords;
    const body = {
      lat: c.latitude, lon: c.longitude,
      accuracy: c.accuracy ?? null,
      at: new Date(pos.timestamp || Date.now()).toISOString(),
      speed_kmh: c.speed !== null && c.speed !== undefined && c.speed >= 0 ? c.speed * 3.6 : null,
      heading: c.heading !== null && c.heading !== undefined && !Number.isNaN(c.heading) ? c.heading : null,
    };
    try {
      const reply = await this.api.post("/api/v1/tracking/me", body);
      this.shareNote.textContent = reply && reply.accepted === false
        ? `Lokasi ditolak: ${reply.reason || reply.status}`
        : `Lokasi terkirim ${formatTime(new Date().toISOString())}`;
    } catch (err) {
      if (err.status === 404) {
        this.shareNote.textContent = "Server belum mendukung berbagi lokasi dari halaman ini (atau akun Anda belum terhubung ke unit).";
      } else {
        this.shareNote.textContent = `Lokasi tidak terkirim: ${err.message}`;
      }
    }
  }
}

/** Whole minutes until the unit should arrive, counted down from the server's eta_at. */
function etaMinutes(assignment) {
  if (assignment.eta_at) return Math.max(1, Math.round((new Date(assignment.eta_at).getTime() - Date.now()) / 60000));
  if (assignment.eta_s !== null && assignment.eta_s !== undefined) return Math.max(1, Math.round(assignment.eta_s / 60));
  return null;
}
