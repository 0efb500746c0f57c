/**
 * The CostWarehouse on embedded DuckDB. Sources fill one normalised relation, `charges` (see
 * port.ts); the two queries of the method are pushed down as SQL, so TypeScript only ever sees
 * per-day and per-line aggregates. Sums use DuckDB's compensated `fsum`, never rounded.
 */
import type { Basis, ChargeKind, DateRange, LineAggregate } from '../../analytics/types.js';
import { type DemoOptions, demoSql } from '../demo/generate.js';
import { createCharges, dropCharges, loadFocus } from '../focus/load-focus.js';
import { DuckDb, sqlString } from './duckdb.js';
import type {
  ChargeRow,
  CostWarehouse,
  CurrencyLine,
  DaySummary,
  DayTotal,
  DriversQuery,
  InstanceCost,
  LineQuery,
} from './port.js';

const BASIS_SQL = {
  actual: 'billed',
  amortized: 'COALESCE(effective, billed)',
  net: 'COALESCE(contracted, effective, billed)',
} as const;

/** The note's classification: Usage, Purchase or empty -> usage; Credit -> credit; the rest other. */
export const KIND_SQL = `CASE WHEN lower(category) IN ('usage', 'purchase', '') THEN 'usage'
  WHEN lower(category) = 'credit' THEN 'credit' ELSE 'other' END`;

/** The team: the value of one tag key in the Tags JSON, '' when absent or the JSON is broken. */
export const teamSql = (tagKey: string): string =>
  `COALESCE(CASE WHEN tags <> '' AND json_valid(tags) THEN json_extract_string(tags, ${sqlString(`$."${tagKey.replaceAll('"', '\\"')}"`)}) END, '')`;

const CHARGES_DDL = `CREATE TEMP TABLE charges (day DATE, billed DOUBLE, effective DOUBLE, contracted DOUBLE,
  quantity DOUBLE, category VARCHAR, service VARCHAR, account VARCHAR, region VARCHAR, sku VARCHAR,
  resource VARCHAR, tags VARCHAR, currency VARCHAR, provider VARCHAR, instance_type VARCHAR)`;

export class DuckDbWarehouse implements CostWarehouse {
  private constructor(readonly db: DuckDb) {}

  /** `path` is the SPENDBRIEF_DB file; in memory when omitted. */
  static async open(options: { path?: string } = {}): Promise<DuckDbWarehouse> {
    return new DuckDbWarehouse(await DuckDb.open(options.path));
  }

  /** A warehouse on its own connection to an open database (the server's state file). */
  static async on(db: DuckDb): Promise<DuckDbWarehouse> {
    return new DuckDbWarehouse(await db.fork());
  }

  /** FOCUS CSV or Parquet, a file or a glob. */
  async loadFocus(pathOrGlob: string): Promise<string[]> {
    return loadFocus(this.db, pathOrGlob);
  }

  /** The bundled demo company (deterministic for a seed and end day). */
  async loadDemo(options: DemoOptions): Promise<void> {
    await dropCharges(this.db);
    await createCharges(this.db, {
      raw: `(${demoSql(options)})`,
      rowExpr: '0',
      source: 'demo data',
      line: false,
      kind: 'TABLE',
    });
  }

