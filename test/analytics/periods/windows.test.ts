import { describe, expect, it } from 'vitest';
import { parseCompareSpec, parseWindowSpec } from '../../../src/analytics/periods/parse.js';
import {
  availableDays,
  calendarDays,
  chooseReportCurrency,
  likelyWindows,
  resolveWindows,
  windowsEndingOn,
} from '../../../src/analytics/periods/windows.js';

const days = (start: string, end: string) => calendarDays({ start, end });

describe('windows', () => {
  it('30d = the latest 30 available days; over a gap it spans more calendar days', () => {
    const available = [...days('2026-09-01', '2026-10-10'), ...days('2026-10-21', '2026-11-10')];
    const w = resolveWindows(available, { kind: 'days', days: 30 }, { kind: 'previous_period' });
    // 21 days after the gap + the 9 before it; the previous period has the same 40 calendar days.
    expect(w.current).toEqual({ start: '2026-10-02', end: '2026-11-10' });
    expect(w.previous).toEqual({ start: '2026-08-23', end: '2026-10-01' });
  });

  it('future days are excluded before anything else', () => {
    expect(availableDays(['2026-11-25', '2026-11-23', '2026-11-24', '2026-11-23'], '2026-11-24')).toEqual([
      '2026-11-23',
      '2026-11-24',
    ]);
  });

  it('mtd and qtd end at the latest available day', () => {
    const available = days('2026-06-01', '2026-08-17');
    expect(resolveWindows(available, { kind: 'mtd' }, { kind: 'none' })).toEqual({
      current: { start: '2026-08-01', end: '2026-08-17' },
      previous: null,
    });
    expect(resolveWindows(available, { kind: 'qtd' }, { kind: 'none' }).current).toEqual({
      start: '2026-07-01',
      end: '2026-08-17',
    });
  });

  it('same_period_last_month clamps 31 Mar to 28/29 Feb', () => {
    const w = resolveWindows(
      [],
      { kind: 'custom', range: { start: '2024-03-01', end: '2024-03-31' } },
      { kind: 'same_period_last_month' },
    );
    expect(w.previous).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    const w2 = resolveWindows(
      [],
      { kind: 'custom', range: { start: '2025-03-31', end: '2025-03-31' } },
      { kind: 'same_period_last_month' },
    );
    expect(w2.previous).toEqual({ start: '2025-02-28', end: '2025-02-28' });
  });

  it('custom comparisons are inclusive; none is null; no data is a clear error', () => {
    const w = resolveWindows(
      days('2026-01-01', '2026-01-31'),
      { kind: 'days', days: 7 },
      { kind: 'custom', range: { start: '2025-12-01', end: '2025-12-07' } },
    );
    expect(w.previous).toEqual({ start: '2025-12-01', end: '2025-12-07' });
    expect(() => resolveWindows([], { kind: 'days', days: 7 }, { kind: 'none' })).toThrow(/no billing days/);
  });

  it('report currency: largest absolute current spend, ties by name', () => {
    expect(
      chooseReportCurrency([
        { currency: 'USD', spend: 10 },
        { currency: 'EUR', spend: -20 },
      ]),
    ).toBe('EUR');
    expect(
      chooseReportCurrency([
        { currency: 'USD', spend: 5 },
        { currency: 'EUR', spend: 5 },
      ]),
    ).toBe('EUR');
  });
});

describe('parsing windows and comparisons', () => {
  it('accepts the grammar and the chat aliases', () => {
    expect(parseWindowSpec('30d')).toEqual({ kind: 'days', days: 30 });
    expect(parseWindowSpec('MTD')).toEqual({ kind: 'mtd' });
    expect(parseWindowSpec('2026-01-01..2026-01-31')).toEqual({
      kind: 'custom',
      range: { start: '2026-01-01', end: '2026-01-31' },
    });
    expect(parseCompareSpec('previous')).toEqual({ kind: 'previous_period' });
    expect(parseCompareSpec('last-month')).toEqual({ kind: 'same_period_last_month' });
  });

  it('names the bad word and what is accepted', () => {
    expect(() => parseWindowSpec('45x')).toThrow(
      'window "45x" is not one of: Nd (e.g. 30d), mtd, qtd, YYYY-MM-DD..YYYY-MM-DD',
    );
    expect(() => parseWindowSpec('2026-02-30..2026-03-01')).toThrow('"2026-02-30" is not a calendar date');
    expect(() => parseWindowSpec('2026-03-02..2026-03-01')).toThrow(/starts after it ends/);
    expect(() => parseCompareSpec('yesterday')).toThrow(/comparison "yesterday" is not one of/);
  });
});

describe('the windows of data ending on a day (the guess a CSV question scans for)', () => {
  it('equal the windows of contiguous days up to that day, for every kind of window', () => {
    const specs = [
      [{ kind: 'days', days: 30 }, { kind: 'previous_period' }],
      [{ kind: 'days', days: 7 }, { kind: 'same_period_last_month' }],
      [{ kind: 'mtd' }, { kind: 'previous_period' }],
      [{ kind: 'qtd' }, { kind: 'none' }],
      [
        { kind: 'custom', range: { start: '2026-03-01', end: '2026-03-31' } },
        { kind: 'custom', range: { start: '2026-02-01', end: '2026-02-28' } },
      ],
    ] as const;
    for (const [w, c] of specs)
      expect(windowsEndingOn('2026-05-31', w, c)).toEqual(
        resolveWindows(days('2024-01-01', '2026-05-31'), w, c),
      );
    expect(windowsEndingOn('2026-11-23', { kind: 'days', days: 30 }, { kind: 'previous_period' })).toEqual({
      current: { start: '2026-10-25', end: '2026-11-23' },
      previous: { start: '2026-09-25', end: '2026-10-24' },
    });
  });
});

describe('likelyWindows', () => {
  it('trusts a guessed latest day up to a week before today, not further back', () => {
    const w = { kind: 'days', days: 7 } as const;
    const c = { kind: 'previous_period' } as const;
    expect(likelyWindows('2026-11-24', '2026-12-01', w, c)).toEqual(windowsEndingOn('2026-11-24', w, c));
    expect(likelyWindows('2026-11-23', '2026-12-01', w, c)).toBeNull();
  });
});
