// "Kirim lewat SMS": when an alarm cannot go over mobile data, the Polres SMS gateway takes
// "TOLONG <lat>,<lon>" (see siaga.sms). The number comes from /api/v1/config and is kept on the
// phone, so the link still works once the network is gone.
const KEY = "siaga.warga.smsgateway";

export async function rememberGateway(api) {
  try {
    const config = await api.get("/api/v1/config");
    if (config.sms_gateway_number) localStorage.setItem(KEY, config.sms_gateway_number);
    else localStorage.removeItem(KEY);
  } catch { /* offline: keep the number we have */ }
}

// The sms: link for this alarm, or null when no gateway number is known.
export function smsHref(alarm) {
  const number = localStorage.getItem(KEY);
  if (!number || !alarm || alarm.lat == null || alarm.lon == null) return null;
  const text = `TOLONG ${alarm.lat.toFixed(5)},${alarm.lon.toFixed(5)}`;
  return `sms:${number.replace(/[^0-9+]/g, "")}?body=${encodeURIComponent(text)}`;
}

// Shows the link under the alarm's status while the alarm is stuck on the phone.
export function offerSms(alarm, stuck) {
  const box = document.getElementById("sms-fallback");
  const href = stuck ? smsHref(alarm) : null;
  box.hidden = !href;
  if (href) document.getElementById("sms-link").href = href;
}
