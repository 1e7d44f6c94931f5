interface Task {
  readonly group: string;
  readonly rank: number;
  readonly n: number;
  readonly run: () => Promise<unknown>;
}

/** At most this many tasks at once (the second only when more urgent than the first). */
const MAX_RUNNING = 2;

const before = (a: Task, b: Task) => a.rank < b.rank || (a.rank === b.rank && a.n < b.n);

/**
 * The reactors' to-do list: tasks run on a later turn of the event loop (never inside the request
 * that caused it), the lowest rank first (a priority-1 incident before a priority-3 one), and
 * within a group (an incident) strictly in the order they were queued. One task runs at a time,
 * except that a task more urgent than the one running starts beside it (a cardiac arrest does not
 * wait for a structure fire's searches): at most two. Under a burst the list grows instead of the
 * event loop stalling. The next task is found in a heap of each waiting group's first task.
 */
export class WorkQueue {
  private readonly groups = new Map<string, Task[]>();
  private readonly heads: Task[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private readonly activeRanks = new Map<string, number>();
  private made = 0;
  private count = 0;
  private scheduled = false;
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
    this.schedule();
  }

  /** Tasks not finished yet. */
  get size(): number {
    return this.count;
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.scheduled) {
      if (this.active.size > 0) await Promise.all([...this.active.values()]);
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Stops taking and starting tasks (those left are found again by the reactor's catch-up at the next start). */
  async close(): Promise<void> {
    this.closed = true;
    this.groups.clear();
    this.heads.length = 0;
    this.count = 0;
    await this.idle();
  }

  /** Whether the first waiting task may start now: nothing runs, or it is more urgent than all that run. */
  private mayStart(t: Task): boolean {
    if (this.active.size === 0) return true;
    if (this.active.size >= MAX_RUNNING) return false;
    for (const r of this.activeRanks.values()) if (t.rank >= r) return false;
    return true;
  }

  /** Starts what may start, on the next turn of the event loop. */
  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (!this.closed && this.heads[0] !== undefined && this.mayStart(this.heads[0])) this.start(this.heapPop()!);
    });
  }

  private start(task: Task): void {
    this.activeRanks.set(task.group, task.rank);
    const running = (async () => {
      try {
        await task.run();
      } catch (e) {
        this.onError(e);
      }
    })().finally(() => {
      this.active.delete(task.group);
      this.activeRanks.delete(task.group);
      const list = this.groups.get(task.group);
      if (list !== undefined) {
        list.shift();
        this.count--;
        if (list.length > 0) this.heapPush(list[0]!);
        else this.groups.delete(task.group);
      }
      this.schedule();
    });
    this.active.set(task.group, running);
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
