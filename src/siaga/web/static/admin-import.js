// Tab "Impor CSV": personnel or units from a file; a dry run lists every bad line first.
import { el } from "/static/common.js";
import { field } from "/static/admin-ui.js";

const HELP = {
  personel: "Kolom: nama_pengguna, nama_lengkap, peran, satuan, telepon, kata_sandi (atau username, full_name, role, org, phone, password). Peran: operator, petugas, analis, pimpinan, admin; satuan: kode satuan, mis. polsek-klojen.",
  unit: "Kolom: tanda_panggil, jenis, satuan, id_pelacak, awak (atau callsign, kind, org, tracker_id, crew). Jenis: Mobil patroli, Motor patroli, Pos piket atau Petugas (HP); awak dipisah titik koma; id pelacak kosong = dibuat acak.",
};

export async function mount(section, ctx) {
  const kind = el("select", { name: "kind" }, el("option", { value: "personel" }, "Personel"), el("option", { value: "unit" }, "Unit"));
  const help = el("p", { class: "muted" }, HELP.personel);
  const file = el("input", { type: "file", name: "file", accept: ".csv,text/csv", required: true });
  const out = el("div", { id: "import-result", "aria-live": "polite" });
  kind.addEventListener("change", () => { help.textContent = HELP[kind.value]; });

  async function send(dryRun) {
    if (!file.files.length) { ctx.status("Pilih berkas CSV dulu.", true); return; }
    const form = new FormData();
    form.append("file", file.files[0]);
    try {
      const r = await ctx.api.request("POST", `/api/v1/admin/import/${kind.value}?dry_run=${dryRun}`, undefined, { form });
      if (r.problems.length) {
        out.replaceChildren(el("p", { class: "error" }, `${r.problems.length} masalah; tidak ada yang disimpan. Perbaiki lalu periksa lagi.`),
          el("ul", { class: "problems" }, r.problems.map((p) => el("li", {}, `Baris ${p.line}${p.field ? ` (${p.field})` : ""}: ${p.msg}`))));
      } else if (r.dry_run) {
        out.replaceChildren(el("p", {}, `${r.rows} baris siap diimpor, tanpa masalah. Tekan "Impor sekarang" untuk menyimpan.`));
      } else {
        out.replaceChildren(el("p", {}, `${r.stored} baris tersimpan: ${r.created.join(", ")}.`));
      }
    } catch (err) { ctx.status(err.message, true); }
  }
  section.replaceChildren(el("div", { class: "card" },
    el("h2", {}, "Impor dari CSV"),
    el("p", { class: "muted" }, "Semua baris diperiksa dulu. Bila ada satu saja yang salah, tidak ada yang disimpan."),
    field("Jenis data", kind), help, field("Berkas", file),
    el("div", { class: "actions" },
      el("button", { type: "button", onclick: () => send(true) }, "Periksa (uji coba)"),
      el("button", { type: "button", class: "primary", onclick: () => send(false) }, "Impor sekarang")),
    out));
  return {};
}
