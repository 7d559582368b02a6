// The dispatch part of the /ops alarm detail: the nearest units first, each with why it is
// proposed (distance, assumed speed, patrol or desk), then assignments, response timers,
// closing and device blocking. Dialogs in the page, never alert()/prompt().
import { el, formatAge, formatTime } from "/static/common.js";
import { ask, notice } from "/static/dialog.js";
import { formatAgo, formatDistance, formatMinutes } from "/static/ops-format.js";

const OUTCOME_LABEL = { genuine: "Kejadian nyata", false_alarm: "Alarm palsu (tidak sengaja)",
  prank: "Iseng / prank", duplicate: "Duplikat" };
const CATEGORY_LABEL = { crime: "Kejahatan", medical: "Medis", fire: "Kebakaran", other: "Lainnya" };
const DISPATCHABLE = ["open", "acknowledged"];

function seconds(value) { return value == null ? "—" : formatAge(value); }

function timers(alarm) {
  const t = alarm.response_times;
  if (!t) return null;
  return el("dl", { class: "timers" },
    el("dt", {}, "Diterima"), el("dd", {}, seconds(t.acknowledge_s)),
    el("dt", {}, "Ditugaskan"), el("dd", {}, seconds(t.dispatch_s)),
    el("dt", {}, "Tiba"), el("dd", {}, seconds(t.arrival_s)),
    el("dt", {}, "Selesai"), el("dd", {}, seconds(t.close_s)));
}

function escalations(alarm) {
  if (!alarm.escalations || !alarm.escalations.length) return null;
  return el("div", { class: "esc" }, alarm.escalations.map((e) => el("div", {}, `▲ ${formatTime(e.at)} ${e.label}`)));
}

/** Why a unit is proposed, in one line the operator can check. */
export function reason(rec, page) {
  const speed = page.speed_kmh && page.speed_kmh[rec.kind];
  const road = rec.distance_m * (page.detour_factor || 1);
  // A desk is the fallback: it ranks above a mobile unit only when that one is much slower.
  const role = rec.kind === "desk" ? (rec.fallback ? "piket Polsek wilayah (cadangan)" : "piket Polsek")
    : rec.kind === "officer" ? "petugas di lapangan" : "unit patroli";
  const parts = [role, `${formatDistance(rec.distance_m)} garis lurus (±${formatDistance(road)} lewat jalan)`];
  if (speed) parts.push(`kecepatan rata-rata ${speed.toLocaleString("id-ID")} km/jam`);
  if (rec.kind !== "desk") parts.push(rec.position_at ? `posisi ${formatAgo(rec.position_at)}` : "posisi dari pos (belum ada GPS)");
  return parts.join(" · ");
}

async function recommendations(ctx, alarm, box) {
  const list = el("ol", { class: "recs" }, el("li", { class: "muted" }, "Menghitung unit terdekat…"));
  box.append(el("h4", {}, "Kirim unit terdekat"), list);
  let page;
  try { page = await ctx.api.get(`/api/v1/alarms/${alarm.id}/recommendations?limit=5`); } catch (err) {
    list.replaceChildren(el("li", { class: "error" }, err.message));
    return;
  }
  if (!page.items.length) { list.replaceChildren(el("li", {}, "Tidak ada unit tersedia. Hubungi piket Polsek.")); return; }
  list.replaceChildren(...page.items.map((r) => el("li", { class: "rec" },
    el("div", { class: "rec-main" },
      el("strong", {}, r.callsign), ` ${r.kind_label} · tiba ${formatMinutes(r.eta_s)}`,
      el("div", { class: "why" }, reason(r, page))),
    r.unit_id ? el("button", { class: "ack", type: "button", "data-unit": r.unit_id, onclick: async (event) => {
      event.target.disabled = true;
      try {
        await ctx.api.post(`/api/v1/alarms/${alarm.id}/dispatch`, { unit_id: r.unit_id });
        notice(`${r.callsign} ditugaskan ke alarm #${alarm.id}.`);
        ctx.refreshDetail();
      } catch (err) { await ctx.failed(err, alarm); event.target.disabled = false; }
    } }, "Kirim") : el("span", { class: "muted" }, alarm.org_name ? `telepon ${alarm.org_name}` : "telepon Polsek"))));
}

