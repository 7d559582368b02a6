// Leaders' page for the Door to Door System: coverage map and gaps, visits with their flags,
// follow-ups across functions, citizens' tips, and the weekly anev report (PDF/CSV).
import { Api, el, formatDateTime } from "/static/common.js";
import { regionOutlines } from "/static/region-outlines.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.staff.token");
const $ = (id) => document.getElementById(id);
const PLACE = { house: "Rumah warga", worship: "Tempat ibadah", school: "Sekolah", office: "Kantor", shop: "Toko", other: "Lainnya" };
const TOPIC = { crime: "Kejahatan", drugs: "Narkoba", brawl: "Tawuran", radicalism: "Radikalisme", dispute: "Perselisihan", traffic: "Lalu lintas", disaster: "Bencana", other: "Lainnya" };
const dayText = (iso, opts = { day: "numeric", month: "long", year: "numeric" }) => new Date(iso.length === 10 ? `${iso}T12:00:00+07:00` : iso).toLocaleDateString("id-ID", { timeZone: "Asia/Jakarta", ...opts });
const FUNCTIONS = { reskrim: "Reskrim", samapta: "Samapta", binmas: "Binmas", intelkam: "Intelkam", lantas: "Lantas" };
const FU_STATUS = { open: "Baru", in_progress: "Dikerjakan", done: "Selesai", cancelled: "Dibatalkan" };
const TIP_STATUS = { new: "Diterima", in_review: "Sedang ditelaah", acted: "Sudah ditindaklanjuti", closed: "Selesai", rejected: "Tidak dapat ditindaklanjuti" };
let me = null;
let map = null;
let mapLayer = null;
let current = "cakupan";

const status = (text, isError = false) => { $("status").textContent = text; $("status").className = isError ? "error" : "muted"; };
const orgParam = () => ($("org").value ? `org=${encodeURIComponent($("org").value)}` : "");
const days = (n) => (n === null || n === undefined ? "belum pernah" : n === 0 ? "hari ini" : `${n} hari`);

function table(headers, rows, rowClass) {
  return el("table", {}, el("thead", {}, el("tr", {}, headers.map(([label, num]) => el("th", { class: num ? "num" : "" }, label)))),
    el("tbody", {}, rows.map((r) => el("tr", { class: rowClass ? rowClass(r) : "" },
      r.cells.map((c, i) => el("td", { class: headers[i][1] ? "num" : "" }, c))))));
}

function gapClass(row) { return row.visits_month === 0 ? "gap" : row.visits_week === 0 ? "quiet" : ""; }
function colour(row) { return row.visits_month === 0 ? "#c62828" : row.visits_week === 0 ? "#f0a500" : "#2e7d32"; }

// --- coverage ---------------------------------------------------------------------------------
async function loadCoverage() {
  const data = await api.get(`/api/v1/visits/coverage?${orgParam()}`);
  const coverageRows = (rows, first) => rows.map((r) => ({ ...r, cells: [first(r), r.visits_week, r.visits_month, r.places_month, days(r.days_since_last)] }));
  const heads = (name) => [[name], ["Minggu ini", 1], ["Bulan ini", 1], ["Tempat", 1], ["Terakhir", 1]];
  $("kelurahan").replaceChildren(table(heads("Kelurahan"),
    coverageRows(data.kelurahan, (r) => `${r.name}${r.polsek ? " · " + r.polsek : ""}${r.officers.length ? " · " + r.officers.join(", ") : ""}`), gapClass));
  $("officers").replaceChildren(table(heads("Petugas"), coverageRows(data.officers, (r) => r.name), gapClass));
  $("rw").replaceChildren(data.rw.length ? table(heads("RW"), coverageRows(data.rw, (r) => r.name), gapClass)
    : el("p", { class: "muted" }, "Belum ada kunjungan yang mencatat RW."));
  drawMap(data);
  const none = data.kelurahan.filter((r) => r.visits_month === 0).length;
  const idle = data.officers.filter((r) => r.visits_week === 0).length;
  status(`${none} kelurahan tanpa kunjungan bulan ini · ${idle} petugas tanpa kunjungan minggu ini`);
}

// Leaflet puts a string tooltip in as HTML; names typed by officers must stay text.
const tip = (text) => el("span", {}, text);

