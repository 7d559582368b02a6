// Leadership page: Balanced Scorecard, dashboard charts with Polsek drill-down, strategy tracking.
import { Api, el, formatDateTime } from "/static/common.js";
import { confirmAction } from "/static/dialog.js";
import { LIGHT_COLOURS, barChart, formatNumber, stackedBar, trendLine } from "/static/pimpinan.charts.js";
import { alarmKpiExtra, figuresTable } from "/static/pimpinan.alarms.js";
import { mountEntry } from "/static/pimpinan.entry.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.pimpinan.token");
const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
const LIGHTS = { green: "Hijau: target tercapai", amber: "Kuning: mendekati target", red: "Merah: di bawah target", none: "Belum ada data" };
const BASIS = { entered: "dientri", computed: "dihitung Siaga", none: "" };
const TERMS = { short: "Jangka pendek (0-3 bulan)", medium: "Jangka sedang (0-6 bulan)", long: "Jangka panjang (0-12 bulan)" };
const STATUSES = { planned: "Direncanakan", in_progress: "Berjalan", done: "Selesai", stalled: "Terhambat" };
const NO_DATA = "belum ada data";

const state = { me: null, orgs: [], tab: "scorecard", canWrite: false };

function params() {
  const form = document.getElementById("filters");
  const out = new URLSearchParams();
  for (const name of ["org", "year", "month"]) {
    const value = form.elements[name].value;
    if (value) out.set(name, value);
  }
  return out;
}

function setStatus(text, isError = false) {
  const node = document.getElementById("status");
  node.textContent = text;
  node.className = isError ? "error" : "muted";
}

// One definition for a month and for longer periods: a longer one is the mean of its months.
function coverageText(c, periodLabel) {
  if (c.pct === null || c.pct === undefined) return null;
  if (!c.months || c.months === 1) return `${c.visited} dari ${c.regions} kelurahan/desa dikunjungi pada ${periodLabel}`;
  return `Rata-rata ${c.pct.toLocaleString("id-ID")}% per bulan selama ${c.months} bulan; ${c.visited} dari ${c.regions} kelurahan/desa dikunjungi minimal sekali`;
}

function valueText(kpi, value) {
  if (value === null || value === undefined) return null;
  if (kpi.unit === "%") return `${formatNumber(value)}%`;
  return `${formatNumber(value)} ${kpi.unit}`;
}

function lightDot(light) {
  return el("span", { class: "dot", style: `background:${LIGHT_COLOURS[light]}`, title: LIGHTS[light] });
}

function kpiExtra(kpi) {
  const d = kpi.detail || {};
  if (kpi.key === "personnel_fill" && d.authorised) {
    return el("p", { class: "muted" }, `${d.operational} dari ${d.authorised} personel DSP (kurang ${d.shortfall}); data ${d.as_of}`);
  }
  if (kpi.key === "personnel_degree" && d.operational) {
    return el("p", { class: "muted" }, `${d.degree} sarjana dari ${d.operational} personel operasional`);
  }
  if (kpi.key === "personnel_trained" && d.operational) {
    return el("p", { class: "muted" }, `${d.trained} terlatih dari ${d.operational} personel operasional`);
  }
  if (kpi.key === "public_satisfaction" && d.total) {
    return el("div", {},
      stackedBar([{ label: "Baik", value: d.good, colour: LIGHT_COLOURS.green },
                  { label: "Perlu peningkatan", value: d.needs_improvement, colour: LIGHT_COLOURS.amber },
                  { label: "Kurang baik", value: d.poor, colour: LIGHT_COLOURS.red }]),
      el("p", { class: "muted" }, `${d.good} baik · ${d.needs_improvement} perlu peningkatan · ${d.poor} kurang baik dari ${d.total} responden`));
  }
  if (kpi.key === "alarm_response" || kpi.key === "alarm_acknowledgement") return alarmKpiExtra(api, kpi, params());
  if (kpi.key === "visit_coverage" && d.regions) {
    return el("p", { class: "muted" }, `${d.visited} dari ${d.regions} kelurahan/desa dikunjungi`);
  }
  if (d.note) return el("p", { class: "muted" }, d.note);
  return null;
}

