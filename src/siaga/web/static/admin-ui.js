// Small pieces the /admin tabs share: labels, organisation pickers, a two-step button.
import { UNIT_KIND_LABELS, el } from "/static/common.js";

export const ROLE_LABELS = { operator: "Operator", petugas: "Petugas lapangan", analis: "Analis",
  pimpinan: "Pimpinan", admin: "Admin" };
export const KIND_LABELS = UNIT_KIND_LABELS;
export const STATUS_LABELS = { available: "Siaga", dispatched: "Ditugaskan", en_route: "Menuju lokasi",
  on_scene: "Di lokasi", returning: "Kembali", out_of_service: "Tidak bertugas" };

export function options(map, selected) {
  return Object.entries(map).map(([value, label]) => el("option", { value, selected: value === selected }, label));
}

export function orgSelect(orgs, { name = "org", selected = null, blank = null } = {}) {
  // Indented by level so the tree reads top-down: Polda > Polres > Polsek.
  const indent = { polda: "", polres: "\u2003", polsek: "\u2003\u2003" };
  return el("select", { name },
    blank ? el("option", { value: "" }, blank) : null,
    orgs.map((o) => el("option", { value: o.code, selected: o.code === selected }, `${indent[o.level] || ""}${o.name}`)));
}

export function twoStep(label, sure, action) {
  // A destructive action asks once more on the same button instead of a browser dialog.
  const button = el("button", { type: "button" }, label);
  let armed = false;
  button.addEventListener("click", async () => {
    if (!armed) { armed = true; button.textContent = sure; button.classList.add("warn"); setTimeout(() => { armed = false; button.textContent = label; }, 4000); return; }
    armed = false; button.textContent = label;
    await action();
  });
  return button;
}

export function field(label, input) {
  return el("label", {}, label, input);
}

export function table(headers, rows) {
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows)));
}
