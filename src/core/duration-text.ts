/** Human-readable duration in whole seconds, e.g. "4 min 05 s". */
export function formatDuration(s: number): string {
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const r = whole % 60;
  return m === 0 ? `${r} s` : `${m} min ${String(r).padStart(2, '0')} s`;
}
