// Small SVG charts for the leadership dashboard, drawn by hand (no chart library).
const NS = "http://www.w3.org/2000/svg";
export const LIGHT_COLOURS = { green: "#2e9e43", amber: "#e0a000", red: "#c62828", none: "#b8bcc6" };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function formatNumber(value, digits = 1) {
  if (value === null || value === undefined) return "-";
  const rounded = Math.round(value * 10 ** digits) / 10 ** digits;
  return rounded.toLocaleString("id-ID");
}

// Vertical bars with labels under them; an optional horizontal target line (value) or a
// vertical marker between two bars (markerAfter: index), each with its own caption.
export function barChart({ values, labels, colours, width = 520, height = 200, target = null,
                           targetLabel = "", yMax = null, markerAfter = null, markerLabel = "",
                           title = "", unit = "" }) {
  const pad = { left: 36, right: 10, top: 20, bottom: 34 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const numeric = values.map((v) => (v === null || v === undefined ? 0 : v));
  const top = Math.max(yMax ?? 0, ...numeric, target ?? 0, 1);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart",
                            "aria-label": title });
  if (title) root.append(svg("title", {}, title));
  const y = (v) => pad.top + innerH - (innerH * v) / top;
  for (const frac of [0, 0.5, 1]) {
    const v = top * frac;
    root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: "grid" }));
    root.append(svg("text", { x: pad.left - 4, y: y(v) + 4, "text-anchor": "end", class: "axis" },
                    formatNumber(v, v < 10 ? 1 : 0)));
  }
  const step = innerW / Math.max(values.length, 1);
  const barW = Math.max(2, step * 0.7);
  values.forEach((value, i) => {
    const x = pad.left + i * step + (step - barW) / 2;
    if (value !== null && value !== undefined) {
      const rect = svg("rect", { x, y: y(value), width: barW, height: Math.max(0, pad.top + innerH - y(value)),
                                 fill: (colours && colours[i]) || "#0b3d91", class: "bar" });
      rect.append(svg("title", {}, `${labels[i]}: ${formatNumber(value)}${unit}`));
      root.append(rect);
    } else {
      root.append(svg("text", { x: x + barW / 2, y: pad.top + innerH - 3, "text-anchor": "middle", class: "axis muted" }, "·"));
    }
    const every = Math.ceil(values.length / 12);
    if (i % every === 0) {
      root.append(svg("text", { x: x + barW / 2, y: height - pad.bottom + 14, "text-anchor": "middle", class: "axis" }, labels[i]));
    }
  });
  if (target !== null && target !== undefined) {
    root.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(target), y2: y(target), class: "target" }));
    root.append(svg("text", { x: width - pad.right, y: y(target) - 4, "text-anchor": "end", class: "target-label" }, targetLabel));
  }
  if (markerAfter !== null) {
    const x = pad.left + (markerAfter + 1) * step;
    root.append(svg("line", { x1: x, x2: x, y1: pad.top, y2: pad.top + innerH, class: "target" }));
    root.append(svg("text", { x, y: pad.top - 6, "text-anchor": "middle", class: "target-label" }, markerLabel));
  }
  return root;
}

// Small yearly trend: one bar per year, coloured by its traffic light.
export function sparkBars(points, { width = 160, height = 44 } = {}) {
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "spark", role: "img",
                            "aria-label": "Tren tahunan" });
  const values = points.map((p) => p.value ?? 0);
  const top = Math.max(...values, 1);
  const step = width / Math.max(points.length, 1);
  points.forEach((p, i) => {
    const h = p.value === null ? 2 : Math.max(2, ((height - 14) * p.value) / top);
    const rect = svg("rect", { x: i * step + 2, y: height - 12 - h, width: Math.max(2, step - 4), height: h,
                               fill: LIGHT_COLOURS[p.light] || LIGHT_COLOURS.none });
    rect.append(svg("title", {}, `${p.label}: ${p.value === null ? "belum ada data" : formatNumber(p.value)}`));
    root.append(rect);
    root.append(svg("text", { x: i * step + step / 2, y: height - 2, "text-anchor": "middle", class: "axis tiny" },
                    String(p.year ?? p.month ?? "").slice(-2)));
  });
  return root;
}

// One horizontal stacked bar (e.g. survey answers), with a legend.
export function stackedBar(parts, { width = 320, height = 22 } = {}) {
  const total = parts.reduce((s, p) => s + p.value, 0) || 1;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "stacked", role: "img" });
  let x = 0;
  for (const part of parts) {
    const w = (width * part.value) / total;
    const rect = svg("rect", { x, y: 0, width: w, height, fill: part.colour });
    rect.append(svg("title", {}, `${part.label}: ${part.value}`));
    root.append(rect);
    x += w;
  }
  return root;
}