function drawMap(data) {
  const places = data.kelurahan.filter((r) => r.lat !== null);
  if (window.L) {
    if (!map) {
      map = L.map("map", { preferCanvas: true });
      api.get("/api/v1/config").then((cfg) => {
        // Tiles are decoration: the circles stay readable on a blank background offline.
        if (cfg.tile_url) L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution, maxZoom: 19 }).addTo(map);
      }).catch(() => {});
    }
    if (mapLayer) mapLayer.remove();
    mapLayer = L.layerGroup().addTo(map);
    const circles = new Map();
    for (const r of places) {
      circles.set(r.region_id, L.circleMarker([r.lat, r.lon], { radius: 9, color: colour(r), fillOpacity: 0.35, weight: 2 })
        .bindTooltip(tip(`${r.name}: ${r.visits_week} minggu ini, ${r.visits_month} bulan ini`)).addTo(mapLayer));
    }
    // The real outline takes the circle's place wherever the boundary is known.
    const drawnOn = mapLayer;
    regionOutlines(api).then((outlines) => {
      for (const f of outlines.features) {
        const r = places.find((row) => row.region_id === f.properties.region_id);
        if (!r || mapLayer !== drawnOn) continue;
        circles.get(r.region_id).remove();
        L.geoJSON(f, { style: { color: colour(r), weight: 1.5, fillOpacity: 0.3 } })
          .bindTooltip(tip(`${r.name}: ${r.visits_week} minggu ini, ${r.visits_month} bulan ini`)).addTo(drawnOn).bringToBack();
      }
    }).catch(() => {});
    for (const p of data.points) {
      L.circleMarker([p.lat, p.lon], { radius: 4, color: p.flagged ? "#8a0015" : "#1565c0", fillOpacity: 0.9, weight: 1 })
        .bindTooltip(tip(`${p.officer} · ${PLACE[p.place_type] || p.place_type}${p.place_name ? " " + p.place_name : ""} · ${formatDateTime(p.visited_at)}`)).addTo(mapLayer);
    }
    const all = [...places.map((r) => [r.lat, r.lon]), ...data.points.map((p) => [p.lat, p.lon])];
    if (all.length) map.fitBounds(all, { padding: [20, 20] });
    else map.setView([-7.98, 112.63], 12);
    return;
  }
  // No Leaflet: a plain SVG scatter, north up.
  const pts = [...places, ...data.points];
  if (!pts.length) { $("map").replaceChildren(el("p", { class: "muted" }, "Belum ada data peta.")); return; }
  const lats = pts.map((p) => p.lat), lons = pts.map((p) => p.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const x = (lon) => 20 + ((lon - minLon) / (maxLon - minLon || 1)) * 560;
  const y = (lat) => 20 + ((maxLat - lat) / (maxLat - minLat || 1)) * 380;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 600 420");
  svg.setAttribute("class", "fallback");
  const dot = (cx, cy, r, fill, title) => {
    const c = document.createElementNS(ns, "circle");
    Object.entries({ cx, cy, r, fill, "fill-opacity": 0.6 }).forEach(([k, v]) => c.setAttribute(k, v));
    const t = document.createElementNS(ns, "title"); t.textContent = title; c.append(t);
    svg.append(c);
  };
  places.forEach((r) => dot(x(r.lon), y(r.lat), 9, colour(r), r.name));
  data.points.forEach((p) => dot(x(p.lon), y(p.lat), 3, "#1565c0", p.officer));
  $("map").replaceChildren(svg);
}

// --- visits -----------------------------------------------------------------------------------
async function photoImg(url) {
  const img = el("img", { alt: "Foto kunjungan" });
  fetch(url, { headers: { Authorization: `Bearer ${api.token}` } })
    .then((r) => (r.ok ? r.blob() : null)).then((b) => { if (b) img.src = URL.createObjectURL(b); });
  return img;
}

