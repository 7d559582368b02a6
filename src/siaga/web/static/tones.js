// Every sound Siaga's pages make, by name, through one shared WebAudio context.
//
//   import { play, unlock } from "/static/tones.js";
//   unlock();          // from a tap or key press: browsers only start audio after a gesture
//   play("alarm");     // returns false when the phone or browser cannot play it now
//
// The first tap or key press on a page unlocks sound by itself. A tone that cannot start
// within a second (audio still locked) is dropped, never played late.

// Each tone is a list of notes: start offset and length in seconds, frequency (gliding from
// `from` to `to`), oscillator type, peak gain and, for a soft start, an attack time.
const TONES = {
  // /ops, a citizen's alarm: three short beeps.
  alarm: [0, 1, 2].map((i) => ({ at: i * 0.22, length: 0.2, from: i % 2 ? 660 : 880, gain: 0.25 })),
  // /ops, an officer in danger: a siren rising and falling twice.
  sos: [0, 1, 2, 3].map((i) => ({ at: i * 0.5, length: 0.48, from: i % 2 ? 1300 : 600, to: i % 2 ? 600 : 1300, gain: 0.25 })),
  // /petugas, a new task: three hard square beeps, repeated while the task waits.
  task: [0, 1, 2].map((i) => ({ at: i * 0.3, length: 0.25, from: i % 2 ? 660 : 990, type: "square", gain: 0.25 })),
  // /petugas, the caller cancelled: a falling two-note tone, unlike the ring of a new task.
  cancel: [0, 1, 2, 3].map((i) => ({ at: i * 0.35, length: 0.3, from: i % 2 ? 440 : 880, gain: 0.3 })),
  // /ops, a geofence or coverage alert: two soft falling tones, unlike the alarm beep.
  geofence: [660, 440].map((from, i) => ({ at: i * 0.35, length: 0.3, from, type: "triangle", gain: 0.3, attack: 0.03 })),
  // /warga, "Antar Aku" asking whether the citizen is safe: one plain beep.
  journey: [{ at: 0, length: 0.4, from: 880, gain: 1, flat: true }],
};

export const TONE_NAMES = Object.freeze(Object.keys(TONES));

let context = null;

function audio() {
  if (!context) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    try { context = new Context(); } catch { return null; } // no audio device
  }
  return context;
}

/** Start (or resume) sound; call it from a tap. Returns false where there is no audio. */
export function unlock() {
  const ctx = audio();
  if (!ctx) return false;
  if (ctx.state === "suspended") ctx.resume().catch(() => {});
  return true;
}

function note(ctx, start, n) {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  const at = start + n.at;
  const end = at + n.length;
  osc.type = n.type || "sine";
  osc.frequency.setValueAtTime(n.from, at);
  if (n.to !== undefined && n.to !== n.from) osc.frequency.linearRampToValueAtTime(n.to, end);
  if (n.flat) gain.gain.setValueAtTime(n.gain, at);
  else if (n.attack) {
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(n.gain, at + n.attack);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
  } else {
    gain.gain.setValueAtTime(n.gain, at);
    gain.gain.exponentialRampToValueAtTime(0.001, end);
  }
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(end + 0.02);
}

function schedule(ctx, name) {
  const start = ctx.currentTime;
  for (const n of TONES[name]) note(ctx, start, n);
}

/** Play a named tone; false when it is unknown or sound is not available. */
export function play(name) {
  if (!TONES[name]) return false;
  const ctx = audio();
  if (!ctx || ctx.state === "closed") return false;
  try {
    if (ctx.state === "running") { schedule(ctx, name); return true; }
    const timeout = new Promise((resolve) => setTimeout(resolve, 1000, "late"));
    Promise.race([ctx.resume().then(() => "ok"), timeout])
      .then((result) => { if (result === "ok" && ctx.state === "running") schedule(ctx, name); })
      .catch(() => {});
    return true;
  } catch { return false; }
}

/** Whether sound is unlocked and playing now (the officer's "Suara aktif" button). */
export function running() { return Boolean(context && context.state === "running"); }

for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, unlock, { once: true });
