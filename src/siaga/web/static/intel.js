// Analyst console (/intel): early warnings with their evidence (confirm or dismiss), the school
// risk map with dismissal patrols, the monitored-students list, and a text test bench.
import { Api, el, formatDate, formatDateTime } from "/static/common.js";
import { STAGE, mountWarnings, riskPercent } from "/static/ops-warnings.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.intel.token");
const CASE_STATUS = { open: "berjalan", closed: "selesai" };
const STATUS = { open: "Terbuka", confirmed: "Dikonfirmasi", dismissed: "Ditolak" };
const PATROL = { planned: "Direncanakan", covered: "Terlaksana (unit ≤200 m)", missed: "Tidak terlaksana" };
const RISK_COLOUR = { tinggi: "#c62828", sedang: "#ef6c00", rendah: "#2e7d32" };
const state = { me: null, tab: "warnings", selected: null, map: null, schoolLayer: null, warningsLayer: null };

const $ = (id) => document.getElementById(id);
// A school's risk score (0-1) as people read it: "tinggi (skor 99)".
const riskScore = (score) => `skor ${Math.round((score || 0) * 100)}`;
const riskText = (level, score) => `${level} (${riskScore(score)})`;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "muted";
}

async function guard(fn) {
  try { await fn(); } catch (err) {
    if (err.status === 401) { api.setToken(""); session.showLogin(); return; }
    setStatus(err.message, true);
  }
}

// --- warnings ---------------------------------------------------------------------------------
async function loadWarnings() {
  const status = $("warning-status").value;
  const page = await api.get(`/api/v1/mediaintel/warnings?limit=200${status ? `&status=${status}` : ""}`);
  const list = $("warning-list");
  list.replaceChildren(...page.items.map((w) => el("li", {
    class: [w.stage, w.status, state.selected === w.id ? "selected" : ""].join(" "),
    onclick: () => guard(() => showWarning(w.id)),
    tabindex: "0",
    onkeydown: (e) => { if (e.key === "Enter") guard(() => showWarning(w.id)); },
  },
  el("div", {}, el("span", { class: `badge ${w.status !== "open" ? w.status : w.stage}` },
    w.status !== "open" ? STATUS[w.status] : STAGE[w.stage]), el("b", {}, `#${w.id} `),
  `risiko ${riskPercent(w.risk)}`),
  el("div", {}, (w.schools.join(" vs ") || "sekolah belum dikenali")),
  el("div", { class: "muted" }, `${w.places.join(", ") || "tempat belum dikenali"} · ${w.post_count} unggahan`),
  el("div", { class: "muted" }, w.window_start ? formatDateTime(w.window_start) : `terakhir ${formatDateTime(w.last_post_at)}`))));
  if (!page.items.length) list.replaceChildren(el("li", { class: "muted" }, "Tidak ada peringatan."));
  setStatus(`${page.total} peringatan`);
}

async function showWarning(id) {
  state.selected = id;
  const w = await api.get(`/api/v1/mediaintel/warnings/${id}`);
  const canJudge = state.me && (state.me.role === "analis" || state.me.role === "admin");
  const note = el("input", { placeholder: "Catatan (opsional), mis. sesuai info Bhabinkamtibmas", maxlength: "500" });
  const judge = (verdict) => guard(async () => {
    await api.post(`/api/v1/mediaintel/warnings/${id}/verdict`, { verdict, note: note.value || null });
    setStatus(verdict === "confirmed" ? "Peringatan dikonfirmasi; unggahannya menjadi data latih positif."
      : "Peringatan ditolak; unggahannya menjadi data latih negatif.");
    await loadWarnings();
    await showWarning(id);
  });
  const parts = [
    el("h2", {}, `Peringatan #${w.id} — ${STATUS[w.status]}`),
    el("p", {}, el("span", { class: `badge ${w.stage}` }, STAGE[w.stage] || w.stage),
      ` risiko ${riskPercent(w.risk)} · ${w.post_count} unggahan · ${formatDateTime(w.first_post_at)} s.d. ${formatDateTime(w.last_post_at)}`),
    el("p", {}, el("b", {}, "Sekolah: "), w.schools.join(", ") || "-"),
    el("p", {}, el("b", {}, "Tempat: "), w.places.join(", ") || "-"),
    el("p", {}, el("b", {}, "Waktu: "), w.window_start ? `${formatDateTime(w.window_start)} – ${formatDateTime(w.window_end)}` : "belum diketahui"),
    el("p", { class: "action" }, el("b", {}, "Saran tindakan: "), w.suggested_action),
    w.verdict_at ? el("p", { class: "muted" }, `Putusan ${formatDateTime(w.verdict_at)}${w.verdict_note ? `: ${w.verdict_note}` : ""}`) : null,
    canJudge ? el("div", { class: "verdict" }, note,
      el("button", { type: "button", class: "ok", onclick: () => judge("confirmed") }, "Konfirmasi"),
      el("button", { type: "button", class: "danger", onclick: () => judge("dismissed") }, "Tolak")) : null,
    el("h3", {}, "Bukti"),
    el("ol", { class: "evidence" }, w.posts.map((p) => el("li", {},
      el("div", { class: "muted" }, `${p.source} · ${formatDateTime(p.posted_at)} · akun ${p.author || "-"} · risiko ${riskPercent(p.risk)}`),
      el("blockquote", {}, p.text),
      p.link ? el("a", { href: p.link, target: "_blank", rel: "noopener noreferrer" }, "tautan asli") : null,
      el("ul", { class: "reasons" }, p.reasons.map((r) => el("li", {}, r)))))),
  ];
  $("warning-detail").replaceChildren(...parts.filter(Boolean));
  for (const li of $("warning-list").children) li.classList.toggle("selected", li.textContent.includes(`#${id} `));
  location.hash = `w${id}`;
}

