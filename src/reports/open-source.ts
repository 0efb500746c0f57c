/**
 * Opens the warehouse a `<src>` names and fills it: the demo company, FOCUS files, or AWS Cost
 * Explorer. The database is `SPENDBRIEF_DB` when set (Cost Explorer caches there), else memory.
 */
import { DateTime } from 'luxon';
import type { CompareSpec, WindowSpec } from '../analytics/periods/types.js';
import { calendarDays, resolveWindows } from '../analytics/periods/windows.js';
import type { DateRange } from '../analytics/types.js';
import { badInput } from '../errors.js';
import type { GroupKey } from '../integrations/aws-cost-explorer/fetch.js';
import { CostExplorerSource, createCostExplorerClient } from '../integrations/aws-cost-explorer/source.js';
import type { DuckDb } from '../integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../integrations/warehouse/duckdb-warehouse.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import type { SourceSpec } from './source.js';

export interface SourceContext {
  env: NodeJS.ProcessEnv;
  today: string;
  /** Cost Explorer rows for the source `ce` (wired by the composition root). */
  loadCostExplorer?: (warehouse: DuckDbWarehouse, today: string) => Promise<void>;
  /** An open database to take a connection from (the server); else one is opened per call. */
  db?: DuckDb;
  /** The windows the report will ask for: a live source fetches exactly their days. */
  windows?: { window: WindowSpec; compare: CompareSpec };
  /** Where a line about the source's own work goes (Cost Explorer request counts). */
  log?: (line: string) => void;
}

/**
 * The days a live source must fetch: the report's windows resolved as if every day up to
 * yesterday had data (Cost Explorer has no data for today yet).
 */
export function neededRange(today: string, windows: { window: WindowSpec; compare: CompareSpec }): DateRange {
  const yesterday = demoEndDay(today);
  const start = DateTime.fromISO(yesterday, { zone: 'utc' }).minus({ days: 800 }).toISODate()!;
  const w = resolveWindows(calendarDays({ start, end: yesterday }), windows.window, windows.compare);
  const starts = [w.current.start, w.previous?.start].filter((d): d is string => !!d).sort();
  const ends = [w.current.end, w.previous?.end].filter((d): d is string => !!d).sort();
  return { start: starts[0]!, end: ends.at(-1)! };
}

/** `SPENDBRIEF_CE_GROUP_BY`: two of SERVICE, USAGE_TYPE, LINKED_ACCOUNT, REGION, INSTANCE_TYPE, TAG:<key>. */
export function parseGroupBy(text: string | undefined): [GroupKey, GroupKey] {
  if (!text?.trim()) return ['SERVICE', 'USAGE_TYPE'];
  const keys = text.split(',').map((k) => k.trim());
  const ok = (k: string) =>
    ['SERVICE', 'USAGE_TYPE', 'LINKED_ACCOUNT', 'REGION', 'INSTANCE_TYPE'].includes(k) || /^TAG:.+/.test(k);
  if (keys.length !== 2 || !keys.every(ok)) {
    throw badInput(
      `SPENDBRIEF_CE_GROUP_BY "${text}" is not two of SERVICE, USAGE_TYPE, LINKED_ACCOUNT, REGION, INSTANCE_TYPE, TAG:<key> (comma-separated)`,
    );
  }
  return keys as [GroupKey, GroupKey];
}

/** The default Cost Explorer loading: the SDK client from the environment, cached in the database. */
async function loadFromCostExplorer(warehouse: DuckDbWarehouse, ctx: SourceContext): Promise<void> {
  const windows = ctx.windows ?? {
    window: { kind: 'days', days: 30 } as WindowSpec,
    compare: { kind: 'previous_period' } as CompareSpec,
  };
  const range = neededRange(ctx.today, windows);
  const excludeServices = (ctx.env.SPENDBRIEF_CE_EXCLUDE_SERVICES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const source = new CostExplorerSource({
    client: createCostExplorerClient({ region: ctx.env.AWS_REGION }),
    sql: warehouse.db,
    excludeServices,
    groupBy: parseGroupBy(ctx.env.SPENDBRIEF_CE_GROUP_BY),
  });
  const rows = await source.rows(range, ctx.today);
  ctx.log?.(`Cost Explorer: ${source.requestCount} request(s) for ${range.start}..${range.end}`);
  await warehouse.loadRows(rows);
}

/** The demo company's data ends the day before `today`. */
export const demoEndDay = (today: string): string =>
  DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;

export async function openWarehouse(spec: SourceSpec, ctx: SourceContext): Promise<DuckDbWarehouse> {
  // Cost Explorer's cache is the point of a database file; other one-off runs work in memory.
  const path = ctx.env.SPENDBRIEF_DB?.trim() || (spec.kind === 'ce' ? './spendbrief.duckdb' : undefined);
  const warehouse = ctx.db ? await DuckDbWarehouse.on(ctx.db) : await DuckDbWarehouse.open({ path });
  try {
    if (spec.kind === 'demo') await warehouse.loadDemo({ endDay: demoEndDay(ctx.today) });
    else if (spec.kind === 'focus') await warehouse.loadFocus(spec.path);
    else if (ctx.loadCostExplorer) await ctx.loadCostExplorer(warehouse, ctx.today);
    else await loadFromCostExplorer(warehouse, ctx);
    return warehouse;
  } catch (e) {
    await warehouse.close();
    throw e;
  }
}

/** Opens, runs `fn`, and always closes (releasing a database file's lock). */
export async function withWarehouse<T>(
  spec: SourceSpec,
  ctx: SourceContext,
  fn: (w: CostWarehouse) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(spec, ctx);
  try {
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}
