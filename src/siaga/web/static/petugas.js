// Officer page shell: log-in and tabs; each tab's module exports mount(container, api, me).
import { Api } from "/static/common.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.petugas.token");
const TABS = { tugas: "/static/petugas-tugas.js", kunjungan: "/static/petugas-kunjungan.js",
  patroli: "/static/petugas-patroli.js" };
const mounted = {};

async function mountTab(name, me) {
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

startStaffPage({
  api, title: "Masuk petugas",
  start: (me) => createTabs({ onShow: (name) => mountTab(name, me) }).show("tugas"),
});
if ("serviceWorker" in navigator) navigator.serviceWorker.register("/petugas/sw.js", { scope: "/petugas" }).catch(() => {});
