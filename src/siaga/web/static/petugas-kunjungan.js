// Officer "Kunjungan" tab: the visit form (blangko kunjungan) of the Door to Door System.
// Phone first and offline first: every visit, photos included, is kept in IndexedDB until the
// server confirms it. Each visit has a client_id (UUID) made on the phone, so sending it again
// after a lost reply never stores it twice. Photos travel in the same multipart request.
import { el, formatDate, formatDateTime } from "/static/common.js";
import { confirmAction } from "/static/dialog.js";
import { newClientId, openOutbox, retryEvery } from "/static/outbox.js";

const OPTIONS_KEY = "siaga.petugas.visit-options";
const HISTORY_KEY = "siaga.petugas.visit-history";
const RETRY_MS = 15000;
const FALLBACK_OPTIONS = {
  place_types: { house: "Rumah warga", worship: "Tempat ibadah", school: "Sekolah", office: "Kantor", shop: "Toko / tempat usaha", other: "Lainnya" },
  topics: { crime: "Kejahatan", drugs: "Narkoba", brawl: "Tawuran", radicalism: "Radikalisme", dispute: "Perselisihan", traffic: "Lalu lintas", disaster: "Bencana", other: "Lainnya" },
  functions: { reskrim: "Reskrim", samapta: "Samapta", binmas: "Binmas", intelkam: "Intelkam", lantas: "Lantas" },
  regions: [], default_region_id: null, photo_max_bytes: 8 * 1024 * 1024, photos_per_visit: 6,
};
const FOLLOW_STATUS = { open: "Baru", in_progress: "Dikerjakan", done: "Selesai", cancelled: "Dibatalkan" };

// One outbox record per visit, keyed by client_id.
const visits = openOutbox("visits");
const saveRecord = (record) => visits.put(record);
const deleteRecord = (id) => visits.remove(id);
const allRecords = () => visits.all();

function localInputValue(date) {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

// Camera photos above the server's limit are shrunk on the phone (their EXIF is lost then).
async function shrink(file, maxBytes) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 2048 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.5]) {
    const blob = await new Promise((r) => canvas.toBlob(r, "image/jpeg", quality));
    if (blob && blob.size <= maxBytes) return blob;
  }
  throw new Error("Foto terlalu besar dan tidak bisa diperkecil");
}

