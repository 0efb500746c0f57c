/**
 * Deliveries already handled, so a redelivered Teams activity or a retried Slack trigger is
 * answered once: in memory (two deliveries at once) and in SPENDBRIEF_DB (a redelivery after a
 * restart). Entries older than a day are dropped.
 */
import type { SqlRunner } from '../integrations/warehouse/port.js';

export class SeenLog {
  private readonly memory = new Map<string, number>();

  constructor(
    private readonly sql: SqlRunner,
    private readonly o: { ttlMs?: number; now?: () => number } = {},
  ) {}

  async init(): Promise<void> {
    await this.sql.run(
      'CREATE TABLE IF NOT EXISTS seen_deliveries (key VARCHAR PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL)',
    );
    await this.sql.run('DELETE FROM seen_deliveries WHERE seen_at < ?', [
      new Date(this.now() - this.ttl()).toISOString(),
    ]);
  }

  private now = () => (this.o.now ?? Date.now)();
  private ttl = () => this.o.ttlMs ?? 24 * 3600 * 1000;

  /**
   * The in-memory half alone, answered without touching the database: for Slack's 3-second ack,
   * which must not wait behind a sync using every DuckDB thread.
   */
  firstInMemory(key: string): boolean {
    const now = this.now();
    for (const [k, t] of this.memory) {
      if (now - t < this.ttl() && this.memory.size < 10_000) break;
      this.memory.delete(k);
    }
    if (this.memory.has(key)) return false;
    this.memory.set(key, now);
    return true;
  }

  /** True the first time a key is offered (within the TTL), false for every repeat. */
  async first(key: string): Promise<boolean> {
    const now = this.now();
    if (!this.firstInMemory(key)) return false;
    const seen = await this.sql.all('SELECT 1 FROM seen_deliveries WHERE key = ?', [key]);
    if (seen.length > 0) return false;
    await this.sql.run('INSERT OR IGNORE INTO seen_deliveries VALUES (?, ?)', [
      key,
      new Date(now).toISOString(),
    ]);
    return true;
  }
}
