/**
 * The one source of time. Everything that reads the time or waits for it takes a Clock: the
 * server runs on the system clock; in-process tests and the simulator use a ManualClock and move
 * it by hand, so they never sleep and never depend on how fast the machine is.
 */
export interface Clock {
  /** Epoch ms now. */
  now(): number;
  /** Runs `fn` once `ms` from now on this clock; returns a function that cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    // setTimeout takes at most a signed 32-bit delay; a later deadline is re-armed on the way.
    const max = 2 ** 31 - 1;
    let cancel: () => void = () => {};
    const arm = (left: number) => {
      const t = setTimeout(() => (left > max ? arm(left - max) : fn()), Math.min(Math.max(0, left), max));
      t.unref();
      cancel = () => clearTimeout(t);
    };
    arm(ms);
    return () => cancel();
  },
};

/** A clock moved by hand: `advance` runs, in time order, every timer that falls due on the way. */
export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; n: number }[] = [];
  private made = 0;

  constructor(private current: number = Date.parse('2025-06-01T12:00:00.000Z')) {}

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), fn, n: this.made++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms`, firing due timers one by one (each sees `now()` at its own deadline). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.n - b.n)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = end;
  }

  /** How many timers wait (tests). */
  get pending(): number {
    return this.timers.length;
  }
}
