// The staff live channel (/ws/ops), shared by /ops and /petugas.
// A browser cannot send an Authorization header on a WebSocket, and a token in a URL ends up in
// logs, so each connection first asks POST /api/v1/auth/ws-ticket (with the page's stored token)
// for a single-use ticket valid 30 s and opens /ws/ops?ticket=... with it. A dropped socket
// reconnects with growing pauses (1 s up to 15 s) and resumes with after=<last event id>, so the
// server replays what was missed.
//
//   const live = connectLive({ api, onMessage, onStatus, after });
//   api        the page's Api (common.js) holding the staff token
//   onMessage  called with every message except pings, the "hello" greeting included
//   onStatus   "connected" (after the server's hello), "disconnected" (a reconnect follows),
//              or "unauthorized" (the token itself is no longer valid: log in again; no retry)
//   after      the last event id already seen: a number, or a function answering it (or null)
//   live.close() ends it for good; live.connected says whether the socket is up now.

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15000;

export function connectLive({ api, onMessage, onStatus = () => {}, after = null }) {
  let socket = null;
  let opening = false;
  let stopped = false;
  let connected = false;
  let timer = null;
  let delay = FIRST_DELAY_MS;
  let lastId = null;

  const resumeFrom = () => {
    const given = typeof after === "function" ? after() : after;
    const best = Math.max(Number.isInteger(given) ? given : -1, Number.isInteger(lastId) ? lastId : -1);
    return best >= 0 ? best : null;
  };

  const report = (status, detail) => {
    connected = status === "connected";
    try { onStatus(status, detail); } catch (err) { console.error("live status", err); }
  };

  const retry = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(open, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  };

  async function open() {
    if (stopped || opening || socket) return;
    opening = true;
    let ticket;
    try {
      ticket = (await api.post("/api/v1/auth/ws-ticket")).ticket;
    } catch (err) {
      opening = false;
      if (err.status === 401) { stopped = true; report("unauthorized", err); return; }
      retry(); // offline or the server is restarting
      return;
    }
    opening = false;
    if (stopped) return;
    const query = new URLSearchParams({ ticket });
    const since = resumeFrom();
    if (since !== null) query.set("after", String(since));
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${location.host}/ws/ops?${query}`);
    socket = ws;
    ws.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "ping") return;
      if (message.type === "hello") {
        delay = FIRST_DELAY_MS;
        if (lastId === null && Number.isInteger(message.last_event_id)) lastId = message.last_event_id;
        report("connected");
      } else if (Number.isInteger(message.id)) {
        lastId = Math.max(lastId ?? 0, message.id);
      }
      try { onMessage(message); } catch (err) { console.error("live message", err); }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      // A refused resume point (4400) is dropped so the next try starts afresh.
      if (event.code === 4400) lastId = null;
      report("disconnected", { code: event.code, reason: event.reason });
      retry(); // 4401: the next ticket request tells whether the log-in itself has ended
    };
  }

  // Back online: try at once instead of waiting out the pause.
  const onOnline = () => { if (!socket && !stopped) { delay = FIRST_DELAY_MS; clearTimeout(timer); open(); } };
  window.addEventListener("online", onOnline);
  open();

  return {
    get connected() { return connected; },
    close() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", onOnline);
      if (socket) socket.close(1000);
      socket = null;
    },
  };
}
