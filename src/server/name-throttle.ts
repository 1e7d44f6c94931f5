/**
 * Counts failed sign-ins per account name, whatever the address they come from, so a password
 * cannot be guessed by spreading attempts over many IPs. In memory: a restart forgives.
 */
export class NameThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly clock: () => number,
  ) {}

  blocked(name: string): boolean {
    const f = this.failures.get(name);
    if (!f) return false;
    if (this.clock() - f.since > this.windowMs) {
      this.failures.delete(name);
      return false;
    }
    return f.count >= this.maxFailures;
  }

  /** Seconds until the name's window ends. */
  retryAfterS(name: string): number {
    const f = this.failures.get(name);
    return f ? Math.max(1, Math.ceil((f.since + this.windowMs - this.clock()) / 1000)) : 0;
  }

  failed(name: string): void {
    const now = this.clock();
    const f = this.failures.get(name);
    if (!f || now - f.since > this.windowMs) this.failures.set(name, { count: 1, since: now });
    else f.count++;
    if (this.failures.size > 100_000) this.failures.clear(); // bound memory under a spray of names
  }

  succeeded(name: string): void {
    this.failures.delete(name);
  }
}
