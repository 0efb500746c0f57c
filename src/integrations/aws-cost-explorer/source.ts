/**
 * Cost Explorer as a source: the days asked for, from the warehouse where they cannot change any
 * more, fetched otherwise (contiguous runs of days become one request range) and landed in the
 * warehouse, so that reports read the warehouse and never call Cost Explorer themselves.
 */
import { CostExplorerClient as Client, type CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DateTime } from 'luxon';
import { calendarDays } from '../../analytics/periods/windows.js';
import type { DateRange } from '../../analytics/types.js';
import { quietAwsNodeWarning } from '../aws-node-warning.js';
import type { DuckDb } from '../warehouse/duckdb.js';
import { ingestWhole } from '../warehouse/ingest.js';
import type { ChargeRow } from '../warehouse/port.js';
import { rowsTable } from '../warehouse/rows.js';
import { ensureSchema, sourceId } from '../warehouse/schema.js';
import { CeCache } from './cache.js';
import { type FetchPlan, fetchRange, type GroupKey } from './fetch.js';

export interface CostExplorerSourceOptions {
  client: CostExplorerClient;
  /** The warehouse the rows land in (SPENDBRIEF_DB). */
  db: DuckDb;
  groupBy?: [GroupKey, GroupKey];
  excludeServices?: string[];
  /** Days before today that Cost Explorer may still restate (default 3). */
  restateDays?: number;
  now?: () => Date;
}

/** The SDK's own credential chain, AWS_REGION and AWS_ENDPOINT_URL_COST_EXPLORER; adaptive retries. */
export function createCostExplorerClient(
  options: { region?: string; maxAttempts?: number } = {},
): CostExplorerClient {
  quietAwsNodeWarning();
  // Cost Explorer has one endpoint, in us-east-1, whatever region the rest of the account uses.
  return new Client({
    region: options.region ?? 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? 6,
  });
}

/** Contiguous runs of sorted days. */
export function runsOf(days: string[]): DateRange[] {
  const runs: DateRange[] = [];
  for (const d of [...days].sort()) {
    const last = runs.at(-1);
    if (last && DateTime.fromISO(last.end, { zone: 'utc' }).plus({ days: 1 }).toISODate() === d) last.end = d;
    else runs.push({ start: d, end: d });
  }
  return runs;
}

/** What a sync is about to fetch, said before any paid request. */
export interface FetchCost {
  days: number;
  cached: number;
  requests: number;
  /** From the pages per day of earlier fetches; otherwise a lower bound (one request a run). */
  estimated: boolean;
}

export interface CostExplorerSync {
  sourceId: number;
  /** Days fetched from Cost Explorer in this sync (the rest came from the warehouse). */
  fetchedDays: number;
  requests: number;
}

export class CostExplorerSource {
  /** Requests made (Cost Explorer charges per request): the sync reports it. */
  requestCount = 0;
  private readonly cache: CeCache;
  private readonly plan: FetchPlan;

  constructor(private readonly o: CostExplorerSourceOptions) {
    this.cache = new CeCache(o.db);
    this.plan = { groupBy: o.groupBy ?? ['SERVICE', 'USAGE_TYPE'], excludeServices: o.excludeServices ?? [] };
  }

  private get signature(): string {
    return JSON.stringify(this.plan);
  }

  /** The warehouse source these rows land in: one per grouping and exclusion list. */
  get spec(): string {
    return `ce:${this.signature}`;
  }

  /**
   * Brings every day of the range into the warehouse, fetching only days it does not hold yet
   * and days Cost Explorer may still restate; fetched rows land in one transaction.
   */
  async sync(range: DateRange, today: string, onPlan?: (p: FetchCost) => void): Promise<CostExplorerSync> {
    const db = this.o.db;
    await ensureSchema(db);
    await this.cache.init();
    const sid = await sourceId(db, this.spec);
    const before = this.requestCount;
    const restateFrom = DateTime.fromISO(today, { zone: 'utc' })
      .minus({ days: this.o.restateDays ?? 3 })
      .toISODate()!;
    const cached = await this.cache.cachedDays(this.signature, range.start, range.end);
    const stale = calendarDays(range).filter((d) => d <= today && (!cached.has(d) || d >= restateFrom));
    const runs = runsOf(stale);
    const perDay = await this.cache.requestsPerDay(this.signature);
    onPlan?.({
      days: stale.length,
      cached: calendarDays(range).length - stale.length,
      // Pages per day depend on how many groups a day has: learnt from earlier fetches, else one a run.
      requests: perDay === null ? runs.length : Math.max(runs.length, Math.ceil(stale.length * perDay)),
      estimated: perDay !== null,
    });
    const rows: ChargeRow[] = [];
    for (const run of runs)
      rows.push(...(await fetchRange(this.o.client, run, this.plan, () => this.requestCount++)));
    const now = (this.o.now ?? (() => new Date()))();
    if (stale.length > 0) {
      const relation = await rowsTable(db, 'sb_ce_rows', rows);
      const days = stale.map((d) => `DATE '${d}'`).join(', ');
      try {
        await ingestWhole(db, {
          sourceId: sid,
          relation,
          replace: async () => {
            await db.run(`DELETE FROM charge_days WHERE source_id = ${sid} AND day IN (${days})`);
            await db.run(`DELETE FROM day_totals WHERE source_id = ${sid} AND day IN (${days})`);
          },
          after: async () => {
            await this.cache.markFetched(this.signature, stale, now, this.requestCount - before);
            await db.run('UPDATE sb_sources SET synced_at = ? WHERE source_id = ?', [now.toISOString(), sid]);
          },
        });
      } finally {
        await db.run('DROP TABLE IF EXISTS sb_ce_rows');
      }
    } else {
      await db.run('UPDATE sb_sources SET synced_at = COALESCE(synced_at, ?) WHERE source_id = ?', [
        now.toISOString(),
        sid,
      ]);
    }
    return { sourceId: sid, fetchedDays: stale.length, requests: this.requestCount - before };
  }
}
