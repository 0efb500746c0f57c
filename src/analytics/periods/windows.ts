/** Windows and comparisons of the cost-drivers note, section "Windows". */
import { DateTime } from 'luxon';
import { CodedError, ErrorCode } from '../../errors.js';
import type { DateRange } from '../types.js';
import type { CompareSpec, ResolvedWindows, WindowSpec } from './types.js';

const day = (iso: string): DateTime => DateTime.fromISO(iso, { zone: 'utc' });
const iso = (d: DateTime): string => d.toISODate()!;

/** Guide 1.1: distinct billing days, future days (day > today) excluded, ascending. */
export function availableDays(days: Iterable<string>, today: string): string[] {
  return [...new Set(days)].filter((d) => d <= today).sort();
}

/** Every calendar day of an inclusive range. */
export function calendarDays(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = day(range.start); iso(d) <= range.end; d = d.plus({ days: 1 })) out.push(iso(d));
  return out;
}

/** Number of calendar days in an inclusive range (the note's "expected days"). */
export function dayCount(range: DateRange): number {
  return Math.round(day(range.end).diff(day(range.start), 'days').days) + 1;
}

/** Guide 1.2 with the note: Nd = latest N available days as a calendar range; mtd; qtd; custom. */
export function currentWindow(available: string[], spec: WindowSpec): DateRange {
  if (spec.kind === 'custom') return spec.range;
  const last = available.at(-1);
  if (last === undefined) {
    throw new CodedError(ErrorCode.NoData, 'the source has no billing days up to today: nothing to compare');
  }
  if (spec.kind === 'days') {
    const first = available[Math.max(0, available.length - spec.days)]!;
    return { start: first, end: last };
  }
  const lastDay = day(last);
  const start = spec.kind === 'mtd' ? lastDay.startOf('month') : lastDay.startOf('quarter');
  return { start: iso(start), end: last };
}

/** Guide 1.3 with the note: previous_period, same_period_last_month (clamped), custom, none. */
export function previousWindow(current: DateRange, spec: CompareSpec): DateRange | null {
  switch (spec.kind) {
    case 'none':
      return null;
    case 'custom':
      return spec.range;
    case 'previous_period': {
      const end = day(current.start).minus({ days: 1 });
      return { start: iso(end.minus({ days: dayCount(current) - 1 })), end: iso(end) };
    }
    case 'same_period_last_month':
      // luxon clamps to the month's end: 31 Mar - 1 month = 28/29 Feb.
      return {
        start: iso(day(current.start).minus({ months: 1 })),
        end: iso(day(current.end).minus({ months: 1 })),
      };
  }
}

export function resolveWindows(
  available: string[],
  window: WindowSpec,
  compare: CompareSpec,
): ResolvedWindows {
  const current = currentWindow(available, window);
  return { current, previous: previousWindow(current, compare) };
}

/**
 * The windows the data resolves to when its latest day is `latest` and no day before is missing
 * (the usual case; a guess the caller checks against the days it reads).
 */
export function windowsEndingOn(latest: string, window: WindowSpec, compare: CompareSpec): ResolvedWindows {
  const back = (window.kind === 'days' ? window.days : 0) + 400;
  return resolveWindows(
    calendarDays({ start: iso(day(latest).minus({ days: back })), end: latest }),
    window,
    compare,
  );
}

/**
 * The windows of a drivers question from a guessed latest day (sampled at a file's ends), or null
 * when the guess lies further back than a current export lags (LAG_DAYS): there a file written out
 * of day order is the likelier story (monthly files concatenated, each newest day first: the ends
 * hold a month's first day), and a wrong guess costs a second scan.
 */
export function likelyWindows(
  latest: string,
  today: string,
  window: WindowSpec,
  compare: CompareSpec,
): ResolvedWindows | null {
  if (latest < iso(day(today).minus({ days: LAG_DAYS }))) return null;
  return windowsEndingOn(latest, window, compare);
}

/** The note: report currency = largest absolute current-window spend; ties by name. */
export function chooseReportCurrency(perCurrency: { currency: string; spend: number }[]): string {
  const sorted = [...perCurrency].sort(
    (a, b) => Math.abs(b.spend) - Math.abs(a.spend) || a.currency.localeCompare(b.currency),
  );
  return sorted[0]?.currency ?? 'USD';
}

/** Days a source without its own calendar may lag (providers publish a day late, restate three). */
const LAG_DAYS = 7;

/**
 * The days a drivers question can read, before the source is open: the window as the data may
 * resolve it (`Nd` and `mtd`/`qtd` end on the latest day with data, up to LAG_DAYS before `today`)
 * and its comparison. A paid source (Cost Explorer) fetches only these, not its whole history.
 */
export function neededRange(window: WindowSpec, compare: CompareSpec, today: string): DateRange {
  const t = day(today);
  // The window as the data may resolve it: ending today, or up to LAG_DAYS earlier.
  const ending = (end: DateTime): DateRange =>
    window.kind === 'custom'
      ? window.range
      : window.kind === 'days'
        ? { start: iso(end.minus({ days: window.days - 1 })), end: iso(end) }
        : { start: iso(end.startOf(window.kind === 'mtd' ? 'month' : 'quarter')), end: iso(end) };
  const ranges = [ending(t), ending(t.minus({ days: LAG_DAYS }))].flatMap((w) => {
    const p = previousWindow(w, compare);
    return p ? [w, p] : [w];
  });
  const days = ranges.flatMap((r) => [r.start, r.end]).sort();
  return { start: days[0]!, end: days.at(-1)! };
}

/**
 * Days of `range` after the source's latest day with data: not in the source yet (a custom
 * window reaching past the export, or Cost Explorer asked for a day it cannot have), said as
 * missing rather than counted as zero spend. Null when the source reaches the range's end.
 */
export function daysNotYetInSource(range: DateRange, latestDataDay: string | undefined): DateRange | null {
  if (latestDataDay !== undefined && latestDataDay >= range.end) return null;
  const after = latestDataDay === undefined ? range.start : iso(day(latestDataDay).plus({ days: 1 }));
  return { start: [after, range.start].sort()[1]!, end: range.end };
}
