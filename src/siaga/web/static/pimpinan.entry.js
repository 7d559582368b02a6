// Entry pages of the leadership screen: personnel and training, yearly figures, stakeholder
// meetings (FGD and coordination) and survey tallies, with the citizens' survey per Polres.
import { el } from "/static/common.js";
import { confirmAction } from "/static/dialog.js";
import { createTabs } from "/static/tabs.js";

const METRICS = {
  brawls: "Kejadian tawuran", prevention_activities: "Kegiatan preemtif/preventif",
  coordination_meetings: "Rapat koordinasi", fgd_meetings: "FGD", evaluations: "Anev",
  students_monitored: "Pelajar dipantau", budget_planned: "Anggaran direncanakan (Rp)",
  budget_realised: "Anggaran terealisasi (Rp)",
};
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
const SECTIONS = { personel: "Personel & pelatihan", angka: "Angka kinerja", rapat: "Rapat & FGD", survei: "Survei kepuasan" };

function input(label, name, attrs = {}) {
  return el("label", { class: attrs.wide ? "wide" : "" }, label,
    attrs.textarea ? el("textarea", { name, placeholder: attrs.placeholder || "" }, attrs.value || "")
                   : el("input", { name, ...attrs, wide: null }));
}

function monthSelect(name, label, selected, withEmpty = false) {
  return el("label", {}, label, el("select", { name },
    withEmpty ? el("option", { value: "" }, "-") : null,
    ...MONTHS.map((m, i) => el("option", { value: i + 1, selected: selected === i + 1 }, m))));
}

function orgSelect(ctx) {
  const current = ctx.params().get("org") || "";
  return el("label", {}, "Satuan", el("select", { name: "org" },
    ...ctx.orgs.map((o) => el("option", { value: o.code, selected: o.code === current }, o.name))));
}

function numberOrNull(value) {
  return value === "" || value === undefined ? null : Number(value);
}

function formShell(ctx, title, fields, submit) {
  const form = el("form", { class: "grid-form" }, ...fields,
    el("div", { class: "wide" }, el("button", { type: "submit", class: "primary" }, "Simpan"), " ",
       el("span", { class: "error", role: "alert" }), el("span", { class: "ok", role: "status" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    form.querySelector("[role=alert]").textContent = "";
    form.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
    try {
      await submit(form.elements);
      form.querySelector("[role=status]").textContent = "Tersimpan.";
      await ctx.reload();
    } catch (err) { ctx.showFormError(form, err); }
  });
  return ctx.canWrite ? el("section", { class: "card" }, el("h2", {}, title), form) : null;
}

function table(headers, rows) {
  if (!rows.length) return el("p", { class: "muted card" }, "Belum ada data.");
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c)))))));
}

function deleteButton(ctx, url, what) {
  if (!ctx.canWrite) return "";
  return el("button", { type: "button", class: "danger", onclick: async () => {
    if (!(await confirmAction(`Hapus ${what}?`, { ok: "Hapus" }))) return;
    await ctx.api.del(url);
    await ctx.reload();
  } }, "Hapus");
}

async function personnel(ctx) {
  const year = new Date().getFullYear();
  const data = await ctx.api.get(`/api/v1/scorecard/personnel?${ctx.orgQuery()}`);
  const form = formShell(ctx, "Data personel dan pelatihan", [
    orgSelect(ctx), input("Tahun", "year", { type: "number", value: year, min: 2000, max: 2100, required: true }),
    monthSelect("month", "Bulan (opsional)", null, true),
    input("Personel DSP (seharusnya)", "authorised", { type: "number", min: 1, required: true }),
    input("Personel operasional (ada)", "operational", { type: "number", min: 0, required: true }),
    input("Berpendidikan sarjana", "degree", { type: "number", min: 0 }),
    input("Diploma", "diploma", { type: "number", min: 0 }),
    input("SMA/sederajat", "high_school", { type: "number", min: 0 }),
    input("Sudah Dikjur/Dikbangspes/Prolat", "trained", { type: "number", min: 0 }),
    input("Sumber", "source", { wide: true }),
  ], async (f) => {
    await ctx.api.post("/api/v1/scorecard/personnel", {
      org: f.org.value, year: Number(f.year.value), month: numberOrNull(f.month.value),
      authorised: Number(f.authorised.value), operational: Number(f.operational.value),
      degree: numberOrNull(f.degree.value), diploma: numberOrNull(f.diploma.value),
      high_school: numberOrNull(f.high_school.value), trained: numberOrNull(f.trained.value),
      source: f.source.value || null });
  });
  return [form, table(["Satuan", "Periode", "DSP", "Operasional", "Kurang", "Sarjana", "Terlatih", "Sumber", ""],
    data.items.map((r) => [r.org_name, r.month ? `${MONTHS[r.month - 1]} ${r.year}` : String(r.year), String(r.authorised),
      String(r.operational), String(r.shortfall), r.degree ?? "-", r.trained ?? "-", r.source || "-",
      deleteButton(ctx, `/api/v1/scorecard/personnel/${r.id}`, "data personel ini")]))];
}

