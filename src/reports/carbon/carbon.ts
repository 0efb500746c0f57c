/**
 * The carbon report and the digest's carbon section, from CarbonData: operational emissions of
 * compute, storage and data transfer, embodied emissions apart, what the figure covers, and the
 * coefficient and grid sources named.
 */
import type { Basis } from '../../analytics/types.js';
import { buildEmittersChart } from '../../charts/carbon.js';
import { type ReportDeps, type ReportOutput, withSession } from '../deps.js';
import { formatAmount as amount, formatMoney, formatPercent, formatRange } from '../format.js';
import type { Report, ReportBlock, ReportSection } from '../report.js';
import { type Scoped, scopeJson, scopeLine } from '../scope.js';
import type { SourceSpec } from '../source.js';
import { loadCarbon } from './data.js';
import { currencyNote, inCurrency } from './fx.js';
import type { InstancesSpec } from './instances.js';
import type { CarbonData, FxConversion } from './types.js';

const kg = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export function carbonTotals(d: CarbonData) {
  const est = d.instances.filter((r) => r.footprint);
  const lineKg = (kind: string) => sum(d.lines.filter((l) => l.kind === kind).map((l) => l.kgCo2e ?? 0));
  const computeKg = sum(est.map((r) => r.footprint!.kgCo2e)) + lineKg('compute');
  const storageKg = lineKg('storage');
  const networkKg = lineKg('network');
  return {
    kgCo2e: computeKg + storageKg + networkKg,
    computeKgCo2e: computeKg,
    storageKgCo2e: storageKg,
    networkKgCo2e: networkKg,
    embodiedKgCo2e:
      sum(est.map((r) => r.footprint!.embodiedKgCo2e ?? 0)) + sum(d.lines.map((l) => l.embodiedKgCo2e ?? 0)),
    kwh: sum(est.map((r) => r.footprint!.kwh)) + sum(d.lines.map((l) => l.kwh)),
    estimated: est.length,
    notEstimated: d.instances.length - est.length,
    allocatedCost: sum(d.instances.map((r) => r.cost ?? 0)),
    unallocatedCost: sum(d.allocation.map((t) => t.unallocated)),
  };
}

/** The JSON of `carbon` and `allocate` (names in docs/json.md). */
export function carbonJson(d: CarbonData) {
  return {
    window: d.window,
    currency: d.currency,
    cpuUtilizationPercent: d.cpuUtilisationPercent,
    coverage: d.coverage,
    totals: carbonTotals(d),
    instances: d.instances.map((r) => ({
      id: r.id,
      type: r.type,
      region: r.region,
      state: r.state,
      method: r.method,
      hoursFrom: r.hoursFrom,
      cost: r.cost,
      costNote: r.costNote,
      hours: r.hours,
      estimatedHours: r.estimatedHours,
      // Average power at the wall over the hours estimated (compute and memory, PUE included).
      watts: r.footprint && r.estimatedHours > 0 ? (r.footprint.kwh * 1000) / r.estimatedHours : null,
      computeKwh: r.footprint?.computeKwh ?? null,
      memoryKwh: r.footprint?.memoryKwh ?? null,
      kwh: r.footprint?.kwh ?? null,
      gridGramsPerKwh: r.footprint?.gridGramsPerKwh ?? null,
      gridSource: r.gridSource,
      kgCo2e: r.footprint?.kgCo2e ?? null,
      embodiedKgCo2e: r.footprint?.embodiedKgCo2e ?? null,
      monthlyKgCo2e: r.footprint?.monthlyKgCo2e ?? null,
      coefficientBasis: r.coefficients,
      notEstimated: r.notEstimated,
    })),
    lines: d.lines,
    excluded: d.excluded,
    allocation: d.allocation,
    notes: d.notes,
    sources: d.sources,
    fx: d.fx,
  };
}

/** `us-east-1 379, eu-central-1 311 g CO2e/kWh: CCF's annual factor (direct emissions)`, per source. */
export function gridNote(d: CarbonData): string {
  const groups = new Map<string, string[]>();
  for (const g of d.sources.grid) {
    const key = `${g.source} (${g.emissions} emissions)`;
    groups.set(key, [...(groups.get(key) ?? []), `${g.region} ${g.gramsPerKwh.toFixed(0)}`]);
  }
  return groups.size === 0
    ? 'none needed'
    : [...groups].map(([source, regions]) => `${regions.join(', ')} g CO2e/kWh: ${source}`).join('; ');
}

