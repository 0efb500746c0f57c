/**
 * The SQL of the warehouse's questions, for its two layouts:
 *
 *   star  a synced source (or one ingested in memory): `charge_days` rolled up per day and line,
 *         `charge_lines` with the attributes, `day_totals` per day, currency and provider
 *   flat  a one-off view over FOCUS files: one row per charge row, attributes inline
 *
 * Each question aggregates the rows first (by line id, or by the attributes in a flat view) and
 * only then joins, parses tags or classifies: the expensive work runs on tens of thousands of
 * lines, never on millions of rows.
 */
import type { Where, WhereDimension } from '../../analytics/scope.js';
import type { Basis, DateRange } from '../../analytics/types.js';
import { sqlString } from './duckdb.js';
import type { LineSummaryQuery } from './port.js';
import { rawDaysSql } from './raw-days.js';
import { BASIS_OF_ROW } from './schema.js';
import { weeksAndDays } from './weeks.js';

export type Layout =
  /** `summaries`: weekly sums are kept (weeks.ts; a file synced by an older release has none). */
  | { kind: 'star'; sourceId: number; summaries?: boolean }
  /**
   * `dayFromRaw`: SQL from the view's `day_raw` column to the day (see focus/read-focus.ts);
   * `dayRawType`: that column's type, so that a range can be put on the raw value too, where a
   * Parquet reader skips the row groups outside it (a computed day hides the statistics).
   */
  | { kind: 'flat'; rows: string; dayFromRaw?: string | null; dayRawType?: string | null };

/**
 * `expr` equals one of the values. Written as ORs, not `IN (...)`: DuckDB plans an IN list as a
 * join, which keeps a view's column alive even when no query reads it (a 10M-row join for nothing).
 */
export const anyOf = (expr: string, values: string[]): string =>
  `(${values.map((v) => `${expr} = ${sqlString(v)}`).join(' OR ')})`;

/** The attributes a line question sums its windows by (kept-lines.ts groups by the same). */
export const WINDOW_LINE_ATTRS = [
  'category',
  'service',
  'account',
  'region',
  'sku',
  'resource',
  'tags',
] as const;

/** Units that mean hours of usage (instance hours). */
export const HOUR_UNITS = ['hrs', 'hours', 'hour', 'hr', 'h'];

/** The note's classification: Usage, Purchase or empty -> usage; Credit -> credit; the rest other. */
export const KIND_SQL = `CASE WHEN ${anyOf('lower(category)', ['usage', 'purchase', ''])} THEN 'usage'
  WHEN lower(category) = 'credit' THEN 'credit' ELSE 'other' END`;

/** The value of one tag key in the Tags JSON, '' when absent or the JSON is broken. */
export const tagSql = (tagKey: string, tags = 'tags'): string =>
  `COALESCE(CASE WHEN ${tags} <> '' AND json_valid(${tags}) THEN json_extract_string(${tags}, ${sqlString(`$."${tagKey.replaceAll('"', '\\"')}"`)}) END, '')`;

/** The team: the value of the team tag key. */
export const teamSql = (teamTag: string, tags = 'tags'): string => tagSql(teamTag, tags);

/** A line attribute of a where dimension (team and tag:<key> read from the tags). */
export function dimensionSql(dimension: WhereDimension, teamTag: string, prefix = ''): string {
  if (dimension === 'team') return teamSql(teamTag, `${prefix}tags`);
  if (dimension.startsWith('tag:')) return tagSql(dimension.slice(4), `${prefix}tags`);
  return `COALESCE(${prefix}${dimension}, '')`;
}

/** A where list on line attributes: AND across clauses, OR within one (an empty clause: nothing). */
export function whereSql(where: Where | undefined, teamTag: string, prefix = ''): string {
  if (!where?.length) return 'TRUE';
  return where
    .map((c) => (c.values.length ? anyOf(dimensionSql(c.dimension, teamTag, prefix), c.values) : 'FALSE'))
    .join(' AND ');
}

/** The cost column of a basis: a stored sum (star) or the per-row fallbacks (flat). */
export const costOf = (layout: Layout, basis: Basis): string =>
  layout.kind === 'star' ? basis : BASIS_OF_ROW[basis];

export const dayIn = (start: string, end: string, col = 'day'): string =>
  `${col} BETWEEN DATE ${sqlString(start)} AND DATE ${sqlString(end)}`;

/** A line's cost and quantity in the previous (p, pq) and current (c, cq) windows, Kahan-summed. */
export const windowSums = (inPrev: string, inCurr: string): string[] => [
  `COALESCE(fsum({cost}) FILTER (WHERE ${inPrev}), 0) AS p`,
  `COALESCE(fsum({cost}) FILTER (WHERE ${inCurr}), 0) AS c`,
  `COALESCE(fsum(quantity) FILTER (WHERE ${inPrev}), 0) AS pq`,
  `COALESCE(fsum(quantity) FILTER (WHERE ${inCurr}), 0) AS cq`,
];

