/**
 * The carbon and allocation reports, and the digest's carbon section, from CarbonData.
 *
 *   carbon:     totals, top emitters chart and table, instances not estimated, sources named
 *   allocation: instance cost by method, unallocated share per type, optional currency conversion
 */

import { AWS_PUE } from '../analytics/carbon/footprint.js';
import type { Basis } from '../analytics/types.js';
import { buildEmittersChart } from '../charts/carbon.js';
import { type CarbonData, type InstancesSpec, loadCarbon } from './carbon-data.js';
import { type ReportDeps, type ReportOutput, withSession } from './deps.js';
import { formatMoney, formatPercent, formatRange } from './format.js';
import type { Report, ReportSection } from './report.js';
import type { SourceSpec } from './source.js';

const kg = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));

export function carbonTotals(d: CarbonData) {
  const est = d.rows.filter((r) => r.footprint);
  return {
    kgCo2e: est.reduce((s, r) => s + r.footprint!.kgCo2e, 0),
    embodiedKgCo2e: est.reduce((s, r) => s + (r.footprint!.embodiedKgCo2e ?? 0), 0),
    kwh: est.reduce((s, r) => s + r.footprint!.kwh, 0),
    estimated: est.length,
    notEstimated: d.rows.length - est.length,
    allocatedCost: d.rows.reduce((s, r) => s + r.cost, 0),
    unallocatedCost: d.allocation.reduce((s, t) => s + t.unallocated, 0),
  };
}

export function carbonJson(d: CarbonData) {
  return {
    window: d.window,
    currency: d.currency,
    totals: carbonTotals(d),
    instances: d.rows.map((r) => ({
      id: r.id,
      type: r.type,
      region: r.region,
      state: r.state,
      method: r.method,
      cost: r.cost,
      hours: r.footprint?.hours ?? null,
      watts: r.footprint?.watts ?? null,
      kwh: r.footprint?.kwh ?? null,
      gridGramsPerKwh: r.footprint?.gridGramsPerKwh ?? null,
      gridSource: r.gridSource,
      kgCo2e: r.footprint?.kgCo2e ?? null,
      embodiedKgCo2e: r.footprint?.embodiedKgCo2e ?? null,
      monthlyKgCo2e: r.footprint?.monthlyKgCo2e ?? null,
      coefficientBasis: r.coefficientBasis,
      notEstimated: r.notEstimated,
    })),
    excluded: d.excluded,
    allocation: d.allocation,
    sources: { coefficients: d.coefficients, grid: d.gridSources, pue: AWS_PUE },
  };
}

const sourceNotes = (d: CarbonData): string[] => [
  `Power: ${d.coefficients}; energy includes a PUE of ${AWS_PUE}.`,
  `Grid intensity: ${d.gridSources.join('; ') || 'none needed'}.`,
  'Monthly figures scale the window to 720 hours only for instances that ran; embodied emissions are amortised over 4 years by vCPU share.',
];