export const carbonSourceNotes = (d: CarbonData): string[] => [
  `Method and coefficients: ${d.sources.coefficients}; CPU utilisation ${d.cpuUtilisationPercent} % (--cpu-utilization); PUE ${d.sources.pue}.`,
  `Grid intensity: ${gridNote(d)}.`,
  `Embodied emissions: the server's total over CCF's ${Math.round(d.sources.lifespanHours / 8760)}-year life, by vCPU share; never counted as energy. Per month: the window's operational figure x 720 / the instance's hours.`,
  ...d.notes,
  currencyNote(d),
];

/** Compute without listed instances, storage and data transfer: one row per kind (the JSON keeps each region). */
function linesBlock(d: CarbonData): ReportBlock[] {
  const kinds = new Map<
    string,
    {
      unit: string;
      regions: Set<string>;
      quantity: number;
      cost: number;
      kwh: number;
      kg: number;
      missing: number;
    }
  >();
  for (const l of d.lines) {
    const k = kinds.get(l.what) ?? {
      unit: l.unit,
      regions: new Set(),
      quantity: 0,
      cost: 0,
      kwh: 0,
      kg: 0,
      missing: 0,
    };
    k.regions.add(l.region);
    k.quantity += l.quantity;
    k.cost += l.cost;
    k.kwh += l.kwh;
    if (l.kgCo2e === null) k.missing += 1;
    else k.kg += l.kgCo2e;
    kinds.set(l.what, k);
  }
  return [
    {
      type: 'table',
      columns: [
        { header: 'what' },
        { header: 'regions', align: 'right' },
        { header: 'quantity', align: 'right' },
        { header: 'cost', align: 'right' },
        { header: 'kWh', align: 'right' },
        { header: 'kg CO2e', align: 'right' },
      ],
      rows: [...kinds].map(([what, k]) => [
        what,
        String(k.regions.size),
        `${amount(k.quantity)} ${k.unit}`,
        formatMoney(k.cost, d.currency),
        amount(k.kwh),
        `${kg(k.kg)}${k.missing ? ` (${k.missing} not estimated)` : ''}`,
      ]),
    },
  ];
}

export function buildCarbonReport(d: CarbonData, source: string): Report {
  const t = carbonTotals(d);
  const est = d.instances.filter((r) => r.footprint);
  const notEstimated = d.instances.filter((r) => r.notEstimated);
  return {
    kind: 'carbon',
    title: 'Carbon footprint',
    period: `${formatRange(d.window)} · ${source}`,
    kpis: [
      { label: 'Operational', value: `${kg(t.kgCo2e)} kg CO2e`, detail: `${amount(t.kwh)} kWh` },
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
        id: 'coverage',
        title: 'What this covers',
        blocks: [
          {
            type: 'text',
            text: `Covers ${d.coverage}. Compute ${kg(t.computeKgCo2e)} kg, storage ${kg(t.storageKgCo2e)} kg, data transfer ${kg(t.networkKgCo2e)} kg CO2e at ${d.cpuUtilisationPercent} % CPU.`,
          },
        ],
      },
      {
        id: 'emitters',
        title: 'Instances',
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
                amount(r.hours),
                r.cost === null ? 'unknown' : formatMoney(r.cost, d.currency),
                amount(r.footprint!.kwh),
                r.footprint!.gridGramsPerKwh.toFixed(0),
                kg(r.footprint!.kgCo2e),
                r.footprint!.monthlyKgCo2e === null ? 'n/a' : kg(r.footprint!.monthlyKgCo2e),
              ]),
            omitted: Math.max(0, est.length - 25),
          },
        ],
      },
      ...(d.lines.length
        ? [
            {
              id: 'beyondInstances',
              title: d.lines.some((l) => l.kind === 'compute')
                ? 'Unlisted compute, storage and data transfer'
                : 'Storage and data transfer',
              blocks: linesBlock(d),
            },
          ]
        : []),
      ...(notEstimated.length || d.excluded.length
        ? [
            {
              id: 'notEstimated',
              title: 'Not estimated',
              blocks: [
                {
                  type: 'table' as const,
                  columns: [{ header: 'instance' }, { header: 'type' }, { header: 'reason' }],
                  rows: [
                    ...notEstimated.map((r) => [r.id, r.type, r.notEstimated!]),
                    ...d.excluded.map((e) => [e.id, e.type, e.reason]),
                  ],
                },
              ],
            },
          ]
        : []),
    ],
    footnotes: carbonSourceNotes(d),
  };
}

