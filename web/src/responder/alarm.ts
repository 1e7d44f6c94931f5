/**
 * The alert's sound and vibration. Browsers let a page make sound only after the user touched it, so
 * the audio context is opened on the first tap or key press and kept for the alarm; without it the
 * alarm still vibrates and shows.
 */
let audio: AudioContext | undefined;
let ringing: ReturnType<typeof setInterval> | undefined;
let stopAt = 0;

/** Opens (or wakes) the audio context from inside a user gesture. */
export function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
  } catch {
    audio = undefined;
  }
}

/** Three rising beeps, about 1 s in all (two-tone, like a pager: heard over street noise). */
function beep(): void {
  if (audio === undefined || audio.state !== 'running') return;
  const t0 = audio.currentTime;
  for (let i = 0; i < 3; i++) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = i === 1 ? 1046 : 880;
    const start = t0 + i * 0.3;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start(start);
    osc.stop(start + 0.26);
  }
}

const PATTERN = [400, 150, 400, 150, 800];

/** Rings and vibrates every 2 s until {@link silence} or `forMs` passes (an alert must not ring forever). */
export function ring(forMs = 60_000): void {
  silence();
  stopAt = Date.now() + forMs;
  const once = () => {
    if (Date.now() > stopAt) return silence();
    beep();
    navigator.vibrate?.(PATTERN);
  };
  once();
  ringing = setInterval(once, 2000);
}

export function silence(): void {
  clearInterval(ringing);
  ringing = undefined;
  navigator.vibrate?.(0);
}

export const isRinging = (): boolean => ringing !== undefined;
