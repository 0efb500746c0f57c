/**
 * Remembers requests already handled, so a retried delivery (X-Slack-Retry-Num, or the same
 * trigger arriving twice) never posts twice. In memory, bounded, ten minutes.
 */
export class Seen {
  private readonly keys = new Map<string, number>();
  constructor(
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly max = 10_000,
  ) {}

  /** True the first time a key is offered within the TTL. */
  first(key: string, now = Date.now()): boolean {
    for (const [k, t] of this.keys) {
      if (now - t < this.ttlMs && this.keys.size <= this.max) break;
      this.keys.delete(k);
    }
    if (this.keys.has(key)) return false;
    this.keys.set(key, now);
    return true;
  }
}
