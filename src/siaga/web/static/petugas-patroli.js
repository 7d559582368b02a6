// "Patroli" tab of the officer page: near-repeat alerts for the officer's kelurahan and the
// patrol points planned for the officer's unit, in order, with their time windows.
//
//   import { mount } from "/static/petugas-patroli.js";  // mount(container, api, me)
import { el, formatDateTime } from "/static/common.js";

const REFRESH_MS = 5 * 60_000;
const KIND = { hotspot: "Sel rawan", school: "Sekolah (jam pulang)" };

function hhmm(iso) {
  return new Date(iso).toLocaleTimeString("id-ID", { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit" });
}

function mapLink(lat, lon) {
  return el("a", { href: `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`,
                   target: "_blank", rel: "noopener" }, "Buka peta");
}

function alertCard(api, alert, onRead) {
  const read = el("button", { type: "button", onclick: async () => {
    try { await api.post(`/api/v1/alerts/${alert.id}/read`); onRead(); } catch (err) { read.textContent = err.message; }
  } }, "Tandai sudah dibaca");
  return el("div", { class: `pt-item${alert.read_at ? "" : " unread"}` },
    el("b", {}, alert.crime_label),
    el("p", {}, alert.message),
    el("small", {}, `Berlaku s.d. ${formatDateTime(alert.valid_until)} · radius ${Math.round(alert.radius_m)} m`),
    el("div", {}, mapLink(alert.lat, alert.lon), " ", alert.read_at ? null : read));
}

function pointRow(point, now) {
  const start = new Date(point.window_start);
  const end = new Date(point.window_end);
  const current = start <= now && now <= end;
  return el("li", { class: current ? "current" : end < now ? "past" : "" },
    el("b", {}, `${hhmm(point.window_start)}–${hhmm(point.window_end)} `),
    `${KIND[point.kind] || point.kind}: ${point.label}`,
    current ? el("span", { class: "badge" }, " sekarang") : null,
    " · ", mapLink(point.lat, point.lon));
}

function planCard(plan) {
  const now = new Date();
  return el("div", { class: "pt-item" },
    el("b", {}, `Sif ${formatDateTime(plan.shift_start)} – ${hhmm(plan.shift_end)}`),
    plan.units.map((unit) => el("div", {},
      el("p", {}, `Unit ${unit.callsign}: ${unit.points.length} titik`),
      el("ol", {}, unit.points.map((p) => pointRow(p, now))))));
}

export async function mount(container, api, me) {
  const alerts = el("section", { class: "card", id: "patroli-alerts" }, el("h2", {}, "Peringatan kejadian berulang"));
  const plans = el("section", { class: "card", id: "patroli-plans" }, el("h2", {}, "Rencana patroli"));
  const status = el("p", { class: "muted pt-status" }, "Memuat…");
  container.replaceChildren(status, alerts, plans);

  async function load() {
    try {
      const [mine, warnings] = await Promise.all([
        api.get("/api/v1/patrol-plans/mine"), api.get("/api/v1/alerts/mine")]);
      // replaceChildren takes nodes, not an array (an array would print as "[object ...]").
      alerts.replaceChildren(el("h2", {}, "Peringatan kejadian berulang"),
        ...(warnings.items.length ? warnings.items.map((a) => alertCard(api, a, load))
          : [el("p", {}, "Tidak ada peringatan aktif di wilayah Anda.")]));
      plans.replaceChildren(el("h2", {}, "Rencana patroli"),
        ...(mine.items.length ? mine.items.map(planCard)
          : [el("p", {}, me && me.role === "petugas"
            ? "Belum ada titik patroli untuk unit Anda."
            : "Rencana patroli hanya tampil untuk petugas yang memegang unit.")]));
      status.textContent = `Diperbarui ${hhmm(new Date().toISOString())}`;
    } catch (err) {
      status.textContent = `Gagal memuat: ${err.message}`;
    }
  }
  await load();
  setInterval(load, REFRESH_MS);
}
