// Tab "Personel": staff accounts of the admin's area (create, role, disable, reset, log out).
import { el, formatDateTime } from "/static/common.js";
import { ROLE_LABELS, field, options, orgSelect, table, twoStep } from "/static/admin-ui.js";

export async function mount(section, ctx) {
  const { api } = ctx;
  const list = el("div");
  const search = el("input", { type: "search", placeholder: "Cari nama atau nama pengguna", "aria-label": "Cari personel" });
  const codeBox = el("div", { id: "reset-code", "aria-live": "polite" });
  const form = el("form", { id: "user-form" },
    el("h2", {}, "Tambah personel"),
    field("Nama pengguna", el("input", { name: "username", required: true, pattern: "[a-z0-9._\\-]{3,80}", title: "huruf kecil, angka, titik, garis bawah atau strip", autocomplete: "off" })),
    field("Nama lengkap dan pangkat", el("input", { name: "full_name", required: true, maxlength: 200 })),
    field("Peran", el("select", { name: "role" }, options(ROLE_LABELS, "operator"))),
    field("Satuan", orgSelect(ctx.orgs, { blank: ctx.me.scope === "/" ? "Tanpa satuan (admin pusat)" : null })),
    field("Telepon", el("input", { name: "phone", maxlength: 40, inputmode: "tel" })),
    field("Kata sandi awal", el("input", { name: "password", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
    el("p", { class: "muted" }, "Minimal 10 karakter dan sulit ditebak. Pemilik akun dapat menggantinya dengan kode reset."),
    el("button", { type: "submit", class: "primary" }, "Simpan personel"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try {
      const user = await api.post("/api/v1/admin/users", { ...data, org: data.org || null, phone: data.phone || null });
      ctx.status(`Personel ${user.full_name} (${user.role_label}) tersimpan.`);
      form.reset();
      await refresh();
    } catch (err) { ctx.status(err.message, true); }
  });

  function row(user) {
    const act = async (path, body, done) => {
      try { const out = await api.post(`/api/v1/admin/users/${user.id}/${path}`, body); await done(out); }
      catch (err) { ctx.status(err.message, true); }
    };
    const role = el("select", { "aria-label": `Peran ${user.username}` }, options(ROLE_LABELS, user.role));
    const org = orgSelect(ctx.orgs, { selected: user.org_code, blank: ctx.me.scope === "/" ? "Tanpa satuan" : null });
    org.setAttribute("aria-label", `Satuan ${user.username}`);
    const save = el("button", { type: "button", onclick: async () => {
      try {
        await api.request("PATCH", `/api/v1/admin/users/${user.id}`, { role: role.value, org: org.value || null });
        ctx.status(`Peran dan satuan ${user.full_name} diperbarui.`); await refresh();
      } catch (err) { ctx.status(err.message, true); }
    } }, "Simpan");
    return el("tr", { "data-user": user.username },
      el("td", {}, el("strong", {}, user.full_name), el("div", { class: "muted" }, user.username), user.phone ? el("div", { class: "muted" }, user.phone) : null),
      el("td", {}, el("div", { class: "row-edit" }, role, org, save)),
      el("td", {}, el("span", { class: user.active ? "pill" : "pill off" }, user.active ? "Aktif" : "Nonaktif")),
      el("td", {}, el("div", { class: "row-edit" },
        user.active
          ? twoStep("Nonaktifkan", "Yakin nonaktifkan?", () => act("active", { active: false }, async () => { ctx.status(`${user.full_name} dinonaktifkan; semua sesinya berakhir.`); await refresh(); }))
          : el("button", { type: "button", onclick: () => act("active", { active: true }, async () => { ctx.status(`${user.full_name} diaktifkan lagi.`); await refresh(); }) }, "Aktifkan"),
        user.active ? el("button", { type: "button", onclick: () => act("reset-code", undefined, (out) => {
          codeBox.replaceChildren(el("div", { class: "card" },
            el("p", {}, `Kode reset untuk ${user.full_name} (${user.username}):`),
            el("div", { class: "code-box" }, out.code),
            el("p", { class: "muted" }, `Berlaku sampai ${formatDateTime(out.expires_at)}. ${out.note}`)));
          codeBox.scrollIntoView({ block: "nearest" });
        }) }, "Kode reset sandi") : null,
        twoStep("Akhiri semua sesi", "Yakin akhiri sesi?", () => act("end-sessions", undefined, (out) => ctx.status(`${out.sessions_ended} sesi ${user.full_name} diakhiri.`))))));
  }

  async function refresh() {
    const q = search.value.trim();
    const page = await api.get(`/api/v1/admin/users${q ? `?q=${encodeURIComponent(q)}` : ""}`);
    list.replaceChildren(
      el("p", { class: "muted" }, `${page.total} akun di wilayah Anda.`),
      table(["Personel", "Peran dan satuan", "Status", "Tindakan"], page.items.map(row)));
  }
  let timer = null;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => refresh().catch((e) => ctx.status(e.message, true)), 300); });
  section.replaceChildren(el("div", { class: "admin-grid" },
    el("div", { class: "card" }, form),
    el("div", { class: "card" }, el("h2", {}, "Akun personel"), search, codeBox, list)));
  await refresh();
  return { refresh };
}
