// The /ops map legend: every symbol drawn on the map, with the same CSS as the symbols.
import { el } from "/static/common.js";
import { foldable } from "/static/ops-mapfold.js";

const ALARMS = [
  ["open", "Alarm baru (belum diterima)", "!"],
  ["acknowledged", "Alarm diterima", "!"],
  ["dispatched", "Unit ditugaskan / menuju", "!"],
  ["on_scene", "Unit di lokasi", "!"],
  ["open cancel-wait", "Dibatalkan pelapor - perlu konfirmasi", "?"],
  ["open duress", "Kemungkinan di bawah ancaman", "!!"],
  ["open officer", "Petugas dalam bahaya", "SOS"],
];
const UNITS = [
  ["#2e7d32", "Tersedia"], ["#ef6c00", "Ditugaskan"], ["#1565c0", "Menuju lokasi"],
  ["#6a1b9a", "Di lokasi"], ["#00838f", "Kembali"], ["#616161", "Tidak bertugas"],
];

function row(symbol, label) { return el("li", {}, el("span", { class: "legend-symbol" }, symbol), label); }

export function mountLegend(map) {
  if (!map || !window.L) return null;
  const items = el("ul", {},
    ALARMS.map(([cls, label, glyph]) => row(el("span", { class: `alarm-pin legend-pin ${cls}` }, el("span", {}, glyph)), label)),
    UNITS.map(([color, label]) => row(el("span", { class: "unit-dot legend-unit", style: `background: ${color}` }, "R4"), `Unit: ${label}`)),
    row(el("span", { class: "unit-dot desk legend-unit", style: "background: #2e7d32" }, "P"), "Piket Polsek"),
    row(el("span", { class: "unit-dot stale legend-unit", style: "background: #2e7d32" }, "R2"), "Posisi unit usang (> 5 menit)"),
    row(el("span", { class: "unit-cluster legend-cluster" }, "12"), "Kumpulan unit (perbesar peta)"),
    row(el("span", { class: "legend-hotspot" }), "Lokasi rawan kejahatan"),
    row(el("span", { class: "legend-cell" }), "Sel prakiraan titik rawan"),
    row(el("span", { class: "warn-dot assembling legend-warn" }, el("span", {}, "!")), "Peringatan dini tawuran"),
    row(el("span", { class: "geofence-pin legend-geofence" }, el("span", {}, "!")), "Peringatan wilayah (zona tanpa unit, unit keluar/diam)"));
  // Open by default only where the map is wide enough to spare the room; the choice is kept.
  const box = el("details", { class: "map-legend" }, el("summary", {}, "Keterangan peta"), items);
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => { L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box); return box; };
  control.addTo(map);
  foldable(map, box, "legend");
  return control;
}