export async function mount(container, api, me) {
  if (!document.querySelector('link[href="/static/petugas-kunjungan.css"]')) {
    document.head.append(el("link", { rel: "stylesheet", href: "/static/petugas-kunjungan.css" }));
  }
  const owner = me.username;
  let options = JSON.parse(localStorage.getItem(OPTIONS_KEY) || "null") || FALLBACK_OPTIONS;
  let history = JSON.parse(localStorage.getItem(`${HISTORY_KEY}.${owner}`) || "[]");
  let position = null;

  const status = el("p", { class: "kv-status", role: "status", "aria-live": "polite" });
  const outboxBox = el("div", { class: "kv-outbox" });
  const formBox = el("div", { class: "kv-form", hidden: true });
  const historyBox = el("div", { class: "kv-history" });
  const followBox = el("div", { class: "kv-follow" });
  const newButton = el("button", { class: "primary", type: "button", onclick: () => openForm(null) }, "+ Kunjungan baru");
  container.replaceChildren(
    el("div", { class: "card" }, status, newButton), outboxBox, formBox,
    el("div", { class: "card" }, el("h2", {}, "Kunjungan terkirim"), historyBox),
    el("div", { class: "card" }, el("h2", {}, "Tindak lanjut dari laporan saya"), followBox),
  );

  async function mine() {
    return (await allRecords()).filter((r) => r.owner === owner && r.state !== "sent");
  }

  async function refreshStatus(message) {
    const pending = (await mine()).filter((r) => r.state === "queued").length;
    const net = navigator.onLine ? "Daring" : "Luring";
    status.textContent = message || `${net} · ${pending} kunjungan menunggu dikirim`;
  }

  // --- the outbox: drafts, visits waiting for a signal, visits the server refused ------------
  async function renderOutbox() {
    const records = (await mine()).sort((a, b) => a.created_at.localeCompare(b.created_at));
    const label = { draft: "Draf", queued: "Menunggu sinyal", error: "Ditolak server" };
    outboxBox.replaceChildren(...records.map((r) => el("div", { class: `card kv-item kv-${r.state}`, "data-client-id": r.client_id },
      el("div", { class: "kv-line" }, el("strong", {}, `${options.place_types[r.form.place_type] || "Kunjungan"}${r.form.place_name ? ": " + r.form.place_name : ""}`),
        el("span", { class: `kv-badge kv-badge-${r.state}` }, label[r.state] || r.state)),
      el("div", { class: "muted" }, `${formatDateTime(r.form.visited_at)} · ${r.photos.length} foto`),
      r.error ? el("p", { class: "error" }, r.error) : null,
      el("div", { class: "kv-actions" },
        el("button", { type: "button", onclick: () => openForm(r) }, "Ubah"),
        r.state !== "queued" ? el("button", { type: "button", onclick: async () => { r.state = "queued"; r.error = null; await saveRecord(r); await renderOutbox(); sync(); } }, "Kirim") : null,
        el("button", { type: "button", onclick: async () => { if (await confirmAction("Hapus kunjungan ini dari HP?", { ok: "Hapus" })) { await deleteRecord(r.client_id); await renderOutbox(); } } }, "Hapus")),
    )));
    await refreshStatus();
  }

  // --- the form ------------------------------------------------------------------------------
  function openForm(existing) {
    const record = existing || {
      client_id: newClientId(), owner, state: "draft", created_at: new Date().toISOString(), photos: [], error: null,
      form: { place_type: "house", region_id: options.default_region_id, topics: [], follow_ups: [], visited_at: new Date().toISOString() },
    };
    const f = record.form;
    const notice = el("p", { class: "error", role: "alert" });
    const field = (labelText, input) => el("label", {}, labelText, input);
    const text = (name, attrs = {}) => el("input", { name, value: f[name] || "", ...attrs });
    const placeType = el("select", { name: "place_type" }, Object.entries(options.place_types).map(([k, v]) => el("option", { value: k, selected: k === f.place_type }, v)));
    const region = el("select", { name: "region_id" }, el("option", { value: "" }, "-"),
      options.regions.map((r) => el("option", { value: r.id, selected: r.id === f.region_id }, r.name)));
    const visitedAt = el("input", { name: "visited_at", type: "datetime-local", value: localInputValue(new Date(f.visited_at)) });
    const topics = el("fieldset", { class: "kv-topics" }, el("legend", {}, "Topik yang dibahas"),
      Object.entries(options.topics).map(([k, v]) => el("label", { class: "kv-check" },
        el("input", { type: "checkbox", name: "topics", value: k, checked: f.topics.includes(k) }), v)));
    const findings = el("textarea", { name: "findings", rows: 4, required: true }, f.findings || "");
    const problems = el("textarea", { name: "problems", rows: 3 }, f.problems || "");
    const followList = el("div", { class: "kv-follow-list" });
    const addFollow = (item = { function: "binmas", description: "" }) => {
      const row = el("div", { class: "kv-follow-row" },
        el("select", { name: "fu_function", "aria-label": "Fungsi" }, Object.entries(options.functions).map(([k, v]) => el("option", { value: k, selected: k === item.function }, v))),
        el("input", { name: "fu_description", placeholder: "Apa yang perlu ditindaklanjuti", value: item.description, "aria-label": "Uraian tindak lanjut" }),
        el("button", { type: "button", class: "link", onclick: () => { row.remove(); autosave(); } }, "hapus"));
      followList.append(row);
    };
    f.follow_ups.forEach(addFollow);
    const thumbs = el("div", { class: "kv-thumbs" });
    const renderThumbs = () => thumbs.replaceChildren(...record.photos.map((p, i) => el("figure", {},
      el("img", { src: URL.createObjectURL(p.blob), alt: `Foto ${i + 1}` }),
      el("button", { type: "button", class: "link", onclick: () => { record.photos.splice(i, 1); renderThumbs(); autosave(); } }, "hapus"))));
    const photoInput = el("input", { type: "file", name: "photos", accept: "image/*", capture: "environment", multiple: true });
    photoInput.addEventListener("change", async () => {
      notice.textContent = "";
      for (const file of photoInput.files) {
        if (record.photos.length >= options.photos_per_visit) { notice.textContent = `Paling banyak ${options.photos_per_visit} foto`; break; }
        if (!file.type.startsWith("image/")) { notice.textContent = `${file.name} bukan gambar`; continue; }
        let blob = file;
        if (file.size > options.photo_max_bytes) {
          try { blob = await shrink(file, options.photo_max_bytes); notice.textContent = "Foto besar diperkecil (data lokasi foto hilang)."; }
          catch (err) { notice.textContent = err.message; continue; }
        }
        record.photos.push({ name: file.name || "foto.jpg", type: blob.type || "image/jpeg", blob });
      }
      photoInput.value = "";
      renderThumbs();
      autosave();
    });
    renderThumbs();
    const where = el("span", { class: "muted" });
    const showWhere = () => { where.textContent = f.lat != null ? `Lokasi HP: ${f.lat.toFixed(5)}, ${f.lon.toFixed(5)} (±${Math.round(f.accuracy_m || 0)} m)` : "Lokasi HP belum ada"; };
    // The server compares this fix with the officer's kelurahan, so take a fresh one on "Kirim".
    const locate = (timeout = 15000) => new Promise((resolve) => {
      if (!navigator.geolocation) return resolve();
      navigator.geolocation.getCurrentPosition((pos) => {
        position = { lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy_m: pos.coords.accuracy };
        Object.assign(f, position); showWhere(); autosave(); resolve();
      }, () => { showWhere(); resolve(); }, { enableHighAccuracy: true, timeout, maximumAge: 30000 });
    });
    if (f.lat == null && position) Object.assign(f, position);
    showWhere();
    locate();

    const form = el("form", { class: "card", novalidate: true },
      el("h2", {}, existing ? "Ubah kunjungan" : "Kunjungan baru"),
      field("Jenis tempat", placeType), field("Nama tempat", text("place_name", { maxlength: 200 })),
      field("Kelurahan", region),
      el("div", { class: "kv-row" }, field("RW", text("rw", { inputmode: "numeric", pattern: "[0-9]{1,3}", maxlength: 3 })),
        field("RT", text("rt", { inputmode: "numeric", pattern: "[0-9]{1,3}", maxlength: 3 }))),
      field("Alamat", text("address", { maxlength: 300 })),
      field("Orang yang ditemui", text("person_name", { maxlength: 200 })),
      field("Peran / jabatan", text("person_role", { maxlength: 120, placeholder: "mis. Ketua RT, takmir, kepala sekolah" })),
      field("No. HP (opsional)", text("person_phone", { type: "tel", inputmode: "tel", maxlength: 20 })),
      field("Waktu kunjungan", visitedAt),
      topics,
      field("Hasil kunjungan (yang didapat)", findings),
      field("Masalah yang perlu ditindaklanjuti", problems),
      el("div", { class: "kv-follow-box" }, el("strong", {}, "Tindak lanjut ke fungsi"), followList,
        el("button", { type: "button", onclick: () => addFollow() }, "+ Tambah tindak lanjut")),
      el("label", {}, "Foto bukti (kamera)", photoInput), thumbs,
      el("div", { class: "kv-line" }, where, el("button", { type: "button", class: "link", onclick: () => locate() }, "Perbarui lokasi")),
      notice,
      el("div", { class: "kv-actions" },
        el("button", { type: "submit", class: "primary" }, "Kirim"),
        el("button", { type: "button", onclick: async () => { await collect(); await saveRecord(record); closeForm(); } }, "Simpan draf"),
        el("button", { type: "button", class: "link", onclick: closeForm }, "Tutup")),
    );

    async function collect() {
      const data = new FormData(form);
      for (const name of ["place_type", "place_name", "rw", "rt", "address", "person_name", "person_role", "person_phone", "findings", "problems"]) {
        f[name] = (data.get(name) || "").toString().trim();
      }
      f.region_id = data.get("region_id") ? Number(data.get("region_id")) : null;
      f.topics = data.getAll("topics");
      const when = data.get("visited_at");
      if (when) f.visited_at = new Date(when).toISOString();
      f.follow_ups = [...followList.querySelectorAll(".kv-follow-row")].map((row) => ({
        function: row.querySelector("select").value, description: row.querySelector("input").value.trim(),
      })).filter((x) => x.description);
      record.updated_at = new Date().toISOString();
    }
    let timer = null;
    function autosave() {
      clearTimeout(timer);
      // A closed form may belong to a visit already queued or sent: never write it back.
      timer = setTimeout(async () => { if (!form.isConnected) return; await collect(); await saveRecord(record); }, 400);
    }
    form.addEventListener("input", autosave);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      await collect();
      if (!f.findings) { notice.textContent = "Isi hasil kunjungan terlebih dahulu."; return; }
      if (f.rw && !/^[0-9]{1,3}$/.test(f.rw)) { notice.textContent = "RW harus angka (mis. 03)."; return; }
      if (f.rt && !/^[0-9]{1,3}$/.test(f.rt)) { notice.textContent = "RT harus angka (mis. 05)."; return; }
      notice.textContent = "Mengambil lokasi…";
      await locate(5000);
      notice.textContent = "";
      await collect();
      clearTimeout(timer);
      record.state = "queued";
      record.error = null;
      await saveRecord(record);
      closeForm();
      sync();
    });
    formBox.replaceChildren(form);
    formBox.hidden = false;
    newButton.hidden = true;
    form.scrollIntoView({ block: "start" });
  }

  async function closeForm() {
    formBox.hidden = true;
    formBox.replaceChildren();
    newButton.hidden = false;
    await renderOutbox();
  }

  // --- sending -------------------------------------------------------------------------------
  function payload(record) {
    const f = record.form;
    const body = { client_id: record.client_id, place_type: f.place_type, region_id: f.region_id || null,
      topics: f.topics, findings: f.findings || "", problems: f.problems || "", follow_ups: f.follow_ups,
      visited_at: f.visited_at, lat: f.lat ?? null, lon: f.lon ?? null,
      accuracy_m: f.accuracy_m != null ? Math.min(100000, f.accuracy_m) : null };
    for (const k of ["place_name", "rw", "rt", "address", "person_name", "person_role", "person_phone"]) body[k] = f[k] || null;
    const data = new FormData();
    data.append("data", JSON.stringify(body));
    record.photos.forEach((p, i) => data.append("photos", new File([p.blob], p.name || `foto-${i + 1}.jpg`, { type: p.type })));
    return data;
  }

  async function sync() {
    await visits.drain({
      ready: (r) => r.owner === owner && r.state === "queued",
      // An expired log-in keeps the visit queued too: it goes once the officer signs in again.
      retry401: true,
      send: (record) => api.request("POST", "/api/v1/visits", undefined, { form: payload(record) }),
      sent: (record, visit) => {
        history = [visit, ...history.filter((v) => v.client_id !== visit.client_id)].slice(0, 50);
        localStorage.setItem(`${HISTORY_KEY}.${owner}`, JSON.stringify(history));
        renderHistory();
      },
      // No signal or a server hiccup: the visit stays queued and goes in the next round.
      waiting: (err) => refreshStatus(err.status === 401 ? "Sesi habis: keluar lalu masuk lagi; kunjungan tetap tersimpan di HP" : undefined),
      refused: async (record, err) => {
        record.state = "error";
        record.error = err.message;
        await saveRecord(record);
      },
    });
    await renderOutbox();
    loadHistory();
  }

  // --- what the server already has -------------------------------------------------------------
  function renderHistory() {
    if (!history.length) { historyBox.replaceChildren(el("p", { class: "muted" }, "Belum ada kunjungan terkirim.")); return; }
    historyBox.replaceChildren(...history.slice(0, 30).map((v) => el("div", { class: "kv-item kv-sent", "data-visit-id": v.id },
      el("div", { class: "kv-line" }, el("strong", {}, `${options.place_types[v.place_type] || v.place_type}${v.place_name ? ": " + v.place_name : ""}`),
        el("span", { class: "kv-badge kv-badge-sent" }, "Terkirim")),
      el("div", { class: "muted" }, `${formatDateTime(v.visited_at)} · ${v.region_name || "-"}${v.rw ? " RW " + v.rw : ""} · ${v.photos.length} foto`),
      v.flags.length ? el("ul", { class: "kv-flags" }, v.flags.map((x) => el("li", {}, x.msg))) : null,
      v.follow_ups.length ? el("ul", { class: "kv-fu" }, v.follow_ups.map((t) => el("li", {},
        `${options.functions[t.function] || t.function}: ${FOLLOW_STATUS[t.status] || t.status}${t.owner_name ? " · " + t.owner_name : ""}`))) : null)));
  }

  async function loadHistory() {
    if (!navigator.onLine) return;
    try {
      const page = await api.get("/api/v1/visits?limit=30");
      history = page.items;
      localStorage.setItem(`${HISTORY_KEY}.${owner}`, JSON.stringify(history));
      renderHistory();
      const follow = await api.get("/api/v1/follow-ups?limit=50");
      followBox.replaceChildren(...(follow.items.length ? follow.items.map((t) => el("div", { class: "kv-item" },
        el("div", { class: "kv-line" }, el("strong", {}, options.functions[t.function] || t.function),
          el("span", { class: `kv-badge kv-fu-${t.status}` }, FOLLOW_STATUS[t.status] || t.status)),
        el("div", {}, t.description),
        el("div", { class: "muted" }, `Tenggat ${t.due_date ? formatDate(t.due_date) : "-"}${t.overdue ? " (lewat)" : ""}${t.owner_name ? " · penanggung jawab " + t.owner_name : ""}${t.note ? " · " + t.note : ""}`)))
        : [el("p", { class: "muted" }, "Belum ada tindak lanjut.")]));
    } catch { /* offline or server busy: the cached list stays on screen */ }
  }

  async function loadOptions() {
    try {
      options = await api.get("/api/v1/visits/options");
      localStorage.setItem(OPTIONS_KEY, JSON.stringify(options));
    } catch { /* keep the cached copy */ }
  }

  window.addEventListener("online", () => refreshStatus());
  window.addEventListener("offline", () => refreshStatus());
  retryEvery(RETRY_MS, sync);
  renderHistory();
  await renderOutbox();
  await loadOptions();
  sync();
}
