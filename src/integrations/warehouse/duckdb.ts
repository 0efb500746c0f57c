/**
 * One embedded DuckDB database (a file, or memory) and its connections. The warehouse, the Cost
 * Explorer cache and the bot's state tables all share it through the `SqlRunner` port.
 *
 * Memory is bounded by DuckDB itself (`memory_limit`, spilling to `temp_directory`), never by
 * luck: a 10M-row export is aggregated in a few hundred MB.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { CodedError, ErrorCode } from '../../errors.js';
import type { SqlRunner } from './port.js';

/** Plain JS values for callers: bigint -> number, Date -> ISO string. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

export interface DuckDbOptions {
  /** DuckDB's memory_limit, e.g. '512MB' (SPENDBRIEF_MEMORY_LIMIT). */
  memoryLimit?: string;
  /** Worker threads (default: DuckDB's, the machine's cores). */
  threads?: number;
  /** Open an existing file without taking the write lock. */
  readOnly?: boolean;
}

/** DuckDB's lock error: another process holds the database file. */
export function lockHolder(e: unknown): string | null {
  const m = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(
    e instanceof Error ? e.message : String(e),
  );
  return m
    ? `${m[1]} (PID ${m[2]})`
    : /Could not set lock on file/.test(String(e))
      ? 'another process'
      : null;
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
  static async open(path = ':memory:', options: DuckDbOptions = {}): Promise<DuckDb> {
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? '512MB',
      // Large loads never need insertion order; keeping it costs memory.
      preserve_insertion_order: 'false',
    };
    if (options.threads) config.threads = String(options.threads);
    if (options.readOnly) config.access_mode = 'READ_ONLY';
    // An in-memory database spills to the system's temporary folder, not the working directory.
    if (path === ':memory:') config.temp_directory = join(tmpdir(), `spendbrief-${process.pid}.tmp`);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (e) {
      const holder = lockHolder(e);
      if (holder)
        throw new CodedError(
          ErrorCode.Busy,
          `the warehouse ${path} is in use by ${holder}, probably \`spendbrief serve\`, which syncs on its own schedule (SPENDBRIEF_SYNC_CRON); stop it first or use another SPENDBRIEF_DB`,
          { cause: e },
        );
      throw new CodedError(ErrorCode.SourceInvalid, `cannot open the warehouse ${path}: ${firstLine(e)}`, {
        cause: e,
      });
    }
    const connection = await instance.connect();
    const db = new DuckDb(instance, connection, path);
    await db.run("SET TimeZone = 'UTC'");
    return db;
  }

  /** Whether a database file exists (opening one that does not would create it). */
  static exists(path: string): boolean {
    return path !== ':memory:' && existsSync(path);
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

  /** Runs `fn` in one transaction: everything it wrote lands, or nothing does. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.run('COMMIT');
      return out;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => {});
      throw e;
    }
  }

  /**
   * Another connection to the same database. Temporary tables and views (a report's relations)
   * are per connection, so concurrent requests each fork and never see each other's data.
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

/** A quoted identifier. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The first line of an error's message (DuckDB's messages run on with hints). */
export const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