async function figures(ctx) {
  const data = await ctx.api.get(`/api/v1/scorecard/figures?${ctx.orgQuery()}`);
  const form = formShell(ctx, "Angka kinerja (tahun sebelum Siaga, anggaran, anev)", [
    orgSelect(ctx),
    el("label", {}, "Metrik", el("select", { name: "metric" }, ...Object.entries(METRICS).map(([k, v]) => el("option", { value: k }, v)))),
    input("Tahun", "year", { type: "number", value: new Date().getFullYear(), min: 2000, max: 2100, required: true }),
    monthSelect("month_from", "Dari bulan", 1), monthSelect("month_to", "Sampai bulan", 12),
    input("Nilai", "value", { type: "number", min: 0, step: "any", required: true }),
    input("Sumber", "source"), input("Catatan", "note", { wide: true }),
  ], async (f) => {
    await ctx.api.post("/api/v1/scorecard/figures", {
      org: f.org.value, metric: f.metric.value, year: Number(f.year.value), month_from: Number(f.month_from.value),
      month_to: Number(f.month_to.value), value: Number(f.value.value), source: f.source.value || null,
      note: f.note.value || null });
  });
  return [form, table(["Satuan", "Metrik", "Periode", "Nilai", "Sumber", "Catatan", ""],
    data.items.map((r) => [r.org_name, r.metric_name, r.period_label, r.value.toLocaleString("id-ID"), r.source || "-",
      r.note || "-", deleteButton(ctx, `/api/v1/scorecard/figures/${r.id}`, `${r.metric_name} ${r.period_label}`)]))];
}

function parseActions(text) {
  // One action per line: "uraian | penanggung jawab | YYYY-MM-DD | selesai"
  return text.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [description, owner, due, done] = line.split("|").map((s) => (s || "").trim());
    const isDone = /^(selesai|done|ya)$/i.test(done || "");
    return { description, owner: owner || null, due_on: due || null, status: isDone ? "done" : "open",
             done_on: isDone ? new Date().toISOString().slice(0, 10) : null };
  });
}

async function meetings(ctx) {
  const data = await ctx.api.get(`/api/v1/scorecard/meetings?${ctx.orgQuery()}`);
  const lines = (text) => text.split("\n").map((s) => s.trim()).filter(Boolean);
  const form = formShell(ctx, "Rapat koordinasi / FGD", [
    orgSelect(ctx),
    el("label", {}, "Jenis", el("select", { name: "kind" }, el("option", { value: "koordinasi" }, "Rapat koordinasi"), el("option", { value: "fgd" }, "FGD"))),
    input("Tanggal", "held_on", { type: "date", required: true }),
    input("Judul / topik", "title", { wide: true, required: true }),
    input("Peserta (satu per baris)", "participants", { wide: true, textarea: true, placeholder: "Pemda Kabupaten Tegal\nDPRD\nDinas Pendidikan" }),
    input("Kesepakatan (satu per baris)", "agreements", { wide: true, textarea: true }),
    input("Tindak lanjut (satu per baris: uraian | penanggung jawab | tenggat YYYY-MM-DD | selesai)", "actions", { wide: true, textarea: true }),
  ], async (f) => {
    await ctx.api.post("/api/v1/scorecard/meetings", {
      org: f.org.value, kind: f.kind.value, held_on: f.held_on.value, title: f.title.value,
      participants: lines(f.participants.value), agreements: lines(f.agreements.value),
      actions: parseActions(f.actions.value) });
  });
  return [form, table(["Tanggal", "Jenis", "Judul", "Peserta", "Kesepakatan", "Tindak lanjut", ""],
    data.items.map((m) => [m.held_on, m.kind === "fgd" ? "FGD" : "Koordinasi", m.title, m.participants.join(", "),
      m.agreements.join("; ") || "-",
      el("ul", {}, ...m.actions.map((a) => el("li", {}, `${a.description}${a.owner ? ` (${a.owner})` : ""} - `,
        a.status === "done" ? "selesai" : a.overdue ? el("strong", { class: "error" }, "terlambat") : `tenggat ${a.due_on || "-"}`))),
      deleteButton(ctx, `/api/v1/scorecard/meetings/${m.id}`, `rapat "${m.title}"`)]))];
}

