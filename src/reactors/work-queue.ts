interface Task {
  readonly group: string;
  readonly rank: number;
  readonly n: number;
  readonly run: () => Promise<unknown>;
}

const before = (a: Task, b: Task) => a.rank < b.rank || (a.rank === b.rank && a.n < b.n);

/**
 * The reactors' to-do list: tasks run one at a time, each on a later turn of the event loop (never
 * inside the request that caused it), the lowest rank first (a priority-1 incident before a
 * priority-3 one), and within a group (an incident) strictly in the order they were queued. Under
 * a burst the list grows instead of the event loop stalling, and an urgent task waits for at most
 * the one that is running. The next task is found in a heap of each group's first task.
 */
export class WorkQueue {
  private readonly groups = new Map<string, Task[]>();
  private readonly heads: Task[] = [];
  private made = 0;
  private count = 0;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly onError: (e: unknown) => void = () => {}) {}

  push(group: string, rank: number, run: () => Promise<unknown>): void {
    if (this.closed) return;
    const task = { group, rank, n: this.made++, run };
    this.count++;
    const list = this.groups.get(group);
    if (list) list.push(task);
    else {
      this.groups.set(group, [task]);
      this.heapPush(task);
    }
    this.running ??= this.drain();
  }

  /** Tasks not finished yet. */
  get size(): number {
    return this.count;
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking and starting tasks (those left are found again by the reactor's catch-up at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.groups.clear();
    this.heads.length = 0;
    this.count = 0;
    await this.idle();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const task = this.heapPop();
        if (task === undefined || this.closed) return;
        try {
          await task.run();
        } catch (e) {
          this.onError(e);
        }
        const list = this.groups.get(task.group);
        if (list === undefined) continue; // closed meanwhile
        list.shift();
        this.count--;
        if (list.length > 0) this.heapPush(list[0]!);
        else this.groups.delete(task.group);
      }
    } finally {
      this.running = undefined;
    }
  }

  private heapPush(t: Task): void {
    const h = this.heads;
    h.push(t);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private heapPop(): Task | undefined {
    const h = this.heads;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
    return top;
  }
}
