// The alarm detail of /ops: actions and dispatch first (usable at 1366x768 without scrolling),
// then the caller, the position's age and accuracy, the incident, the caller's earlier alarms
// and the recent incidents at the place, and the timeline.
//
//   const detail = createDetail({ box, api, hooks, onAction, alarms, onClose });
//   detail.show(id); detail.refresh(); detail.explain(text)
// hooks: functions (alarm, slots) filling slots.dispatch, slots.after and slots.bottom.
import { el, formatTime } from "/static/common.js";
import { CANCEL_WAIT_LABEL, DURESS_LABEL, OFFICER_LABEL, STALE_FIX_S, fixAgeSeconds, formatAgo,
  formatWibDateTime, isActive, isOfficerSos, statusLabel } from "/static/ops-format.js";

const EVENT_LABEL = { created: "Alarm masuk", acknowledged: "Diterima operator", dispatched: "Unit ditugaskan",
  escalated: "Dieskalasi", cancelled: "Dibatalkan pelapor", closed: "Ditutup", joined: "Pelapor menekan lagi",
  cancel_confirmed: "Pembatalan dikonfirmasi operator", "cancel.confirmed": "Pembatalan dikonfirmasi operator",
  merged: "Digabung ke insiden", unmerged: "Dipisahkan dari insiden", location: "Posisi diperbarui",
  duress: "PIN darurat dipakai: kemungkinan di bawah ancaman", reopened: "Dibuka kembali",
  "unit.accepted": "Unit menerima tugas", "unit.en_route": "Unit menuju lokasi", "unit.on_scene": "Unit tiba di lokasi",
  "unit.cleared": "Unit selesai", "unit.cancelled": "Penugasan unit dibatalkan",
  "unit.cancelled_by_caller": "Penugasan berakhir: dibatalkan pelapor" };

function coords(lat, lon) { return `${lat.toFixed(5)}, ${lon.toFixed(5)}`; }

function positionBlock(alarm) {
  const age = fixAgeSeconds(alarm);
  const at = alarm.fix_at || alarm.triggered_at;
  const accuracy = alarm.accuracy_m != null ? `akurasi ±${Math.round(alarm.accuracy_m).toLocaleString("id-ID")} m` : "akurasi tidak diketahui";
  const stale = age != null && age > STALE_FIX_S && isActive(alarm);
  return [
    el("dt", {}, "Posisi"),
    el("dd", {}, el("span", { class: "coords" }, coords(alarm.lat, alarm.lon)), " · ", accuracy,
      el("div", { class: `fix-age${stale ? " stale" : ""}` },
        `Diukur ${formatAgo(at)} (${formatWibDateTime(at)})`,
        stale ? el("strong", {}, " — posisi lebih dari 2 menit lalu; hubungi pelapor untuk memastikan lokasi.") : null)),
  ];
}

function alarmLine(a, extra) {
  return el("li", {}, el("strong", {}, `#${a.id}`), ` ${formatWibDateTime(a.created_at)} · ${statusLabel(a)}`,
    a.region_name ? ` · ${a.region_name}` : "", extra || null);
}

