/**
 * Opens the warehouse a `<src>` names and fills it: the demo company, FOCUS files, or AWS Cost
 * Explorer. The database is `SPENDBRIEF_DB` when set (Cost Explorer caches there), else memory.
 */
import { DateTime } from 'luxon';
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
}

/** The demo company's data ends the day before `today`. */
export const demoEndDay = (today: string): string =>
  DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;

export async function openWarehouse(spec: SourceSpec, ctx: SourceContext): Promise<DuckDbWarehouse> {
  const path = ctx.env.SPENDBRIEF_DB?.trim() || undefined;
  const warehouse = ctx.db ? await DuckDbWarehouse.on(ctx.db) : await DuckDbWarehouse.open({ path });
  try {
    if (spec.kind === 'demo') await warehouse.loadDemo({ endDay: demoEndDay(ctx.today) });
    else if (spec.kind === 'focus') await warehouse.loadFocus(spec.path);
    else {
      if (!ctx.loadCostExplorer) throw new Error('the Cost Explorer source is not wired in this build');
      await ctx.loadCostExplorer(warehouse, ctx.today);
    }
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
