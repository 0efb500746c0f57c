/** Report sections made from a DriversResult; the drivers, digest and drill-down reports compose them. */
import { createHash } from 'node:crypto';
import { DRIVER_NAMES, stepName } from '../../analytics/drivers/names.js';
import type { Bucket, DriversResult } from '../../analytics/drivers/types.js';
import type { Dimension } from '../../analytics/types.js';
import { buildContributorsChart } from '../../charts/contributors.js';
import { buildTrendChart } from '../../charts/trend.js';
import { buildWaterfallChart } from '../../charts/waterfall.js';
import { displayKey, formatMoney, formatPercent, formatRange, formatSignedMoney } from '../format.js';
import type { Kpi, ReportAction, ReportSection } from '../report.js';

/** The dimension a drill-down goes to next (service -> account -> region -> sku). */
export const NEXT_DIMENSION: Record<Dimension, Dimension | null> = {
  service: 'account',
  account: 'region',
  region: 'sku',
  team: 'service',
  sku: null,
};

export function periodLine(r: DriversResult, source: string): string {
  const vs = r.window.previous ? ` vs ${formatRange(r.window.previous)}` : ' (no comparison)';
  return `${formatRange(r.window.current)}${vs} · ${r.basis} cost · ${r.currency} · ${source}`;
}

export function varianceKpis(r: DriversResult): Kpi[] {
  const k = r.kpis;
  const tone = k.netChange > 0.005 ? 'bad' : k.netChange < -0.005 ? 'good' : 'neutral';
  return [
    { label: 'Current', value: formatMoney(k.current, r.currency) },
    { label: 'Previous', value: formatMoney(k.previous, r.currency) },
    {
      label: 'Net change',
      value: formatSignedMoney(k.netChange, r.currency),
      detail: formatPercent(k.netChangePercent, { signed: true }),
      tone,
    },
    { label: 'Explained', value: formatPercent(k.explainedPercent) },
    {
      label: 'Confidence',
      value: `${r.confidence.score}/100 ${r.confidence.level}`,
      tone: r.confidence.level === 'High' ? 'good' : r.confidence.level === 'Medium' ? 'warning' : 'bad',
    },
  ];
}

function largestDriver(r: DriversResult): { name: Bucket; value: number } | null {
  let best: { name: Bucket; value: number } | null = null;
  for (const [name, value] of Object.entries(r.drivers) as [Bucket, number][]) {
    if (Math.abs(value) >= 0.005 && (!best || Math.abs(value) > Math.abs(best.value))) best = { name, value };
  }
  return best;
}

export function varianceSection(r: DriversResult): ReportSection {
  const k = r.kpis;
  const c = r.currency;
  const moved =
    Math.abs(k.netChange) < 0.005
      ? `Spend held at ${formatMoney(k.current, c)}.`
      : `Spend ${k.netChange > 0 ? 'rose' : 'fell'} ${formatSignedMoney(k.netChange, c)} (${formatPercent(k.netChangePercent, { signed: true })}) from ${formatMoney(k.previous, c)} to ${formatMoney(k.current, c)}.`;
  const top = largestDriver(r);
  const driver = top
    ? ` The largest driver is ${DRIVER_NAMES[top.name].toLowerCase()} (${formatSignedMoney(top.value, c)}).`
    : '';
  const lead = r.rows[0];
  const contributor = lead
    ? ` Top ${r.by}: ${displayKey(lead.key, r.by)} (${formatSignedMoney(lead.deltaValue, c)}, ${formatPercent(lead.contributionPercent, { signed: true })} of the change).`
    : '';
  return {
    id: 'variance',
    title: 'Variance',
    blocks: [{ type: 'text', text: `${moved}${driver}${contributor}` }],
  };
}

