// Kelurahan/desa outlines in the user's scope (GET /api/v1/orgs/outlines), drawn under the
// other layers of a Leaflet map. Names go into tooltips as text, never as HTML.

let cached = null;

export function regionOutlines(api) {
  cached = cached || api.get("/api/v1/orgs/outlines").catch((err) => { cached = null; throw err; });
  return cached;
}

function textTip(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

// style(feature) -> Leaflet path options or null (skip); tip(feature) -> text or null.
export async function addRegionOutlines(api, map, { style, tip } = {}) {
  const data = await regionOutlines(api);
  const layer = L.geoJSON(data, {
    filter: (f) => !style || style(f) !== null,
    style: (f) => ({ color: "#78909c", weight: 1.2, opacity: 0.85, fillOpacity: 0.04, ...(style ? style(f) : {}) }),
    interactive: Boolean(tip),
    onEachFeature: (f, l) => { const t = tip && tip(f); if (t) l.bindTooltip(textTip(t), { sticky: true }); },
  }).addTo(map);
  layer.bringToBack();
  return layer;
}