export interface CarbonRunRequest extends Scoped {
  source: SourceSpec;
  instances: InstancesSpec;
  today: string;
  basis: Basis;
  days: number;
  teamTag: string;
  cpuUtilisationPercent?: number;
  fx?: FxConversion;
}

/** `spendbrief carbon`/`allocate` and `/spend carbon`: the instances, their cost and footprint. */
export async function runCarbonData(
  deps: ReportDeps,
  req: CarbonRunRequest,
): Promise<{ data: CarbonData; label: string }> {
  return withSession(deps, req.source, { today: req.today, purpose: 'report' }, async (s) => {
    const data = await loadCarbon(s.warehouse, deps.carbon, {
      ...req,
      cpuUtilisationPercent: req.cpuUtilisationPercent ?? deps.config.SPENDBRIEF_CPU_UTILIZATION,
    });
    return { data: req.fx ? inCurrency(data, req.fx) : data, label: s.label };
  });
}

export async function runCarbon(deps: ReportDeps, req: CarbonRunRequest): Promise<ReportOutput> {
  const { data, label } = await runCarbonData(deps, req);
  const report = buildCarbonReport(data, label);
  report.scope = scopeLine(req.where);
  return { report, json: { ...carbonJson(data), scope: scopeJson(req.where) } };
}

/** kg CO2e by instance family and by storage and network line, operational and embodied apart. */
export function footprintByKind(
  d: CarbonData,
): { label: string; operationalKg: number; embodiedKg: number }[] {
  const kinds = new Map<string, { n: number; operationalKg: number; embodiedKg: number }>();
  const add = (key: string, op: number, emb: number) => {
    const k = kinds.get(key) ?? { n: 0, operationalKg: 0, embodiedKg: 0 };
    k.n += 1;
    k.operationalKg += op;
    k.embodiedKg += emb;
    kinds.set(key, k);
  };
  for (const i of d.instances)
    if (i.footprint)
      add(
        `${i.type.split(' → ').at(-1)!.split('.')[0]} instances`,
        i.footprint.kgCo2e,
        i.footprint.embodiedKgCo2e ?? 0,
      );
  for (const l of d.lines) if (l.kgCo2e !== null) add(l.what, l.kgCo2e, l.embodiedKgCo2e ?? 0);
  return [...kinds]
    .map(([k, v]) => ({
      label: k.endsWith('instances') ? `${k.replace(' instances', '')} (${v.n} instances)` : k,
      operationalKg: v.operationalKg,
      embodiedKg: v.embodiedKg,
    }))
    .sort((a, b) => b.operationalKg + b.embodiedKg - (a.operationalKg + a.embodiedKg));
}

/** The digest's carbon line and its chart: where this week's footprint comes from. */
export function carbonDigestSection(current: CarbonData, previous: CarbonData): ReportSection {
  const c = carbonTotals(current);
  const p = carbonTotals(previous);
  const change = p.kgCo2e === 0 ? null : ((c.kgCo2e - p.kgCo2e) / p.kgCo2e) * 100;
  const kinds = footprintByKind(current);
  const lead = [...kinds].sort((a, b) => b.operationalKg - a.operationalKg)[0];
  return {
    id: 'carbon',
    title: 'Carbon',
    blocks: [
      {
        type: 'text',
        text: `${kg(c.kgCo2e)} kg CO2e (${formatPercent(change, { signed: true })} week over week) + ${kg(c.embodiedKgCo2e)} kg embodied${
          lead ? `; most from ${lead.label}` : ''
        }. Covers ${current.coverage}.`,
      },
      ...(kinds.length
        ? [
            {
              type: 'chart' as const,
              chart: {
                id: 'carbon',
                title: 'Where the footprint comes from',
                altText: kinds
                  .slice(0, 6)
                  .map((k) => `${k.label} ${kg(k.operationalKg)} kg`)
                  .join(', '),
                spec: buildEmittersChart(
                  kinds,
                  `${formatRange(current.window)} · grid: ${[...new Set(current.sources.grid.map((g) => `${g.source}, ${g.emissions}`))].join('; ')}`,
                  'Footprint by kind (kg CO2e)',
                ),
              },
            },
          ]
        : []),
    ],
  };
}
