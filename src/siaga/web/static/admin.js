// The /admin page: log-in, tabs, and the context every tab module receives.
import { Api } from "/static/common.js";
import { startStaffPage } from "/static/login.js";
import { createTabs } from "/static/tabs.js";

const api = new Api("siaga.staff.token");
const $ = (id) => document.getElementById(id);
const TABS = {
  users: () => import("/static/admin-users.js"),
  units: () => import("/static/admin-units.js"),
  orgs: () => import("/static/admin-orgs.js"),
  bhabin: () => import("/static/admin-bhabin.js"),
  roster: () => import("/static/admin-roster.js"),
  import: () => import("/static/admin-import.js"),
  onboarding: () => import("/static/admin-onboarding.js"),
};
const mounted = new Map();

const ctx = {
  api, me: null, orgs: [],
  status(text, isError = false) { $("status").textContent = text; $("status").className = isError ? "status error" : "status"; },
  async reloadOrgs() { ctx.orgs = (await api.get("/api/v1/admin/orgs")).items; return ctx.orgs; },
};

async function showTab(name) {
  ctx.status("");
  if (!TABS[name]) return;
  try {
    if (!mounted.has(name)) {
      const module = await TABS[name]();
      mounted.set(name, await module.mount($(`tab-${name}`), ctx));
    } else {
      await mounted.get(name)?.refresh?.();
    }
  } catch (err) { ctx.status(err.message, true); }
}

startStaffPage({
  api, title: "Masuk admin", serverLogout: true,
  who: (me) => `${me.full_name} · ${me.org_name || "Admin pusat"}`,
  allow: (me) => me.role === "admin" || "Halaman ini khusus admin. Masuk dengan akun admin Polres atau admin pusat.",
  start: async (me) => {
    ctx.me = me;
    if (me.scope !== "/") for (const b of document.querySelectorAll("[data-national]")) b.hidden = true;
    await ctx.reloadOrgs();
    await createTabs({ onShow: showTab }).show("users");
  },
});

$("reset-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  try {
    await api.post("/api/v1/auth/reset-password", data);
    event.target.reset();
    $("reset-status").textContent = "Kata sandi baru tersimpan. Silakan masuk.";
    $("reset-status").className = "";
  } catch (err) { $("reset-status").textContent = err.message; $("reset-status").className = "error"; }
});
