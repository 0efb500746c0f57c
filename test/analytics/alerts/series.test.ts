import { describe, expect, it } from 'vitest';
import { addDays, buildSeries } from '../../../src/analytics/alerts/series.js';

describe('buildSeries', () => {
  it('one series per key from its first row to the end: rows in any order, a day twice summed, gaps 0, later rows left out', () => {
    const rows = [
      { day: '2026-03-03', key: 'b', spend: 2 },
      { day: '2026-02-27', key: 'b', spend: 1 },
      { day: '2026-03-03', key: 'b', spend: -0.5 },
      { day: '2026-03-05', key: 'b', spend: 9 }, // after the end
      { day: '2026-03-01', key: 'a', spend: 4 },
    ];
    expect(buildSeries(rows, '2026-03-04')).toEqual([
      { key: 'a', start: '2026-03-01', values: [4, 0, 0, 0] },
      // 2026 is not a leap year: Feb 27, 28, Mar 1 .. 4.
      { key: 'b', start: '2026-02-27', values: [1, 0, 0, 0, 1.5, 0] },
    ]);
  });

  it('equals a day-by-day reading of the rows for a year of many keys', () => {
    const rows: { day: string; key: string; spend: number }[] = [];
    for (let k = 0; k < 40; k++)
      for (let i = 0; i < 400; i += 1 + (k % 3))
        rows.push({ day: addDays('2025-12-01', i - (k % 7)), key: `k${k}`, spend: ((i * 31 + k) % 17) - 3 });
    rows.reverse();
    const end = '2026-12-31';
    for (const s of buildSeries(rows, end)) {
      const mine = rows.filter((r) => r.key === s.key && r.day <= end);
      const first = mine.map((r) => r.day).sort()[0]!;
      expect(s.start).toBe(first);
      expect(s.values).toHaveLength(Math.round((Date.parse(end) - Date.parse(first)) / 86_400_000) + 1);
      s.values.forEach((v, i) => {
        const day = addDays(first, i);
        expect(v, `${s.key} ${day}`).toBe(mine.filter((r) => r.day === day).reduce((a, r) => a + r.spend, 0));
      });
    }
  });
});