function kpiCard(kpi) {
  const text = valueText(kpi, kpi.value);
  const latest = kpi.latest;
  const valueNode = text
    ? el("div", { class: "value" }, text, " ", el("small", {}, kpi.period_label))
    : el("div", { class: "value nodata" }, NO_DATA,
         latest ? el("small", {}, ` · terakhir ${latest.label}: ${valueText(kpi, latest.value)}`) : null);
  const monthly = kpi.monthly.filter((m) => m.value !== null);
  return el("article", { class: `kpi ${kpi.light}`, "data-kpi": kpi.key },
    el("h3", {}, kpi.name),
    valueNode,
    el("div", { class: "muted" }, lightDot(kpi.light), LIGHTS[kpi.light], " · target ", kpi.target_text,
       BASIS[kpi.basis] ? ` · ${BASIS[kpi.basis]}` : ""),
    kpiExtra(kpi),
    trendNode(kpi),
    el("details", {},
      el("summary", {}, "Definisi dan tren"),
      el("dl", {},
        el("dt", {}, "Definisi"), el("dd", {}, kpi.definition),
        el("dt", {}, "Rumus"), el("dd", {}, kpi.formula),
        el("dt", {}, "Sumber"), el("dd", {}, kpi.source, kpi.detail && kpi.detail.source ? ` (${kpi.detail.source})` : ""),
        el("dt", {}, "Tahunan"), el("dd", {}, kpi.yearly.filter((y) => y.value !== null)
          .map((y) => `${y.label}: ${valueText(kpi, y.value)}`).join("; ") || NO_DATA),
        el("dt", {}, "Bulanan"), el("dd", {}, monthly.map((m) => `${SHORT_MONTHS[m.month - 1]}: ${valueText(kpi, m.value)}`).join("; ") || NO_DATA))));
}

// A point per month that has a value; a single point is said in words, not drawn as a bar.
function trendNode(kpi) {
  const points = kpi.trend || [];
  if (points.length > 1) return trendLine(points);
  if (points.length === 1) return el("p", { class: "trend-note" }, `Baru satu bulan berdata (${points[0].label}); tren tampil setelah bulan berikutnya.`);
  return null;
}

async function showScorecard(container) {
  const card = await api.get(`/api/v1/scorecard?${params()}`);
  container.replaceChildren(
    el("h1", { class: "perspective" }, `Balanced Scorecard ${card.org.name} · ${card.period_label}`),
    ...card.perspectives.map((p) => el("section", { class: "perspective", "data-perspective": p.key },
      el("h2", {}, p.name, el("span", { class: "summary" },
        ...["green", "amber", "red", "none"].filter((c) => p.summary[c]).map((c) =>
          el("span", { style: `background:${LIGHT_COLOURS[c]}`, title: LIGHTS[c] }, String(p.summary[c]))))),
      el("div", { class: "kpis" }, ...p.kpis.map(kpiCard)))));
}

function chartCard(title, available, draw, note) {
  return el("div", { class: "chart-card" }, el("h3", {}, title),
    available ? draw() : el("div", { class: "nodata-box" }, NO_DATA), note ? el("p", { class: "muted" }, note) : null);
}

function drillDown(rows) {
  if (!rows.length) return el("p", { class: "muted perspective" }, "Tidak ada satuan di bawah satuan ini.");
  const cell = (v, suffix = "") => (v === null || v === undefined ? NO_DATA : `${formatNumber(v)}${suffix}`);
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ...["Satuan", "Alarm", "≤ 10 menit", "Median respons", "Median terima", "Cakupan kunjungan", "Peringatan", "Tawuran"].map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", { class: "clickable", title: "Lihat satuan ini", "data-org": r.code, onclick: () => selectOrg(r.code) },
      el("td", {}, r.name), el("td", {}, String(r.alarms)), el("td", {}, cell(r.response_pct, "%")),
      el("td", {}, cell(r.response_median_min, " mnt")), el("td", {}, cell(r.ack_median_s, " dtk")),
      el("td", {}, cell(r.visit_coverage_pct, "%")), el("td", {}, cell(r.warnings)), el("td", {}, cell(r.incidents)))))));
}

