// Tab switching for every page. Markup: a tab list holding buttons with data-tab="name", and
// one panel per button with id="<prefix><name>" (prefix "tab-" unless told otherwise).
//
//   const tabs = createTabs({ onShow: (name) => load(name) });   // the first `.tabs` in the page
//   await tabs.show("users");
//
// A click or the arrow keys (Left/Right, Home/End) on the tab list select a tab; the chosen
// button gets class "active" (and aria-selected where it has role="tab"), its panel is shown,
// the other panels are hidden, then onShow(name) runs (its promise is returned by show()).

export function createTabs({ list = document.querySelector(".tabs"), prefix = "tab-", onShow = () => {} } = {}) {
  const buttons = () => [...list.querySelectorAll("[data-tab]")];
  const tabs = {
    current: null,
    show(name) {
      tabs.current = name;
      for (const button of buttons()) {
        const on = button.dataset.tab === name;
        button.classList.toggle("active", on);
        if (button.getAttribute("role") === "tab") button.setAttribute("aria-selected", String(on));
        const panel = document.getElementById(`${prefix}${button.dataset.tab}`);
        if (panel) panel.hidden = !on;
      }
      return onShow(name);
    },
  };
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-tab]");
    if (button && list.contains(button)) tabs.show(button.dataset.tab);
  });
  list.addEventListener("keydown", (event) => {
    const visible = buttons().filter((b) => !b.hidden && !b.disabled);
    const at = visible.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: visible.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = visible[(next + visible.length) % visible.length];
    target.focus();
    tabs.show(target.dataset.tab);
  });
  return tabs;
}