export function buildCarbonReport(d: CarbonData, source: string): Report {
  const t = carbonTotals(d);
  const est = d.rows.filter((r) => r.footprint);
  return {
    kind: 'carbon',
    title: 'Carbon footprint of compute',
    period: `${formatRange(d.window)} · ${source}`,
    kpis: [
      { label: 'Operational', value: `${kg(t.kgCo2e)} kg CO2e`, detail: `${t.kwh.toFixed(0)} kWh` },
      { label: 'Embodied', value: `${kg(t.embodiedKgCo2e)} kg CO2e` },
      {
        label: 'Instances',
        value: `${t.estimated} estimated`,
        detail: `${t.notEstimated + d.excluded.length} not`,
      },
      { label: 'Compute cost', value: formatMoney(t.allocatedCost, d.currency) },
    ],
    sections: [
      {
        id: 'emitters',
        title: 'Top emitters',
        blocks: [
          ...(est.length
            ? [
                {
                  type: 'chart' as const,
                  chart: {
                    id: 'carbon_emitters',
                    title: 'Top emitters',
                    altText: est
                      .slice(0, 8)
                      .map((r) => `${r.id} (${r.type}) ${kg(r.footprint!.kgCo2e)} kg`)
                      .join(', '),
                    spec: buildEmittersChart(
                      est.map((r) => ({
                        label: `${r.id} · ${r.type}`,
                        operationalKg: r.footprint!.kgCo2e,
                        embodiedKg: r.footprint!.embodiedKgCo2e ?? 0,
                      })),
                      `${formatRange(d.window)} · operational and embodied`,
                    ),
                  },
                },
              ]
            : []),
          {
            type: 'table',
            columns: [
              { header: 'instance' },
              { header: 'type' },
              { header: 'region' },
              { header: 'hours', align: 'right' },
              { header: 'cost', align: 'right' },
              { header: 'kWh', align: 'right' },
              { header: 'g/kWh', align: 'right' },
              { header: 'kg CO2e', align: 'right' },
              { header: 'per month', align: 'right' },
            ],
            rows: est
              .slice(0, 25)
              .map((r) => [
                r.id,
                r.type,
                r.region,
                r.footprint!.hours.toFixed(0),
                formatMoney(r.cost, d.currency),
                r.footprint!.kwh.toFixed(1),
                r.footprint!.gridGramsPerKwh.toFixed(0),
                kg(r.footprint!.kgCo2e),
                r.footprint!.monthlyKgCo2e === null ? 'n/a' : kg(r.footprint!.monthlyKgCo2e),
              ]),
            omitted: Math.max(0, est.length - 25),
          },
        ],
      },
      ...(d.rows.length > est.length || d.excluded.length
        ? [
            {
              id: 'notEstimated',
              title: 'Not estimated',
              blocks: [
                {
                  type: 'table' as const,
                  columns: [{ header: 'instance' }, { header: 'type' }, { header: 'reason' }],
                  rows: [
                    ...d.rows.filter((r) => r.notEstimated).map((r) => [r.id, r.type, r.notEstimated!]),
                    ...d.excluded.map((e) => [e.id, e.type, e.reason]),
                  ],
                },
              ],
            },
          ]
        : []),
    ],
    footnotes: sourceNotes(d),
  };
}

/** The digest's carbon section: this period against the previous one, top emitters, the grid source. */
export function carbonSection(current: CarbonData, previous: CarbonData): ReportSection {
  const c = carbonTotals(current);
  const p = carbonTotals(previous);
  const change = p.kgCo2e === 0 ? null : ((c.kgCo2e - p.kgCo2e) / p.kgCo2e) * 100;
  const top = current.rows.filter((r) => r.footprint).slice(0, 3);
  return {
    id: 'carbon',
    title: 'Carbon',
    blocks: [
      {
        type: 'text',
        text: `${kg(c.kgCo2e)} kg CO2e from compute this period (${formatPercent(change, { signed: true })} against ${kg(p.kgCo2e)} kg the period before), plus ${kg(c.embodiedKgCo2e)} kg embodied.`,
      },
      ...(top.length
        ? [
            {
              type: 'facts' as const,
              facts: top.map((r) => ({
                label: `${r.id} (${r.type}, ${r.region})`,
                value: `${kg(r.footprint!.kgCo2e)} kg`,
              })),
            },
          ]
        : []),
      { type: 'context', text: `Grid: ${current.gridSources.join('; ') || 'n/a'}` },
    ],
  };
}

/** `spendbrief carbon`/`allocate` and `/spend carbon`: the instances, their cost and footprint. */
export async function runCarbonData(
  deps: ReportDeps,
  req: {
    source: SourceSpec;
    instances: InstancesSpec;
    today: string;
    basis: Basis;
    days: number;
    teamTag: string;
  },
): Promise<{ data: CarbonData; label: string }> {
  return withSession(deps, req.source, { today: req.today, purpose: 'question' }, async (s) => ({
    data: await loadCarbon(s.warehouse, deps.carbon, req),
    label: s.label,
  }));
}

export async function runCarbon(
  deps: ReportDeps,
  req: Parameters<typeof runCarbonData>[1],
): Promise<ReportOutput> {
  const { data, label } = await runCarbonData(deps, req);
  return { report: buildCarbonReport(data, label), json: carbonJson(data) };
}
