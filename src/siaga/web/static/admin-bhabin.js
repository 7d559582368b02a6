// Tab "Bhabinkamtibmas": which officer covers each kelurahan/desa (one may cover several).
import { el } from "/static/common.js";
import { field, orgSelect, table } from "/static/admin-ui.js";

export async function mount(section, ctx) {
  const { api } = ctx;
  const polseks = ctx.orgs.filter((o) => o.level === "polsek");
  const pick = orgSelect(polseks, { name: "polsek" });
  const list = el("div");

  async function refresh() {
    if (!pick.value) { list.replaceChildren(el("p", { class: "muted" }, "Belum ada Polsek di wilayah Anda.")); return; }
    const [villages, users] = await Promise.all([
      api.get(`/api/v1/roster/bhabin?org=${encodeURIComponent(pick.value)}`),
      api.get("/api/v1/admin/users")]);
    const officers = users.items.filter((u) => u.role === "petugas" && u.active);
    list.replaceChildren(table(["Kelurahan/desa", "Bhabinkamtibmas", ""], villages.items.map((v) => {
      const select = el("select", { "aria-label": `Bhabinkamtibmas ${v.name}` },
        el("option", { value: "" }, "Belum ditugaskan"),
        officers.map((u) => el("option", { value: u.id, selected: v.officer && v.officer.id === u.id }, `${u.full_name} · ${u.org_name || ""}`)));
      const save = el("button", { type: "button", onclick: async () => {
        try {
          if (select.value) await api.put(`/api/v1/roster/bhabin/${v.region_id}`, { user_id: Number(select.value) });
          else if (v.officer) await api.del(`/api/v1/roster/bhabin/${v.region_id}`);
          ctx.status(`Penugasan ${v.name} tersimpan.`); await refresh();
        } catch (err) { ctx.status(err.message, true); }
      } }, "Simpan");
      return el("tr", { "data-region": v.region_id },
        el("td", {}, el("strong", {}, v.name), el("div", { class: "muted" }, v.level === "desa" ? "Desa" : "Kelurahan")),
        el("td", {}, select, v.officer && v.officer.phone ? el("div", { class: "muted" }, v.officer.phone) : null),
        el("td", {}, save));
    })));
  }
  pick.addEventListener("change", () => refresh().catch((e) => ctx.status(e.message, true)));
  section.replaceChildren(el("div", { class: "card" },
    el("h2", {}, "Bhabinkamtibmas per kelurahan/desa"),
    el("p", { class: "muted" }, "Nama dan nomor telepon Bhabinkamtibmas tampil di menu informasi warga dan di cakupan kunjungan. Satu petugas boleh membina beberapa desa."),
    field("Polsek", pick), list));
  await refresh();
  return { refresh };
}
