// Citizen "Lapor" tab: non-emergency tips with an optional photo and location, optionally
// anonymous. Tips wait in IndexedDB until the server confirms them (client_id makes a resend
// harmless); "Laporan saya" shows what the Polsek did with each one.
import { el, formatDateTime } from "/static/common.js";
import { newClientId, openOutbox, retryEvery } from "/static/outbox.js";

const OPTIONS_KEY = "siaga.warga.tip-options";
const MINE_KEY = "siaga.warga.tips-mine";
const RETRY_MS = 20000;
const CHECK = "display:flex;gap:.6rem;align-items:flex-start;font-weight:normal";
const FALLBACK = {
  categories: { crime: "Kejahatan", drugs: "Narkoba", brawl: "Tawuran / perkelahian", traffic: "Lalu lintas",
    disturbance: "Gangguan ketertiban", suspicious: "Orang / kegiatan mencurigakan", other: "Lainnya" },
  areas: [], photo_max_bytes: 8 * 1024 * 1024,
};

const tips = openOutbox("tips");

export async function mount(container, api) {
  let options = JSON.parse(localStorage.getItem(OPTIONS_KEY) || "null") || FALLBACK;
  let sending = false;
  let photo = null;
  const notice = el("p", { role: "status", "aria-live": "polite", class: "muted" });
  const error = el("p", { role: "alert", class: "error" });
  const pendingBox = el("div", { class: "tips-pending" });
  const mineBox = el("div", { class: "tips-mine" });

  const category = el("select", { name: "category", required: true });
  const area = el("select", { name: "region_id" });
  const fillOptions = () => {
    // Keep what the citizen already picked when fresher lists arrive from the server.
    const [picked, pickedArea] = [category.value, area.value];
    category.replaceChildren(...Object.entries(options.categories).map(([k, v]) => el("option", { value: k, selected: k === picked }, v)));
    area.replaceChildren(el("option", { value: "" }, "Pilih kelurahan/desa"),
      ...options.areas.map((a) => el("option", { value: a.id, selected: String(a.id) === pickedArea }, `${a.name} (${a.polsek})`)));
  };
  fillOptions();
  const text = el("textarea", { name: "text", rows: 5, minlength: 5, maxlength: 3000, required: true,
    placeholder: "Apa yang terjadi, di mana, kapan, siapa yang terlibat" });
  const useLocation = el("input", { type: "checkbox", name: "use_location", checked: true, style: "width:auto;flex:none;margin:.2rem 0 0" });
  const anonymous = el("input", { type: "checkbox", name: "anonymous", style: "width:auto;flex:none;margin:.2rem 0 0" });
  const areaLabel = el("label", {}, "Kelurahan/desa kejadian", area);
  // Page styles may set label display, which beats the hidden attribute: toggle display itself.
  const showArea = (visible) => { areaLabel.style.display = visible ? "" : "none"; };
  showArea(false);
  useLocation.addEventListener("change", () => showArea(!useLocation.checked));
  const preview = el("div", { class: "tips-photo" });
  const photoInput = el("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" });
  photoInput.addEventListener("change", () => {
    error.textContent = "";
    const file = photoInput.files[0];
    photo = null;
    preview.replaceChildren();
    if (!file) return;
    if (!file.type.startsWith("image/")) { error.textContent = "Berkas itu bukan foto."; photoInput.value = ""; return; }
    if (file.size > options.photo_max_bytes) {
      error.textContent = `Foto terlalu besar (maks. ${Math.round(options.photo_max_bytes / 1048576)} MB).`;
      photoInput.value = "";
      return;
    }
    photo = { name: file.name || "foto.jpg", type: file.type, blob: file };
    preview.append(el("img", { src: URL.createObjectURL(file), alt: "Foto laporan", style: "max-width:100%;max-height:180px;border-radius:8px" }));
  });

  const form = el("form", { class: "card tips-form", novalidate: true },
    el("h1", {}, "Lapor (bukan darurat)"),
    el("p", { class: "muted" }, "Untuk keadaan darurat gunakan tombol Bantuan atau telepon 110. Laporan ini dibaca petugas Polsek pada jam kerja."),
    el("label", {}, "Jenis laporan", category),
    el("label", {}, "Isi laporan", text),
    el("label", {}, "Foto (opsional)", photoInput), preview,
    el("label", { class: "check", style: CHECK }, useLocation, "Kirim lokasi saya sekarang"),
    areaLabel,
    el("label", { class: "check", style: CHECK }, anonymous, "Kirim tanpa identitas (anonim) — nama dan nomor HP tidak ditampilkan ke petugas"),
    el("p", { class: "muted" }, "Laporan palsu dapat dipidana (UU ITE pasal 28)."),
    error,
    el("button", { type: "submit", class: "primary" }, "Kirim laporan"),
    notice,
  );

  function position() {
    return new Promise((resolve) => {
      if (!navigator.geolocation) return resolve(null);
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy_m: Math.min(100000, p.coords.accuracy || 0) }),
        () => resolve(null), { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = { client_id: newClientId(), category: category.value, text: text.value.trim(), anonymous: anonymous.checked };
    if (body.text.length < 5) { error.textContent = "Tulis isi laporan (minimal 5 huruf)."; return; }
    if (useLocation.checked) {
      const where = await position();
      if (where) Object.assign(body, where);
    }
    if (body.lat == null) {
      if (!area.value) {
        showArea(true);
        error.textContent = "Lokasi tidak tersedia: pilih kelurahan/desa kejadian.";
        return;
      }
      body.region_id = Number(area.value);
    }
    await tips.put({ client_id: body.client_id, body, photo, created_at: new Date().toISOString(), error: null });
    form.reset();
    photo = null;
    preview.replaceChildren();
    showArea(false);
    notice.textContent = navigator.onLine ? "Mengirim laporan…" : "Tidak ada sinyal: laporan tersimpan dan dikirim otomatis nanti.";
    await send();
  });

  async function renderPending() {
    const items = await tips.all();
    pendingBox.replaceChildren(...items.map((t) => el("div", { class: "card" },
      el("strong", {}, options.categories[t.body.category] || t.body.category),
      el("div", {}, t.body.text),
      el("div", { class: t.error ? "error" : "muted" }, t.error || "Menunggu dikirim…"),
      t.error ? el("button", { type: "button", onclick: async () => { await tips.remove(t.client_id); renderPending(); } }, "Hapus") : null)));
  }

  async function send() {
    if (sending) return;
    sending = true;
    try {
      await tips.drain({
        ready: (t) => !t.error,
        send: (item) => {
          const data = new FormData();
          data.append("data", JSON.stringify(item.body));
          if (item.photo) data.append("photo", new File([item.photo.blob], item.photo.name, { type: item.photo.type }));
          return api.request("POST", "/api/v1/tips", undefined, { form: data });
        },
        sent: () => { notice.textContent = "Laporan terkirim. Terima kasih."; },
        refused: async (item, err) => {
          item.error = err.message;
          await tips.put(item);
          notice.textContent = "";
        },
      });
    } finally {
      sending = false;
      await renderPending();
      loadMine();
    }
  }

  function renderMine(page) {
    mineBox.replaceChildren(el("h2", {}, "Laporan saya"),
      ...(page.items.length ? page.items.map((t) => el("div", { class: "info-item tips-item", "data-tip-id": t.id },
        el("strong", {}, `${t.category_label} — ${t.status_label}`),
        el("div", {}, t.text),
        t.public_note ? el("div", {}, el("em", {}, `Balasan petugas: ${t.public_note}`)) : null,
        el("div", { class: "muted" }, `${formatDateTime(t.created_at)} · ${t.polsek || "-"}${t.anonymous ? " · anonim" : ""}`)))
        : [el("p", { class: "muted" }, "Belum ada laporan.")]));
  }

  async function loadMine() {
    try {
      const page = await api.get("/api/v1/tips/mine?limit=30");
      localStorage.setItem(MINE_KEY, JSON.stringify(page));
      renderMine(page);
    } catch {
      const cached = JSON.parse(localStorage.getItem(MINE_KEY) || "null");
      if (cached) renderMine(cached);
    }
  }

  container.replaceChildren(form, pendingBox, el("div", { class: "card" }, mineBox));
  retryEvery(RETRY_MS, send);
  try {
    options = await api.get("/api/v1/tips/options");
    localStorage.setItem(OPTIONS_KEY, JSON.stringify(options));
    fillOptions();
  } catch { /* offline: the cached lists stay */ }
  await renderPending();
  await send();
}