// --- map, school risk and patrols ---------------------------------------------------------------
async function initMap() {
  if (state.map || typeof L === "undefined") { if (typeof L === "undefined") $("nomap").hidden = false; return; }
  let config = {};
  try { config = await api.get("/api/v1/config"); } catch { /* defaults */ }
  state.map = L.map("map").setView([-6.98, 109.14], 11);
  if (config.tile_url) L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(state.map);
  state.schoolLayer = L.layerGroup().addTo(state.map);
  state.warningsLayer = mountWarnings(state.map, api);
}

async function loadSchools() {
  await initMap();
  if (state.map) setTimeout(() => state.map.invalidateSize(), 50);
  const risks = await api.get("/api/v1/schools/risk");
  if (state.schoolLayer) {
    state.schoolLayer.clearLayers();
    const points = [];
    for (const r of risks.items) {
      if (r.lat == null) continue;
      points.push([r.lat, r.lon]);
      L.marker([r.lat, r.lon], {
        title: r.name,
        zIndexOffset: Math.round(r.score * 1000), // schools sharing a position: riskiest on top
        icon: L.divIcon({ className: "", iconSize: [18, 18], iconAnchor: [9, 9], html: el("div", { class: "school-dot", style: `background:${RISK_COLOUR[r.level] || "#777"}` }) }),
      }).bindPopup(() => el("div", {}, el("b", {}, r.name), el("br"), `Risiko ${riskText(r.level, r.score)}`, el("br"),
        `Tawuran 12 bln: ${r.incidents_12m}, peringatan 90 hari: ${r.warnings_90d}, pelajar dipantau: ${r.monitored_students}`))
        .addTo(state.schoolLayer);
    }
    if (points.length) state.map.fitBounds(points, { padding: [30, 30], maxZoom: 13 });
  }
  $("risk-table").replaceChildren(
    el("thead", {}, el("tr", {}, ["Sekolah", "Risiko", "Tawuran 12 bln", "Korban meninggal", "Peringatan 90 hari", "Pelajar dipantau"].map((h) => el("th", {}, h)))),
    el("tbody", {}, risks.items.map((r) => el("tr", {},
      el("td", {}, r.name), el("td", { class: `risk ${r.level}` }, riskText(r.level, r.score)),
      el("td", {}, r.incidents_12m), el("td", {}, r.deaths_12m), el("td", {}, r.warnings_90d), el("td", {}, r.monitored_students)))));
  await loadPatrols();
}

async function loadPatrols() {
  const page = await api.get("/api/v1/schools/patrols?limit=100");
  $("patrol-table").replaceChildren(
    el("thead", {}, el("tr", {}, ["Sekolah", "Jendela waktu", "Risiko", "Status", "Jarak terdekat"].map((h) => el("th", {}, h)))),
    el("tbody", {}, page.items.length ? page.items.map((p) => el("tr", {},
      el("td", {}, p.school), el("td", {}, `${formatDateTime(p.window_start)} – ${formatDateTime(p.window_end)}`),
      el("td", {}, riskScore(p.risk)), el("td", {}, PATROL[p.status] || p.status),
      el("td", {}, p.closest_m != null ? `${Math.round(p.closest_m)} m` : "-")))
      : [el("tr", {}, el("td", { colspan: "5", class: "muted" }, "Belum ada patroli direncanakan."))]));
}