function assignments(alarm) {
  if (!alarm.assignments || !alarm.assignments.length) return null;
  return el("div", {}, el("h4", {}, "Penugasan"),
    el("ul", { class: "timeline" }, alarm.assignments.map((a) => el("li", {},
      `${a.callsign}: ${a.status_label}${a.eta_s != null ? ` · tiba ${formatMinutes(a.eta_s)}` : ""}`))));
}

let targets = null;

async function closeForm(ctx, alarm, box) {
  targets = targets || (await ctx.api.get("/api/v1/dispatch/targets").catch(() => null));
  if (!targets) return;
  const crime = el("select", { name: "crime_type", "aria-label": "Jenis kejahatan" }, el("option", { value: "" }, "— jenis kejahatan —"),
    targets.crime_types.map((c) => el("option", { value: c.code }, c.label)));
  const form = el("form", { class: "close-form" },
    el("h4", {}, "Tutup alarm"),
    el("select", { name: "outcome", required: true, "aria-label": "Hasil" }, targets.outcomes.map((o) => el("option", { value: o }, OUTCOME_LABEL[o] || "Lainnya"))),
    el("select", { name: "category", "aria-label": "Kategori" }, el("option", { value: "" }, "— kategori —"),
      targets.categories.map((c) => el("option", { value: c }, CATEGORY_LABEL[c] || "Lainnya"))),
    crime,
    el("input", { name: "note", placeholder: "Catatan", maxlength: 500, "aria-label": "Catatan" }),
    el("button", { type: "submit" }, "Tutup"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    for (const key of Object.keys(data)) if (data[key] === "") delete data[key];
    try {
      const updated = await ctx.api.post(`/api/v1/alarms/${alarm.id}/close`, data);
      ctx.upsertAlarm(updated);
      notice(`Alarm #${alarm.id} ditutup.`);
      ctx.refreshDetail();
    } catch (err) { await ctx.failed(err, alarm); }
  });
  box.append(form);
}

function blockButton(ctx, alarm) {
  if (!alarm.device_id) return null;
  return el("button", { class: "small", type: "button", onclick: async () => {
    const reasonText = await ask("Blokir perangkat pelapor", { label: "Alasan (tercatat di audit)", ok: "Blokir" });
    if (!reasonText) return;
    try {
      await ctx.api.post(`/api/v1/devices/${alarm.device_id}/block`, { reason: reasonText });
      notice("Perangkat diblokir.");
    } catch (err) { await ctx.failed(err, alarm); }
  } }, "Blokir perangkat");
}

export function mount(ctx) {
  ctx.onDetail(async (alarm, slots) => {
    const active = ["open", "acknowledged", "dispatched", "en_route", "on_scene"].includes(alarm.status);
    slots.after.append(...[timers(alarm), escalations(alarm)].filter(Boolean));
    const assigned = assignments(alarm);
    if (assigned) slots.dispatch.append(assigned);
    if (DISPATCHABLE.includes(alarm.status) || alarm.needs_cancel_confirmation) await recommendations(ctx, alarm, slots.dispatch);
    if (active) await closeForm(ctx, alarm, slots.bottom);
    if (alarm.closure) slots.after.append(el("p", {}, `Ditutup: ${OUTCOME_LABEL[alarm.closure.outcome] || "Lainnya"}${alarm.closure.crime_type_label ? ` — ${alarm.closure.crime_type_label}` : ""}`));
    const block = blockButton(ctx, alarm);
    if (block) slots.bottom.append(block);
  });
}