async function showDashboard(container) {
  const d = await api.get(`/api/v1/scorecard/dashboard?${params()}`);
  const rt = d.response_times;
  const months = SHORT_MONTHS;
  const charts = el("div", { class: "charts" },
    chartCard(`Waktu tiba unit (menit) · ${d.period_label}`, rt.n > 0, () => barChart({
      values: rt.buckets.map((b) => b.count), labels: rt.buckets.map((b) => (b.to_min === null ? `≥ ${b.from_min}` : `${b.from_min}–${b.to_min}`)),
      colours: rt.buckets.map((b) => (b.to_min !== null && b.to_min <= rt.target_min ? LIGHT_COLOURS.green : LIGHT_COLOURS.red)),
      markerAfter: rt.buckets.findIndex((b) => b.to_min === rt.target_min), markerLabel: `target ${rt.target_min} menit`,
      title: "Sebaran waktu respons", unit: " alarm" }),
      rt.n ? `${rt.within_target} dari ${rt.n} alarm tertangani dalam ${rt.target_min} menit` : null),
    chartCard(`Alarm tertangani ≤ ${rt.target_min} menit per bulan (${d.year})`, rt.monthly.some((m) => m.pct_within !== null), () => barChart({
      values: rt.monthly.map((m) => m.pct_within), labels: months, yMax: 100, target: 90, targetLabel: "target 90%",
      colours: rt.monthly.map((m) => (m.pct_within >= 90 ? LIGHT_COLOURS.green : m.pct_within >= 75 ? LIGHT_COLOURS.amber : LIGHT_COLOURS.red)),
      title: "Persentase tepat waktu", unit: "%" })),
    chartCard(`Alarm per jam (WIB) · ${d.period_label}`, d.alarms_by_hour.available && d.alarms_by_hour.hours.some((h) => h > 0), () => barChart({
      values: d.alarms_by_hour.hours, labels: d.alarms_by_hour.hours.map((_, h) => String(h).padStart(2, "0")), title: "Alarm per jam", unit: " alarm" })),
    chartCard(`Cakupan kunjungan kelurahan/desa (${d.year})`, d.visit_coverage.monthly.some((v) => v !== null), () => barChart({
      values: d.visit_coverage.monthly, labels: months, yMax: 100, target: 90, targetLabel: "target 90%", title: "Cakupan kunjungan", unit: "%" }),
      coverageText(d.visit_coverage, d.period_label)),
    chartCard(`Peringatan dini per bulan (${d.year})`, d.warnings.available, () => barChart({
      values: d.warnings.monthly, labels: months, title: "Peringatan dini", unit: " peringatan",
      colours: d.warnings.monthly.map((v, i) => (v && d.warnings.reviewed_monthly[i] < v ? LIGHT_COLOURS.amber : "#0b3d91")) }),
      d.warnings.available ? `Dinilai analis: ${d.warnings.reviewed_monthly.reduce((a, b) => a + b, 0)} dari ${d.warnings.monthly.reduce((a, b) => a + b, 0)}` : null),
    chartCard(`Kejadian tawuran per bulan (${d.year})`, d.incidents.available, () => barChart({
      values: d.incidents.monthly, labels: months, title: "Kejadian tawuran", unit: " kejadian",
      colours: d.incidents.monthly.map((v) => (v ? LIGHT_COLOURS.red : "#0b3d91")) })));
  container.replaceChildren(
    el("h1", { class: "perspective" }, `Dasbor ${d.org.name} · ${d.period_label}`),
    charts,
    el("h2", { class: "perspective" }, `Waktu respons alarm · ${d.period_label}`),
    figuresTable(api, d.response_figures, params()),
    el("h2", { class: "perspective" }, "Rincian per satuan (klik untuk menelusuri)"),
    drillDown(d.polsek));
}

// The KPIs an initiative serves, chosen by name (their keys stay behind the scenes).
function kpiPicker(selected) {
  const select = el("select", { name: "kpi_keys", multiple: true, size: 6 });
  api.get("/api/v1/scorecard/kpis").then((page) => select.replaceChildren(...page.items.map((k) =>
    el("option", { value: k.key, selected: selected.includes(k.key) }, k.name)))).catch(() => {});
  return select;
}

