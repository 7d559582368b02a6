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
  keepTextReadable(root, width);
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
      const none = svg("circle", { cx: x + barW / 2, cy: pad.top + innerH - 3, r: 1.5, class: "no-value" });
      none.append(svg("title", {}, `${labels[i]}: belum ada data`));
      root.append(none);
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

// Chart text is drawn in viewBox units, so it shrinks with the chart; keep it at least
// MIN_TEXT_PX on screen (a wall screen's 5 narrow columns would otherwise print about 7 px).
const MIN_TEXT_PX = 12.5;
const readable = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
  for (const entry of entries) {
    const shown = entry.contentRect.width;
    const units = Number(entry.target.dataset.viewWidth);
    if (shown > 0) entry.target.style.setProperty("--chart-text", `${(MIN_TEXT_PX * units / shown).toFixed(2)}px`);
  }
}) : null;

function keepTextReadable(root, width) {
  root.dataset.viewWidth = String(width);
  if (readable) readable.observe(root);
}

// A KPI's trend: one point per month that has a value, joined by a line, each dot coloured by
// its traffic light; first and last month labelled.
export function trendLine(points, { width = 240, height = 64 } = {}) {
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "spark", role: "img",
                            "aria-label": "Tren bulanan" });
  const pad = { left: 6, right: 6, top: 6, bottom: 20 };
  const values = points.map((p) => p.value);
  const lo = Math.min(...values, 0), hi = Math.max(...values, 1);
  const x = (i) => pad.left + (points.length === 1 ? (width - pad.left - pad.right) / 2
    : (i * (width - pad.left - pad.right)) / (points.length - 1));
  const y = (v) => pad.top + (height - pad.top - pad.bottom) * (1 - (v - lo) / (hi - lo || 1));
  if (points.length > 1) {
    root.append(svg("polyline", { points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "), class: "trend" }));
  }
  points.forEach((p, i) => {
    const dot = svg("circle", { cx: x(i), cy: y(p.value), r: points.length > 30 ? 2 : 3,
                                fill: LIGHT_COLOURS[p.light] || LIGHT_COLOURS.none });
    dot.append(svg("title", {}, `${p.label}: ${formatNumber(p.value)}`));
    root.append(dot);
  });
  const first = points[0], last = points[points.length - 1];
  root.append(svg("text", { x: pad.left, y: height - 4, class: "axis spark-label" }, first.label));
  if (points.length > 1) {
    root.append(svg("text", { x: width - pad.right, y: height - 4, "text-anchor": "end", class: "axis spark-label" }, last.label));
  }
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
