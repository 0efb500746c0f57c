/**
 * Cost Explorer as a source of every report: the days a report needs, from the cache where they
 * cannot change any more, fetched otherwise (contiguous runs of days become one request range).
 */
import { CostExplorerClient as Client, type CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DateTime } from 'luxon';
import { calendarDays } from '../../analytics/periods/windows.js';
import type { DateRange } from '../../analytics/types.js';
import { quietAwsNodeWarning } from '../aws-node-warning.js';
import type { ChargeRow, SqlRunner } from '../warehouse/port.js';
import { CeCache } from './cache.js';
import { type FetchPlan, fetchRange, type GroupKey } from './fetch.js';

export interface CostExplorerSourceOptions {
  client: CostExplorerClient;
  sql: SqlRunner;
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

export class CostExplorerSource {
  /** Requests made (Cost Explorer charges per request): the report logs it. */
  requestCount = 0;
  private readonly cache: CeCache;
  private readonly plan: FetchPlan;
  private ready = false;

  constructor(private readonly o: CostExplorerSourceOptions) {
    this.cache = new CeCache(o.sql);
    this.plan = { groupBy: o.groupBy ?? ['SERVICE', 'USAGE_TYPE'], excludeServices: o.excludeServices ?? [] };
  }

  private get signature(): string {
    return JSON.stringify(this.plan);
  }

  /** Rows for every day of the range, fetching only what the cache cannot answer. */
  async rows(range: DateRange, today: string): Promise<ChargeRow[]> {
    if (!this.ready) {
      await this.cache.init();
      this.ready = true;
    }
    const restateFrom = DateTime.fromISO(today, { zone: 'utc' })
      .minus({ days: this.o.restateDays ?? 3 })
      .toISODate()!;
    const cached = await this.cache.cachedDays(this.signature, range.start, range.end);
    const stale = calendarDays(range).filter((d) => d <= today && (!cached.has(d) || d >= restateFrom));
    for (const run of runsOf(stale)) {
      const rows = await fetchRange(this.o.client, run, this.plan, () => this.requestCount++);
      await this.cache.store(this.signature, calendarDays(run), rows, (this.o.now ?? (() => new Date()))());
    }
    return this.cache.rows(this.signature, range.start, range.end);
  }
}