/**
 * Per line: the attributes asked for and sums over rows of the day condition. `sums` are SQL
 * aggregates over the columns `cost` (the basis), `quantity` and `day`.
 */
export function lineSums(
  layout: Layout,
  o: {
    basis: Basis;
    attrs: string[];
    sums: string[];
    where: string;
    /**
     * The ranges `where` selects, when it is nothing else and the sums look at a row's day only to
     * place it in one of them: whole weeks are then read from the weekly sums.
     */
    days?: DateRange[];
    /** A condition on line attributes, written with the column prefix it is given (`l.` or none). */
    lineWhere?: (prefix: string) => string;
  },
): string {
  const cost = costOf(layout, o.basis);
  const sums = o.sums.map((s) => s.replaceAll('{cost}', cost)).join(', ');
  if (layout.kind === 'flat') {
    // Grouped on the raw columns (NULL included), filled after: 80 thousand rows, not 10 million.
    const fill = o.attrs.map((a) => `COALESCE(${a}, '') AS ${a}`).join(', ');
    // The envelope of the ranges on the raw column as well: a month's Parquet file outside them is
    // skipped by its statistics (100M rows, 60 days asked: 2.7x the bare query before).
    const raw = (o.days && rawDaysSql(layout.dayRawType, o.days)) ?? 'TRUE';
    return `SELECT * REPLACE (${fill}) FROM (SELECT ${o.attrs.join(', ')}, ${sums} FROM ${layout.rows}
      WHERE (${raw}) AND (${o.where}) AND (${o.lineWhere?.('') ?? 'TRUE'}) GROUP BY ${o.attrs.join(', ')})`;
  }
  const id = layout.sourceId;
  const rows = (layout.summaries && o.days && weeksAndDays(id, o.days)) || null;
  const from = rows ?? `charge_days WHERE source_id = ${id} AND (${o.where})`;
  return `SELECT ${o.attrs.map((a) => `l.${a}`).join(', ')}, s.* EXCLUDE (line_no)
    FROM (SELECT line_no, ${sums} FROM ${from} GROUP BY line_no) s
    JOIN charge_lines l ON l.source_id = ${id} AND l.line_no = s.line_no
    WHERE ${o.lineWhere?.('l.') ?? 'TRUE'}`;
}

/**
 * Spend per day, currency and provider. Without a where list or exclusions a star source answers
 * from its day totals; otherwise rows are filtered by their line's attributes.
 */
export function daySummarySql(
  layout: Layout,
  q: { basis: Basis; today: string; where?: Where; excludeServices?: string[]; teamTag: string },
): string {
  const excluded = q.excludeServices?.length ? `NOT ${anyOf('service', q.excludeServices)}` : 'TRUE';
  const slice = whereSql(q.where, q.teamTag);
  const upTo = `day <= DATE ${sqlString(q.today)}`;
  let grouped: string;
  if (layout.kind === 'flat') {
    // Grouped on the raw period start where there is one (a few thousand values to convert).
    const key = layout.dayFromRaw ? 'day_raw' : 'day';
    grouped = `SELECT ${layout.dayFromRaw ?? 'day'} AS day, COALESCE(currency, '') AS currency, COALESCE(provider, '') AS provider,
        fsum(spend) AS spend FROM (
      SELECT ${key}, currency, provider, fsum(${BASIS_OF_ROW[q.basis]}) AS spend FROM ${layout.rows}
      WHERE ${excluded} AND ${slice} GROUP BY ${key}, currency, provider)
      WHERE ${upTo} GROUP BY 1, 2, 3`;
  } else if (excluded === 'TRUE' && slice === 'TRUE') {
    grouped = `SELECT day, currency, provider, fsum(${q.basis}) AS spend FROM day_totals
      WHERE source_id = ${layout.sourceId} AND ${upTo} GROUP BY day, currency, provider`;
  } else {
    const id = layout.sourceId;
    grouped = `SELECT f.day, l.currency, l.provider, fsum(f.${q.basis}) AS spend
      FROM charge_days f JOIN (SELECT line_no, currency, provider FROM charge_lines
        WHERE source_id = ${id} AND ${excluded} AND ${slice}) l ON f.line_no = l.line_no
      WHERE f.source_id = ${id} AND f.${upTo} GROUP BY f.day, l.currency, l.provider`;
  }
  // Group first, format after: formatting every row before grouping costs five times the scan.
  return `SELECT strftime(day, '%Y-%m-%d') AS day, currency, provider, spend FROM (${grouped})
    WHERE day IS NOT NULL ORDER BY 1, 2, 3`;
}

/**
 * The method's lines of both windows, classified (classify.ts, exactly: same formulas, same
 * order of operations) and summed per group of `by`, per service and overall, with the
 * governance sums (summary.ts). One row per group and service, one for the total.
 */
