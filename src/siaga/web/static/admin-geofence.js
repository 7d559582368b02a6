// Admin tab "Zona & peringatan": the geofence rules of the Polres (GET/POST/PUT/PATCH/DELETE
// /api/v1/geofence/rules). A zone is drawn on the map (Leaflet-Geoman), or taken from a
// kelurahan/desa (pick it in the list or click it on the map), a school (a circle) or the top
// hotspot cells of the running shift. Fills <section id="tab-geofence"> the first time it shows.
import { Api, el } from "/static/common.js";
import { field, options, orgSelect, table, twoStep } from "/static/admin-ui.js";

const api = new Api("siaga.staff.token");
const KINDS = { leave_jurisdiction: "Unit keluar wilayah", zone_uncovered: "Zona tanpa unit",
  unit_silent: "Unit tidak mengirim posisi", officer_sos: "SOS petugas" };
const SOURCES = { polygon: "Gambar di peta", region: "Kelurahan/desa", school: "Sekolah (lingkaran)",
  hotspots: "Sel titik rawan shift berjalan" };
const DAYS = ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"];
const KIND_HINTS = {
  leave_jurisdiction: "Peringatan bila unit yang bertugas keluar dari wilayah satuannya.",
  zone_uncovered: "Peringatan bila tidak ada unit bertugas di dalam zona selama jam yang dipilih.",
  unit_silent: "Peringatan bila unit yang bertugas tidak mengirim posisi GPS selama batas menit.",
  officer_sos: "Peringatan saat petugas menekan SOS di aplikasinya.",
};
// The drawing toolbar in plain Indonesian (Geoman's own "id" words, with fewer loan words).
const DRAW_WORDS = {
  tooltips: { firstVertex: "Klik untuk titik pertama", continueLine: "Klik untuk titik berikutnya",
    finishPoly: "Klik titik pertama untuk menutup zona", finishRect: "Klik untuk menutup kotak" },
  actions: { finish: "Selesai", cancel: "Batal", removeLastVertex: "Hapus titik terakhir" },
  buttonTitles: { drawPolyButton: "Gambar zona (poligon)", drawRectButton: "Gambar zona (kotak)",
    editButton: "Ubah titik zona", deleteButton: "Hapus zona" },
};
const ZONE_STYLE = { color: "#c62828", weight: 2, fillOpacity: 0.15 };

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const tag = el("script", { src });
    tag.addEventListener("load", resolve);
    tag.addEventListener("error", () => reject(new Error("Peta tidak dapat dimuat")));
    document.head.append(tag);
  });
}

async function loadLeaflet() {
  for (const href of ["/vendor/leaflet/leaflet.css", "/vendor/leaflet-geoman/leaflet-geoman.css", "/static/admin-geofence.css"]) {
    if (!document.querySelector(`link[href="${href}"]`)) document.head.append(el("link", { rel: "stylesheet", href }));
  }
  if (!window.L) await loadScript("/vendor/leaflet/leaflet.js");
  if (!window.L.PM) await loadScript("/vendor/leaflet-geoman/leaflet-geoman.js");
}