  /** Rows from a non-file source (Cost Explorer); replaces what was loaded. */
  async loadRows(rows: ChargeRow[]): Promise<void> {
    await dropCharges(this.db);
    await this.db.run(CHARGES_DDL);
    const width = 15;
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500);
      const params: unknown[] = [];
      for (const r of batch) {
        params.push(
          r.day,
          r.billed,
          r.effective,
          r.contracted,
          r.quantity,
          r.category,
          r.service,
          r.account,
          r.region,
          r.sku,
          r.resource,
          r.tags ? JSON.stringify(r.tags) : '',
          r.currency,
          r.provider,
          r.instanceType,
        );
      }
      const placeholders = batch
        .map(
          () =>
            `(CAST(? AS DATE), ${Array(width - 1)
              .fill('?')
              .join(', ')})`,
        )
        .join(', ');
      await this.db.run(`INSERT INTO charges VALUES ${placeholders}`, params);
    }
  }

  async daySummary(today: string): Promise<DaySummary[]> {
    return this.db.all<DaySummary>(
      `SELECT strftime(day, '%Y-%m-%d') AS day, currency, provider,
         fsum(${BASIS_SQL.actual}) AS actual, fsum(${BASIS_SQL.amortized}) AS amortized, fsum(${BASIS_SQL.net}) AS net
       FROM charges WHERE day <= CAST(? AS DATE) AND day IS NOT NULL
       GROUP BY day, currency, provider ORDER BY 1, 2, 3`,
      [today],
    );
  }

  async availableDays(today: string): Promise<string[]> {
    const rows = await this.db.all<{ day: string }>(
      // Group first, format after: formatting every row before DISTINCT costs five times the scan.
      `SELECT strftime(day, '%Y-%m-%d') AS day FROM (SELECT day FROM charges WHERE day <= CAST(? AS DATE) GROUP BY day) ORDER BY 1`,
      [today],
    );
    return rows.map((r) => r.day);
  }

  async driversAggregates(q: DriversQuery): Promise<{ lines: CurrencyLine[]; days: DayTotal[] }> {
    const prev = q.previous ?? { start: '0001-01-01', end: '0001-01-01' };
    const rows = await this.db.all<
      CurrencyLine & { day_set: number; day: string | null; provider: string | null; spend: number }
    >(
      `SELECT GROUPING(day) = 0 AS day_set, service, account, region, team, sku, resource, kind, currency,
         strftime(day, '%Y-%m-%d') AS day, provider,
         COALESCE(fsum(cost) FILTER (WHERE in_prev), 0) AS "previousSpend",
         COALESCE(fsum(cost) FILTER (WHERE in_curr), 0) AS "currentSpend",
         COALESCE(fsum(quantity) FILTER (WHERE in_prev), 0) AS "previousQuantity",
         COALESCE(fsum(quantity) FILTER (WHERE in_curr), 0) AS "currentQuantity",
         COALESCE(fsum(cost), 0) AS spend
       FROM (
         SELECT service, account, region, ${teamSql(q.teamTag)} AS team, sku, resource, ${KIND_SQL} AS kind, currency,
           day, provider, ${BASIS_SQL[q.basis]} AS cost, quantity,
           day BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) AS in_curr,
           day BETWEEN CAST($3 AS DATE) AND CAST($4 AS DATE) AS in_prev
         FROM charges
         WHERE day BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE) OR day BETWEEN CAST($3 AS DATE) AND CAST($4 AS DATE)
       )
       GROUP BY GROUPING SETS ((service, account, region, team, sku, resource, kind, currency), (day, currency, provider))`,
      [q.current.start, q.current.end, prev.start, prev.end],
    );
    const lines: CurrencyLine[] = [];
    const days: DayTotal[] = [];
    for (const r of rows) {
      if (r.day_set)
        days.push({ day: r.day!, currency: r.currency, provider: r.provider ?? '', spend: r.spend });
      else {
        const { day_set: _d, day: _day, provider: _p, spend: _s, ...line } = r;
        lines.push(line);
      }
    }
    return { lines, days };
  }

  async dailyCost(q: {
    basis: Basis;
    excludeServices: string[];
    today: string;
  }): Promise<{ day: string; currency: string; spend: number }[]> {
    const excluded = q.excludeServices.length
      ? `AND service NOT IN (${q.excludeServices.map(sqlString).join(', ')})`
      : '';
    return this.db.all(
      `SELECT strftime(day, '%Y-%m-%d') AS day, currency, fsum(${BASIS_SQL[q.basis]}) AS spend
       FROM charges WHERE day <= CAST(? AS DATE) ${excluded} GROUP BY day, currency ORDER BY day`,
      [q.today],
    );
  }

  async instanceCosts(q: { range: DateRange; basis: Basis; currency: string }): Promise<InstanceCost[]> {
    return this.db.all<InstanceCost>(
      `SELECT resource, instance_type AS "instanceType", region, strftime(min(day), '%Y-%m-%d') AS "firstDay",
         strftime(max(day), '%Y-%m-%d') AS "lastDay", fsum(${BASIS_SQL[q.basis]}) AS cost
       FROM charges
       WHERE instance_type <> '' AND currency = ? AND day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE) AND ${KIND_SQL} = 'usage'
       GROUP BY resource, instance_type, region ORDER BY cost DESC`,
      [q.currency, q.range.start, q.range.end],
    );
  }

  async lineAggregates(q: LineQuery): Promise<LineAggregate[]> {
    const rates = Object.entries(q.fxRates ?? {}).filter(
      ([c, r]) => c !== q.currency && Number.isFinite(r) && r > 0,
    );
    const currencies = [q.currency, ...rates.map(([c]) => c)].map(sqlString).join(', ');
    const rate = rates.length
      ? `CASE currency ${rates.map(([c, r]) => `WHEN ${sqlString(c)} THEN ${r}`).join(' ')} ELSE 1 END`
      : '1';
    const prev = q.previous ?? { start: '0001-01-01', end: '0001-01-01' };
    // Without a comparison the previous range is a day no billing data has.
    const inPrev = 'day BETWEEN CAST($3 AS DATE) AND CAST($4 AS DATE)';
    const inCurr = 'day BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)';
    const rows = await this.db.all<LineAggregate & { kind: ChargeKind }>(
      `SELECT service, account, region, team, sku, resource, kind,
         COALESCE(fsum(cost) FILTER (WHERE in_prev), 0) AS "previousSpend",
         COALESCE(fsum(cost) FILTER (WHERE in_curr), 0) AS "currentSpend",
         COALESCE(fsum(quantity) FILTER (WHERE in_prev), 0) AS "previousQuantity",
         COALESCE(fsum(quantity) FILTER (WHERE in_curr), 0) AS "currentQuantity"
       FROM (
         SELECT service, account, region, ${teamSql(q.teamTag)} AS team, sku, resource, ${KIND_SQL} AS kind,
           ${BASIS_SQL[q.basis]} * ${rate} AS cost, quantity, ${inPrev} AS in_prev, ${inCurr} AS in_curr
         FROM charges
         WHERE currency IN (${currencies}) AND (${inCurr} OR ${inPrev})
       )
       GROUP BY ALL`,
      [q.current.start, q.current.end, prev.start, prev.end],
    );
    return rows;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