function initiativeForm(item, onDone) {
  const today = new Date().toISOString().slice(0, 10);
  const form = el("form", { class: "grid-form" },
    el("label", { class: "wide" }, "Judul", el("input", { name: "title", required: true, value: item?.title || "" })),
    el("label", {}, "Jangka", el("select", { name: "term" }, ...Object.entries(TERMS).map(([k, v]) => el("option", { value: k, selected: item?.term === k }, v)))),
    el("label", {}, "Penanggung jawab", el("input", { name: "owner", required: true, value: item?.owner || "" })),
    el("label", {}, "Tenggat", el("input", { name: "deadline", type: "date", required: true, value: item?.deadline || today })),
    el("label", {}, "Status", el("select", { name: "status" }, ...Object.entries(STATUSES).map(([k, v]) => el("option", { value: k, selected: item?.status === k }, v)))),
    el("label", {}, "Progres (%)", el("input", { name: "progress", type: "number", min: 0, max: 100, value: item?.progress ?? 0 })),
    el("label", { class: "wide" }, "KPI terkait (tahan Ctrl untuk memilih beberapa)", kpiPicker(item?.kpi_keys || [])),
    el("label", { class: "wide" }, "Uraian", el("textarea", { name: "description" }, item?.description || "")),
    el("div", { class: "wide" }, el("button", { type: "submit", class: "primary" }, item ? "Simpan" : "Tambah inisiatif"), " ",
       el("span", { class: "error", role: "alert" })));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { title: f.title.value, term: f.term.value, owner: f.owner.value, deadline: f.deadline.value,
                   status: f.status.value, progress: Number(f.progress.value || 0), description: f.description.value || null,
                   kpi_keys: [...f.kpi_keys.selectedOptions].map((o) => o.value) };
    if (!item && document.getElementById("org").value) body.org = document.getElementById("org").value;
    if (item) body.org = item.org_code;
    try {
      if (item) await api.put(`/api/v1/scorecard/initiatives/${item.id}`, body);
      else await api.post("/api/v1/scorecard/initiatives", body);
      onDone();
    } catch (err) { showFormError(form, err); }
  });
  return form;
}

export function showFormError(form, err) {
  form.querySelectorAll(".invalid").forEach((n) => n.classList.remove("invalid"));
  const detail = err.body && err.body.detail;
  const fields = Array.isArray(detail) ? detail.map((d) => d.field) : detail && detail.field ? [detail.field] : [];
  for (const field of fields) {
    const input = field && form.elements[field.split(".")[0]];
    if (input && input.classList) input.classList.add("invalid");
  }
  form.querySelector("[role=alert]").textContent = err.message;
}

async function showStrategy(container) {
  const query = params();
  query.delete("year");
  query.delete("month");
  const data = await api.get(`/api/v1/scorecard/initiatives?${query}`);
  const refresh = () => showStrategy(container);
  const groups = Object.entries(TERMS).map(([term, label]) => {
    const items = data.items.filter((i) => i.term === term);
    return el("section", { class: "term" }, el("h2", {}, label),
      items.length ? null : el("p", { class: "muted" }, "Belum ada inisiatif."),
      ...items.map((i) => {
        const box = el("article", { class: "initiative", "data-initiative": i.id },
          el("header", {}, el("strong", {}, i.title),
             el("span", {}, el("span", { class: "badge" }, STATUSES[i.status] || i.status),
                i.overdue ? el("span", { class: "badge late" }, "terlambat") : null)),
          el("div", { class: "muted" }, `PJ: ${i.owner} · tenggat ${new Date(i.deadline).toLocaleDateString("id-ID", { dateStyle: "medium" })} · ${i.org_name}`),
          el("div", { class: "progress", title: `${i.progress}%` }, el("div", { style: `width:${i.progress}%` })),
          el("div", { class: "chips" }, ...i.kpis.map((k) => el("span", {}, k.name))),
          i.description ? el("p", { class: "muted" }, i.description) : null);
        if (state.canWrite) {
          const edit = el("details", {}, el("summary", {}, "Ubah"), initiativeForm(i, refresh),
            el("button", { type: "button", class: "danger", onclick: async () => {
              if (!(await confirmAction(`Hapus inisiatif "${i.title}"?`, { ok: "Hapus" }))) return;
              await api.del(`/api/v1/scorecard/initiatives/${i.id}`);
              refresh();
            } }, "Hapus"));
          box.append(edit);
        }
        return box;
      }));
  });
  const create = el("section", { class: "card" }, el("h2", {}, "Inisiatif baru"), initiativeForm(null, refresh));
  container.replaceChildren(el("h1", { class: "perspective" }, "Strategi dan inisiatif"), ...groups,
    ...(state.canWrite ? [create] : []));
}

