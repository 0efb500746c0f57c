/**
 * Which Cost Explorer days the warehouse holds, per query signature (grouping and exclusions):
 * Cost Explorer charges per request and restates recent days, so only days not yet fetched and
 * days that can still change are asked for again. The rows themselves live in the warehouse
 * (charge_days, charge_lines) under the source `ce:<signature>`.
 */
import type { SqlRunner } from '../warehouse/port.js';

export class CeCache {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(
      `CREATE TABLE IF NOT EXISTS ce_cache_days (signature VARCHAR, day DATE, fetched_at TIMESTAMPTZ, PRIMARY KEY (signature, day))`,
    );
    await this.sql.run(
      'CREATE TABLE IF NOT EXISTS ce_cache_stats (signature VARCHAR PRIMARY KEY, requests BIGINT, days BIGINT)',
    );
    // Rows were kept as JSON before the warehouse held them; the days are fetched again once.
    await this.sql.run('DROP TABLE IF EXISTS ce_cache_rows');
  }

  async cachedDays(signature: string, start: string, end: string): Promise<Set<string>> {
    const rows = await this.sql.all<{ day: string }>(
      `SELECT strftime(day, '%Y-%m-%d') AS day FROM ce_cache_days WHERE signature = ? AND day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
      [signature, start, end],
    );
    return new Set(rows.map((r) => r.day));
  }

  /** Requests per fetched day so far (pages grow with a day's groups), or null before any fetch. */
  async requestsPerDay(signature: string): Promise<number | null> {
    const [r] = await this.sql.all<{ requests: number; days: number }>(
      'SELECT requests, days FROM ce_cache_stats WHERE signature = ?',
      [signature],
    );
    return r && Number(r.days) > 0 ? Number(r.requests) / Number(r.days) : null;
  }

  /** Marks days fetched (inside the transaction that lands their rows), with the requests it took. */
  async markFetched(signature: string, days: string[], now: Date, requests = 0): Promise<void> {
    if (days.length === 0) return;
    await this.sql.run(
      `INSERT INTO ce_cache_stats VALUES (?, ?, ?) ON CONFLICT (signature) DO UPDATE
       SET requests = ce_cache_stats.requests + excluded.requests, days = ce_cache_stats.days + excluded.days`,
      [signature, requests, days.length],
    );
    const list = days.map(() => 'CAST(? AS DATE)').join(', ');
    await this.sql.run(`DELETE FROM ce_cache_days WHERE signature = ? AND day IN (${list})`, [
      signature,
      ...days,
    ]);
    for (let i = 0; i < days.length; i += 500) {
      const batch = days.slice(i, i + 500);
      await this.sql.run(
        `INSERT INTO ce_cache_days VALUES ${batch.map(() => '(?, CAST(? AS DATE), ?)').join(', ')}`,
        batch.flatMap((d) => [signature, d, now.toISOString()]),
      );
    }
  }
}
