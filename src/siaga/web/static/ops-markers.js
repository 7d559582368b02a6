// Alarm symbols on the /ops map: pins (never round dots like the hotspot places), coloured by
// state; an officer in danger yellow and black; the selected alarm ringed and on top.
//
//   const markers = createAlarmMarkers(map, { onSelect });
//   markers.draw(alarm); markers.select(id);
import { isActive, isOfficerSos } from "/static/ops-format.js";

function classes(alarm, selected) {
  return ["alarm-dot", "alarm-pin", alarm.status,
    alarm.status === "open" || alarm.needs_cancel_confirmation ? "blinking" : "",
    alarm.needs_cancel_confirmation ? "cancel-wait" : "", alarm.duress ? "duress" : "",
    isOfficerSos(alarm) ? "officer" : "", selected ? "selected" : ""].filter(Boolean).join(" ");
}

function glyph(alarm) {
  if (isOfficerSos(alarm)) return "SOS";
  if (alarm.needs_cancel_confirmation) return "?";
  return alarm.duress ? "!!" : "!";
}

export function createAlarmMarkers(map, { onSelect }) {
  const markers = new Map(); // id -> { marker, key }
  let selected = null;

  function icon(alarm) {
    const html = `<div class="${classes(alarm, selected === alarm.id)}" data-alarm="${Number(alarm.id)}"><span>${glyph(alarm)}</span></div>`;
    return { key: html, icon: L.divIcon({ className: "alarm-icon", html, iconSize: [30, 30], iconAnchor: [15, 30] }) };
  }

  function zIndex(alarm) {
    return 2000 + (alarm.priority || 0) * 400 + (selected === alarm.id ? 1500 : 0) + (alarm.status === "open" ? 200 : 0);
  }

  function draw(alarm) {
    if (!map) return;
    const entry = markers.get(alarm.id);
    if (!isActive(alarm)) {
      if (entry) { entry.marker.remove(); markers.delete(alarm.id); }
      return;
    }
    const { key, icon: divIcon } = icon(alarm);
    if (!entry) {
      const marker = L.marker([alarm.lat, alarm.lon], { icon: divIcon, zIndexOffset: zIndex(alarm),
        title: `Alarm #${alarm.id}`, keyboard: true }).addTo(map);
      marker.on("click", () => onSelect(alarm.id));
      markers.set(alarm.id, { marker, key, alarm });
      return;
    }
    entry.alarm = alarm;
    entry.marker.setLatLng([alarm.lat, alarm.lon]);
    if (entry.key !== key) { entry.marker.setIcon(divIcon); entry.key = key; }
    entry.marker.setZIndexOffset(zIndex(alarm));
  }

  return {
    draw,
    select(id) {
      const before = selected;
      selected = id;
      for (const other of [before, id]) {
        const entry = markers.get(other);
        if (entry) draw(entry.alarm);
      }
    },
  };
}