const VIEWS = { scorecard: showScorecard, dasbor: showDashboard, strategi: showStrategy,
                entri: (c) => mountEntry(c, { api, canWrite: state.canWrite, orgs: state.orgs, params, showFormError }) };

async function render() {
  const container = document.getElementById(`tab-${state.tab}`);
  setStatus("Memuat…");
  try {
    await VIEWS[state.tab](container);
    setStatus(`Diperbarui ${formatDateTime(new Date().toISOString())}`);
  } catch (err) {
    setStatus(err.message, true);
    console.error(err);
  }
  updateExports();
}

const tabs = createTabs({ onShow: (name) => { state.tab = name; render(); } });

function selectOrg(code) {
  document.getElementById("org").value = code;
  render();
}

// The report the filters select: a month ("2026-11"), or with "Setahun penuh" the whole year.
function reportPeriod() {
  const form = document.getElementById("filters");
  const year = form.elements.year.value || new Date().getFullYear();
  const month = form.elements.month.value;
  if (!month) return { year: String(year), label: `Laporan tahunan ${year}`, name: String(year) };
  const ym = `${year}-${String(month).padStart(2, "0")}`;
  return { month: ym, label: `Laporan bulanan ${MONTHS[Number(month) - 1]} ${year}`, name: ym };
}

function updateExports() {
  for (const format of ["pdf", "csv"]) {
    const link = document.getElementById(`export-${format}`);
    link.title = `${reportPeriod().label} (${format.toUpperCase()})`;
  }
}

async function download(format) {
  const query = params();
  const period = reportPeriod();
  query.delete("year");
  query.delete("month");
  if (period.month) query.set("month", period.month); else query.set("year", period.year);
  query.set("format", format);
  setStatus("Menyiapkan laporan…");
  try {
    const response = await fetch(`/api/v1/scorecard/report?${query}`, { headers: { Authorization: `Bearer ${api.token}` } });
    if (!response.ok) throw new Error(`Gagal membuat laporan (kode ${response.status})`);
    const url = URL.createObjectURL(await response.blob());
    const org = query.get("org") || "satuan";
    const a = el("a", { href: url, download: `laporan-${org}-${period.name}.${format}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus("Laporan diunduh.");
  } catch (err) { setStatus(err.message, true); }
}

function fillFilters() {
  const orgSelect = document.getElementById("org");
  const own = state.me.org_code;
  if (!own) orgSelect.append(el("option", { value: "" }, "Semua satuan"));
  for (const org of state.orgs) {
    const indent = org.level === "polsek" ? "— " : org.level === "polres" ? "" : "";
    orgSelect.append(el("option", { value: org.code, selected: org.code === own }, `${indent}${org.name}`));
  }
  const year = new Date().getFullYear();
  const yearSelect = document.getElementById("year");
  for (let y = year; y >= year - 8; y -= 1) yearSelect.append(el("option", { value: y }, String(y)));
  const monthSelect = document.getElementById("month");
  monthSelect.append(el("option", { value: "" }, "Setahun penuh"));
  MONTHS.forEach((m, i) => monthSelect.append(el("option", { value: i + 1 }, m)));
  document.getElementById("filters").addEventListener("change", render);
  document.getElementById("export-pdf").addEventListener("click", (e) => { e.preventDefault(); download("pdf"); });
  document.getElementById("export-csv").addEventListener("click", (e) => { e.preventDefault(); download("csv"); });
}

startStaffPage({
  api, title: "Masuk pimpinan", deniedInCard: true,
  who: (me) => `${me.full_name} · ${me.org_name || "Semua satuan"}`,
  allow: (me) => ["pimpinan", "admin", "analis"].includes(me.role) || "Halaman ini untuk pimpinan, analis dan admin.",
  start: async (me) => {
    state.me = me;
    state.canWrite = me.role === "pimpinan" || me.role === "admin";
    try { state.orgs = (await api.get("/api/v1/orgs")).items; } catch { state.orgs = []; }
    fillFilters();
    tabs.show("scorecard");
  },
});
