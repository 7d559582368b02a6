// Tab "Unit & GPS": patrol units, a new tracker id, retiring, and the QR the officer scans.
import { el } from "/static/common.js";
import { KIND_LABELS, STATUS_LABELS, field, options, orgSelect, table, twoStep } from "/static/admin-ui.js";

async function qrUrl(api, unitId, app) {
  // <img> cannot send the bearer token, so the image is fetched and shown from a blob.
  const response = await fetch(`/api/v1/units/${unitId}/qr.svg?app=${app}`, { headers: { Authorization: `Bearer ${api.token}` } });
  if (!response.ok) return null;
  return URL.createObjectURL(await response.blob());
}

export async function mount(section, ctx) {
  const { api } = ctx;
  const list = el("div");
  const setupBox = el("div", { id: "unit-setup" });
  const orgName = (code) => (ctx.orgs.find((o) => o.code === code) || {}).name || "-";
  const form = el("form", { id: "unit-form" },
    el("h2", {}, "Tambah unit"),
    field("Tanda panggil", el("input", { name: "callsign", required: true, maxlength: 40, placeholder: "mis. R4-SLAWI-2" })),
    field("Jenis", el("select", { name: "kind" }, options(KIND_LABELS, "car"))),
    field("Satuan", orgSelect(ctx.orgs)),
    field("Awak (pisahkan dengan koma)", el("input", { name: "crew", maxlength: 400 })),
    el("p", { class: "muted" }, "ID pelacak acak dibuat otomatis; kode QR untuk Traccar Client tampil setelah disimpan."),
    el("button", { type: "submit", class: "primary" }, "Simpan unit"));

  async function showSetup(unit) {
    try {
      const s = await api.get(`/api/v1/units/${unit.id}/setup`);
      const traccar = await qrUrl(api, unit.id, "traccar");
      const owntracks = s.owntracks_qr_text ? await qrUrl(api, unit.id, "owntracks") : null;
      setupBox.replaceChildren(el("div", { class: "setup", "data-unit": unit.callsign },
        el("div", {},
          el("img", { src: traccar, alt: `Kode QR Traccar Client untuk ${unit.callsign}` }),
          el("div", { class: "muted" }, "Pindai di Traccar Client"),
          owntracks ? el("img", { src: owntracks, alt: `Kode QR OwnTracks untuk ${unit.callsign}` }) : null,
          owntracks ? el("div", { class: "muted" }, "Pindai di OwnTracks") : null),
        el("div", {},
          el("h3", {}, `Pengaturan GPS ${unit.callsign}`),
          el("ol", {}, s.instructions.map((line) => el("li", {}, line))),
          el("p", { class: "muted" }, "ID pelacak ini rahasia: siapa pun yang tahu bisa memindahkan unit di peta. Bila bocor, buat ID baru."))));
      setupBox.scrollIntoView({ block: "nearest" });
    } catch (err) { ctx.status(err.message, true); }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const crew = data.crew.split(",").map((c) => c.trim()).filter(Boolean);
    try {
      const unit = await api.post("/api/v1/units", { callsign: data.callsign.trim(), kind: data.kind, org: data.org, crew });
      ctx.status(`Unit ${unit.callsign} tersimpan.`);
      form.reset();
      await refresh();
      await showSetup(unit);
    } catch (err) { ctx.status(err.message, true); }
  });

  // The crew: officers whose phones (/petugas) get the unit's tasks; added from the officers
  // of its organisation, removed one by one (each change audited by the server).
  function crewEditor(unit) {
    const box = el("div", { class: "crew", "data-crew": unit.callsign });
    const change = async (request, message) => {
      try { await request(); ctx.status(message); await refresh(); }
      catch (err) { ctx.status(err.message, true); }
    };
    const members = unit.crew.map((member) => el("span", { class: "crew-member" }, member,
      el("button", { type: "button", class: "link", "aria-label": `Keluarkan ${member} dari awak ${unit.callsign}`,
        onclick: () => change(() => api.del(`/api/v1/units/${unit.id}/crew/${encodeURIComponent(member)}`),
          `${member} dikeluarkan dari awak ${unit.callsign}.`) }, "×")));
    const add = el("button", { type: "button", class: "link" }, "+ awak");
    add.addEventListener("click", async () => {
      let page;
      try { page = await api.get(`/api/v1/units/${unit.id}/crew/candidates`); }
      catch (err) { ctx.status(err.message, true); return; }
      if (!page.items.length) { ctx.status(`Tidak ada petugas lain di satuan ${unit.callsign}.`); return; }
      const pick = el("select", { "aria-label": `Petugas untuk awak ${unit.callsign}` },
        page.items.map((o) => el("option", { value: o.id }, `${o.full_name} (${o.username}) · ${o.org_name}`)));
      const save = el("button", { type: "button" }, "Tambah");
      save.addEventListener("click", () => change(() => api.post(`/api/v1/units/${unit.id}/crew`, { user_id: Number(pick.value) }),
        `${pick.selectedOptions[0].textContent.split(" (")[0]} menjadi awak ${unit.callsign}.`));
      add.replaceWith(el("span", { class: "crew-add" }, pick, save));
    });
    box.append(el("span", { class: "muted" }, "Awak: "), ...(members.length ? members : [el("span", { class: "muted" }, "belum ada · ")]), add);
    return box;
  }

  function row(unit) {
    const act = async (path, message) => {
      try { const out = await api.post(`/api/v1/units/${unit.id}/${path}`); ctx.status(message(out)); await refresh(); return out; }
      catch (err) { ctx.status(err.message, true); return null; }
    };
    return el("tr", { "data-unit": unit.callsign },
      el("td", {}, el("strong", {}, unit.callsign), crewEditor(unit)),
      el("td", {}, KIND_LABELS[unit.kind] || unit.kind),
      el("td", {}, orgName(unit.org_code)),
      el("td", {}, STATUS_LABELS[unit.status] || unit.status),
      el("td", { class: "mono" }, unit.tracker_id || "-"),
      el("td", {}, el("div", { class: "row-edit" },
        unit.tracker_id ? el("button", { type: "button", onclick: () => showSetup(unit) }, "Atur GPS / QR") : null,
        unit.kind !== "desk" ? twoStep("ID pelacak baru", "Yakin? ID lama berhenti", async () => {
          const out = await act("tracker-id", () => `${unit.callsign}: ID pelacak baru dibuat; ID lama tidak berlaku lagi.`);
          if (out) await showSetup(out);
        }) : null,
        twoStep("Pensiunkan", "Yakin pensiunkan?", () => act("retire", () => `${unit.callsign} dipensiunkan.`)))));
  }

  async function refresh() {
    const page = await api.get("/api/v1/units?limit=1000");
    list.replaceChildren(el("p", { class: "muted" }, `${page.total} unit aktif.`),
      table(["Unit", "Jenis", "Satuan", "Status", "ID pelacak", "Tindakan"], page.items.map(row)));
  }
  section.replaceChildren(el("div", { class: "admin-grid" },
    el("div", { class: "card" }, form),
    el("div", { class: "card" }, setupBox, el("h2", {}, "Unit"), list)));
  await refresh();
  return { refresh };
}
