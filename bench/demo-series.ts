/** The demo's daily series (total and per service, 400 days to 2026-11-23), for the alerts' figures. */
import { buildSeries, type DailySeries } from '../src/analytics/alerts/series.js';
import { demoSql } from '../src/integrations/demo/generate.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';

export async function demoSeries(): Promise<{ total: DailySeries; services: DailySeries[] }> {
  const db = await DuckDb.open();
  const rows = await db.all<{ key: string; day: string; spend: number }>(
    `SELECT ServiceName AS key, strftime(CAST(ChargePeriodStart AS DATE), '%Y-%m-%d') AS day, fsum(BilledCost) AS spend FROM (${demoSql({ endDay: '2026-11-23', days: 400 })}) GROUP BY ALL`,
  );
  db.close();
  return {
    services: buildSeries(rows, '2026-11-23'),
    total: buildSeries(
      rows.map((r) => ({ ...r, key: 'total' })),
      '2026-11-23',
    )[0]!,
  };
}

export const demoTotal = async (): Promise<DailySeries> => (await demoSeries()).total;
