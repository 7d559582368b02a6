// Tab "Piket": shifts per unit of the organisation: who sits at which desk, and Pa Siaga.
import { el, formatDateTime } from "/static/common.js";
import { field, orgSelect, table, twoStep } from "/static/admin-ui.js";

const wib = (local) => `${local}:00+07:00`; // datetime-local values are read as WIB
function localNow(hoursAhead = 0) {
  const d = new Date(Date.now() + (7 * 3600 + hoursAhead * 3600) * 1000);
  return d.toISOString().slice(0, 16);
}

export async function mount(section, ctx) {
  const { api } = ctx;
  const users = (await api.get("/api/v1/admin/users")).items.filter((u) => u.active);
  const personSelect = (name, blank) => el("select", { name }, el("option", { value: "" }, blank),
    users.map((u) => el("option", { value: u.id }, `${u.full_name} · ${u.org_name || "Pusat"}`)));
  const duties = el("div");
  const addDuty = () => duties.append(el("div", { class: "duty-row" },
    el("input", { name: "desk", placeholder: "Pos, mis. SPKT", maxlength: 80, "aria-label": "Pos piket" }),
    personSelect("user_id", "Petugas jaga"),
    el("button", { type: "button", class: "link", onclick: (e) => e.target.parentElement.remove() }, "Hapus")));
  const form = el("form", { id: "roster-form" },
    el("h2", {}, "Jadwal piket baru"),
    field("Satuan", orgSelect(ctx.orgs)),
    field("Mulai (WIB)", el("input", { name: "starts_at", type: "datetime-local", required: true, value: localNow(0) })),
    field("Selesai (WIB)", el("input", { name: "ends_at", type: "datetime-local", required: true, value: localNow(8) })),
    field("Keterangan", el("input", { name: "label", maxlength: 80, placeholder: "mis. Piket pagi" })),
    field("Perwira pengawas (Pa Siaga)", personSelect("supervisor_id", "Belum ditunjuk")),
    el("h3", {}, "Petugas per pos"), duties,
    el("button", { type: "button", onclick: addDuty }, "Tambah pos"),
    el("p", {}, el("button", { type: "submit", class: "primary" }, "Simpan jadwal")));
  addDuty();
  const list = el("div");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const rows = [...duties.querySelectorAll(".duty-row")].map((r) => ({ desk: r.querySelector("input").value.trim(), user_id: Number(r.querySelector("select").value) }))
      .filter((d) => d.desk && d.user_id);
    try {
      const shift = await api.post("/api/v1/roster/shifts", { org: data.get("org"), starts_at: wib(data.get("starts_at")), ends_at: wib(data.get("ends_at")),
        label: data.get("label"), supervisor_id: data.get("supervisor_id") ? Number(data.get("supervisor_id")) : null, duties: rows });
      ctx.status(`Jadwal piket ${shift.org_name} tersimpan.`);
      await refresh();
    } catch (err) { ctx.status(err.message, true); }
  });

  async function refresh() {
    const page = await api.get("/api/v1/roster/shifts");
    list.replaceChildren(page.items.length ? table(["Satuan", "Waktu", "Perwira pengawas", "Pos", ""], page.items.map((s) => el("tr", { "data-shift": s.id },
      el("td", {}, el("strong", {}, s.org_name), s.label ? el("div", { class: "muted" }, s.label) : null),
      el("td", {}, `${formatDateTime(s.starts_at)} s.d. ${formatDateTime(s.ends_at)}`),
      el("td", {}, s.supervisor ? `${s.supervisor.name}${s.supervisor.phone ? ` (${s.supervisor.phone})` : ""}` : "-"),
      el("td", {}, s.duties.map((d) => el("div", {}, `${d.desk}: ${d.person.name}`))),
      el("td", {}, twoStep("Hapus", "Yakin hapus?", async () => {
        try { await api.del(`/api/v1/roster/shifts/${s.id}`); ctx.status("Jadwal dihapus."); await refresh(); } catch (err) { ctx.status(err.message, true); }
      }))))) : el("p", { class: "muted" }, "Belum ada jadwal piket untuk sepekan ini."));
  }
  section.replaceChildren(el("div", { class: "admin-grid" },
    el("div", { class: "card" }, form),
    el("div", { class: "card" }, el("h2", {}, "Jadwal piket sepekan"), el("p", { class: "muted" }, "Piket yang sedang berjalan tampil di ruang komando (/ops). Eskalasi ke perwira pengawas memberi tahu Pa Siaga yang bertugas."), list)));
  await refresh();
  return { refresh };
}