async function loadVisits() {
  const flagged = $("only-flagged").checked ? "&flagged=true" : "";
  const page = await api.get(`/api/v1/visits?limit=100${flagged}&${orgParam()}`);
  $("visits").replaceChildren(...(page.items.length ? page.items.map((v) => {
    const photos = el("div", { class: "photos" });
    const more = el("button", { type: "button", class: "link", onclick: async () => {
      more.remove();
      for (const p of v.photos) photos.append(await photoImg(p.url));
    } }, `Lihat ${v.photos.length} foto`);
    return el("div", { class: "visit" },
      el("strong", {}, `${PLACE[v.place_type] || v.place_type}${v.place_name ? ": " + v.place_name : ""}`),
      v.flagged ? el("span", { class: "badge warn" }, "perlu dicek") : null,
      el("div", { class: "muted" }, `${formatDateTime(v.visited_at)} · ${v.officer_name} · ${v.region_name || "-"}${v.rw ? " RW " + v.rw : ""}${v.rt ? " RT " + v.rt : ""}`),
      v.person_name ? el("div", {}, `Ditemui: ${v.person_name}${v.person_role ? " (" + v.person_role + ")" : ""}`) : null,
      v.topics.length ? el("div", {}, v.topics.map((t) => el("span", { class: "badge" }, TOPIC[t] || "Lainnya"))) : null,
      el("div", {}, v.findings), v.problems ? el("div", {}, el("em", {}, `Masalah: ${v.problems}`)) : null,
      v.flags.length ? el("ul", { class: "flags" }, v.flags.map((f) => el("li", {}, f.msg))) : null,
      v.photos.length ? more : null, photos);
  }) : [el("p", { class: "muted" }, "Belum ada kunjungan.")]));
}

// --- follow-ups -------------------------------------------------------------------------------
async function loadFollowUps() {
  const s = $("fu-status").value, f = $("fu-function").value;
  const page = await api.get(`/api/v1/follow-ups?limit=200${s ? "&status=" + s : ""}${f ? "&function=" + f : ""}`);
  const rows = page.items.map((t) => {
    const state = el("select", {}, Object.entries(FU_STATUS).map(([k, v]) => el("option", { value: k, selected: k === t.status }, v)));
    const due = el("input", { type: "date", value: t.due_date || "" });
    const note = el("input", { placeholder: "Catatan", value: t.note || "" });
    const save = (extra = {}) => api.request("PATCH", `/api/v1/follow-ups/${t.id}`,
      { status: state.value, due_date: due.value || null, note: note.value || null, ...extra })
      .then(() => { status("Tindak lanjut disimpan."); loadFollowUps(); }).catch((e) => status(e.message, true));
    return { ...t, cells: [
      `${FUNCTIONS[t.function] || t.function}`,
      el("div", {}, t.description, el("div", { class: "muted" }, `${t.region_name || (t.tip_id ? "Laporan warga #" + t.tip_id : "")} · dari ${t.reported_by_name || "-"}`)),
      el("span", { class: t.overdue ? "badge warn" : "" }, t.due_date ? dayText(t.due_date) : "-"),
      t.owner_name || "-",
      el("div", { class: "row-edit" }, state, due, note,
        el("button", { type: "button", onclick: () => save() }, "Simpan"),
        el("button", { type: "button", onclick: () => save({ owner_id: me.id }) }, "Saya tangani")),
    ] };
  });
  $("followups").replaceChildren(rows.length ? table([["Fungsi"], ["Uraian"], ["Tenggat"], ["Penanggung jawab"], ["Ubah"]], rows)
    : el("p", { class: "muted" }, "Tidak ada tindak lanjut."));
}

// --- tips -------------------------------------------------------------------------------------
async function loadTips() {
  const s = $("tip-status").value;
  const page = await api.get(`/api/v1/tips?limit=200${s ? "&status=" + s : ""}`);
  $("tips").replaceChildren(...(page.items.length ? page.items.map((t) => {
    const state = el("select", {}, Object.entries(TIP_STATUS).map(([k, v]) => el("option", { value: k, selected: k === t.status }, v)));
    const reply = el("input", { placeholder: "Balasan untuk pelapor", value: t.public_note || "", size: 40 });
    const fn = el("select", {}, Object.entries(FUNCTIONS).map(([k, v]) => el("option", { value: k }, v)));
    const photo = el("div", { class: "photos" });
    if (t.photo_url) photoImg(t.photo_url).then((img) => photo.append(img));
    return el("div", { class: "visit" },
      el("strong", {}, `#${t.id} ${t.category_label}`), el("span", { class: "badge" }, t.status_label),
      el("div", { class: "muted" }, `${formatDateTime(t.created_at)} · ${t.kelurahan || "-"} · ${t.polsek || "-"} · ${t.anonymous ? "anonim" : `${t.reporter_name || "-"} ${t.reporter_phone || ""}`}`),
      el("div", {}, t.text), photo,
      el("div", { class: "row-edit" }, state, reply,
        el("button", { type: "button", onclick: () => api.request("PATCH", `/api/v1/tips/${t.id}`, { status: state.value, public_note: reply.value || null })
          .then(() => { status("Laporan diperbarui."); loadTips(); }).catch((e) => status(e.message, true)) }, "Simpan"),
        fn, el("button", { type: "button", onclick: () => api.post(`/api/v1/tips/${t.id}/follow-ups`, { function: fn.value, description: `Laporan warga #${t.id}: ${t.text.slice(0, 300)}` })
          .then(() => status("Tindak lanjut dibuat.")).catch((e) => status(e.message, true)) }, "Jadikan tindak lanjut")));
  }) : [el("p", { class: "muted" }, "Tidak ada laporan.")]));
}

