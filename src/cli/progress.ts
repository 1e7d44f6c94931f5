/** A one-line progress bar on stderr; plain periodic lines when stderr is not a terminal. */
export function progressBar(total: number, label: string): { tick(done: number): void; end(): void } {
  const tty = process.stderr.isTTY;
  let lastPrinted = -1;
  const draw = (done: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (!tty && pct < 100 && pct - lastPrinted < 25) return;
    lastPrinted = pct;
    const width = 30;
    const full = Math.round((pct / 100) * width);
    const line = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(pct).padStart(3)}% ${done}/${total} ${label}`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
  return {
    tick: draw,
    end: () => {
      draw(total);
      if (tty) process.stderr.write('\n');
    },
  };
}
