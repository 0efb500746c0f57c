import { describe, expect, it } from 'vitest';
import { formatTable, renderText } from '../../src/render/text.js';
import { hugeReport, realReport } from '../helpers/reports.js';

describe('renderText', () => {
  it('aligns KPIs and table columns, right-aligns money, names charts', () => {
    const text = renderText(realReport(), { chartFiles: new Map([['waterfall', 'out/waterfall.png']]) });
    expect(text).toMatch(/^Spend drivers by service\n/);
    expect(text).toMatch(/Net change\s+\+\$/);
    expect(text).toContain('[chart: From previous to current spend → out/waterfall.png]');
    expect(text).not.toContain('\x1b[');
    const table = formatTable(
      [{ header: 'name' }, { header: 'delta', align: 'right' }],
      [
        ['a', '+$1.00'],
        ['bbbb', '−$100.00'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'name     delta',
      '────  ────────',
      'a       +$1.00',
      'bbbb  −$100.00',
    ]);
  });

  it('over-long input: every row printed, cells cut, prose wrapped', () => {
    const text = renderText(hugeReport(), { width: 80 });
    expect(text).toContain('service-199');
    expect(text).not.toContain('a'.repeat(100));
    expect(
      text
        .split('\n')
        .filter((l) => !l.includes('─') && !/\S{81,}/.test(l))
        .every((l) => l.length <= 400),
    ).toBe(true);
  });
});