// --- anev -------------------------------------------------------------------------------------
function bars(title, rows, colourOf = () => "#0b3d91") {
  const ns = "http://www.w3.org/2000/svg";
  const width = 640, rowH = 22, labelW = 210, barW = 360;
  const top = Math.max(1, ...rows.map((r) => r[1]));
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * rowH + 8}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  rows.forEach(([label, value], i) => {
    const y = i * rowH + 4;
    const add = (tag, attrs, text) => {
      const n = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
      if (text !== undefined) n.textContent = text;
      svg.append(n);
    };
    add("text", { x: 0, y: y + 14 }, String(label).slice(0, 34));
    add("rect", { x: labelW, y: y + 3, width: barW, height: rowH - 8, fill: "#e3e6ee" });
    add("rect", { x: labelW, y: y + 3, width: (barW * value) / top, height: rowH - 8, fill: colourOf(label, value) });
    add("text", { x: labelW + barW + 8, y: y + 14 }, String(value));
  });
  return el("div", { class: "card" }, el("h2", {}, title), svg);
}

function weekParam() {
  const value = $("week").value; // "2026-W47" from <input type=week>
  return value || isoWeek(new Date(Date.now() - 7 * 86400000));
}

function isoWeek(date) {
  const d = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const start = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  return `${d.getUTCFullYear()}-W${String(Math.ceil(((d - start) / 86400000 + 1) / 7)).padStart(2, "0")}`;
}

async function loadAnev() {
  const r = await api.get(`/api/v1/reports/anev?week=${weekParam()}&${orgParam()}`);
  const s = r.summary, a = r.alarms, f = r.follow_ups;
  const box = (label, value) => el("div", {}, el("b", {}, typeof value === "number" ? value.toLocaleString("id-ID") : (value ?? "-")), label);
  const lastDay = new Date(new Date(r.end).getTime() - 1).toISOString();
  $("anev").replaceChildren(
    el("div", { class: "card" }, el("h2", {}, `Anev ${r.org.name} · ${dayText(r.start, { day: "numeric", month: "long" })} s.d. ${dayText(lastDay)}`),
      el("div", { class: "summary" },
        box("kunjungan", s.visits), box("kunjungan bertanda", s.flagged_visits),
        box("petugas aktif", `${s.officers_active}/${s.officers_total}`), box("kelurahan dikunjungi", `${s.kelurahan_visited}/${s.kelurahan_total}`),
        box("tindak lanjut dibuka", f.opened), box("tindak lanjut selesai", f.closed), box("masih terbuka / lewat tenggat", `${f.open_at_end} / ${f.overdue_at_end}`),
        box("alarm warga", a.total), box("median waktu terima (dtk)", a.ack_median_s), box("p90 waktu terima (dtk)", a.ack_p90_s),
        box(`diterima ≤ ${a.target_s} dtk`, `${a.ack_within_target}/${a.total}`),
        box("median unit dikirim (dtk)", a.dispatch_median_s), box("median unit tiba (dtk)", a.arrival_median_s),
        box(`tiba ≤ ${Math.round(a.arrival_target_s / 60)} menit`, `${a.arrival_within_target}/${a.dispatched}`),
        box("laporan warga", r.tips.received)),
      el("p", { class: "muted" }, `Alarm yang dihitung: ${a.counts}.`)),
    bars("Kunjungan per hari", r.daily.map((d) => [dayText(d.date, { weekday: "short", day: "numeric", month: "short" }), d.visits])),
    bars("Alarm per hari", r.daily.map((d) => [dayText(d.date, { weekday: "short", day: "numeric", month: "short" }), d.alarms]), () => "#c62828"),
    bars("Topik", r.topics.map((t) => [t.label, t.count])),
    bars("Kunjungan per petugas", r.visits_by_officer.map((o) => [o.officer, o.visits]), (_l, v) => (v ? "#0b3d91" : "#c62828")),
    el("div", { class: "card" }, el("h2", {}, "Celah cakupan minggu ini"),
      el("p", {}, el("strong", {}, `Kelurahan tanpa kunjungan (${r.gaps.kelurahan.length}): `), r.gaps.kelurahan.join(", ") || "tidak ada"),
      el("p", {}, el("strong", {}, `Petugas tanpa kunjungan (${r.gaps.officers.length}): `), r.gaps.officers.join(", ") || "tidak ada")),
    el("div", { class: "card" }, el("h2", {}, "Tindak lanjut per fungsi"),
      table([["Fungsi"], ["Dibuka", 1], ["Selesai", 1], ["Terbuka di akhir minggu", 1]],
        f.by_function.map((x) => ({ cells: [x.label, x.opened, x.closed, x.open_at_end] })))),
    el("div", { class: "card" }, el("h2", {}, "Kunjungan per kelurahan"),
      table([["Kelurahan"], ["Polsek"], ["Kunjungan", 1], ["Petugas", 1]],
        r.visits_by_kelurahan.map((x) => ({ ...x, visits_month: x.visits, visits_week: x.visits, cells: [x.kelurahan, x.polsek, x.visits, x.officers] })), gapClass)),
  );
}

