// The searchable unit list of /ops (like Traccar's device list): callsign, kind, status and the
// age of the last GPS fix; units without a fix are listed (and said so) but not drawn.
//
//   const list = createUnitList({ root, onFocus, orgName });
//   list.update(unit); list.remove(id); list.tick();
import { el } from "/static/common.js";
import { formatAgo } from "/static/ops-format.js";
import { KIND_LABEL, STATUS, drawable } from "/static/ops-units.js";

function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

function fixText(unit, now) {
  if (unit.position && unit.position.at) return `posisi ${formatAgo(unit.position.at, now)}`;
  return unit.kind === "desk" ? "di pos piket" : "belum ada posisi GPS · tidak tampil di peta";
}

export function createUnitList({ root, onFocus, orgName }) {
  const search = el("input", { type: "search", placeholder: "Cari unit atau awak…", title: "Cari tanda panggil, awak atau satuan", "aria-label": "Cari unit" });
  const status = el("select", { "aria-label": "Saring status unit" }, el("option", { value: "" }, "Semua status"),
    Object.entries(STATUS).map(([value, s]) => el("option", { value }, s.label)),
    el("option", { value: "nofix" }, "Belum ada posisi GPS"));
  const count = el("span", { class: "muted" });
  const list = el("ol", { class: "unit-list" });
  root.replaceChildren(el("div", { class: "filters" }, search, status, count), list);
  const rows = new Map(); // id -> { unit, li, parts }
  let orderDirty = false;
  let timer = null;

  function matches(unit) {
    if (status.value === "nofix" ? drawable(unit) : status.value && unit.status !== status.value) return false;
    const q = search.value.trim().toLowerCase();
    if (!q) return true;
    return [unit.callsign, orgName(unit.org_code), ...(unit.crew || [])].some((t) => (t || "").toLowerCase().includes(q));
  }

  function fill(row, now = Date.now()) {
    const { unit, parts, li } = row;
    const s = STATUS[unit.status] || { label: "Status tidak diketahui", color: "#616161" };
    setText(parts.callsign, unit.callsign);
    setText(parts.kind, KIND_LABEL[unit.kind] || "Unit");
    setText(parts.status, s.label);
    parts.dot.style.background = s.color;
    setText(parts.org, orgName(unit.org_code) || "");
    setText(parts.fix, fixText(unit, now));
    const cls = `unit-row${drawable(unit) ? "" : " nofix"}${unit.stale && unit.kind !== "desk" ? " stale" : ""}`;
    if (li.className !== cls) li.className = cls;
    const vis = matches(unit);
    if (li.hidden === vis) li.hidden = !vis;
  }

  function reorder() {
    orderDirty = false;
    const sorted = [...rows.values()].sort((a, b) => a.unit.callsign.localeCompare(b.unit.callsign, "id"));
    let prev = null;
    for (const row of sorted) {
      const expected = prev ? prev.nextSibling : list.firstChild;
      if (expected !== row.li) list.insertBefore(row.li, expected);
      prev = row.li;
    }
    counts();
  }

  function counts() {
    const all = rows.size;
    const shown = [...rows.values()].filter((r) => !r.li.hidden).length;
    setText(count, shown === all ? `${all} unit` : `${shown} dari ${all} unit`);
  }

  function refilter() { for (const row of rows.values()) fill(row); counts(); }
  search.addEventListener("input", refilter);
  status.addEventListener("change", refilter);

  return {
    update(unit) {
      let row = rows.get(unit.id);
      if (!row) {
        const parts = { callsign: el("strong", {}), kind: el("span", { class: "muted" }), dot: el("span", { class: "status-dot" }),
          status: el("span", {}), org: el("span", { class: "muted" }), fix: el("span", { class: "fix" }) };
        const li = el("li", { "data-unit": unit.id, tabindex: 0 },
          el("div", {}, parts.callsign, " ", parts.kind), el("div", {}, parts.dot, parts.status, " ", parts.org),
          el("div", {}, parts.fix));
        row = { unit, li, parts };
        li.addEventListener("click", () => onFocus(row.unit));
        li.addEventListener("keydown", (e) => { if (e.key === "Enter") onFocus(row.unit); });
        rows.set(unit.id, row);
        list.append(li);
        if (!orderDirty) { orderDirty = true; setTimeout(reorder, 50); }
      }
      row.unit = unit;
      fill(row);
      if (!timer) timer = setTimeout(() => { timer = null; counts(); }, 200);
    },
    remove(id) {
      const row = rows.get(id);
      if (row) { row.li.remove(); rows.delete(id); counts(); }
    },
    tick() {
      const now = Date.now();
      for (const row of rows.values()) if (!row.li.hidden) setText(row.parts.fix, fixText(row.unit, now));
    },
  };
}
