// The /ops alarm queue: one row per alarm, keyed by id and updated in place. Timers tick by
// changing text nodes only; the order changes by moving rows (never rebuilding them), and
// not while the pointer rests in the list, so the button under it never moves or disappears.
//
//   const queue = createQueue({ list, count, hint, onSelect, onAction });
//   queue.upsert(alarm); queue.tick(); queue.setFilter({ org: "polsek-klojen", status: "open" });
//
// onAction(alarm, action) runs "acknowledge" | "confirm-cancel" | "merge" | "unmerge" and
// resolves to true when it took effect.
import { el, formatAge } from "/static/common.js";
import { DURESS_LABEL, OFFICER_LABEL, STALE_FIX_S, fixAgeSeconds, formatAgo, isActive, isOfficerSos,
  needsAttention, statusLabel } from "/static/ops-format.js";

const ACK_TARGET_S = 10;
const HINT = "Belum diterima di atas, lalu terlama";
const CANCEL_WAIT_SHORT = "Batal, perlu konfirmasi"; // the full words in the row's title
const EMPTY = "Tidak ada alarm aktif.";
const EMPTY_FILTERED = "Tidak ada alarm yang cocok dengan saringan.";
export const STATUS_FILTERS = [
  ["", "Semua status"],
  ["attention", "Belum diterima"],
  ["cancel", "Perlu konfirmasi batal"],
  ["acknowledged", "Diterima"],
  ["moving", "Ditugaskan / menuju lokasi"],
  ["on_scene", "Di lokasi"],
  ["officer", "Petugas dalam bahaya"],
  ["duress", "Di bawah ancaman"],
];

function matchesStatus(alarm, filter) {
  switch (filter) {
    case "": return true;
    case "attention": return alarm.status === "open";
    case "cancel": return Boolean(alarm.needs_cancel_confirmation);
    case "moving": return ["dispatched", "en_route"].includes(alarm.status);
    case "officer": return isOfficerSos(alarm);
    case "duress": return Boolean(alarm.duress);
    default: return alarm.status === filter;
  }
}

function setText(node, text) { if (node.textContent !== text) node.textContent = text; }
function show(node, visible) { if (node.hidden === visible) node.hidden = !visible; }

function groupOf(alarm) { return alarm.merged_into_id || alarm.incident_id || alarm.id; }

