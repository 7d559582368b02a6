// Officer page shell: log-in and tabs; each tab's module exports mount(container, api, me).
import { Api, staffLogin } from "/static/common.js";

const api = new Api("siaga.petugas.token");
const TABS = { tugas: "/static/petugas-tugas.js", kunjungan: "/static/petugas-kunjungan.js",
  patroli: "/static/petugas-patroli.js" };
const mounted = {};

async function showTab(name, me) {
  document.querySelectorAll(".tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tab").forEach((s) => (s.hidden = s.id !== `tab-${name}`));
  if (mounted[name]) return;
  mounted[name] = true;
  const container = document.getElementById(`tab-${name}`);
  try {
    const module = await import(TABS[name]);
    await module.mount(container, api, me);
  } catch (err) {
    container.textContent = "Bagian ini belum tersedia.";
    console.error(err);
  }
}

async function start() {
  let me;
  try {
    me = api.token ? await api.get("/api/v1/auth/me") : null;
  } catch { me = null; }
  if (!me) {
    document.getElementById("login").hidden = false;
    return;
  }
  document.getElementById("who").textContent = `${me.full_name} · ${me.org_name || ""}`;
  document.getElementById("logout").hidden = false;
  document.getElementById("app").hidden = false;
  document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab, me)));
  await showTab("tugas", me);
}

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    await staffLogin(api, form.get("username"), form.get("password"));
    location.reload();
  } catch (err) {
    document.getElementById("login-error").textContent = err.message;
  }
});
document.getElementById("logout").addEventListener("click", () => { api.setToken(""); location.reload(); });
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/petugas/sw.js", { scope: "/petugas" }).catch(() => {});
start();
