// Tab "Satuan": name, address, phone and office position of each Polres/Polsek in the area.
import { el } from "/static/common.js";
import { table } from "/static/admin-ui.js";

const LEVELS = { polda: "Polda", polres: "Polres", polsek: "Polsek" };

export function orgEditor(ctx, org, onSaved) {
  const input = (name, attrs = {}) => el("input", { name, value: org[name] ?? "", "aria-label": `${name} ${org.name}`, ...attrs });
  const fields = { name: input("name", { maxlength: 200 }), address: input("address", { maxlength: 300 }),
    phone: input("phone", { maxlength: 40, inputmode: "tel" }),
    lat: input("lat", { type: "number", step: "0.000001", min: -11.5, max: 6.5 }),
    lon: input("lon", { type: "number", step: "0.000001", min: 94, max: 141.5 }) };
  const save = el("button", { type: "button", onclick: async () => {
    const body = { name: fields.name.value.trim(), address: fields.address.value.trim(), phone: fields.phone.value.trim() };
    if (fields.lat.value !== "" && fields.lon.value !== "") { body.lat = Number(fields.lat.value); body.lon = Number(fields.lon.value); }
    try {
      const out = await ctx.api.request("PATCH", `/api/v1/admin/orgs/${org.code}`, body);
      ctx.status(`${out.name} tersimpan.`);
      await onSaved?.(out);
    } catch (err) { ctx.status(err.message, true); }
  } }, "Simpan");
  return el("tr", { "data-org": org.code },
    el("td", {}, LEVELS[org.level] || ""), el("td", {}, fields.name), el("td", {}, fields.address),
    el("td", {}, fields.phone), el("td", {}, el("div", { class: "row-edit" }, fields.lat, fields.lon)), el("td", {}, save));
}

export async function mount(section, ctx) {
  async function refresh() {
    const orgs = await ctx.reloadOrgs();
    section.replaceChildren(el("div", { class: "card" },
      el("h2", {}, "Data satuan"),
      el("p", { class: "muted" }, "Alamat, telepon dan posisi kantor tampil di menu informasi warga, dipakai rekomendasi unit, dan memindahkan pos piket Polsek itu."),
      table(["Tingkat", "Nama", "Alamat", "Telepon", "Lintang, bujur", ""], orgs.map((o) => orgEditor(ctx, o, refresh)))));
  }
  await refresh();
  return { refresh };
}