async function surveys(ctx) {
  const query = new URLSearchParams(ctx.params());
  const [tallies, summary] = await Promise.all([
    ctx.api.get(`/api/v1/scorecard/surveys?${ctx.orgQuery()}`),
    ctx.api.get(`/api/v1/scorecard/surveys/summary?${query}`)]);
  const form = formShell(ctx, "Hasil kuesioner (dientri)", [
    orgSelect(ctx), input("Judul survei", "title", { wide: true, required: true }),
    input("Tahun", "year", { type: "number", value: new Date().getFullYear(), min: 2000, max: 2100, required: true }),
    monthSelect("month_from", "Dari bulan", 1), monthSelect("month_to", "Sampai bulan", 12),
    input("Menilai baik", "good", { type: "number", min: 0, required: true }),
    input("Perlu peningkatan", "needs_improvement", { type: "number", min: 0, required: true }),
    input("Kurang baik", "poor", { type: "number", min: 0, required: true }),
    input("Sumber", "source", { wide: true }),
  ], async (f) => {
    await ctx.api.post("/api/v1/scorecard/surveys", {
      org: f.org.value, title: f.title.value, year: Number(f.year.value), month_from: Number(f.month_from.value),
      month_to: Number(f.month_to.value), good: Number(f.good.value), needs_improvement: Number(f.needs_improvement.value),
      poor: Number(f.poor.value), source: f.source.value || null });
  });
  return [
    el("h2", { class: "perspective" }, "Rekap kepuasan per Polres (survei warga + kuesioner)"),
    table(["Polres", "Baik", "Perlu peningkatan", "Kurang baik", "Jumlah", "Kepuasan", "Dari warga", "Dari kuesioner"],
      summary.items.map((r) => [r.org_name, String(r.good), String(r.needs_improvement), String(r.poor), String(r.total),
        r.satisfaction_pct === null ? "-" : `${r.satisfaction_pct.toLocaleString("id-ID")}%`, String(r.from_citizens), String(r.from_tallies)])),
    form,
    table(["Satuan", "Survei", "Periode", "Baik", "Perlu peningkatan", "Kurang", "Jumlah", ""],
      tallies.items.map((t) => [t.org_name, t.title, t.period_label, String(t.good), String(t.needs_improvement), String(t.poor),
        String(t.total), deleteButton(ctx, `/api/v1/scorecard/surveys/${t.id}`, `survei "${t.title}"`)]))];
}

const LOADERS = { personel: personnel, angka: figures, rapat: meetings, survei: surveys };

export async function mountEntry(container, base) {
  let current = container.dataset.section || "personel";
  const body = el("div");
  const ctx = {
    ...base,
    orgQuery: () => { const q = new URLSearchParams(); const org = base.params().get("org"); if (org) q.set("org", org); return q; },
    reload: async () => body.replaceChildren(...(await LOADERS[current](ctx)).filter(Boolean)),
  };
  const nav = el("nav", { class: "entry-nav" }, ...Object.entries(SECTIONS).map(([key, label]) =>
    el("button", { type: "button", "data-tab": key, class: key === current ? "active" : "" }, label)));
  // One body redrawn per section, so the tabs have no panels of their own.
  createTabs({ list: nav, prefix: "entry-", onShow: async (key) => {
    current = key;
    container.dataset.section = key;
    await ctx.reload();
  } });
  const readOnly = el("p", { class: "muted card" }, "Anda hanya dapat melihat data (peran analis).");
  container.replaceChildren(...(base.canWrite ? [] : [readOnly]), nav, body);
  await ctx.reload();
}
