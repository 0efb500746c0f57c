/** Report fixtures: a real one from the demo data and one built to break every limit. */
import { buildDriversReport } from '../../src/reports/drivers/drivers.js';
import type { Report } from '../../src/reports/report.js';
import { realResult, row } from '../charts/fixtures.js';

export const realReport = (): Report => buildDriversReport(realResult(), { source: 'demo data' });

/** 200 contributors with 200 drill buttons, 5,000-character names and texts, 60 sections. */
export function hugeReport(): Report {
  const r = realResult();
  r.rows = Array.from({ length: 200 }, (_, i) =>
    row(i, { key: i === 0 ? `n${'a'.repeat(5000)}` : `service-${i}` }),
  );
  const report = buildDriversReport(r, { source: 'demo data' });
  const contributors = report.sections.find((s) => s.id === 'contributors')!;
  contributors.blocks = contributors.blocks.map((b) =>
    b.type === 'actions'
      ? {
          ...b,
          actions: r.rows.map((x, i) => ({
            id: 'drill',
            label: `${x.key} by account`,
            payload: { dim: 'service', key: `service-${i}`, next: 'account' },
          })),
        }
      : b,
  );
  report.title = `T${'i'.repeat(5000)}`;
  report.kpis.push(...Array.from({ length: 15 }, (_, i) => ({ label: `kpi ${i}`, value: 'v'.repeat(3000) })));
  for (let i = 0; i < 60; i++) {
    report.sections.push({
      id: `extra-${i}`,
      title: `Section ${i} ${'s'.repeat(4000)}`,
      blocks: [
        { type: 'text', text: `<b>&${'x'.repeat(5000)}` },
        {
          type: 'facts',
          facts: Array.from({ length: 25 }, (_, j) => ({ label: `f${j}`, value: 'y'.repeat(2500) })),
        },
        { type: 'context', text: 'c'.repeat(5000) },
      ],
    });
  }
  report.footnotes = Array.from({ length: 30 }, (_, i) => `note ${i} ${'z'.repeat(4000)}`);
  return report;
}
