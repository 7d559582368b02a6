// Response-time figures on /pimpinan: what each counts, and the alarms it counted (drill-down
// over /api/v1/scorecard/alarms; the same definitions as the anev, the reports and /ops).
import { el, formatDateTime } from "/static/common.js";
import { formatNumber } from "/static/pimpinan.charts.js";

const NO_DATA = "belum ada data";

function valueText(figure) {
  if (figure.value === null || figure.value === undefined) return NO_DATA;
  if (figure.unit === "%") return `${formatNumber(figure.value)}%`;
  return figure.value >= 120 ? `${formatNumber(figure.value / 60)} menit` : `${formatNumber(figure.value)} detik`;
}

const seconds = (s) => (s === null || s === undefined ? "–" : `${formatNumber(s)} dtk`);
const minutes = (s) => (s === null || s === undefined ? "–" : `${formatNumber(s / 60)} mnt`);

// The list of alarms one figure counted, fetched when asked for.
export function alarmList(api, figureKey, query) {
  const box = el("div", { class: "alarm-list" });
  const button = el("button", { type: "button", class: "link", "data-figure": figureKey }, "Lihat alarm yang dihitung");
  button.addEventListener("click", async () => {
    button.disabled = true;
    const q = new URLSearchParams(query);
    q.set("figure", figureKey);
    try {
      const data = await api.get(`/api/v1/scorecard/alarms?${q}`);
      box.replaceChildren(
        el("p", { class: "muted" }, `${data.alarms.length} alarm (${data.figure.counts}) · ${data.period_label}`),
        data.alarms.length ? el("table", {},
          el("thead", {}, el("tr", {}, ...["No. alarm", "Masuk", "Satuan", "Keadaan", "Diterima", "Ditugaskan", "Tiba"].map((h) => el("th", {}, h)))),
          el("tbody", {}, ...data.alarms.map((a) => el("tr", {},
            el("td", {}, `#${a.alarm_id}`), el("td", {}, formatDateTime(a.created_at)), el("td", {}, a.org_name),
            el("td", {}, a.status_label), el("td", {}, seconds(a.acknowledge_s)), el("td", {}, seconds(a.dispatch_s)),
            el("td", {}, minutes(a.arrival_s)))))) : null);
      button.remove();
    } catch (err) {
      box.replaceChildren(el("p", { class: "error" }, err.message));
      button.disabled = false;
    }
  });
  return el("div", {}, button, box);
}

// Under an alarm KPI card: the figures behind it, what they count, and the drill-down.
export function alarmKpiExtra(api, kpi, query) {
  const d = kpi.detail || {};
  if (kpi.key === "alarm_acknowledgement" && d.n) {
    return el("div", {},
      el("p", { class: "muted" }, `${d.within_10s} dari ${d.n} alarm diterima ≤ 10 detik; p90 ${formatNumber(d.p90_s)} detik`),
      el("p", { class: "muted" }, `Dihitung: ${d.counts}`),
      alarmList(api, "acknowledged_within_target", query));
  }
  if (kpi.key === "alarm_response" && d.n) {
    return el("div", {},
      el("p", { class: "muted" }, `${d.within_target} dari ${d.n} alarm: unit tiba ≤ 10 menit; median ${d.median_min === null ? "–" : formatNumber(d.median_min)} menit, p90 ${d.p90_min === null ? "–" : formatNumber(d.p90_min)} menit`),
      el("p", { class: "muted" }, `Dihitung: ${d.counts}`),
      alarmList(api, "on_scene_within_target", query));
  }
  return null;
}

// The dashboard's table of every response-time figure of the period.
export function figuresTable(api, figures, query) {
  return el("div", { class: "table-wrap" }, el("table", { class: "figures" },
    el("thead", {}, el("tr", {}, el("th", {}, "Ukuran"), el("th", { class: "num" }, "Nilai"),
      el("th", { class: "num" }, "Alarm dihitung"), el("th", {}, "Yang dihitung"), el("th", {}, ""))),
    el("tbody", {}, ...figures.map((f) => el("tr", { "data-figure": f.key },
      el("td", {}, f.label), el("td", { class: "num" }, valueText(f)), el("td", { class: "num" }, formatNumber(f.n, 0)),
      el("td", {}, f.counts), el("td", {}, f.n ? alarmList(api, f.key, query) : null))))));
}
