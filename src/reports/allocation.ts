/**
 * The allocation report: compute cost per instance, exact by resource id or runtime-proportional
 * within a type, with the unallocated share per type and an optional currency conversion.
 */
import { carbonTotals } from './carbon.js';
import type { CarbonData } from './carbon-data.js';
import { formatMoney, formatPercent, formatRange } from './format.js';
import type { Report } from './report.js';

export interface FxConversion {
  currency: string;
  rate: number;
  date: string;
  source: string;
}

export function buildAllocationReport(d: CarbonData, source: string, fx?: FxConversion): Report {
  const money = (v: number) => (fx ? `${formatMoney(v * fx.rate, fx.currency)}` : formatMoney(v, d.currency));
  const t = carbonTotals(d);
  return {
    kind: 'allocation',
    title: 'Compute cost by instance',
    period: `${formatRange(d.window)} · ${source}${fx ? ` · in ${fx.currency}` : ''}`,
    kpis: [
      { label: 'Allocated', value: money(t.allocatedCost) },
      {
        label: 'Unallocated',
        value: money(t.unallocatedCost),
        detail: formatPercent(
          t.allocatedCost + t.unallocatedCost === 0
            ? 0
            : (t.unallocatedCost / (t.allocatedCost + t.unallocatedCost)) * 100,
        ),
      },
      { label: 'Instances', value: String(d.rows.length), detail: `${d.excluded.length} excluded` },
    ],
    sections: [
      {
        id: 'instances',
        title: 'Instances',
        blocks: [
          {
            type: 'table',
            columns: [
              { header: 'instance' },
              { header: 'type' },
              { header: 'state' },
              { header: 'hours', align: 'right' },
              { header: 'cost', align: 'right' },
              { header: 'method' },
            ],
            rows: [...d.rows]
              .sort((a, b) => b.cost - a.cost)
              .slice(0, 50)
              .map((r) => [
                r.id,
                r.type,
                r.state,
                (r.footprint?.hours ?? 0).toFixed(0),
                money(r.cost),
                r.method,
              ]),
            omitted: Math.max(0, d.rows.length - 50),
          },
        ],
      },
      ...(d.allocation.length
        ? [
            {
              id: 'types',
              title: 'By instance type (runtime-proportional)',
              blocks: [
                {
                  type: 'table' as const,
                  columns: [
                    { header: 'type' },
                    { header: 'cost', align: 'right' as const },
                    { header: 'allocated', align: 'right' as const },
                    { header: 'unallocated', align: 'right' as const },
                  ],
                  rows: d.allocation.map((a) => [
                    a.instanceType,
                    money(a.cost),
                    money(a.allocated),
                    money(a.unallocated),
                  ]),
                },
              ],
            },
          ]
        : []),
      ...(d.excluded.length
        ? [
            {
              id: 'excluded',
              title: 'Excluded',
              blocks: [
                {
                  type: 'table' as const,
                  columns: [{ header: 'instance' }, { header: 'state' }, { header: 'reason' }],
                  rows: d.excluded.map((e) => [e.id, e.state, e.reason]),
                },
              ],
            },
          ]
        : []),
    ],
    footnotes: [
      fx
        ? `Converted at ${fx.rate} ${fx.currency} per ${d.currency} (${fx.source}, ${fx.date}).`
        : `Amounts in the billing currency ${d.currency}; no rate is built in (use --currency and --fx-rate).`,
      'Exact cost where the data carries the instance id (method resource); otherwise the type cost shared by runtime hours in the window.',
    ],
  };
}
