/**
 * Fetched Cost Explorer days, kept in the DuckDB file: Cost Explorer charges per request and
 * restates recent days, so only days not yet fetched and days that can still change are asked
 * for again. Rows are keyed by the query signature (grouping and exclusions).
 */
import type { ChargeRow, SqlRunner } from '../warehouse/port.js';

export class CeCache {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(
      `CREATE TABLE IF NOT EXISTS ce_cache_days (signature VARCHAR, day DATE, fetched_at TIMESTAMPTZ, PRIMARY KEY (signature, day))`,
    );
    await this.sql.run(
      `CREATE TABLE IF NOT EXISTS ce_cache_rows (signature VARCHAR, day DATE, row_json VARCHAR)`,
    );
  }

  async cachedDays(signature: string, start: string, end: string): Promise<Set<string>> {
    const rows = await this.sql.all<{ day: string }>(
      `SELECT strftime(day, '%Y-%m-%d') AS day FROM ce_cache_days WHERE signature = ? AND day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)`,
      [signature, start, end],
    );
    return new Set(rows.map((r) => r.day));
  }

  /** Replaces the rows of the given days (a day with no spend is cached as fetched, with no rows). */
  async store(signature: string, days: string[], rows: ChargeRow[], now: Date): Promise<void> {
    if (days.length === 0) return;
    await this.sql.run('BEGIN TRANSACTION');
    try {
      const list = days.map(() => 'CAST(? AS DATE)').join(', ');
      await this.sql.run(`DELETE FROM ce_cache_rows WHERE signature = ? AND day IN (${list})`, [
        signature,
        ...days,
      ]);
      await this.sql.run(`DELETE FROM ce_cache_days WHERE signature = ? AND day IN (${list})`, [
        signature,
        ...days,
      ]);
      for (let i = 0; i < rows.length; i += 300) {
        const batch = rows.slice(i, i + 300);
        await this.sql.run(
          `INSERT INTO ce_cache_rows VALUES ${batch.map(() => '(?, CAST(? AS DATE), ?)').join(', ')}`,
          batch.flatMap((r) => [signature, r.day, JSON.stringify(r)]),
        );
      }
      await this.sql.run(
        `INSERT INTO ce_cache_days VALUES ${days.map(() => '(?, CAST(? AS DATE), ?)').join(', ')}`,
        days.flatMap((d) => [signature, d, now.toISOString()]),
      );
      await this.sql.run('COMMIT');
    } catch (e) {
      await this.sql.run('ROLLBACK');
      throw e;
    }
  }

  async rows(signature: string, start: string, end: string): Promise<ChargeRow[]> {
    const rows = await this.sql.all<{ row_json: string }>(
      `SELECT row_json FROM ce_cache_rows WHERE signature = ? AND day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) ORDER BY day`,
      [signature, start, end],
    );
    return rows.map((r) => JSON.parse(r.row_json) as ChargeRow);
  }
}