/** The waterfall chart, the steps as facts (`facts: false` leaves them to the chart), the still buckets in one line. */
export function waterfallSection(r: DriversResult, opts: { facts?: boolean } = {}): ReportSection {
  const c = r.currency;
  const moved = r.waterfall.steps.filter((s) => s.value !== 0);
  // The rounding residual is bookkeeping: never listed as a driver that did not move.
  const still = r.waterfall.steps.filter((s) => s.value === 0 && s.name !== 'roundingResidual');
  return {
    id: 'drivers',
    title: 'Drivers',
    blocks: [
      {
        type: 'chart',
        chart: {
          id: 'waterfall',
          title: 'From previous to current spend',
          altText: `Waterfall from ${formatMoney(r.waterfall.start, c)} to ${formatMoney(r.waterfall.end, c)}: ${r.waterfall.steps
            .filter((s) => s.value !== 0)
            .map((s) => `${stepName(s.name)} ${formatSignedMoney(s.value, c)}`)
            .join(', ')}`,
          spec: buildWaterfallChart(r),
        },
      },
      ...(opts.facts === false
        ? []
        : [
            {
              type: 'facts' as const,
              facts: moved.map((s) => ({ label: stepName(s.name), value: formatSignedMoney(s.value, c) })),
            },
          ]),
      // Buckets that did not move collapse into one line instead of a column of $0.00.
      ...(still.length
        ? [
            {
              type: 'context' as const,
              text: `No change from ${still.map((s) => stepName(s.name).toLowerCase()).join(', ')}.`,
            },
          ]
        : []),
      ...(r.waterfall.balanced
        ? []
        : [
            {
              type: 'text' as const,
              tone: 'bad' as const,
              text: `The waterfall does not balance: off by ${formatMoney(r.waterfall.deltaDifference, c)}.`,
            },
          ]),
    ],
  };
}

/** Keys longer than this travel in a button as a hash, resolved against the data when clicked. */
export const MAX_KEY_IN_PAYLOAD = 100;

/** The short id of a drill target: the first 16 hex digits of the key's MD5 (DuckDB's md5 agrees). */
export const keyHash = (key: string): string =>
  createHash('md5').update(key, 'utf8').digest('hex').slice(0, 16);

/** A button that drills `key` of `dim` down by `next` over the given windows. */
export function drillAction(o: {
  dim: string;
  key: string;
  next: string;
  window: string;
  compare: string;
  basis: string;
}): ReportAction {
  return {
    id: 'drill',
    label: `${displayKey(o.key, o.dim)} by ${o.next}`,
    // By reference: a button value stays small whatever the key (Slack allows 2,000 characters).
    payload: {
      dim: o.dim,
      ...(o.key.length <= MAX_KEY_IN_PAYLOAD ? { key: o.key } : { keyHash: keyHash(o.key) }),
      next: o.next,
      window: o.window,
      compare: o.compare,
      basis: o.basis,
    },
  };
}

export function drillActions(r: DriversResult, max: number): ReportAction[] {
  const next = NEXT_DIMENSION[r.by];
  if (!next) return [];
  return r.rows.slice(0, max).map((row) =>
    drillAction({
      dim: r.by,
      key: row.key,
      next,
      window: formatRange(r.window.current),
      compare: formatRange(r.window.previous),
      basis: r.basis,
    }),
  );
}

export function contributorsSection(
  r: DriversResult,
  opts: { drill: number; chart: boolean },
): ReportSection {
  // One line says what is left out (rows beyond the limit, rows under the noise threshold).
  const c = r.currency;
  const rows = r.rows.map((row) => [
    `${displayKey(row.key, r.by)}${row.label ? ` (${row.label})` : ''}`,
    formatMoney(row.previousSpend, c),
    formatMoney(row.currentSpend, c),
    formatSignedMoney(row.deltaValue, c),
    formatPercent(row.contributionPercent, { signed: true }),
    DRIVER_NAMES[row.driverType],
    row.risk,
  ]);
  const omitted = r.omitted.byRowLimit + r.omitted.byThreshold;
  const actions = drillActions(r, opts.drill);
  return {
    id: 'contributors',
    title: `Top contributors by ${r.by}`,
    blocks: [
      ...(opts.chart && r.rows.length > 0
        ? [
            {
              type: 'chart' as const,
              chart: {
                id: 'contributors',
                title: `Change by ${r.by}`,
                altText: r.rows
                  .slice(0, 10)
                  .map((row) => `${displayKey(row.key, r.by)} ${formatSignedMoney(row.deltaValue, c)}`)
                  .join(', '),
                spec: buildContributorsChart(r.rows, c, r.by),
              },
            },
          ]
        : []),
      rows.length > 0
        ? {
            type: 'table' as const,
            columns: [
              { header: r.by },
              { header: 'Previous', align: 'right' as const },
              { header: 'Current', align: 'right' as const },
              { header: 'Change', align: 'right' as const },
              { header: 'Share', align: 'right' as const },
              { header: 'Driver' },
              { header: 'Risk' },
            ],
            rows,
          }
        : {
            type: 'text' as const,
            text: `No ${r.by} moved by more than ${formatMoney(r.noiseThreshold, c)}.`,
          },
      ...(actions.length > 0 ? [{ type: 'actions' as const, actions }] : []),
      ...(omitted > 0
        ? [
            {
              type: 'context' as const,
              text: `+${omitted} more ${r.by === 'sku' ? 'SKUs' : `${r.by}s`}: ${[
                r.omitted.byRowLimit ? `${r.omitted.byRowLimit} beyond the top ${r.rows.length}` : '',
                r.omitted.byThreshold
                  ? `${r.omitted.byThreshold} under the noise threshold of ${formatMoney(r.noiseThreshold, c)}`
                  : '',
              ]
                .filter(Boolean)
                .join(', ')}.`,
            },
          ]
        : []),
    ],
  };
}

