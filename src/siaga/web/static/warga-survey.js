// Citizens' satisfaction survey on /warga: mount(container, api), api being common.js Api with
// the device token (the survey also works without one; the answer is then anonymous).
import { el } from "/static/common.js";

const RATINGS = [
  ["baik", "Sudah baik"],
  ["perlu_peningkatan", "Perlu ditingkatkan"],
  ["kurang", "Kurang baik"],
];
// Inline so the form reads well inside /warga whatever that page's stylesheet does to inputs.
const CHOICE_STYLE = "display:flex;gap:.6rem;align-items:center;min-height:44px";
const OK_STYLE = "color:#1b6e2e;font-weight:600";

export async function mount(container, api) {
  const status = el("p", { role: "status", class: "muted" });
  let options = [];
  try {
    options = (await api.get("/api/v1/survey/polres")).items;
  } catch (err) {
    container.replaceChildren(el("p", { class: "error" }, `Survei belum dapat dimuat: ${err.message}`));
    return;
  }
  const form = el("form", { class: "survey", "aria-label": "Survei kepuasan masyarakat" },
    el("h2", {}, "Survei kepuasan masyarakat"),
    el("p", { class: "muted" }, "Bagaimana penilaian Anda terhadap kinerja Polres dalam mencegah dan menangani gangguan kamtibmas, termasuk tawuran pelajar?"),
    el("label", {}, "Polres", el("select", { name: "polres" },
      el("option", { value: "" }, "Pilih Polres, atau gunakan lokasi saya"),
      ...options.map((o) => el("option", { value: o.code }, o.name)))),
    el("fieldset", { style: "border:1px solid #ccd;border-radius:8px;margin:.6rem 0" }, el("legend", {}, "Penilaian Anda"),
      ...RATINGS.map(([value, label]) => el("label", { class: "choice", style: CHOICE_STYLE },
        el("input", { type: "radio", name: "rating", value, required: true, style: "width:auto;margin:0" }),
        label))),
    el("label", {}, "Kritik dan saran (opsional)", el("textarea", { name: "comment", maxlength: 1000, rows: 3 })),
    el("button", { type: "submit", class: "primary" }, "Kirim penilaian"),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = { rating: f.rating.value, comment: f.comment.value.trim() || null };
    status.className = "muted";
    status.removeAttribute("style");
    status.textContent = "Mengirim…";
    try {
      if (f.polres.value) body.polres = f.polres.value;
      else Object.assign(body, await position());
      const saved = await api.post("/api/v1/survey", body);
      status.className = "ok";
      status.setAttribute("style", OK_STYLE);
      status.textContent = saved.replaced
        ? `Terima kasih. Penilaian Anda untuk ${saved.polres_name} bulan ini sudah diperbarui.`
        : `Terima kasih. Penilaian Anda untuk ${saved.polres_name} sudah kami terima.`;
      form.reset();
    } catch (err) {
      status.className = "error";
      status.textContent = err.message;
    }
  });
  container.replaceChildren(form);
}

function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error("Pilih Polres dari daftar (lokasi tidak tersedia di perangkat ini)."));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude }),
      () => reject(new Error("Lokasi tidak diizinkan; pilih Polres dari daftar.")),
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
}
