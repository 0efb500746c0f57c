/**
 * The allocation report: compute cost per instance, exact by resource id or runtime-proportional
 * within a type, the unallocated share per type, in the billing currency or a configured one.
 */

import { formatAmount, formatMoney, formatPercent, formatRange } from '../format.js';
import type { Report } from '../report.js';
import { carbonTotals } from './carbon.js';
import { currencyNote } from './fx.js';
import type { CarbonData } from './types.js';

export function buildAllocationReport(d: CarbonData, source: string): Report {
  const money = (v: number | null) => (v === null ? 'unknown' : formatMoney(v, d.currency));
  const t = carbonTotals(d);
  const total = t.allocatedCost + t.unallocatedCost;
  const rows = [...d.instances].sort((a, b) => (b.cost ?? -1) - (a.cost ?? -1));
  return {
    kind: 'allocation',
    title: 'Compute cost by instance',
    period: `${formatRange(d.window)} · ${source} · ${d.currency}`,
    kpis: [
      { label: 'Allocated', value: money(t.allocatedCost) },
      {
        label: 'Unallocated',
        value: money(t.unallocatedCost),
        detail: formatPercent(total === 0 ? 0 : (t.unallocatedCost / total) * 100),
      },
      { label: 'Instances', value: String(d.instances.length), detail: `${d.excluded.length} excluded` },
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
            rows: rows
              .slice(0, 50)
              .map((r) => [
                r.id,
                r.type,
                r.state,
                `${formatAmount(r.hours)} (${r.hoursFrom})`,
                money(r.cost),
                r.method,
              ]),
            omitted: Math.max(0, rows.length - 50),
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
                    { header: 'billed hours', align: 'right' as const },
                    { header: 'allocated', align: 'right' as const },
                    { header: 'unallocated', align: 'right' as const },
                  ],
                  rows: d.allocation.map((a) => [
                    a.instanceType,
                    money(a.cost),
                    formatAmount(a.billedHours),
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
      'Exact cost where the data carries the instance id (method resource); otherwise the type cost x the instance hours / the hours of every instance of the type, stopped and terminated ones included; what no listed instance takes stays unallocated.',
      ...d.notes,
      currencyNote(d),
    ],
  };
}
