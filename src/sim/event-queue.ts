/**
 * The replay's agenda: actions keyed by virtual time, ties broken by the order they were queued,
 * so two runs of the same inputs take every action in the same order.
 */
export class EventQueue<A> {
  private times: number[] = [];
  private seqs: number[] = [];
  private actions: A[] = [];
  private queued = 0;

  get size(): number {
    return this.actions.length;
  }

  /** The time of the next action; undefined when none waits. */
  peekTime(): number | undefined {
    return this.actions.length === 0 ? undefined : this.times[0];
  }

  push(at: number, action: A): void {
    this.times.push(at);
    this.seqs.push(this.queued++);
    this.actions.push(action);
    this.up(this.actions.length - 1);
  }

  /** The earliest action with its time; undefined when empty. */
  pop(): { at: number; action: A } | undefined {
    const n = this.actions.length;
    if (n === 0) return undefined;
    const out = { at: this.times[0]!, action: this.actions[0]! };
    this.move(n - 1, 0);
    this.times.pop();
    this.seqs.pop();
    this.actions.pop();
    if (this.actions.length > 0) this.down(0);
    return out;
  }

  private less(i: number, j: number): boolean {
    return this.times[i]! < this.times[j]! || (this.times[i] === this.times[j] && this.seqs[i]! < this.seqs[j]!);
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!;
    this.seqs[to] = this.seqs[from]!;
    this.actions[to] = this.actions[from]!;
  }

  private swap(i: number, j: number): void {
    [this.times[i], this.times[j]] = [this.times[j]!, this.times[i]!];
    [this.seqs[i], this.seqs[j]] = [this.seqs[j]!, this.seqs[i]!];
    [this.actions[i], this.actions[j]] = [this.actions[j]!, this.actions[i]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.actions.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
