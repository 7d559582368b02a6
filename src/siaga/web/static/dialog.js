// In-page dialogs for every page (a modal <dialog>, never alert()/confirm()/prompt()) and a
// short-lived notice bar. Keyboard: Tab moves between the buttons, Enter presses, Escape cancels.
// Pages may restyle .siaga-dialog, .dialog-ok and .notice; dialog.css gives the defaults.
//
//   import { ask, confirmAction, tell, notice } from "/static/dialog.js";
//   const reason = await ask("Alasan memblokir", { label: "Alasan" });   // text or null
//   if (await confirmAction("Gabungkan alarm #5 ke #3?")) ...
//   await tell("Perangkat diblokir.");
//   notice("Alarm ini baru saja diubah oleh operator lain.", "warn");
import { el } from "/static/common.js";

if (!document.querySelector('link[href="/static/dialog.css"]')) {
  // First in <head>, so each page's own stylesheet wins over these defaults.
  document.head.prepend(el("link", { rel: "stylesheet", href: "/static/dialog.css" }));
}

function open(title, body, buttons) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "siaga-dialog", "aria-label": title });
    const form = el("form", { method: "dialog" }, el("h3", {}, title), body,
      el("div", { class: "dialog-buttons" }, buttons.map(([value, label, cls]) =>
        el("button", { value, class: cls || "", type: "submit" }, label))));
    dialog.append(form);
    dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A message with one "Tutup" button. */
export async function tell(text, { title = "Informasi" } = {}) {
  await open(title, el("p", {}, text), [["ok", "Tutup", "primary-inline dialog-ok"]]);
}

/** Yes or no; resolves true only for the confirming button. */
export async function confirmAction(text, { title = "Konfirmasi", ok = "Ya, lanjutkan", cancel = "Batal" } = {}) {
  return (await open(title, el("p", {}, text), [["cancel", cancel], ["ok", ok, "primary-inline dialog-ok"]])) === "ok";
}

/** A line of text (null when cancelled); `required` refuses an empty answer in the form. */
export async function ask(title, { label = "", required = true, maxlength = 300, ok = "Simpan" } = {}) {
  const input = el("input", { name: "answer", maxlength, required, autocomplete: "off" });
  const body = el("label", {}, label, input);
  const result = open(title, body, [["cancel", "Batal"], ["ok", ok, "primary-inline dialog-ok"]]);
  // "Batal" must close even with the field empty.
  body.closest("form").querySelector("button[value=cancel]").formNoValidate = true;
  input.focus();
  return (await result) === "ok" ? input.value.trim() : null;
}

let noticeTimer = null;

/** A bar at the top of the page for 8 s; kind: "info" | "warn" | "error". */
export function notice(text, kind = "info") {
  let bar = document.getElementById("notice");
  if (!bar) {
    bar = el("div", { id: "notice", class: "notice", role: "alert" });
    document.body.append(bar);
  }
  bar.className = `notice ${kind}`;
  bar.replaceChildren(el("span", {}, text),
    el("button", { class: "small", type: "button", "aria-label": "Tutup pemberitahuan", onclick: () => { bar.hidden = true; } }, "✕"));
  bar.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { bar.hidden = true; }, 8000);
}

/** The sentence to show for a failed action; a 409 explains that another operator was faster. */
export function failureText(err) {
  if (err && err.status === 409) {
    return err.message && !err.message.startsWith("Gagal")
      ? err.message
      : "Alarm ini baru saja diubah oleh operator lain. Tampilan sudah dimuat ulang; periksa lalu ulangi bila perlu.";
  }
  if (err && err.status === 403) return "Anda tidak berwenang melakukan tindakan ini.";
  if (!err || err.status === undefined) return "Sambungan ke server gagal. Periksa jaringan lalu coba lagi.";
  return err.message || "Tindakan gagal. Coba lagi.";
}
