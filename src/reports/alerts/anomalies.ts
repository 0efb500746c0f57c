/**
 * `spendbrief anomalies` and `/spend anomalies`: unusual days per scope, each explained by the
 * cost-drivers method (its day against the same weekday a week before, filtered to its scope).
 */
import {
  type Anomaly,
  detectAnomalies,
  MIN_HISTORY_DAYS,
  SENSITIVITY,
  type Sensitivity,
  SUSTAINED_FACTOR,
} from '../../analytics/alerts/anomalies.js';
import {
  addDays,
  type DailySeries,
  daysBetween,
  earlierDay,
  laterDay,
} from '../../analytics/alerts/series.js';
import { DRIVER_NAMES } from '../../analytics/drivers/names.js';
import type { DriversResult } from '../../analytics/drivers/types.js';
import { andWhere, type Where } from '../../analytics/scope.js';
import type { Basis, Dimension } from '../../analytics/types.js';
import { buildAnomalyChart } from '../../charts/anomaly.js';
import type { CostWarehouse } from '../../integrations/warehouse/port.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { loadWindowDrivers } from '../drivers/data.js';
import { displayKey, formatMoney, formatPercent, formatSignedMoney } from '../format.js';
import type { ChartRef, Report, ReportBlock } from '../report.js';
import { type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { loadSeries, otherCurrenciesNote, type ScopeDimension, type SeriesData } from './series.js';

export interface AnomaliesRequest extends Scoped {
  by: ScopeDimension;
  /** The last N days, or every day with enough history. */
  days: number | 'all';
  today?: string;
  sensitivity: Sensitivity;
  minImpact?: number;
  basis: Basis;
  teamTag: string;
  /** Which anomalies get their drivers (a drivers report each); by default the 100 most recent. */
  explain?: (found: Anomaly[]) => Anomaly[];
}

/** At most this many anomalies are explained (each is a drivers report of its day); the rest say so. */
export const MAX_EXPLAINED = 100;

/** The dimension an anomaly's drivers are broken down by. */
const EXPLAIN_BY: Record<ScopeDimension, Dimension> = {
  total: 'service',
  service: 'sku',
  account: 'service',
  region: 'service',
  team: 'service',
  sku: 'account',
};

export interface ExplainedAnomaly extends Anomaly {
  dimension: ScopeDimension;
  drivers: DriversResult['waterfall'] | null;
  topContributor: { key: string; by: Dimension; deltaValue: number; driverType: string } | null;
}

export interface AnomaliesData {
  series: SeriesData;
  /** The series as judged (later scopes led by zeros). */
  judged: DailySeries[];
  evaluated: { from: string; to: string; scopes: number };
  anomalies: ExplainedAnomaly[];
  insufficientHistory: { dimension: ScopeDimension; key: string; days: number }[];
  sensitivity: Sensitivity;
}

/** The drivers of one anomalous day against the same weekday a week before, in its scope. */
export async function explainDay(
  w: CostWarehouse,
  o: {
    day: string;
    dimension: ScopeDimension;
    key: string;
    basis: Basis;
    teamTag: string;
    firstDay: string;
    currency: string;
    /** The report's scope: the anomaly's own key narrows it further. */
    where?: Where;
  },
): Promise<{ waterfall: DriversResult['waterfall']; top: ExplainedAnomaly['topContributor'] }> {
  const weekBefore = addDays(o.day, -7);
  const previous = weekBefore >= o.firstDay ? weekBefore : addDays(o.day, -1);
  const by = EXPLAIN_BY[o.dimension];
  const r = await loadWindowDrivers(w, {
    current: { start: o.day, end: o.day },
    previous: { start: previous, end: previous },
    currency: o.currency,
    basis: o.basis,
    by,
    limit: 5,
    teamTag: o.teamTag,
    where: andWhere(
      o.where ?? [],
      o.dimension === 'total' ? [] : [{ dimension: o.dimension, values: [o.key] }],
    ),
  });
  const lead = r.rows[0];
  return {
    waterfall: r.waterfall,
    top: lead ? { key: lead.key, by, deltaValue: lead.deltaValue, driverType: lead.driverType } : null,
  };
}

/**
 * The anomalies of loaded series, before any is explained (pure): the days asked for judged, each
 * on the days before it, later scopes led by zeros. The benchmark scores exactly this.
 */
export function findAnomalies(
  series: SeriesData,
  req: Pick<AnomaliesRequest, 'days' | 'sensitivity' | 'minImpact'>,
): {
  judged: DailySeries[];
  from: string;
  anomalies: Anomaly[];
  insufficientHistory: { key: string; days: number }[];
} {
  const first = series.series.reduce((m, s) => earlierDay(m, s.start), series.end);
  const from = laterDay(
    first,
    req.days === 'all' ? addDays(first, MIN_HISTORY_DAYS) : addDays(series.end, -(req.days - 1)),
  );
  // A scope that starts after the source does had nothing before: judged against zeros (up to 4
  // weeks of them), its first days are `new` instead of unjudged (ADR 0006).
  const judged = series.series.map((x) => {
    const lead = Math.min(28, daysBetween(series.total.start, x.start));
    return lead > 0
      ? { ...x, start: addDays(x.start, -lead), values: [...new Array(lead).fill(0), ...x.values] }
      : x;
  });
  // Judged from 4 weeks earlier, so that a run still going at `from` keeps its true first day
  // (a new service stays `new` for about two weeks); only runs reaching `from` are reported.
  const detected = detectAnomalies(judged, {
    sensitivity: req.sensitivity,
    minImpact: req.minImpact,
    from: addDays(earlierDay(from, series.end), req.days === 'all' ? 0 : -28),
    to: series.end,
    latestDataDay: series.latestDataDay,
    total: series.total,
  });
  return {
    judged,
    from,
    anomalies: detected.anomalies.filter((a) => a.lastDay >= from),
    // Days of real history (the zeros that lead a later scope are not history).
    insufficientHistory: detected.insufficientHistory.map((i) => {
      const s = series.series.find((x) => x.key === i.key)!;
      return { key: i.key, days: Math.max(0, daysBetween(s.start, series.end)) };
    }),
  };
}

export async function loadAnomalies(w: CostWarehouse, req: AnomaliesRequest): Promise<AnomaliesData> {
  const series = await loadSeries(w, {
    by: req.by,
    basis: req.basis,
    today: req.today,
    teamTag: req.teamTag,
    where: req.where,
    bound: req.bound,
  });
  const { judged, from, ...found } = findAnomalies(series, req);
  const anomalies: ExplainedAnomaly[] = [];
  const explained = new Set(
    req.explain
      ? req.explain(found.anomalies)
      : [...found.anomalies].sort((a, b) => b.day.localeCompare(a.day)).slice(0, MAX_EXPLAINED),
  );
  for (const a of found.anomalies) {
    const scope = series.series.find((s) => s.key === a.key)!;
    let drivers: ExplainedAnomaly['drivers'] = null;
    let top: ExplainedAnomaly['topContributor'] = null;
    if (explained.has(a)) {
      const e = await explainDay(w, {
        day: a.day,
        dimension: req.by,
        key: a.key,
        basis: req.basis,
        teamTag: req.teamTag,
        firstDay: scope.start,
        currency: series.currency,
        where: req.where,
      });
      drivers = e.waterfall;
      top = e.top;
    }
    anomalies.push({ ...a, dimension: req.by, drivers, topContributor: top });
  }
  return {
    series,
    judged,
    evaluated: { from: earlierDay(from, series.end), to: series.end, scopes: series.series.length },
    anomalies,
    insufficientHistory: found.insufficientHistory.map((i) => ({ dimension: req.by, ...i })),
    sensitivity: req.sensitivity,
  };
}

export function anomaliesJson(d: AnomaliesData) {
  return {
    evaluated: d.evaluated,
    currency: d.series.currency,
    sensitivity: d.sensitivity,
    anomalies: d.anomalies.map((a) => ({
      day: a.day,
      lastDay: a.lastDay,
      days: a.days,
      dimension: a.dimension,
      key: a.key,
      actual: a.actual,
      expected: a.expected,
      lower: a.lower,
      upper: a.upper,
      impact: a.impact,
      impactPercent: a.impactPercent,
      direction: a.direction,
      score: Number.isFinite(a.score) ? a.score : null,
      severity: a.severity,
      drivers: a.drivers,
      topContributor: a.topContributor,
      totalImpact: a.totalImpact,
    })),
    insufficientHistory: d.insufficientHistory,
    otherCurrencies: d.series.otherCurrencies,
  };
}

const scopeName = (a: { dimension: ScopeDimension; key: string }) =>
  a.dimension === 'total' ? 'total spend' : `${displayKey(a.key, a.dimension)} (${a.dimension})`;

/** One sentence: what happened, how big, what drove it. */
export function anomalySentence(a: ExplainedAnomaly, currency: string): string {
  const what =
    a.direction === 'new'
      ? `new spend of ${formatMoney(a.actual, currency)}`
      : a.direction === 'gone'
        ? `spend stopped (${formatMoney(a.expected, currency)} expected)`
        : `${formatMoney(a.actual, currency)} against ${formatMoney(a.expected, currency)} expected (${formatSignedMoney(a.impact, currency)}${a.impactPercent === null ? '' : `, ${formatPercent(a.impactPercent, { signed: true })}`})`;
  const run =
    a.days > 1
      ? `, ${a.days} days to ${a.lastDay} (${formatSignedMoney(a.totalImpact, currency)} in all)`
      : '';
  const why = a.topContributor
    ? `; top driver: ${displayKey(a.topContributor.key, a.topContributor.by)} ${formatSignedMoney(a.topContributor.deltaValue, currency)} (${DRIVER_NAMES[a.topContributor.driverType as keyof typeof DRIVER_NAMES] ?? a.topContributor.driverType})`
    : '';
  return `${a.day} ${a.sustained ? `sustained ${a.direction}` : a.direction} in ${scopeName(a)}: ${what}${run}${why}.`;
}

/** Alerts (posted after each sync, and the digest's line) judge at this sensitivity. */
export const ALERTS_SENSITIVITY: Sensitivity = 'medium';

/** An anomaly in context: its scope's series, the band it was judged against, the day marked. */
export function anomalyChart(
  a: ExplainedAnomaly,
  series: DailySeries,
  currency: string,
  sensitivity: Sensitivity,
): ChartRef {
  return {
    id: 'anomaly',
    title: `${a.direction} in ${scopeName(a)} on ${a.day}`,
    altText: anomalySentence(a, currency),
    spec: buildAnomalyChart(series, a, {
      currency,
      sensitivity,
      // What and when first: a long name is what a narrow chart cuts.
      title: `${a.direction[0]!.toUpperCase()}${a.direction.slice(1)} on ${a.day}: ${a.dimension === 'total' ? 'total spend' : displayKey(a.key, a.dimension)}`,
    }),
  };
}

export function buildAnomaliesReport(d: AnomaliesData, source: string): Report {
  const c = d.series.currency;
  const high = d.anomalies.filter((a) => a.severity === 'high').length;
  const lead = [...d.anomalies].sort((a, b) => Math.abs(b.totalImpact) - Math.abs(a.totalImpact))[0];
  const blocks: ReportBlock[] = [];
  if (lead) {
    const s = d.judged.find((x) => x.key === lead.key)!;
    blocks.push({ type: 'chart', chart: anomalyChart(lead, s, c, d.sensitivity) });
  }
  blocks.push(
    d.anomalies.length
      ? {
          type: 'table',
          columns: [
            { header: 'day' },
            { header: 'scope' },
            { header: 'what' },
            { header: 'actual', align: 'right' },
            { header: 'expected', align: 'right' },
            { header: 'impact', align: 'right' },
            { header: 'severity' },
            { header: 'top driver' },
          ],
          rows: [...d.anomalies]
            .sort((a, b) => b.day.localeCompare(a.day) || Math.abs(b.impact) - Math.abs(a.impact))
            .slice(0, 30)
            .map((a) => [
              a.days > 1 ? `${a.day}..${a.lastDay}` : a.day,
              a.dimension === 'total' ? 'total' : displayKey(a.key, a.dimension),
              a.direction,
              formatMoney(a.actual, c),
              formatMoney(a.expected, c),
              formatSignedMoney(a.days > 1 ? a.totalImpact : a.impact, c),
              a.severity,
              a.topContributor
                ? `${displayKey(a.topContributor.key, a.topContributor.by)} ${formatSignedMoney(a.topContributor.deltaValue, c)}`
                : 'n/a',
            ]),
          omitted: Math.max(0, d.anomalies.length - 30),
        }
      : {
          type: 'text',
          tone: 'good',
          text: `No unusual day from ${d.evaluated.from} to ${d.evaluated.to} at ${d.sensitivity} sensitivity.`,
        },
  );
  return {
    kind: 'anomalies',
    title: 'Spend anomalies',
    period: `${d.evaluated.from}..${d.evaluated.to} · ${d.evaluated.scopes} scope${d.evaluated.scopes === 1 ? '' : 's'} · ${c} · ${source}`,
    kpis: [
      {
        label: 'Anomalies',
        value: String(d.anomalies.length),
        tone: d.anomalies.length ? 'warning' : 'good',
      },
      { label: 'High severity', value: String(high), tone: high ? 'bad' : 'good' },
      {
        label: 'Impact',
        value: formatSignedMoney(
          d.anomalies.reduce((s, a) => s + a.totalImpact, 0),
          c,
        ),
      },
    ],
    sections: [
      { id: 'anomalies', title: 'Unusual days', blocks },
      ...(lead
        ? [
            {
              id: 'lead',
              title: 'The largest',
              blocks: [{ type: 'text' as const, text: anomalySentence(lead, c) }],
            },
          ]
        : []),
    ],
    footnotes: [
      `Each day against the median of the same weekday over 4 weeks (or of the previous 28 days without a weekly pattern), the 1st and the last two days of a month also against the same day of previous months; ${d.sensitivity} sensitivity flags a day ${SENSITIVITY[d.sensitivity]} spreads away, or 2-3 days in a row whose mean is ${((SUSTAINED_FACTOR * SENSITIVITY[d.sensitivity]) / Math.sqrt(3)).toFixed(1)}-${((SUSTAINED_FACTOR * SENSITIVITY[d.sensitivity]) / Math.sqrt(2)).toFixed(1)} spreads away, that move at least 20 % and the minimum impact, unless the scope has made a habit of such moves. Drivers: the day against the same weekday a week before.`,
      ...(d.insufficientHistory.length
        ? [
            `Not judged (fewer than ${MIN_HISTORY_DAYS} days of history): ${d.insufficientHistory.map((i) => `${i.key} (${i.days})`).join(', ')}.`,
          ]
        : []),
      ...otherCurrenciesNote(d.series),
    ],
  };
}

/** `now`: the real date (what a source like the demo or Cost Explorer is read up to). */
export async function runAnomalies(
  deps: ReportDeps,
  req: AnomaliesRequest & { source: SourceSpec; now: string },
): Promise<ReportOutput> {
  return withSession(deps, req.source, { today: req.today ?? req.now, purpose: 'report' }, async (s) => {
    const d = await loadAnomalies(s.warehouse, req);
    const report = buildAnomaliesReport(d, s.label);
    report.scope = scopeLine(req.where);
    return { report, json: { ...anomaliesJson(d), scope: scopeJson(req.where) } };
  });
}
