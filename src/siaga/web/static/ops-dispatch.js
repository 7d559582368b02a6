// Command center: dispatch, response timers, closing and device blocking in the alarm detail.
import { el, formatAge, formatTime } from "/static/common.js";

const OUTCOME_LABEL = { genuine: "Kejadian nyata", false_alarm: "Alarm palsu (tidak sengaja)",
  prank: "Iseng / prank", duplicate: "Duplikat" };
const CATEGORY_LABEL = { crime: "Kejahatan", medical: "Medis", fire: "Kebakaran", other: "Lainnya" };

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

async function recommendations(ctx, alarm, box) {
  const list = el("ol", { class: "timeline" }, el("li", {}, "Menghitung unit terdekat…"));
  box.append(el("h4", {}, "Unit terdekat (perkiraan waktu tiba)"), list);
  let page;
  try { page = await ctx.api.get(`/api/v1/alarms/${alarm.id}/recommendations?limit=5`); } catch (err) {
    list.replaceChildren(el("li", {}, err.message));
    return;
  }
  if (!page.items.length) { list.replaceChildren(el("li", {}, "Tidak ada unit tersedia. Hubungi piket Polsek.")); return; }
  list.replaceChildren(...page.items.map((r) => el("li", { class: "rec" },
    el("strong", {}, r.callsign), ` ${r.kind_label} · ${(r.distance_m / 1000).toFixed(1)} km · ±${Math.max(1, Math.round(r.eta_s / 60))} menit `,
    r.fallback ? el("span", { class: "muted" }, "(cadangan) ") : null,
    r.unit_id ? el("button", { class: "ack", "data-unit": r.unit_id, onclick: async (event) => {
      event.target.disabled = true;
      try {
        await ctx.api.post(`/api/v1/alarms/${alarm.id}/dispatch`, { unit_id: r.unit_id });
        ctx.refreshDetail();
      } catch (err) { alert(err.message); event.target.disabled = false; }
    } }, "Kirim") : el("span", { class: "muted" }, "telepon Polsek"))));
}

function assignments(alarm) {
  if (!alarm.assignments || !alarm.assignments.length) return null;
  return el("div", {}, el("h4", {}, "Penugasan"),
    el("ul", { class: "timeline" }, alarm.assignments.map((a) => el("li", {},
      `${a.callsign}: ${a.status_label}${a.eta_s != null ? ` · tiba ±${Math.max(1, Math.round(a.eta_s / 60))} menit` : ""}`))));
}

let targets = null;

async function closeForm(ctx, alarm, box) {
  targets = targets || (await ctx.api.get("/api/v1/dispatch/targets").catch(() => null));
  if (!targets) return;
  const crime = el("select", { name: "crime_type" }, el("option", { value: "" }, "— jenis kejahatan —"),
    targets.crime_types.map((c) => el("option", { value: c.code }, c.label)));
  const form = el("form", { class: "close-form" },
    el("h4", {}, "Tutup alarm"),
    el("select", { name: "outcome", required: true }, targets.outcomes.map((o) => el("option", { value: o }, OUTCOME_LABEL[o] || o))),
    el("select", { name: "category" }, el("option", { value: "" }, "— kategori —"),
      targets.categories.map((c) => el("option", { value: c }, CATEGORY_LABEL[c] || c))),
    crime,
    el("input", { name: "note", placeholder: "Catatan", maxlength: 500 }),
    el("button", { type: "submit" }, "Tutup"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    for (const key of Object.keys(data)) if (data[key] === "") delete data[key];
    try {
      const updated = await ctx.api.post(`/api/v1/alarms/${alarm.id}/close`, data);
      ctx.upsertAlarm(updated);
      ctx.refreshDetail();
    } catch (err) { alert(err.message); }
  });
  box.append(form);
}

function blockButton(ctx, alarm) {
  if (!alarm.device_id) return null;
  return el("button", { class: "small", onclick: async () => {
    const reason = prompt("Alasan memblokir perangkat ini (tercatat di audit):");
    if (!reason) return;
    try { await ctx.api.post(`/api/v1/devices/${alarm.device_id}/block`, { reason }); alert("Perangkat diblokir."); }
    catch (err) { alert(err.message); }
  } }, "Blokir perangkat");
}

export function mount(ctx) {
  ctx.onDetail(async (alarm, box) => {
    box.append(...[timers(alarm), escalations(alarm), assignments(alarm)].filter(Boolean));
    const active = ["open", "acknowledged", "dispatched", "en_route", "on_scene"].includes(alarm.status);
    if (active && ["open", "acknowledged"].includes(alarm.status)) await recommendations(ctx, alarm, box);
    if (active) await closeForm(ctx, alarm, box);
    if (alarm.closure) box.append(el("p", {}, `Ditutup: ${OUTCOME_LABEL[alarm.closure.outcome] || alarm.closure.outcome}${alarm.closure.crime_type_label ? ` — ${alarm.closure.crime_type_label}` : ""}`));
    const block = blockButton(ctx, alarm);
    if (block) box.append(block);
  });
  for (const type of ["assignment.status", "unit.status"]) ctx.on(type, () => ctx.refreshDetail());
}
