// Hotspot layer for /ops and the leadership pages: forecast cells for this shift or the coming
// week, per crime type, and the crime-prone places of the Malang study as labelled points.
//
//   import { mountHotspots } from "/static/ops-hotspots.js";
//   const hotspots = mountHotspots(map, api);
//
// map: a Leaflet map; api: an Api from common.js. Returns { refresh, destroy }, or null when
// Leaflet (global L) is missing.
import { el, formatDateTime } from "/static/common.js";
import { foldable } from "/static/ops-mapfold.js";

const REFRESH_MS = 15 * 60_000;
const HORIZONS = { shift: "Sif ini", week: "7 hari ke depan" };

function injectStyle() {
  if (document.getElementById("ops-hotspots-style")) return;
  const style = document.createElement("style");
  style.id = "ops-hotspots-style";
  style.textContent = `
.hotspot-control { background: #fff; color: #1b2331; padding: 6px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.35);
  font: 12px/1.4 sans-serif; max-width: 230px; }
.hotspot-control summary { cursor: pointer; font-weight: 700; }
.hotspot-control:not([open]) { padding: 4px 8px; }
.hotspot-control label { display: block; margin: 2px 0; }
.hotspot-control select { max-width: 100%; }
.hotspot-control small { color: #555; display: block; margin-top: 3px; }
.hotspot-place { background: #fff3e0; border: 1px solid #e65100; color: #bf360c; font-weight: 600; }`;
  document.head.append(style);
}

function cellStyle(feature) {
  const risk = feature.properties.risk || 0;
  return { color: "#b71c1c", weight: 1, fillColor: risk > 0.66 ? "#b71c1c" : risk > 0.33 ? "#ef6c00" : "#fbc02d",
           fillOpacity: 0.15 + 0.45 * risk };
}

export function mountHotspots(map, api) {
  const L = window.L;
  if (!L || !map) return null;
  injectStyle();
  const cells = L.layerGroup();
  const places = L.layerGroup();
  const state = { horizon: "shift", type: "", showCells: true, showPlaces: true };
  let timer = null;

  const status = el("small", {}, "Memuat…");
  const typeSelect = el("select", { "aria-label": "Jenis kejahatan" }, el("option", { value: "" }, "Semua jenis"));
  const horizonSelect = el("select", { "aria-label": "Rentang prakiraan" },
    Object.entries(HORIZONS).map(([value, label]) => el("option", { value }, label)));
  const cellsBox = el("input", { type: "checkbox", checked: true });
  const placesBox = el("input", { type: "checkbox", checked: true });
  // Folded by default on screens under 1600 px (ops-mapfold.js): the map needs the room.
  const box = el("details", { class: "hotspot-control" },
    el("summary", {}, "Titik rawan"),
    el("label", {}, cellsBox, " Sel prakiraan"),
    el("label", {}, placesBox, " Lokasi rawan (studi Malang)"),
    el("label", {}, "Jenis: ", typeSelect),
    el("label", {}, "Rentang: ", horizonSelect),
    status);
  L.DomEvent.disableClickPropagation(box);
  const control = L.control({ position: "topright" });
  control.onAdd = () => box;
  control.addTo(map);
  foldable(map, box, "hotspots");

  async function loadTypes() {
    try {
      const types = await api.get("/api/v1/crimes/types");
      for (const t of types) typeSelect.append(el("option", { value: t.code }, t.label));
    } catch (err) { console.warn("crime types", err); }
  }

  async function loadCells() {
    cells.clearLayers();
    if (!state.showCells) { status.textContent = ""; return; }
    const params = new URLSearchParams({ horizon: state.horizon, limit: "60" });
    if (state.type) params.set("type", state.type);
    try {
      const data = await api.get(`/api/v1/hotspots?${params}`);
      L.geoJSON(data, {
        style: cellStyle,
        onEachFeature: (feature, layer) => {
          const p = feature.properties;
          layer.bindTooltip(`Peringkat #${p.rank} · risiko ${(p.risk * 100).toFixed(0)}%`);
        },
      }).addTo(cells);
      const props = data.properties || {};
      status.textContent = data.features.length
        ? `${data.features.length} sel · ${props.crime_label || ""} · berlaku s.d. ${formatDateTime(props.valid_until)}`
        : "Belum ada data kejadian untuk prakiraan.";
    } catch (err) {
      status.textContent = `Gagal memuat: ${err.message}`;
    }
  }

  async function loadPlaces() {
    places.clearLayers();
    if (!state.showPlaces) return;
    try {
      const data = await api.get("/api/v1/hotspots/places");
      for (const f of data.features) {
        const [lon, lat] = f.geometry.coordinates;
        const p = f.properties;
        L.circleMarker([lat, lon], { radius: 6, color: "#e65100", weight: 2, fillColor: "#ffb74d", fillOpacity: 0.9 })
          .bindTooltip(textNode("span", `${p.name} (${p.polsek})`), { className: "hotspot-place" })
          .bindPopup(placePopup(p))
          .addTo(places);
      }
    } catch (err) { console.warn("crime-prone places", err); }
  }

  async function refresh() { await Promise.all([loadCells(), loadPlaces()]); }

  cellsBox.addEventListener("change", () => { state.showCells = cellsBox.checked; loadCells(); });
  placesBox.addEventListener("change", () => { state.showPlaces = placesBox.checked; loadPlaces(); });
  typeSelect.addEventListener("change", () => { state.type = typeSelect.value; loadCells(); });
  horizonSelect.addEventListener("change", () => { state.horizon = horizonSelect.value; loadCells(); });

  cells.addTo(map);
  places.addTo(map);
  loadTypes();
  refresh();
  timer = setInterval(loadCells, REFRESH_MS);

  return {
    refresh,
    destroy() {
      clearInterval(timer);
      map.removeLayer(cells);
      map.removeLayer(places);
      control.remove();
    },
  };
}

// Tooltips and popups are built from text nodes: place names never become markup.
function textNode(tag, text) {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}

function placePopup(p) {
  const box = document.createElement("div");
  const name = textNode("b", p.name);
  name.style.display = "block";
  box.append(name, textNode("div", p.polsek), textNode("small", `${p.source}; posisi perkiraan`));
  return box;
}

