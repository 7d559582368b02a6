// Foldable panels on the /ops map (hotspot choices, legend): folded by default where the
// screen is under 1600 px wide, the operator's choice remembered per panel, and folded for as
// long as a popup they would cover stays open.
//
//   import { foldable } from "/static/ops-mapfold.js";
//   foldable(map, detailsElement, "legend");
const WIDE = 1600;
const KEY = "siaga.ops.fold.";

function remembered(name) {
  try { return localStorage.getItem(KEY + name); } catch { return null; }
}

function remember(name, open) {
  try { localStorage.setItem(KEY + name, open ? "open" : "closed"); } catch { /* private mode */ }
}

function overlaps(a, b) {
  return a.width > 0 && b.width > 0 && !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);
}

/** Make a <details> panel fold as described above; returns it. */
export function foldable(map, details, name) {
  const saved = remembered(name);
  details.open = saved ? saved === "open" : window.innerWidth >= WIDE;
  let auto = false; // the next toggle is ours, not the operator's
  let foldedFor = null; // the popup this panel was folded for
  details.addEventListener("toggle", () => {
    if (auto) { auto = false; return; }
    foldedFor = null;
    remember(name, details.open);
  });
  const set = (open) => { if (details.open !== open) { auto = true; details.open = open; } };
  let shown = null; // the map's open popup
  const check = () => {
    const node = shown && shown.getElement ? shown.getElement() : null;
    if (!node || !details.open) return;
    if (overlaps(node.getBoundingClientRect(), details.getBoundingClientRect())) { foldedFor = shown; set(false); }
  };
  if (map && map.on) {
    map.on("popupopen", (event) => { shown = event.popup; requestAnimationFrame(check); });
    map.on("moveend", check); // after the popup's own pan
    map.on("popupclose", (event) => {
      if (event.popup === shown) shown = null;
      if (foldedFor && event.popup === foldedFor) { foldedFor = null; set(true); }
    });
  }
  return details;
}
