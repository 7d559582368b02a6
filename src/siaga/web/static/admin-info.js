// Admin page for the citizens' information menu, per Polres, over /api/v1/info/items.
import { Api, el } from "/static/common.js";
import { confirmAction } from "/static/dialog.js";
import { startStaffPage } from "/static/login.js";

const api = new Api("siaga.staff.token");
const $ = (id) => document.getElementById(id);
const KIND = { hotline: "Nomor penting", tip: "Tips keamanan", notice: "Pengumuman" };
const form = $("item-form");
const status = (text, isError = false) => { $("status").textContent = text; $("status").className = isError ? "error" : "muted"; };

function edit(item) {
  form.reset();
  $("form-title").textContent = item ? `Ubah: ${item.title}` : "Tambah item";
  if (!item) { form.elements.id.value = ""; return; }
  for (const name of ["id", "kind", "title", "body", "phone", "position"]) form.elements[name].value = item[name] ?? "";
  form.elements.org_code.value = item.org_code || "";
  form.scrollIntoView({ block: "start" });
}

async function load() {
  const page = await api.get("/api/v1/info/items?limit=1000");
  $("items").replaceChildren(el("table", {},
    el("thead", {}, el("tr", {}, ["Jenis", "Polres", "Judul", "Telepon", "Urutan", ""].map((h) => el("th", {}, h)))),
    el("tbody", {}, page.items.map((item) => el("tr", { "data-item-id": item.id },
      el("td", {}, KIND[item.kind] || item.kind), el("td", {}, item.org_code || "Semua"),
      el("td", {}, el("strong", {}, item.title), el("div", { class: "muted" }, item.body.slice(0, 140))),
      el("td", {}, item.phone || ""), el("td", { class: "num" }, item.position),
      el("td", {}, el("button", { type: "button", onclick: () => edit(item) }, "Ubah"),
        el("button", { type: "button", class: "link", onclick: async () => {
          if (!(await confirmAction(`Hapus "${item.title}"?`, { ok: "Hapus" }))) return;
          try { await api.del(`/api/v1/info/items/${item.id}`); status("Item dihapus."); load(); } catch (err) { status(err.message, true); }
        } }, "Hapus")))))));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const body = { kind: data.get("kind"), title: data.get("title").trim(), body: data.get("body"),
    phone: data.get("phone") || null, position: Number(data.get("position") || 0), org_code: data.get("org_code") || null };
  if (!body.title) { status("Judul wajib diisi.", true); return; }
  try {
    const id = data.get("id");
    if (id) await api.put(`/api/v1/info/items/${id}`, body);
    else await api.post("/api/v1/info/items", body);
    status("Tersimpan.");
    edit(null);
    load();
  } catch (err) { status(err.message, true); }
});
$("new-item").addEventListener("click", () => edit(null));

startStaffPage({
  api, title: "Masuk admin", who: (me) => `${me.full_name} · ${me.org_name || "Pusat"}`,
  allow: (me) => me.role === "admin" || "Halaman ini khusus admin.",
  start: async (me) => {
    const orgs = await api.get("/api/v1/orgs").catch(() => ({ items: [] }));
    $("org-code").append(...orgs.items.filter((o) => o.level === "polres").map((o) => el("option", { value: o.code }, o.name)));
    if (me.scope !== "/") $("org-code").querySelector('option[value=""]').disabled = true;
    await load();
  },
});