export function createDetail({ box, api, hooks, onAction, alarms, onClose }) {
  let current = null; // { id, version }
  let pending = null;
  let noticeText = ""; // kept across re-renders of the same alarm

  function actionBar(alarm) {
    const buttons = [];
    const run = (action) => async (event) => {
      event.target.disabled = true;
      try { await onAction(alarm, action); } finally { event.target.disabled = false; }
    };
    if (alarm.status === "open") buttons.push(el("button", { class: "ack", type: "button", "data-action": "acknowledge", onclick: run("acknowledge") }, "Terima alarm"));
    if (alarm.needs_cancel_confirmation) {
      buttons.push(el("button", { class: "ack", type: "button", "data-action": "confirm-cancel", onclick: run("confirm-cancel") }, "Konfirmasi pembatalan"));
    }
    const notes = [];
    if (isOfficerSos(alarm)) notes.push(el("p", { class: "banner officer" }, `${OFFICER_LABEL}: kirim bantuan terdekat segera.`));
    if (alarm.duress) notes.push(el("p", { class: "banner duress" }, `${DURESS_LABEL}: pelapor "membatalkan" dengan PIN darurat. Tangani sebagai alarm aktif; jangan telepon pelapor secara terbuka.`));
    if (alarm.needs_cancel_confirmation) notes.push(el("p", { class: "banner cancel-wait" }, `${CANCEL_WAIT_LABEL}. Penugasan unit sudah diakhiri; pastikan keadaan pelapor lalu konfirmasi, atau tetap kirim unit.`));
    return [...notes, buttons.length ? el("div", { class: "actions" }, buttons) : null];
  }

  function incidentBlock(alarm) {
    const gid = alarm.merged_into_id || alarm.incident_id;
    if (!gid) return null;
    const members = [...alarms.values()].filter((a) => a.id !== alarm.id && isActive(a)
      && (a.id === gid || a.incident_id === gid || a.merged_into_id === gid));
    const list = el("ul", { class: "timeline" }, members.map((a) => alarmLine(a, a.merged_into_id ? " · digabung" : null)));
    const buttons = [];
    if (alarm.merged_into_id) {
      buttons.push(el("button", { class: "small", type: "button", onclick: () => onAction(alarm, "unmerge") }, `Pisahkan dari insiden #${alarm.merged_into_id}`));
    } else if (alarm.incident_id && alarm.incident_id !== alarm.id) {
      buttons.push(el("button", { class: "small", type: "button", onclick: () => onAction(alarm, "merge") }, `Gabungkan ke alarm #${alarm.incident_id}`));
    }
    return el("section", { class: "incident-box" },
      el("h4", {}, `Insiden #${gid}: alarm dari ponsel lain dalam 150 m dan 10 menit`),
      members.length ? list : el("p", { class: "muted" }, "Alarm lain insiden ini sudah tidak aktif."), buttons);
  }

  async function contextBlock(alarm, section) {
    let data;
    try { data = await api.get(`/api/v1/alarms/${alarm.id}/context`); } catch {
      section.replaceChildren(el("p", { class: "muted" }, "Riwayat pelapor dan kejadian sekitar belum dapat dimuat."));
      return;
    }
    const earlier = (data.caller_alarms || []).filter((a) => a.id !== alarm.id);
    const nearby = (data.nearby_incidents || []).filter((a) => a.id !== alarm.id);
    section.replaceChildren(
      el("h4", {}, `Alarm pelapor sebelumnya (${earlier.length})`),
      earlier.length ? el("ul", { class: "timeline" }, earlier.slice(0, 8).map((a) => alarmLine(a)))
        : el("p", { class: "muted" }, "Belum pernah mengirim alarm lain."),
      el("h4", {}, `Kejadian terakhir di sekitar lokasi (${nearby.length})`),
      nearby.length ? el("ul", { class: "timeline" }, nearby.slice(0, 8).map((a) => alarmLine(a)))
        : el("p", { class: "muted" }, "Tidak ada kejadian lain di sekitar lokasi ini."));
  }

  async function render(id) {
    let alarm;
    try { alarm = await api.get(`/api/v1/alarms/${id}`); } catch (err) {
      box.hidden = false;
      box.replaceChildren(el("p", { class: "error" }, err.status === 404 ? "Alarm tidak ditemukan." : err.message));
      return;
    }
    if (!current || current.id !== id) return; // another alarm was selected meanwhile
    current.version = alarm.version;
    // Merged into an incident or taken out of one: the detail shows its top again (title and
    // action bar), not wherever the pressed button used to be.
    const group = alarm.merged_into_id || null;
    if (current.group !== undefined && current.group !== group) box.scrollTop = 0;
    current.group = group;
    const slots = { dispatch: el("div", { class: "dispatch-slot" }), after: el("div"), bottom: el("div") };
    const context = el("section", { class: "context" }, el("p", { class: "muted" }, "Memuat riwayat pelapor…"));
    box.hidden = false;
    box.replaceChildren(...[
      el("div", { class: "detail-head" },
        el("h3", {}, `Alarm #${alarm.id} — ${statusLabel(alarm)}`),
        el("button", { class: "small", type: "button", "aria-label": "Tutup detail", onclick: onClose }, "✕")),
      el("div", { class: "detail-notice", role: "alert", hidden: !noticeText }, noticeText),
      ...actionBar(alarm),
      slots.dispatch,
      el("dl", {},
        el("dt", {}, "Pelapor"), el("dd", {}, alarm.caller_name || "Tanpa nama"),
        el("dt", {}, "Telepon"), el("dd", {}, alarm.caller_phone ? el("a", { href: `tel:${alarm.caller_phone}` }, alarm.caller_phone) : "Tidak ada"),
        ...positionBlock(alarm),
        el("dt", {}, "Wilayah"), el("dd", {}, `${alarm.region_name || "di luar wilayah"} · ${alarm.org_name || "satuan belum diketahui"}`),
        el("dt", {}, "Masuk"), el("dd", {}, formatWibDateTime(alarm.created_at)),
        alarm.device_flagged ? [el("dt", {}, "Catatan"), el("dd", { class: "flag" }, "Perangkat ini pernah mengirim alarm palsu — tetap tangani.")] : null),
      incidentBlock(alarm),
      slots.after,
      context,
      el("h4", {}, "Riwayat alarm ", el("a", { class: "replay-link", href: `/replay?alarm=${alarm.id}`, target: "_blank", rel: "noopener" }, "Putar ulang")),
      el("ul", { class: "timeline" }, alarm.timeline.map((t) =>
        el("li", {}, `${formatTime(t.at)} — ${EVENT_LABEL[t.type] || "Catatan"}${t.actor ? ` (${t.actor})` : ""}${t.note ? `: ${t.note}` : ""}`))),
      el("h4", {}, `Riwayat posisi (${alarm.locations.length})`),
      el("ul", { class: "timeline" }, alarm.locations.map((p) =>
        el("li", {}, `${formatTime(p.at)} — ${coords(p.lat, p.lon)}${p.accuracy_m != null ? ` (±${Math.round(p.accuracy_m)} m)` : ""}`))),
      slots.bottom,
    ].filter((node) => node != null));
    contextBlock(alarm, context);
    for (const hook of hooks) {
      try { await hook(alarm, slots); } catch (err) { console.error(err); }
    }
    return alarm;
  }

  return {
    get selected() { return current ? current.id : null; },
    show(id) { current = { id, version: null }; noticeText = ""; return render(id); },
    hide() { current = null; box.hidden = true; box.replaceChildren(); },
    /** Re-read the shown alarm; with `version`, only when it is newer than what is shown. */
    refresh(version) {
      if (!current) return;
      if (version != null && current.version != null && version <= current.version) return;
      clearTimeout(pending);
      const id = current.id;
      pending = setTimeout(() => { if (current && current.id === id) render(id); }, 250);
    },
    /** A sentence in the detail's notice line (a lost race, a refused action). */
    explain(text) {
      noticeText = text;
      const line = box.querySelector(".detail-notice");
      if (!line) return;
      line.textContent = text;
      line.hidden = false;
    },
  };
}
