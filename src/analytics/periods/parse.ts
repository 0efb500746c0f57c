/** Text -> window and comparison specs (CLI options and chat words share these). */
import { DateTime } from 'luxon';
import { badInput } from '../../errors.js';
import type { DateRange } from '../types.js';
import type { CompareSpec, WindowSpec } from './types.js';

const WINDOW_ACCEPTED = 'Nd (e.g. 30d), mtd, qtd, YYYY-MM-DD..YYYY-MM-DD';
const COMPARE_ACCEPTED =
  'previous_period (previous), same_period_last_month (last-month), YYYY-MM-DD..YYYY-MM-DD, none';

/** A real calendar day `YYYY-MM-DD` (2026-02-30 is not one). */
export function isCalendarDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'utc' }).isValid;
}

/** `A..B`, both days inclusive; null when the text is not of that shape. */
export function parseRange(text: string, what: string): DateRange | null {
  const m = /^(.+)\.\.(.+)$/.exec(text);
  if (!m) return null;
  const [start, end] = [m[1]!, m[2]!];
  for (const d of [start, end]) {
    if (!isCalendarDay(d)) throw badInput(`${what} "${text}": "${d}" is not a calendar date YYYY-MM-DD`);
  }
  if (start > end) throw badInput(`${what} "${text}" starts after it ends; write the earlier day first`);
  return { start, end };
}

export function parseWindowSpec(text: string): WindowSpec {
  const t = text.trim().toLowerCase();
  const days = /^(\d+)d$/.exec(t);
  if (days) {
    const n = Number(days[1]);
    if (n >= 1 && n <= 3660) return { kind: 'days', days: n };
  }
  if (t === 'mtd') return { kind: 'mtd' };
  if (t === 'qtd') return { kind: 'qtd' };
  const range = parseRange(t, 'window');
  if (range) return { kind: 'custom', range };
  throw badInput(`window "${text}" is not one of: ${WINDOW_ACCEPTED}`);
}

export function parseCompareSpec(text: string): CompareSpec {
  const t = text.trim().toLowerCase();
  if (t === 'previous_period' || t === 'previous') return { kind: 'previous_period' };
  if (t === 'same_period_last_month' || t === 'last-month') return { kind: 'same_period_last_month' };
  if (t === 'none') return { kind: 'none' };
  const range = parseRange(t, 'comparison');
  if (range) return { kind: 'custom', range };
  throw badInput(`comparison "${text}" is not one of: ${COMPARE_ACCEPTED}`);
}
