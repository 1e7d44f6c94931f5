interface Task {
  readonly group: string;
  readonly rank: number;
  readonly n: number;
  readonly run: () => Promise<unknown>;
}

/**
 * The reactors' to-do list: tasks run one at a time, each on a later turn of the event loop (never
 * inside the request that caused it), the lowest rank first (a priority-1 incident before a
 * priority-3 one), and within a group (an incident) strictly in the order they were queued. Under
 * a burst the list grows instead of the event loop stalling, and an urgent task waits for at most
 * the one that is running.
 */
export class WorkQueue {
  private readonly waiting = new Map<string, Task[]>();
  private made = 0;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly onError: (e: unknown) => void = () => {}) {}

  push(group: string, rank: number, run: () => Promise<unknown>): void {
    if (this.closed) return;
    const list = this.waiting.get(group);
    const task = { group, rank, n: this.made++, run };
    if (list) list.push(task);
    else this.waiting.set(group, [task]);
    this.running ??= this.drain();
  }

  /** Tasks not finished yet. */
  get size(): number {
    let n = 0;
    for (const l of this.waiting.values()) n += l.length;
    return n;
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking and starting tasks (those left are found again by the reactor's catch-up at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    await this.idle();
  }

  private next(): Task | undefined {
    let best: Task | undefined;
    for (const list of this.waiting.values()) {
      const head = list[0]!;
      if (best === undefined || head.rank < best.rank || (head.rank === best.rank && head.n < best.n)) best = head;
    }
    return best;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const task = this.next();
        if (task === undefined) return;
        try {
          if (!this.closed) await task.run();
        } catch (e) {
          this.onError(e);
        }
        const list = this.waiting.get(task.group);
        list?.shift();
        if (list?.length === 0) this.waiting.delete(task.group);
      }
    } finally {
      this.running = undefined;
    }
  }
}