async function download(format) {
  const url = `/api/v1/reports/anev?week=${weekParam()}&${orgParam()}&format=${format}`;
  const response = await fetch(url, { headers: { Authorization: `Bearer ${api.token}` } });
  if (!response.ok) { status(`Gagal mengunduh (kode ${response.status})`, true); return; }
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `anev-${$("org").value || "satuan"}-${weekParam()}.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
}

// --- shell ------------------------------------------------------------------------------------
const LOADERS = { cakupan: loadCoverage, kunjungan: loadVisits, tindaklanjut: loadFollowUps, laporan: loadTips, anev: loadAnev };

async function loadTab(name) {
  current = name;
  status("Memuat…");
  try {
    await LOADERS[name]();
    if (name !== "cakupan") status("");
    if (name === "cakupan" && map) map.invalidateSize();
  } catch (err) { status(err.message, true); }
}

const tabs = createTabs({ onShow: loadTab });
const show = (name) => tabs.show(name);

async function start(signedIn) {
  me = signedIn;
  $("admin-link").hidden = me.role !== "admin";
  const orgs = await api.get("/api/v1/orgs").catch(() => ({ items: [] }));
  $("org").replaceChildren(...orgs.items.filter((o) => o.level !== "polda").map((o) =>
    el("option", { value: o.code, selected: o.code === me.org_code }, `${o.level === "polsek" ? "— " : ""}${o.name}`)));
  $("week").value = isoWeek(new Date(Date.now() - 7 * 86400000));
  $("fu-function").append(...Object.entries(FUNCTIONS).map(([k, v]) => el("option", { value: k }, v)));
  $("org").addEventListener("change", () => show(current));
  $("week").addEventListener("change", () => { if (current === "anev") show("anev"); });
  $("only-flagged").addEventListener("change", () => show("kunjungan"));
  $("fu-status").addEventListener("change", () => show("tindaklanjut"));
  $("fu-function").addEventListener("change", () => show("tindaklanjut"));
  $("tip-status").addEventListener("change", () => show("laporan"));
  $("anev-pdf").addEventListener("click", () => download("pdf"));
  $("anev-csv").addEventListener("click", () => download("csv"));
  await show("cakupan");
}

startStaffPage({
  api, title: "Masuk pimpinan / operator", start,
  who: (signedIn) => `${signedIn.full_name} · ${signedIn.org_name || "Pusat"}`,
  allow: (signedIn) => signedIn.role !== "petugas" || el("span", {}, "Halaman ini untuk pimpinan dan operator. Petugas mengisi kunjungan di ", el("a", { href: "/petugas" }, "/petugas"), "."),
});
