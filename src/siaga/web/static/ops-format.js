// Words and times for /ops in Indonesian: labels of states and kinds, ages, WIB dates.
import { WIB } from "/static/common.js";

export const STATUS_LABEL = { open: "Baru", acknowledged: "Diterima", dispatched: "Ditugaskan",
  en_route: "Menuju lokasi", on_scene: "Di lokasi", closed: "Selesai", cancelled: "Dibatalkan" };
export const ACTIVE = ["open", "acknowledged", "dispatched", "en_route", "on_scene"];
export const CANCEL_WAIT_LABEL = "Dibatalkan pelapor - perlu konfirmasi";
export const DURESS_LABEL = "Kemungkinan di bawah ancaman";
export const OFFICER_LABEL = "Petugas dalam bahaya";
export const STALE_FIX_S = 120;

const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
  "September", "Oktober", "November", "Desember"];

/** The state as the operator says it: the server's label when it sends one. */
export function statusLabel(alarm) {
  if (alarm.needs_cancel_confirmation) return CANCEL_WAIT_LABEL;
  return alarm.status_label || STATUS_LABEL[alarm.status] || "Tidak diketahui";
}

/** True while an alarm still needs an operator (shown in the queue). */
export function isActive(alarm) {
  return ACTIVE.includes(alarm.status) || Boolean(alarm.needs_cancel_confirmation);
}

/** True when nobody has taken the alarm on yet (or a caller's cancel awaits confirmation). */
export function needsAttention(alarm) {
  return alarm.status === "open" || Boolean(alarm.needs_cancel_confirmation);
}

export function isOfficerSos(alarm) { return alarm.kind === "officer_sos"; }

/** "baru saja", "45 dtk lalu", "2 mnt lalu", "3 jam lalu", "2 hari lalu". */
export function formatAgo(iso, now = Date.now()) {
  if (!iso) return "belum pernah";
  const s = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  if (s < 10) return "baru saja";
  if (s < 60) return `${s} dtk lalu`;
  if (s < 3600) return `${Math.floor(s / 60)} mnt lalu`;
  if (s < 86400) return `${Math.floor(s / 3600)} jam lalu`;
  return `${Math.floor(s / 86400)} hari lalu`;
}

function wibParts(iso) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: WIB, year: "numeric", month: "numeric",
    day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const get = (type) => parts.find((p) => p.type === type).value;
  return { day: Number(get("day")), month: Number(get("month")), year: get("year"), hour: get("hour"), minute: get("minute") };
}

/** "2 Desember 2026 14.05 WIB". */
export function formatWibDateTime(iso) {
  if (!iso) return "-";
  const p = wibParts(iso);
  return `${p.day} ${MONTHS[p.month - 1]} ${p.year} ${p.hour}.${p.minute} WIB`;
}

/** "14.05" in WIB. */
export function formatWibClock(iso) {
  if (!iso) return "-";
  const p = wibParts(iso);
  return `${p.hour}.${p.minute}`;
}

// The distance formatter every page shares ("850 m", "2,4 km").
export { formatDistance } from "/static/common.js";

/** A duration rounded to minutes: "±4 menit". */
export function formatMinutes(seconds) {
  return `±${Math.max(1, Math.round(seconds / 60))} menit`;
}

/** Seconds since the position was measured (fix_at, else the newest known point). */
export function fixAgeSeconds(alarm, now = Date.now()) {
  const at = alarm.fix_at || alarm.triggered_at || alarm.created_at;
  return at ? (now - new Date(at).getTime()) / 1000 : null;
}
