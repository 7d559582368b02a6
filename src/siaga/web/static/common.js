// Shared helpers for Siaga pages: API calls with a stored token, WIB time formatting.
export const WIB = "Asia/Jakarta";
// Unit kinds in words, the same as the server's units.models.UNIT_KIND_LABELS.
export const UNIT_KIND_LABELS = { car: "Mobil patroli", motorbike: "Motor patroli", desk: "Pos piket",
  officer: "Petugas (HP)" };

export function formatTime(iso) {
  if (!iso) return "-";
  return new Date(iso).toLocaleTimeString("id-ID", { timeZone: WIB, hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function formatDateTime(iso) {
  if (!iso) return "-";
  return new Date(iso).toLocaleString("id-ID", { timeZone: WIB, dateStyle: "medium", timeStyle: "short" }) + " WIB";
}

export function formatAge(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const m = Math.floor(seconds / 60), s = seconds % 60;
  if (m >= 60) return `${Math.floor(m / 60)} j ${m % 60} m`;
  return `${m}:${String(s).padStart(2, "0")}`;
}

// Field names the API reports, as a person reads them; a message that already names the field
// (or a field a person never typed) is shown without one.
const FIELD_LABELS = {
  phone: "Nomor HP", name: "Nama", pin: "PIN", duress_pin: "PIN darurat", minutes: "Durasi",
  dest_label: "Tujuan", username: "Nama pengguna", password: "Kata sandi", status: "Status",
  note: "Catatan", lat: "Lokasi", lon: "Lokasi", body: "Isi", title: "Judul",
};

function fieldMessage(field, msg) {
  const label = FIELD_LABELS[field];
  if (!label || !msg || msg.toLowerCase().includes(label.toLowerCase())) return msg;
  return `${label}: ${msg}`;
}

export function errorText(body, status) {
  // Turn a {"detail": ...} error into one readable Indonesian sentence.
  const detail = body && body.detail;
  if (!detail) return `Gagal (kode ${status})`;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => fieldMessage(d.field, d.msg)).join("; ");
  return detail.msg ? fieldMessage(detail.field, detail.msg) : JSON.stringify(detail);
}

/** What a request that got no reply at all (no signal, server down) tells the person. */
export const NO_CONNECTION = "Tidak ada sambungan internet. Periksa sinyal atau data seluler, lalu coba lagi.";

/** A distance in words, as on every page: "850 m", "2,4 km" (decimal comma). */
export function formatDistance(metres) {
  if (metres == null) return "-";
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toLocaleString("id-ID", { maximumFractionDigits: 1 })} km`;
}

/** A calendar day in WIB: "23 Desember 2025" (a bare "2025-12-23" is that day). */
export function formatDate(value) {
  if (!value) return "-";
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00+07:00` : value);
  return date.toLocaleDateString("id-ID", { timeZone: WIB, day: "numeric", month: "long", year: "numeric" });
}

export class Api {
  constructor(storageKey) {
    this.storageKey = storageKey;
    this.token = localStorage.getItem(storageKey) || "";
  }
  setToken(token) {
    this.token = token || "";
    if (token) localStorage.setItem(this.storageKey, token);
    else localStorage.removeItem(this.storageKey);
  }
  async request(method, path, body, { form } = {}) {
    const headers = {};
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let payload;
    if (form) payload = form;
    else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload });
    } catch {
      // No reply at all: no status, so outbox.js retries it; the words are for people.
      throw new Error(NO_CONNECTION);
    }
    let data = null;
    const text = await response.text();
    if (text) { try { data = JSON.parse(text); } catch { data = { detail: text }; } }
    if (!response.ok) {
      const err = new Error(errorText(data, response.status));
      err.status = response.status;
      err.body = data;
      throw err;
    }
    return data;
  }
  get(path) { return this.request("GET", path); }
  post(path, body) { return this.request("POST", path, body); }
  put(path, body) { return this.request("PUT", path, body); }
  del(path) { return this.request("DELETE", path); }
}

export async function staffLogin(api, username, password) {
  const data = await api.post("/api/v1/auth/login", { username, password });
  api.setToken(data.access_token);
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