export function trendSection(r: DriversResult): ReportSection {
  return {
    id: 'trend',
    title: 'Daily trend',
    blocks: [
      {
        type: 'chart',
        chart: {
          id: 'trend',
          title: 'Daily spend, current vs previous window',
          altText: `Daily spend over ${r.trend.length} days, current window against the previous one, with the unexplained residual per day.`,
          spec: buildTrendChart(r),
        },
      },
    ],
  };
}

export function unexplainedSection(r: DriversResult): ReportSection {
  const u = r.unexplained;
  const tone = u.severity === 'HIGH' ? 'bad' : u.severity === 'MEDIUM' ? 'warning' : 'good';
  return {
    id: 'unexplained',
    title: 'Unexplained',
    blocks: [
      {
        type: 'text',
        tone,
        text: `${u.severity}: ${formatSignedMoney(u.value, r.currency)} of the change (${formatPercent(u.percentOfNet)} of net) is not explained by usage, rate, mix, new or removed lines, or credits (tax, adjustments and rounding).`,
      },
    ],
  };
}

const RULE_NAMES = {
  currencyConsistency: 'Currency consistency',
  modelResidual: 'Model residual',
  usageRateCoverage: 'Usage/rate coverage',
  ownershipMapping: 'Ownership mapping',
} as const;

export function confidenceSection(r: DriversResult): ReportSection {
  const c = r.confidence;
  const failing = (Object.keys(c.rules) as (keyof typeof RULE_NAMES)[]).filter((k) => c.rules[k] !== 'pass');
  const g = r.governance;
  return {
    id: 'confidence',
    title: 'Attribution confidence',
    blocks: [
      {
        type: 'text',
        tone: c.level === 'High' ? 'good' : c.level === 'Medium' ? 'warning' : 'bad',
        text: `${c.score}/100 (${c.level}). ${
          failing.length === 0
            ? 'All four rules pass.'
            : `Not passing: ${failing.map((k) => `${RULE_NAMES[k]} (${c.rules[k]})`).join(', ')}.`
        }`,
      },
      ...(c.penalties.length > 0
        ? [
            {
              type: 'context' as const,
              text: c.penalties.map((p) => `−${p.points} ${p.rule}: ${p.detail}`).join(' · '),
            },
          ]
        : []),
      {
        type: 'facts',
        facts: [
          { label: 'Data completeness', value: formatPercent(g.periodDataCompleteness) },
          { label: 'Untagged spend', value: formatPercent(g.missingTagSpend) },
          { label: 'SKU coverage', value: formatPercent(g.skuMappingCoverage) },
          { label: 'Quantity coverage', value: formatPercent(g.quantityCoverage) },
          { label: 'Single currency', value: g.currencyConsistency ? 'yes' : 'no' },
        ],
      },
    ],
  };
}

/**
 * What needs a reader's attention, in one block: the unexplained severity unless LOW, the confidence
 * rules that do not pass with their penalties, and any extra lines (anomalies). Says so when nothing does.
 */
export function attentionSection(r: DriversResult, extra: string[] = []): ReportSection {
  const u = r.unexplained;
  const c = r.confidence;
  const lines: string[] = [];
  if (u.severity !== 'LOW')
    lines.push(
      `${u.severity} unexplained: ${formatSignedMoney(u.value, r.currency)} (${formatPercent(u.percentOfNet)} of the change) is tax, adjustments or rounding the drivers do not cover.`,
    );
  for (const p of c.penalties) lines.push(`Confidence −${p.points}, ${p.rule}: ${p.detail}.`);
  lines.push(...extra);
  const tone = u.severity === 'HIGH' || c.level === 'Low' ? 'bad' : lines.length ? 'warning' : 'good';
  return {
    id: 'attention',
    title: 'Needs attention',
    blocks: [
      {
        type: 'text',
        tone,
        text: lines.length
          ? lines.join('\n')
          : `Nothing: ${formatSignedMoney(u.value, r.currency)} unexplained (LOW), all confidence rules pass (${c.score}/100).`,
      },
    ],
  };
}
