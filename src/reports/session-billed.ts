/**
 * The sources that bill by the request or the byte, synced into a warehouse: Cost Explorer (each
 * request a cent; what a sync will cost is said before it runs) and Athena (each query by the bytes
 * it scans; said after, and a later sync asks only the months the export may still restate).
 */
import { DateTime } from 'luxon';
import type { DateRange } from '../analytics/types.js';
import type { DuckDb } from '../integrations/warehouse/duckdb.js';
import { hasSchema, syncedSource } from '../integrations/warehouse/schema.js';
import { type AthenaScan, sourceKey, syncRange, type WarehousesOptions } from './session-options.js';
import type { SourceSpec } from './source.js';

/** Cost Explorer's price per GetCostAndUsage request (USD). */
const CE_REQUEST_USD = 0.01;

const realToday = (o: WarehousesOptions): string => o.now().toISOString().slice(0, 10);

/** An Athena table's day-by-line sums into `db` (athenaRange: what is asked), with what it scanned. */
export async function syncAthenaTable(
  o: WarehousesOptions,
  db: DuckDb,
  spec: Extract<SourceSpec, { kind: 'athena' }>,
  today: string,
): Promise<AthenaScan & { sourceId: number }> {
  const { syncAthena } = await import('../integrations/athena/source.js');
  const c = o.config;
  const range = await athenaRange(
    db,
    sourceKey(spec, c),
    syncRange(today, c.SPENDBRIEF_ATHENA_DAYS, realToday(o)),
    today,
  );
  const r = await syncAthena(db, {
    spec: sourceKey(spec, c),
    table: spec,
    range,
    now: o.now(),
    athena: {
      client: await o.athena(),
      workGroup: c.SPENDBRIEF_ATHENA_WORKGROUP,
      outputLocation: c.SPENDBRIEF_ATHENA_OUTPUT,
      timeoutMs: c.SPENDBRIEF_ATHENA_TIMEOUT * 1000,
    },
  });
  const costUsd = (r.bytesScanned / 1e12) * c.SPENDBRIEF_ATHENA_PRICE_PER_TB;
  o.log(
    `Athena: query ${r.queryId} scanned ${(r.bytesScanned / 1e9).toFixed(3)} GB (${costUsd.toFixed(4)} USD at ${c.SPENDBRIEF_ATHENA_PRICE_PER_TB} USD/TB) for ${range.start}..${range.end}; ${r.rows} aggregated rows`,
  );
  return { sourceId: r.sourceId, queryId: r.queryId, bytesScanned: r.bytesScanned, costUsd, rows: r.rows };
}

/** Cost Explorer's days into `db`, its cache: only days not held are requested (`need`: a question's). */
export async function syncCostExplorer(o: WarehousesOptions, db: DuckDb, today: string, need?: DateRange) {
  // The AWS SDK loads only for runs that call AWS (a third of a second of start-up otherwise).
  const { CostExplorerSource } = await import('../integrations/aws-cost-explorer/source.js');
  const ce = new CostExplorerSource({
    client: await o.costExplorer(),
    db,
    groupBy: o.config.SPENDBRIEF_CE_GROUP_BY,
    excludeServices: o.config.SPENDBRIEF_CE_EXCLUDE_SERVICES,
    now: o.now,
  });
  const range = syncRange(today, o.config.SPENDBRIEF_CE_DAYS, realToday(o), need);
  const r = await ce.sync(range, today, (p) => {
    // Cost Explorer bills every request: what this one will cost is said before it runs.
    if (p.days > 0)
      o.log(
        `Cost Explorer: ${p.days} day(s) of ${range.start}..${range.end} to fetch (${p.cached} cached); ${p.estimated ? 'about' : 'at least'} ${p.requests} request(s) at ${CE_REQUEST_USD} USD each (~${(p.requests * CE_REQUEST_USD).toFixed(2)} USD)${need ? '' : ' (SPENDBRIEF_CE_DAYS sets how far back a sync reaches)'}`,
      );
  });
  o.log(
    `Cost Explorer: ${r.requests} request(s), ${r.fetchedDays} day(s) fetched for ${range.start}..${range.end}; the rest from ${db.path}`,
  );
  return r;
}

/**
 * What an Athena sync asks for. The first time, the whole configured range; after that only the
 * billing periods the export may still restate (the previous month and this one), reaching back
 * to the last sync's end if that is older: every Athena query is billed by the months it scans,
 * and the server syncs hourly. A range wider than the last one (a larger SPENDBRIEF_ATHENA_DAYS)
 * is asked whole.
 */
async function athenaRange(db: DuckDb, key: string, full: DateRange, today: string): Promise<DateRange> {
  const last = (await hasSchema(db)) ? await syncedSource(db, key) : null;
  const lastRange = last?.detail ? (JSON.parse(last.detail) as { range?: DateRange }).range : undefined;
  if (!lastRange || lastRange.start > full.start) return full;
  const previousMonth = DateTime.fromISO(today, { zone: 'utc' })
    .minus({ months: 1 })
    .startOf('month')
    .toISODate()!;
  const from = [previousMonth, lastRange.end].sort()[0]!;
  return { start: [full.start, from].sort()[1]!, end: full.end };
}