// --- students -----------------------------------------------------------------------------------
async function loadStudents() {
  const page = await api.get("/api/v1/students?monitored=true&limit=500");
  $("student-table").replaceChildren(
    el("thead", {}, el("tr", {}, ["Pelajar", "Kelas", "Pantau sampai", "Cek terakhir"].map((h) => el("th", {}, h)))),
    el("tbody", {}, page.items.map((s) => el("tr", { class: "clickable", onclick: () => guard(() => showStudent(s.id)) },
      el("td", {}, s.display), el("td", {}, s.class_name || "-"),
      el("td", {}, formatDate(s.monitoring && s.monitoring.monitoring_until)),
      el("td", {}, formatDate(s.monitoring && s.monitoring.last_check_in))))));
  setStatus(`${page.total} pelajar dipantau (tampilan ini tercatat di log audit)`);
}

const STEP = { parents_summoned: "Orang tua dipanggil", guidance: "Pembinaan", written_promise: "Surat pernyataan",
  counselling: "Konseling", monitoring_start: "Mulai pemantauan", check_in: "Cek berkala", closed: "Ditutup" };

async function showStudent(id) {
  const s = await api.get(`/api/v1/students/${id}`);
  const box = $("student-detail");
  box.hidden = false;
  box.replaceChildren(el("h2", {}, s.display), el("p", { class: "muted" }, `Pseudonim ${s.pseudonym}`),
    ...s.cases.map((c) => el("section", {}, el("h3", {}, `Kasus #${c.id} (${CASE_STATUS[c.status] || c.status})`),
      el("ul", {}, c.steps.map((st) => el("li", {}, `${formatDate(st.done_on)}: ${STEP[st.kind] || "Langkah lain"}${st.note ? ` — ${st.note}` : ""}`))),
      c.missing.length ? el("p", { class: "error" }, `Belum: ${c.missing.map((k) => STEP[k] || "langkah lain").join(", ")}`) : null)));
}

async function exportStudents() {
  const response = await fetch("/api/v1/students/export.csv", { headers: { Authorization: `Bearer ${api.token}` } });
  if (!response.ok) throw Object.assign(new Error(`Gagal mengunduh (kode ${response.status})`), { status: response.status });
  const url = URL.createObjectURL(await response.blob());
  const a = el("a", { href: url, download: "pelajar-dipantau.csv" });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

// --- shell -------------------------------------------------------------------------------------
const LOADERS = { warnings: loadWarnings, schools: loadSchools, students: loadStudents, test: async () => {} };

const tabs = createTabs({ onShow: (name) => {
  state.tab = name;
  setStatus("");
  guard(LOADERS[name]);
} });

const session = startStaffPage({
  api, title: "Masuk analis", afterLogin: "start", afterLogout: "card",
  who: (me) => `${me.full_name || me.username} (${me.role})`,
  start: (me) => {
    state.me = me;
    const match = location.hash.match(/^#w(\d+)$/);
    tabs.show("warnings");
    if (match) guard(() => showWarning(Number(match[1])));
  },
});

$("warning-status").addEventListener("change", () => guard(loadWarnings));
$("plan-patrols").addEventListener("click", () => guard(async () => {
  const date = $("patrol-date").value || null;
  const page = await api.post("/api/v1/schools/patrols/plan", { date });
  setStatus(`${page.total} patroli baru direncanakan.`);
  await loadPatrols();
}));
$("check-patrols").addEventListener("click", () => guard(async () => {
  const page = await api.post("/api/v1/schools/patrols/check");
  const covered = page.items.filter((p) => p.status === "covered").length;
  setStatus(`${page.total} patroli diperiksa: ${covered} terlaksana, ${page.total - covered} tidak.`);
  await loadPatrols();
}));
$("export-students").addEventListener("click", () => guard(exportStudents));
$("test-form").addEventListener("submit", (e) => {
  e.preventDefault();
  guard(async () => {
    const result = await api.post("/api/v1/mediaintel/classify", { text: e.target.text.value });
    const out = $("test-result");
    out.hidden = false;
    out.replaceChildren(...classifyResult(result));
  });
});
// The text test bench's answer in words: risk, verdict, what was recognised, and why.
function classifyResult(r) {
  const list = (items) => (items.length ? items.join(", ") : "-");
  const times = r.times.map((t) => `${t.text} (${formatDateTime(t.start)} – ${formatDateTime(t.end)})`);
  return [
    el("p", {}, el("b", {}, `Risiko ${riskPercent(r.risk)} — `),
      r.is_warning ? "menjadi peringatan" : "tidak menjadi peringatan"),
    el("p", {}, el("b", {}, "Sekolah: "), list(r.schools)),
    el("p", {}, el("b", {}, "Tempat: "), list(r.places)),
    el("p", {}, el("b", {}, "Waktu: "), list(times)),
    el("p", {}, el("b", {}, "Alasan:")),
    el("ul", {}, (r.reasons || []).map((reason) => el("li", {}, reason))),
  ];
}

