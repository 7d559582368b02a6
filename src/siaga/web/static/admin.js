// The /admin page: log-in, tabs, and the context every tab module receives.
import { Api, el, staffLogin } from "/static/common.js";

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

async function show(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const s of document.querySelectorAll("main > .tab")) s.hidden = s.id !== `tab-${name}`;
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

async function start() {
  let me = null;
  try { me = api.token ? await api.get("/api/v1/auth/me") : null; } catch { me = null; }
  if (!me) { $("login").hidden = false; return; }
  $("who").textContent = `${me.full_name} · ${me.org_name || "Admin pusat"}`;
  $("logout").hidden = false;
  if (me.role !== "admin") {
    $("login").hidden = false;
    $("login").replaceChildren(el("p", {}, "Halaman ini khusus admin. Masuk dengan akun admin Polres atau admin pusat."));
    return;
  }
  ctx.me = me;
  if (me.scope !== "/") for (const b of document.querySelectorAll("[data-national]")) b.hidden = true;
  await ctx.reloadOrgs();
  $("app").hidden = false;
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => show(b.dataset.tab));
  await show("users");
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  try { await staffLogin(api, data.get("username"), data.get("password")); location.reload(); }
  catch (err) { $("login-error").textContent = err.message; }
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
$("logout").addEventListener("click", async () => {
  try { await api.post("/api/v1/auth/logout"); } catch { /* already ended */ }
  api.setToken(""); location.reload();
});
start();
