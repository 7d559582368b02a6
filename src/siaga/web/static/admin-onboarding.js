// Tab "Polres baru" (admin pusat): boundary file, the Polres over it, then review its Polsek.
import { el } from "/static/common.js";
import { field, table } from "/static/admin-ui.js";
import { orgEditor } from "/static/admin-orgs.js";

export async function mount(section, ctx) {
  const { api } = ctx;
  const file = el("input", { type: "file", accept: ".geojson,.json,application/geo+json", "aria-label": "Berkas batas desa" });
  const uploaded = el("div");
  const createBox = el("div");
  const review = el("div");

  async function showReview(code) {
    const data = await api.get(`/api/v1/admin/onboarding/polres/${encodeURIComponent(code)}`);
    await ctx.reloadOrgs();
    review.replaceChildren(el("h3", {}, "Periksa dan ganti nama Polsek"),
      el("p", { class: "muted" }, "Satu Polsek per kecamatan. Isi alamat, telepon dan posisi kantor bila sudah diketahui."),
      table(["Tingkat", "Nama", "Alamat", "Telepon", "Lintang, bujur", ""], data.polsek.map((p) =>
        orgEditor(ctx, { ...p, level: "polsek" }, () => showReview(code)))),
      el("p", { class: "muted" }, data.polsek.map((p) => `${p.name}: Kecamatan ${p.kecamatan.map((k) => k.name).join(", ")}`).join(" · ")));
  }

  function createForm(kabkota) {
    const kab = el("select", { name: "kabkota_code" }, kabkota.filter((k) => !k.polres).map((k) => el("option", { value: k.code }, k.name)));
    const form = el("form", { id: "polres-form" },
      el("h3", {}, "Buat Polres"),
      field("Kabupaten/kota", kab),
      field("Kode Polres", el("input", { name: "code", required: true, pattern: "[a-z0-9-]{3,64}", placeholder: "mis. polres-batu" })),
      field("Nama Polres", el("input", { name: "name", required: true, placeholder: "mis. Polres Batu" })),
      field("Kode Polda", el("input", { name: "polda_code", required: true, placeholder: "mis. polda-jatim" })),
      field("Nama Polda", el("input", { name: "polda_name", required: true, placeholder: "mis. Polda Jawa Timur" })),
      el("button", { type: "submit", class: "primary" }, "Buat Polres dan Polsek"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const out = await api.post("/api/v1/admin/onboarding/polres", Object.fromEntries(new FormData(form)));
        ctx.status(`${out.polres}: ${out.polsek.length} Polsek dibuat.`);
        await showReview(out.polres);
      } catch (err) { ctx.status(err.message, true); }
    });
    return form;
  }

  const upload = el("button", { type: "button", class: "primary", onclick: async () => {
    if (!file.files.length) { ctx.status("Pilih berkas GeoJSON dulu.", true); return; }
    const form = new FormData();
    form.append("file", file.files[0]);
    try {
      const r = await api.request("POST", "/api/v1/admin/onboarding/boundaries", undefined, { form });
      uploaded.replaceChildren(
        el("p", {}, `Terimpor: ${r.counts.villages ?? 0} desa/kelurahan, ${r.counts.kecamatan ?? 0} kecamatan.`),
        r.repairs.length ? el("ul", {}, r.repairs.map((x) => el("li", {}, x))) : null,
        el("ul", {}, r.kabkota.map((k) => el("li", {}, k.polres ? `${k.name} (sudah dicakup ${k.polres})` : `${k.name} (belum punya Polres)`))));
      createBox.replaceChildren(createForm(r.kabkota));
    } catch (err) { ctx.status(err.message, true); }
  } }, "Unggah batas wilayah");

  section.replaceChildren(el("div", { class: "card" },
    el("h2", {}, "Polres baru"),
    el("p", { class: "muted" }, "1. Unggah berkas batas desa/kelurahan (format Kemendagri, GeoJSON). 2. Buat Polres di atas kabupaten/kotanya. 3. Periksa nama Polsek."),
    field("Berkas batas desa", file), upload, uploaded, createBox, review));
  return {};
}
