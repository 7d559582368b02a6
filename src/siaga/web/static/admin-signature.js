// Admin tab "Tanda tangan laporan": who signs each Polres's PDF reports
// (GET/PUT /api/v1/reports/signature?org=CODE). Fills <section id="tab-signature">.
import { Api, el } from "/static/common.js";

const api = new Api("siaga.staff.token");
const FIELDS = [
  ["place", "Tempat penandatanganan", "mis. Malang"],
  ["position", "Jabatan", "mis. Kapolres Malang Kota"],
  ["name", "Nama lengkap dengan gelar", "mis. Budi Santoso, S.I.K., M.H."],
  ["rank", "Pangkat", "mis. AKBP"],
  ["nrp", "NRP", "angka, mis. 78091234"],
];

function formatDay(date) {
  return date.toLocaleDateString("id-ID", { day: "numeric", month: "long", year: "numeric", timeZone: "Asia/Jakarta" });
}

function preview(values) {
  const or = (v, blank) => (v && v.trim() ? v.trim() : blank);
  return el("div", { class: "signature-preview", "aria-label": "Contoh blok tanda tangan" },
    el("div", {}, `${or(values.place, "……………")}, ${formatDay(new Date())}`),
    el("div", {}, or(values.position, "……………").toUpperCase()),
    el("div", { class: "signature-space" }),
    el("div", { class: "signature-name" }, or(values.name, "(…………………………)")),
    el("div", {}, `${or(values.rank, "Pangkat")} NRP ${or(values.nrp, "……………")}`));
}

async function polresOptions() {
  const page = await api.get("/api/v1/orgs");
  return page.items.filter((o) => o.level === "polres");
}

export async function mountSignatureTab(section) {
  const status = el("p", { class: "muted", role: "status", "aria-live": "polite" });
  const say = (text, isError = false) => { status.textContent = text; status.className = isError ? "error" : "muted"; };
  let polres = [];
  try { polres = await polresOptions(); } catch (err) { say(err.message, true); }
  if (!polres.length) {
    section.replaceChildren(el("h2", {}, "Tanda tangan laporan"),
      el("p", { class: "muted" }, "Tidak ada Polres dalam wilayah akun ini."), status);
    return;
  }
  const picker = el("select", { id: "signature-org", name: "org" },
    polres.map((o) => el("option", { value: o.code }, o.name)));
  const inputs = Object.fromEntries(FIELDS.map(([name, , hint]) => [name,
    el("input", { id: `signature-${name}`, name, required: true, maxlength: name === "nrp" ? 30 : 160,
                  placeholder: hint, inputmode: name === "nrp" ? "numeric" : null, autocomplete: "off" })]));
  const previewBox = el("div");
  const values = () => Object.fromEntries(FIELDS.map(([name]) => [name, inputs[name].value]));
  const refresh = () => previewBox.replaceChildren(preview(values()));
  const form = el("form", { id: "signature-form", class: "stack" },
    el("label", { for: "signature-org" }, "Polres"), picker,
    ...FIELDS.flatMap(([name, label]) => [el("label", { for: `signature-${name}` }, label), inputs[name]]),
    el("button", { type: "submit" }, "Simpan tanda tangan"));

  async function load() {
    say("Memuat…");
    try {
      const data = await api.get(`/api/v1/reports/signature?org=${encodeURIComponent(picker.value)}`);
      for (const [name] of FIELDS) inputs[name].value = data[name] || "";
      say(data.configured ? `Tersimpan untuk ${data.org_name}.` : `Belum diatur untuk ${data.org_name}; laporan PDF dicetak dengan baris tanda tangan kosong.`);
    } catch (err) { say(err.message, true); }
    refresh();
  }

  form.addEventListener("input", refresh);
  picker.addEventListener("change", load);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(Object.entries(values()).map(([k, v]) => [k, v.trim()]));
    const empty = FIELDS.find(([name]) => !body[name]);
    if (empty) { say(`${empty[1]} wajib diisi.`, true); inputs[empty[0]].focus(); return; }
    try {
      const saved = await api.put(`/api/v1/reports/signature?org=${encodeURIComponent(picker.value)}`, body);
      say(`Tanda tangan ${saved.org_name} disimpan. Laporan PDF berikutnya memakainya.`);
    } catch (err) { say(err.message, true); }
  });
  section.replaceChildren(el("h2", {}, "Tanda tangan laporan"),
    el("p", { class: "muted" }, "Blok tanda tangan di bawah laporan bulanan dan anev Polres ini (tempat dan tanggal, jabatan, nama, pangkat, NRP)."),
    el("div", { class: "signature-layout" }, form, previewBox), status);
  await load();
}

// The tab's section shows only after log-in and a click on its tab: mount it then, once, so
// no request leaves before the user has signed in.
const section = document.getElementById("tab-signature");
if (section) {
  let started = false;
  const start = () => {
    if (started || section.hidden) return;
    started = true;
    document.head.append(el("link", { rel: "stylesheet", href: "/static/admin-signature.css" }));
    mountSignatureTab(section);
  };
  new MutationObserver(start).observe(section, { attributes: true, attributeFilter: ["hidden"] });
  start();
}
