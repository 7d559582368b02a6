// The searchable history of closed and cancelled alarms on /ops, in an in-page dialog.
//
//   mountHistory({ button, api, onOpen });  // onOpen(id) shows an alarm's detail
import { el } from "/static/common.js";
import { formatWibDateTime, statusLabel } from "/static/ops-format.js";

const PAGE = 50;

export function mountHistory({ button, api, onOpen }) {
  const input = el("input", { type: "search", name: "q", placeholder: "Nomor alarm, nama atau telepon pelapor, wilayah…",
    "aria-label": "Cari riwayat alarm", autocomplete: "off" });
  const status = el("p", { class: "muted", role: "status" });
  const list = el("ol", { class: "history-list" });
  const more = el("button", { type: "button", class: "small", hidden: true }, "Muat lebih banyak");
  const dialog = el("dialog", { class: "siaga-dialog history", "aria-label": "Riwayat alarm" },
    el("div", { class: "detail-head" }, el("h3", {}, "Riwayat alarm selesai dan dibatalkan"),
      el("button", { type: "button", class: "small", "aria-label": "Tutup riwayat", onclick: () => dialog.close() }, "✕")),
    el("form", { class: "history-search", onsubmit: (e) => { e.preventDefault(); search(true); } },
      input, el("button", { type: "submit" }, "Cari")),
    status, list, more);
  document.body.append(dialog);
  let offset = 0;
  let typing = null;
  let seq = 0;

  function row(a) {
    const li = el("li", { "data-alarm": a.id, tabindex: 0 },
      el("div", {}, el("strong", {}, `#${a.id}`), ` ${formatWibDateTime(a.created_at)}`),
      el("div", {}, statusLabel(a)),
      el("div", { class: "muted" }, [a.caller_name, a.caller_phone].filter(Boolean).join(" · ") || "Pelapor tanpa nama"),
      el("div", { class: "muted" }, `${a.region_name || "di luar wilayah"} · ${a.org_name || "satuan belum diketahui"}`));
    const open = () => { dialog.close(); onOpen(a.id); };
    li.addEventListener("click", open);
    li.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
    return li;
  }

  async function search(fresh) {
    const mine = ++seq;
    if (fresh) { offset = 0; list.replaceChildren(); }
    status.textContent = "Mencari…";
    const params = new URLSearchParams({ status: "history", limit: String(PAGE), offset: String(offset) });
    if (input.value.trim()) params.set("q", input.value.trim());
    let page;
    try { page = await api.get(`/api/v1/alarms?${params}`); } catch (err) {
      if (mine === seq) status.textContent = `Riwayat tidak dapat dimuat: ${err.message}`;
      return;
    }
    if (mine !== seq) return; // a newer search was started meanwhile
    list.append(...page.items.map(row));
    offset += page.items.length;
    status.textContent = page.total ? `${page.total.toLocaleString("id-ID")} alarm ditemukan` : "Tidak ada alarm yang cocok.";
    more.hidden = offset >= page.total;
  }

  input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => search(true), 300); });
  more.addEventListener("click", () => search(false));
  button.addEventListener("click", () => { dialog.showModal(); input.focus(); search(true); });
  return { search, dialog };
}
