// The staff log-in card and session, one for every staff page (/ops, /petugas, /pimpinan,
// /kunjungan, /intel, /admin, /admin/info, /replay). The page holds an empty
// <section id="login" hidden> (class "login" for the full-screen card of /ops and /replay; any
// children it has, such as /admin's password reset, stay below the form), a #logout button,
// optionally a #who line and an #app shown once signed in. This module draws the card, signs
// in, keeps the token (through the page's Api, under its storage key), checks the role and
// signs out.
//
//   const session = startStaffPage({ api, title: "Masuk admin", start: (me) => ...,
//     allow: (me) => me.role === "admin" || "Halaman ini khusus admin." });
//   ...on a 401 later: session.showLogin();
import { el, staffLogin } from "/static/common.js";

const $ = (id) => document.getElementById(id);

function drawCard(section, title) {
  const error = el("p", { id: "login-error", class: "error", role: "alert" });
  const fields = [
    el("label", {}, "Nama pengguna ", el("input", { name: "username", autocomplete: "username", required: true })),
    el("label", {}, "Kata sandi ", el("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
    el("button", { type: "submit", class: "primary" }, "Masuk"),
    error,
  ];
  let form;
  if (section.classList.contains("login")) {
    // Full-screen variant: the heading sits inside the card.
    form = el("form", { id: "login-form", class: "card" }, el("h1", {}, title), fields);
    section.prepend(form);
  } else {
    form = el("form", { id: "login-form" }, fields);
    section.prepend(el("h1", {}, title), form);
  }
  return { form, error };
}

/**
 * Sign in (or resume a stored session), then run `start(me)`. Returns at once a session
 * { me, showLogin(), logout(), ready } (ready: the promise of the first sign-in check).
 * allow(me): true, or the text (or node) to show instead of the page.
 * deniedInCard: show that text under the card (another account may sign in) instead of in its place.
 * afterLogin: "reload" the page, or "start" in place (keeps sound unlocked by the tap).
 * onLogin(): runs in the tap that signed in. serverLogout: also end the session on the server.
 * afterLogout: "reload", or "card" to show the card again without reloading.
 */
export function startStaffPage({
  api, title, start, allow = () => true, deniedInCard = false,
  who = (me) => `${me.full_name} · ${me.org_name || ""}`,
  afterLogin = "reload", onLogin = () => {}, serverLogout = false, afterLogout = "reload",
}) {
  const section = $("login");
  const app = $("app");
  const { form, error } = drawCard(section, title);
  const session = { me: null };

  session.showLogin = () => {
    session.me = null;
    section.hidden = false;
    if (app) app.hidden = true;
    if ($("logout") && afterLogout === "card") $("logout").hidden = true;
    if ($("who")) $("who").textContent = "";
  };

  session.logout = async () => {
    if (serverLogout) { try { await api.post("/api/v1/auth/logout"); } catch { /* already ended */ } }
    api.setToken("");
    if (afterLogout === "reload") location.reload();
    else session.showLogin();
  };

  async function enter() {
    let me = null;
    try { me = api.token ? await api.get("/api/v1/auth/me") : null; } catch { me = null; }
    if (!me) { session.showLogin(); return; }
    if ($("who") && who) $("who").textContent = who(me);
    if ($("logout")) $("logout").hidden = false;
    const verdict = allow(me);
    if (verdict !== true) {
      section.hidden = false;
      if (deniedInCard) error.textContent = verdict;
      else section.replaceChildren(el("p", {}, verdict));
      return;
    }
    session.me = me;
    section.hidden = true;
    error.textContent = "";
    if (app) app.hidden = false;
    await start(me);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await staffLogin(api, data.get("username"), data.get("password"));
      onLogin();
      if (afterLogin === "reload") { location.reload(); return; }
      error.textContent = "";
      await enter();
    } catch (err) { error.textContent = err.message; }
  });
  if ($("logout")) $("logout").addEventListener("click", () => session.logout());
  session.ready = enter();
  return session;
}