export function lineSummarySql(layout: Layout, q: LineSummaryQuery): string {
  const { lines, summary } = lineSummaryParts(layout, q);
  return `WITH ls AS (${lines}),\n${summary('ls')}`;
}

/**
 * lineSummarySql in two parts: the lines' window sums, and the rest of the statement after its
 * `WITH` (CTEs, then the classification and sums) over a relation holding them (`ls`: the CTE, or
 * a table the lines were written to).
 */
export function lineSummaryParts(
  layout: Layout,
  q: LineSummaryQuery,
  /** The lines' window sums from elsewhere (kept-lines.ts): the attributes and their condition. */
  linesFrom?: (attrs: string[], lineWhere: string) => string,
): { lines: string; summary: (ls: string) => string } {
  const prev = q.previous ?? { start: '0001-01-01', end: '0001-01-01' };
  const inCurr = dayIn(q.current.start, q.current.end);
  const inPrev = dayIn(prev.start, prev.end);
  const rates = Object.entries(q.fxRates ?? {}).filter(
    ([c, r]) => c !== q.currency && Number.isFinite(r) && r > 0,
  );
  const currencies = [q.currency, ...rates.map(([c]) => c)];
  const rate = rates.length
    ? `CASE currency ${rates.map(([c, r]) => `WHEN ${sqlString(c)} THEN ${r}`).join(' ')} ELSE 1 END`
    : '1';
  // One currency (no rate configured): filtered, not grouped on.
  const attrs: string[] = [...WINDOW_LINE_ATTRS];
  if (rates.length) attrs.push('currency');
  const lineWhere = (l: string) =>
    `${anyOf(`${l}currency`, currencies)} AND ${whereSql(q.where, q.teamTag, l)}`;
  const ls = linesFrom
    ? linesFrom(attrs, lineWhere(''))
    : lineSums(layout, {
        basis: q.basis,
        attrs,
        sums: windowSums(inPrev, inCurr),
        where: `${inCurr} OR ${inPrev}`,
        days: [q.current, prev],
        lineWhere,
      });
  const g = q.by;
  const summary = (
    ls: string,
  ) => `tg AS (SELECT tags, ${teamSql(q.teamTag)} AS team FROM (SELECT DISTINCT tags FROM ${ls})),
lk AS (
  SELECT service, account, region, team, sku, resource, ${KIND_SQL} AS kind,
    fsum(p * rate) AS p, fsum(c * rate) AS c, fsum(pq) AS pq, fsum(cq) AS cq
  FROM (SELECT *, ${rate} AS rate FROM ${ls}) JOIN tg USING (tags)
  GROUP BY ALL),
cl AS (
  SELECT *, c - p AS delta,
    kind = 'usage' AND p = 0 AND c > 0 AS is_new,
    kind = 'usage' AND NOT (p = 0 AND c > 0) AND c = 0 AND p > 0 AS is_rem,
    (cq - pq) * (p / pq) AS u, (c / cq - p / pq) * cq AS r
  FROM lk),
cb AS (
  SELECT *, kind = 'usage' AND NOT is_new AND NOT is_rem AS is_split,
    COALESCE(pq > 0 AND cq > 0 AND isfinite(u) AND isfinite(r), FALSE) AS ok
  FROM cl)
SELECT GROUPING(g) AS gg, GROUPING(service) AS gs, g, service,
  fsum(p) AS p, fsum(c) AS c,
  fsum(CASE WHEN is_new THEN delta ELSE 0 END) AS "newServicesResources",
  fsum(CASE WHEN is_split AND ok THEN u ELSE 0 END) AS "usageGrowth",
  fsum(CASE WHEN is_split AND ok THEN r ELSE 0 END) AS "ratePriceChange",
  fsum(CASE WHEN is_split THEN (CASE WHEN ok THEN delta - u - r ELSE delta END) ELSE 0 END) AS "mixShift",
  fsum(CASE WHEN kind = 'credit' THEN delta ELSE 0 END) AS "creditsDiscountChange",
  fsum(CASE WHEN is_rem THEN delta ELSE 0 END) AS "savingsRemovals",
  fsum(CASE WHEN kind = 'other' THEN delta ELSE 0 END) AS unexplained,
  COALESCE(fsum(c) FILTER (WHERE kind = 'usage'), 0) AS "usageCurrent",
  COALESCE(fsum(c) FILTER (WHERE kind = 'usage' AND team = ''), 0) AS "untaggedCurrent",
  COALESCE(fsum(c) FILTER (WHERE kind = 'usage' AND sku = ''), 0) AS "noSkuCurrent",
  COALESCE(fsum(abs(delta)) FILTER (WHERE kind = 'usage' AND pq > 0 AND cq > 0), 0) AS "quantityAbsDelta",
  COALESCE(fsum(abs(delta)) FILTER (WHERE kind = 'usage'), 0) AS "usageAbsDelta"
FROM (SELECT *, ${g} AS g FROM cb)
GROUP BY GROUPING SETS ((g), (service), ())`;
  return { lines: ls, summary };
}