/** Indexes (into `values`) of a longest strictly increasing subsequence; negatives never. */
function longestIncreasing(values) {
  const tails = []; // tails[k]: index of the smallest tail of an increasing run of length k+1
  const before = new Array(values.length).fill(-1);
  values.forEach((value, i) => {
    if (value < 0) return;
    let lo = 0, hi = tails.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (values[tails[mid]] < value) lo = mid + 1; else hi = mid; }
    before[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const keep = new Set();
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = before[i]) keep.add(i);
  return keep;
}

export function createQueue({ list, count, hint, onSelect, onAction }) {
  const rows = new Map(); // id -> { alarm, li, parts, done }
  const filter = { org: "", status: "" };
  let selected = null;
  let structureDirty = false;
  let flushPending = false;
  let pointerInside = false;
  let hovered = null;
  let blockedBy = null; // the hovered row that the last ordering pass could not keep in place
  const empty = el("p", { class: "queue-empty muted", role: "status" }, EMPTY);
  list.before(empty);
  let pressing = false; // a pointer button went down in the list and is not released yet

  function buildRow(alarm) {
    const parts = {
      id: el("strong", {}), status: el("span", { class: "status" }),
      officer: el("span", { class: "badge officer" }, OFFICER_LABEL),
      duress: el("span", { class: "badge duress" }, DURESS_LABEL),
      flag: el("span", { class: "badge flag", title: "Perangkat pernah mengirim alarm palsu" }, "⚑ pernah palsu"),
      esc: el("span", { class: "badge esc" }),
      place: el("div", { class: "muted line place" }), caller: el("div", { class: "muted line caller" }),
      callerName: el("span", { class: "name" }), phone: el("span", { class: "phone" }),
      incident: el("span", { class: "incident" }), fix: el("span", { class: "fixwarn" }),
      merge: el("button", { class: "small merge", type: "button" }),
      timer: el("div", { class: "timer" }), act: el("button", { class: "act", type: "button" }),
    };
    parts.caller.append(parts.callerName, parts.phone); // the name may shorten, the number never
    const li = el("li", { "data-alarm": alarm.id },
      // Fixed lines of fixed height: a change inside a row never moves the rows below it.
      el("div", { class: "main" },
        el("div", { class: "line1" }, parts.id, " ", parts.status),
        el("div", { class: "badges" }, parts.officer, parts.duress, parts.flag, parts.esc, parts.incident, parts.fix, parts.merge),
        parts.place, parts.caller),
      el("div", { class: "side-col" }, parts.timer, parts.act));
    li.addEventListener("click", (event) => { if (!event.target.closest("button")) onSelect(alarm.id); });
    parts.act.addEventListener("click", (event) => { event.stopPropagation(); act(alarm.id, parts.act.dataset.action, parts.act); });
    parts.merge.addEventListener("click", (event) => { event.stopPropagation(); act(alarm.id, parts.merge.dataset.action, parts.merge); });
    return { alarm, li, parts, done: false, busy: false };
  }

  async function act(id, action, button) {
    const row = rows.get(id);
    if (!row || !action || button.disabled) return;
    row.busy = true;
    button.disabled = true;
    let ok = false;
    try { ok = await onAction(row.alarm, action); } finally {
      if (action === "acknowledge" && ok) row.done = true;
      row.busy = false;
      button.disabled = false;
      fill(row);
    }
  }

  function fill(row) {
    const { alarm, li, parts } = row;
    const cls = ["row", alarm.status, needsAttention(alarm) ? "attention" : "",
      alarm.needs_cancel_confirmation ? "cancel-wait" : "", alarm.duress ? "duress" : "",
      isOfficerSos(alarm) ? "officer" : "", alarm.merged_into_id ? "merged" : "",
      selected === alarm.id ? "selected" : "", row.grouped ? "grouped" : ""].filter(Boolean).join(" ");
    if (li.className !== cls) li.className = cls;
    setText(parts.id, `#${alarm.id}`);
    setText(parts.status, alarm.needs_cancel_confirmation ? CANCEL_WAIT_SHORT : statusLabel(alarm));
    if (parts.status.title !== statusLabel(alarm)) parts.status.title = statusLabel(alarm);
    show(parts.officer, isOfficerSos(alarm));
    show(parts.duress, Boolean(alarm.duress));
    show(parts.flag, Boolean(alarm.device_flagged));
    show(parts.esc, alarm.escalation_level > 0);
    setText(parts.esc, `▲ eskalasi ${alarm.escalation_level || 0}`);
    setText(parts.place, `${alarm.region_name || "di luar wilayah"} · ${alarm.org_name || "satuan belum diketahui"}`);
    if (parts.place.title !== parts.place.textContent) parts.place.title = parts.place.textContent;
    const callerText = [alarm.caller_name, alarm.caller_phone].filter(Boolean).join(" · ") || "Pelapor tanpa nama";
    setText(parts.callerName, alarm.caller_name ? `${alarm.caller_name}${alarm.caller_phone ? " ·" : ""}` : alarm.caller_phone ? "" : callerText);
    setText(parts.phone, alarm.caller_phone || "");
    if (parts.caller.title !== callerText) parts.caller.title = callerText;
    let action = "", label = "";
    if (alarm.needs_cancel_confirmation) { action = "confirm-cancel"; label = "Konfirmasi batal"; }
    else if (alarm.status === "open") { action = "acknowledge"; label = "Terima"; }
    else if (row.done) { label = "✓ Diterima"; }
    parts.act.dataset.action = action;
    setText(parts.act, label || "Terima");
    parts.act.classList.toggle("idle", !label);
    parts.act.classList.toggle("ack", action !== "");
    parts.act.disabled = Boolean(row.busy) || action === "";
    let merge = "", mergeLabel = "";
    if (alarm.merged_into_id) { merge = "unmerge"; mergeLabel = "Pisahkan"; }
    else if (alarm.incident_id && alarm.incident_id !== alarm.id && rows.has(alarm.incident_id)) {
      merge = "merge"; mergeLabel = `Gabungkan ke #${alarm.incident_id}`;
    }
    parts.merge.dataset.action = merge;
    const mergeTitle = merge === "merge" ? `Gabungkan ke alarm #${alarm.incident_id}`
      : merge ? `Pisahkan dari insiden #${alarm.merged_into_id}` : "";
    if (parts.merge.title !== mergeTitle) parts.merge.title = mergeTitle;
    parts.merge.disabled = Boolean(row.busy);
    setText(parts.merge, mergeLabel);
    show(parts.merge, merge !== "");
    tickRow(row, Date.now());
  }

  function tickRow(row, now) {
    const { alarm, parts } = row;
    if (row.createdOf !== alarm.created_at) { row.createdOf = alarm.created_at; row.createdMs = new Date(alarm.created_at).getTime(); }
    const age = (now - row.createdMs) / 1000;
    setText(parts.timer, formatAge(age));
    const late = needsAttention(alarm) && age > ACK_TARGET_S;
    if (parts.timer.classList.contains("late") !== late) parts.timer.classList.toggle("late", late);
    const fixAge = fixAgeSeconds(alarm, now);
    const stale = fixAge != null && fixAge > STALE_FIX_S;
    show(parts.fix, stale);
    if (stale) setText(parts.fix, `⚠ posisi ${formatAgo(alarm.fix_at || alarm.triggered_at, now)}`);
  }

  function visible(alarm) {
    return isActive(alarm) && (!filter.org || alarm.org_code === filter.org) && matchesStatus(alarm, filter.status);
  }

  function sortKey(alarm) { return [needsAttention(alarm) ? 0 : 1, -(alarm.priority || 0), new Date(alarm.created_at).getTime()]; }
  function compareKeys(a, b) { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]; return 0; }

  function order() {
    const groups = new Map(); // group id -> { key, members }
    for (const row of rows.values()) {
      const gid = groupOf(row.alarm);
      const key = sortKey(row.alarm);
      const group = groups.get(gid);
      if (!group) groups.set(gid, { gid, key, members: [row] });
      else { group.members.push(row); if (compareKeys(key, group.key) < 0) group.key = key; }
    }
    const sorted = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key) || a.gid - b.gid);
    const result = [];
    for (const group of sorted) {
      // The group stands where its most urgent member would, and that member leads it: a new
      // alarm joined to an incident already handled is the group's first row, as the hint says.
      group.members.sort((a, b) => compareKeys(sortKey(a.alarm), sortKey(b.alarm))
        || (a.alarm.id === group.gid ? -1 : b.alarm.id === group.gid ? 1 : a.alarm.id - b.alarm.id));
      const size = group.members.length;
      for (const row of group.members) {
        show(row.parts.incident, size > 1);
        setText(row.parts.incident, size > 1 ? `Insiden #${group.gid} · ${size} alarm` : "");
        row.grouped = size > 1; // kept by fill(), which writes the whole class list
        row.li.classList.toggle("grouped", size > 1);
        result.push(row);
      }
    }
    return result;
  }

  /** The row under the pointer, if the pointer is in the list. */
  function anchorRow() {
    if (!pointerInside) return null;
    const row = hovered != null ? rows.get(hovered) : null;
    return row && !row.li.hidden && row.li.isConnected ? row : null;
  }

  /** Put the list's rows in this order moving as few as possible: the longest run already in
   *  order stays where it is, so acknowledging one alarm moves one row, not every row below it.
   *  (A row taken out of the page loses the press in progress on it, and its hover.) */
  function arrange(nodes) {
    const index = new Map();
    [...list.children].forEach((node, i) => index.set(node, i));
    const keep = longestIncreasing(nodes.map((node) => (index.has(node) ? index.get(node) : -1)));
    let next = null;
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (!keep.has(i) || nodes[i].parentNode !== list) list.insertBefore(nodes[i], next);
      next = nodes[i];
    }
  }

  function place(sorted) {
    for (const row of sorted) {
      const vis = visible(row.alarm);
      if (row.li.hidden === vis) row.li.hidden = !vis;
    }
    arrange(sorted.map((row) => row.li));
  }

  /** Apply the new order, keeping the row under the pointer where it is (by scrolling the
   *  list); when that cannot be done, put everything back and wait for the pointer. */
  function applyOrder() {
    if (pressing) return; // after the click: rows never move between a press and its release
    const anchor = anchorRow();
    if (anchor && blockedBy === anchor.alarm.id) return;
    const before = anchor ? anchor.li.getBoundingClientRect().top : 0;
    const previous = anchor ? [...list.children].map((node) => [node, node.hidden]) : null;
    const scroll = list.scrollTop;
    const gone = [...rows.values()].filter((r) => r.gone);
    for (const row of gone) row.li.remove();
    place(order().filter((r) => !r.gone));
    if (anchor) {
      list.scrollTop += anchor.li.getBoundingClientRect().top - before;
      if (Math.abs(anchor.li.getBoundingClientRect().top - before) > 1) {
        for (const [node, hidden] of previous) node.hidden = hidden;
        arrange(previous.map(([node]) => node));
        list.scrollTop = scroll;
        blockedBy = anchor.alarm.id;
        const waiting = [...rows.values()].filter((r) => !r.placed && !r.gone).length;
        setText(hint, `Urutan ditahan selama penunjuk di antrean${waiting ? ` · ${waiting} alarm baru menunggu` : ""}`);
        hint.classList.add("hold");
        return;
      }
    }
    for (const row of gone) rows.delete(row.alarm.id);
    const active = [...rows.values()];
    for (const row of active) row.placed = true;
    const shown = active.filter((r) => !r.li.hidden).length;
    setText(count, shown === active.length ? String(active.length) : `${shown} dari ${active.length}`);
    show(empty, shown === 0);
    setText(empty, active.length ? EMPTY_FILTERED : EMPTY);
    structureDirty = false;
    blockedBy = null;
    setText(hint, HINT);
    hint.classList.remove("hold");
  }

  function flush() {
    flushPending = false;
    if (structureDirty) applyOrder();
  }

  function schedule() {
    if (flushPending) return;
    flushPending = true;
    setTimeout(flush, 0);
  }

  list.addEventListener("pointermove", (event) => {
    pointerInside = true;
    const li = event.target.closest && event.target.closest("li[data-alarm]");
    const next = li ? Number(li.dataset.alarm) : null;
    if (next !== hovered) { hovered = next; blockedBy = null; }
  });
  // A click is only dispatched if the pressed button is still in the page when released: a
  // live event arriving in between (another alarm, this one's own echo) must not move rows.
  // (Primary button only; a release that never comes, as when the window loses focus, ends
  // the hold after a few seconds.)
  let holdLimit = null;
  const release = () => {
    if (!pressing) return;
    clearTimeout(holdLimit);
    // After the click that follows this release has run.
    setTimeout(() => { pressing = false; if (structureDirty) schedule(); }, 0);
  };
  list.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    pressing = true;
    clearTimeout(holdLimit);
    holdLimit = setTimeout(release, 5000);
  }, true);
  window.addEventListener("pointerup", release, true);
  window.addEventListener("pointercancel", release, true);
  window.addEventListener("blur", release);
  list.addEventListener("pointerleave", () => { pointerInside = false; hovered = null; blockedBy = null; if (structureDirty) schedule(); });

  return {
    upsert(alarm) {
      let row = rows.get(alarm.id);
      if (!isActive(alarm)) {
        // Left on screen, marked as done, until the next ordering pass may take it away.
        if (row) { row.alarm = alarm; row.gone = true; fill(row); structureDirty = true; blockedBy = null; schedule(); }
        return;
      }
      if (!row) {
        row = buildRow(alarm);
        rows.set(alarm.id, row);
        row.li.hidden = true; // placed and shown by the next ordering pass
        list.append(row.li);
        structureDirty = true;
      } else {
        const old = row.alarm;
        if (compareKeys(sortKey(old), sortKey(alarm)) !== 0 || groupOf(old) !== groupOf(alarm)
            || old.org_code !== alarm.org_code || old.status !== alarm.status) structureDirty = true;
        row.alarm = alarm;
        row.gone = false;
      }
      blockedBy = null;
      fill(row);
      for (const other of rows.values()) if (other.alarm.incident_id === alarm.id && other !== row) fill(other);
      schedule();
    },
    select(id) {
      const previous = rows.get(selected);
      selected = id;
      if (previous) fill(previous);
      const row = rows.get(id);
      if (row && !anchorRow()) row.li.scrollIntoView({ block: "nearest" });
      if (row) fill(row);
    },
    tick() {
      const now = Date.now();
      for (const row of rows.values()) if (!row.li.hidden) tickRow(row, now);
      if (structureDirty) applyOrder();
    },
    setFilter(next) { Object.assign(filter, next); structureDirty = true; applyOrder(); },
    rowFor(id) { return rows.get(id)?.li || null; },
    get size() { return rows.size; },
  };
}
