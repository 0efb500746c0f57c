/**
 * One embedded DuckDB database (a file, or memory) and its connection. The warehouse, the Cost
 * Explorer cache and the bot's state tables all share it through the `SqlRunner` port.
 */
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { SqlRunner } from './port.js';

/** Plain JS values for callers: bigint -> number, Date -> ISO string. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

export class DuckDb implements SqlRunner {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    readonly path: string,
    /** A fork shares the database: closing it closes only its own connection. */
    private readonly ownsInstance = true,
  ) {}

  /** Opens (or creates) the database; ':memory:' when no path is given. Sessions run in UTC. */
  static async open(path = ':memory:'): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(path);
    const connection = await instance.connect();
    const db = new DuckDb(instance, connection, path);
    await db.run("SET TimeZone = 'UTC'");
    return db;
  }

  async run(sql: string, params: unknown[] = []): Promise<void> {
    await this.connection.run(sql, params as DuckDBValue[]);
  }

  async all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS().map((row) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) out[k] = plain(v);
      return out as T;
    });
  }

  /**
   * Another connection to the same database. Temporary tables (a report's `charges`) are per
   * connection, so concurrent requests each fork and never see each other's data.
   */
  async fork(): Promise<DuckDb> {
    const db = new DuckDb(this.instance, await this.instance.connect(), this.path, false);
    await db.run("SET TimeZone = 'UTC'");
    return db;
  }

  close(): void {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** A SQL string literal (for the few places DuckDB takes no parameter, such as file paths). */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
