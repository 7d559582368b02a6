// Read-only panel on /ops: who is on duty now (piket) and the supervising officer (Pa Siaga),
// from GET /api/v1/roster/now. Refreshed every minute; text only.
import { Api, el, formatTime } from "/static/common.js";

const REFRESH_MS = 60_000;

function person(p) {
  return p.phone ? `${p.name} (${p.phone})` : p.name;
}

function render(panel, data) {
  const shifts = data.shifts;
  const supervisors = shifts.filter((s) => s.supervisor).map((s) => s.supervisor.name);
  panel.summary.textContent = shifts.length
    ? `Piket sekarang${supervisors.length ? ` · Pa Siaga: ${[...new Set(supervisors)].join(", ")}` : ""}`
    : "Piket sekarang: belum ada jadwal";
  panel.body.replaceChildren(...shifts.map((s) => el("div", { class: "roster-shift", "data-shift": s.id },
    el("strong", {}, s.org_name), ` ${formatTime(s.starts_at).slice(0, 5)}–${formatTime(s.ends_at).slice(0, 5)} WIB`,
    s.supervisor ? el("div", {}, `Perwira pengawas: ${person(s.supervisor)}`) : null,
    s.duties.map((d) => el("div", { class: "muted" }, `${d.desk}: ${person(d.person)}`)))));
}

async function refresh(panel) {
  const api = new Api("siaga.ops.token"); // read now: the log-in stores the token after load
  if (!api.token) return;
  try { render(panel, await api.get("/api/v1/roster/now")); } catch { /* next minute */ }
}

function mount() {
  const side = document.querySelector("#console .side");
  if (!side || document.getElementById("roster-now")) return;
  document.head.append(el("link", { rel: "stylesheet", href: "/static/ops-roster.css" }));
  const summary = el("summary", {}, "Piket sekarang");
  const body = el("div", { class: "roster-body" });
  side.prepend(el("details", { id: "roster-now", class: "roster-now" }, summary, body));
  const panel = { summary, body };
  refresh(panel);
  setInterval(() => refresh(panel), REFRESH_MS);
}

// The console appears after log-in; wait for it without touching ops.js.
const consoleEl = document.getElementById("console");
if (consoleEl) {
  if (!consoleEl.hidden) mount();
  else new MutationObserver((_, observer) => {
    if (!consoleEl.hidden) { observer.disconnect(); mount(); }
  }).observe(consoleEl, { attributes: true, attributeFilter: ["hidden"] });
}