async function mount(section) {
  const status = el("p", { class: "muted", role: "status", "aria-live": "polite" });
  const say = (text, isError = false) => { status.textContent = text; status.className = isError ? "error" : "muted"; };
  const orgs = (await api.get("/api/v1/admin/orgs")).items;
  const [outlines, schools] = await Promise.all([
    api.get("/api/v1/orgs/outlines").catch(() => ({ features: [] })),
    api.get("/api/v1/schools").then((b) => b.items || b).catch(() => []),
  ]);
  const regions = outlines.features.map((f) => f.properties);
  let config = {};
  try { config = await api.get("/api/v1/config"); } catch { /* no tiles */ }
  await loadLeaflet();

  const form = el("form", { id: "geofence-form", novalidate: true });
  const title = el("h2", {}, "Aturan baru");
  const kind = el("select", { name: "kind" }, options(KINDS, "zone_uncovered"));
  const org = orgSelect(orgs.filter((o) => o.level !== "polda"));
  const source = el("select", { name: "zone_source" }, options(SOURCES, "polygon"));
  const region = el("select", { name: "region_id" }, el("option", { value: "" }, "Pilih kelurahan/desa"),
    regions.map((r) => el("option", { value: r.region_id }, `${r.name} · ${r.kecamatan || r.org_name}`)));
  const school = el("select", { name: "school_id" }, el("option", { value: "" }, "Pilih sekolah"),
    schools.filter((s) => s.lat != null).map((s) => el("option", { value: s.id }, s.name)));
  const radius = el("input", { name: "radius_m", type: "number", min: 20, max: 5000, value: 300 });
  const topN = el("input", { name: "hotspot_top_n", type: "number", min: 1, max: 20, value: 5 });
  const silent = el("input", { name: "silent_minutes", type: "number", min: 1, max: 1440, value: 15 });
  const start = el("input", { name: "start_time", type: "time" });
  const end = el("input", { name: "end_time", type: "time" });
  const days = el("fieldset", { class: "geofence-days" }, el("legend", {}, "Hari (kosong: setiap hari)"),
    DAYS.map((d, i) => el("label", {}, el("input", { type: "checkbox", value: i + 1 }), d)));
  const hint = el("p", { class: "muted" });
  const drawHint = el("p", { class: "muted" }, "Klik tombol gambar di kiri peta, klik titik-titik batas zona, lalu klik titik pertama untuk menutupnya.");
  const mapBox = el("div", { id: "geofence-map", class: "geofence-map", "aria-label": "Peta zona" });
  const cancel = el("button", { type: "button", hidden: true }, "Batal ubah");
  const part = (name, ...children) => el("div", { "data-part": name }, ...children);
  const parts = [
    part("silent", field("Batas diam (menit)", silent)),
    part("zone", field("Sumber zona", source)),
    part("polygon", drawHint),
    part("region", field("Kelurahan/desa (atau klik di peta)", region)),
    part("school", field("Sekolah", school), field("Radius (meter)", radius)),
    part("hotspots", field("Jumlah sel teratas", topN), el("p", { class: "muted" }, "Sel prakiraan titik rawan shift yang sedang berjalan (pagi 06-14, siang 14-22, malam 22-06 WIB); berganti tiap shift.")),
    part("hours", el("div", { class: "geofence-hours" }, field("Jam mulai (WIB)", start), field("Jam selesai (WIB)", end)),
      el("p", { class: "muted" }, "Kosongkan jam untuk sepanjang hari.")),
  ];
  form.append(title, field("Nama aturan", el("input", { name: "name", required: true, maxlength: 120, placeholder: "mis. Bubaran SMPN 1 Slawi" })),
    field("Jenis", kind), hint, field("Satuan", org), ...parts, days, mapBox,
    el("p", {}, el("button", { type: "submit", class: "primary" }, "Simpan aturan"), " ", cancel));
  const list = el("div", { id: "geofence-rules" });
  section.replaceChildren(el("div", { class: "admin-grid geofence-grid" },
    el("div", { class: "card" }, form),
    el("div", { class: "card" }, el("h2", {}, "Aturan wilayah"),
      el("p", { class: "muted" }, "Peringatan tampil di ruang komando (/ops) dengan bunyinya sendiri dan diterima seperti alarm."), status, list)));

  // --- map ------------------------------------------------------------------------------------
  const map = L.map(mapBox).setView([-7.97, 112.63], 12);
  if (config.tile_url) L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  const home = orgs.find((o) => o.level !== "polda" && o.lat != null);
  if (home) map.setView([home.lat, home.lon], 12);
  map.pm.setLang("siaga", DRAW_WORDS, "id");
  map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false, dragMode: false });
  let drawn = null;
  let preview = null;
  const outlineLayer = L.geoJSON(outlines, { pmIgnore: true, style: { color: "#5c6bc0", weight: 1, fillOpacity: 0.03 },
    onEachFeature: (f, layer) => layer.on("click", () => {
      if (source.value !== "region" || kind.value !== "zone_uncovered") return;
      region.value = String(f.properties.region_id);
      showPreview();
    }) });
  // While drawing, the village outlines stay on the map as a guide (no tiles on an offline
  // server); they take no clicks, so every click places a corner of the zone.
  const guideLayer = L.geoJSON(outlines, { pmIgnore: true, interactive: false,
    style: { color: "#5c6bc0", weight: 1, fillOpacity: 0 } });
  map.on("pm:create", (e) => {
    if (drawn) drawn.remove();
    drawn = e.layer;
    drawn.setStyle?.(ZONE_STYLE);
    say("Zona tergambar. Simpan aturan untuk memakainya.");
  });
  map.on("pm:remove", (e) => { if (e.layer === drawn) drawn = null; });
  const setPreview = (layer) => { if (preview) preview.remove(); preview = layer ? layer.addTo(map) : null; };

  async function showPreview() {
    setPreview(null);
    if (kind.value !== "zone_uncovered") return;
    if (source.value === "region" && region.value) {
      const f = outlines.features.find((x) => String(x.properties.region_id) === region.value);
      if (f) { setPreview(L.geoJSON(f, { pmIgnore: true, style: ZONE_STYLE })); map.fitBounds(preview.getBounds(), { maxZoom: 15 }); }
    } else if (source.value === "school" && school.value) {
      const s = schools.find((x) => String(x.id) === school.value);
      if (s) { setPreview(L.circle([s.lat, s.lon], { ...ZONE_STYLE, radius: Number(radius.value) || 300, pmIgnore: true })); map.fitBounds(preview.getBounds()); }
    } else if (source.value === "hotspots" && org.value) {
      try {
        const cells = await api.get(`/api/v1/geofence/hotspot-cells?org=${encodeURIComponent(org.value)}&top=${Number(topN.value) || 5}`);
        setPreview(L.geoJSON(cells, { pmIgnore: true, style: ZONE_STYLE }));
        if (cells.features.length) map.fitBounds(preview.getBounds(), { maxZoom: 15 });
        else say("Belum ada sel titik rawan untuk satuan ini (belum ada data kejahatan).");
      } catch (err) { say(err.message, true); }
    }
  }

  function sync() {
    const k = kind.value;
    const zone = k === "zone_uncovered";
    for (const p of parts) {
      const name = p.dataset.part;
      p.hidden = (name === "silent" && k !== "unit_silent") || (name === "zone" && !zone)
        || (["polygon", "region", "school", "hotspots"].includes(name) && (!zone || source.value !== name))
        || (name === "hours" && zone && source.value === "hotspots");
    }
    hint.textContent = KIND_HINTS[k];
    const drawing = zone && source.value === "polygon";
    map.pm.addControls({ drawPolygon: drawing, drawRectangle: drawing, editMode: drawing, removalMode: drawing });
    if (!drawing && drawn) { drawn.remove(); drawn = null; }
    if (zone && source.value === "region") outlineLayer.addTo(map); else outlineLayer.remove();
    if (drawing) guideLayer.addTo(map); else guideLayer.remove();
    showPreview();
  }
  for (const input of [kind, source, region, school, radius, topN, org]) input.addEventListener("change", sync);

  // --- saving ---------------------------------------------------------------------------------
  let editing = null;
  function body() {
    const data = new FormData(form);
    const out = { name: data.get("name") || "", kind: kind.value, org: org.value,
      days: [...days.querySelectorAll("input:checked")].map((c) => Number(c.value)),
      start_time: start.value || null, end_time: end.value || null };
    if (out.kind === "unit_silent") out.silent_minutes = Number(silent.value);
    if (out.kind === "zone_uncovered") {
      out.zone_source = source.value;
      if (source.value === "polygon") out.zone = drawn ? drawn.toGeoJSON().geometry : null;
      if (source.value === "region") out.region_id = region.value ? Number(region.value) : null;
      if (source.value === "school") { out.school_id = school.value ? Number(school.value) : null; out.radius_m = Number(radius.value); }
      if (source.value === "hotspots") { out.hotspot_top_n = Number(topN.value); out.start_time = out.end_time = null; }
    }
    return out;
  }

  function reset() {
    editing = null;
    const keep = org.value; // the next rule is most often for the same Polres/Polsek
    form.reset();
    org.value = keep;
    radius.value = 300; topN.value = 5; silent.value = 15;
    title.textContent = "Aturan baru";
    cancel.hidden = true;
    if (drawn) { drawn.remove(); drawn = null; }
    sync();
  }

  function edit(rule) {
    editing = rule.id;
    title.textContent = `Ubah aturan: ${rule.name}`;
    cancel.hidden = false;
    form.elements.name.value = rule.name;
    kind.value = rule.kind;
    org.value = rule.org;
    source.value = rule.zone_source || "polygon";
    region.value = rule.region_id ? String(rule.region_id) : "";
    school.value = rule.school_id ? String(rule.school_id) : "";
    radius.value = rule.radius_m || 300;
    topN.value = rule.hotspot_top_n || 5;
    silent.value = rule.silent_minutes || 15;
    start.value = rule.start_time || "";
    end.value = rule.end_time || "";
    for (const c of days.querySelectorAll("input")) c.checked = rule.days.includes(Number(c.value));
    sync();
    if (rule.zone_source === "polygon" && rule.zone) {
      const [layer] = L.geoJSON(rule.zone, { style: ZONE_STYLE }).getLayers();
      drawn = layer.addTo(map);
      map.fitBounds(drawn.getBounds(), { maxZoom: 16 });
    }
    form.scrollIntoView({ block: "start" });
  }

  cancel.addEventListener("click", reset);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = body();
    if (data.kind === "zone_uncovered" && data.zone_source === "polygon" && !data.zone) {
      say("Gambar dulu zonanya di peta.", true);
      return;
    }
    try {
      const saved = editing ? await api.put(`/api/v1/geofence/rules/${editing}`, data) : await api.post("/api/v1/geofence/rules", data);
      say(`Aturan "${saved.name}" tersimpan.`);
      reset();
      await refresh();
    } catch (err) { say(err.message, true); }
  });

  // --- the list -------------------------------------------------------------------------------
  function showZone(rule) {
    setPreview(null);
    if (rule.zone) setPreview(L.geoJSON(rule.zone, { pmIgnore: true, style: ZONE_STYLE }));
    else if (rule.center_lat != null) setPreview(L.circle([rule.center_lat, rule.center_lon], { ...ZONE_STYLE, radius: rule.radius_m, pmIgnore: true }));
    if (preview) map.fitBounds(preview.getBounds(), { maxZoom: 16 });
  }

  function row(rule) {
    const toggle = el("button", { type: "button", class: rule.active ? "geofence-on" : "geofence-off", "aria-pressed": String(rule.active) },
      rule.active ? "Aktif" : "Mati");
    toggle.title = rule.active ? "Klik untuk mematikan" : "Klik untuk menyalakan";
    toggle.addEventListener("click", async () => {
      try {
        const saved = await api.request("PATCH", `/api/v1/geofence/rules/${rule.id}`, { active: !rule.active });
        say(`Aturan "${saved.name}" ${saved.active ? "dinyalakan" : "dimatikan"}.`);
        await refresh();
      } catch (err) { say(err.message, true); }
    });
    const zoneText = rule.kind === "zone_uncovered" ? el("button", { type: "button", class: "link" }, rule.zone_label) : rule.zone_label;
    if (rule.kind === "zone_uncovered") zoneText.addEventListener("click", () => showZone(rule));
    return el("tr", { "data-rule": rule.id, class: rule.active ? "" : "muted" },
      el("td", {}, el("strong", {}, rule.name), el("div", { class: "muted" }, rule.org_name)),
      el("td", {}, rule.kind_label),
      el("td", {}, zoneText),
      el("td", {}, rule.window_label),
      el("td", {}, rule.threshold_label),
      el("td", {}, toggle),
      el("td", { class: "geofence-actions" }, el("button", { type: "button", onclick: () => edit(rule) }, "Ubah"),
        twoStep("Hapus", "Yakin hapus?", async () => {
          try { await api.del(`/api/v1/geofence/rules/${rule.id}`); say(`Aturan "${rule.name}" dihapus.`); await refresh(); } catch (err) { say(err.message, true); }
        })));
  }

  async function refresh() {
    const page = await api.get("/api/v1/geofence/rules");
    list.replaceChildren(page.items.length
      ? table(["Aturan", "Jenis", "Zona", "Waktu", "Batas", "Status", ""], page.items.map(row))
      : el("p", { class: "muted" }, "Belum ada aturan. Buat aturan pertama di sebelah kiri."));
  }

  sync();
  await refresh();
  setTimeout(() => map.invalidateSize(), 0);
  return { refresh };
}

// The tab's section shows only after log-in and a click on its tab: mount it then, once.
const section = document.getElementById("tab-geofence");
if (section) {
  let started = false;
  const start = () => {
    if (started || section.hidden) return;
    started = true;
    mount(section).catch((err) => section.replaceChildren(el("p", { class: "error" }, err.message || "Aturan wilayah tidak dapat dimuat")));
  };
  new MutationObserver(start).observe(section, { attributes: true, attributeFilter: ["hidden"] });
  start();
}
