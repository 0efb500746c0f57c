/** When a weekly subscription is due, in its own time zone, and which period a run belongs to. */
import { DateTime } from 'luxon';
import type { Weekday } from '../assistant.js';
import type { Subscription } from './store.js';

const ISO_WEEKDAY: Record<Weekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const CRON_WEEKDAY: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** node-cron expression (minute hour * * weekday), evaluated in the subscription's zone. */
export function cronExpression(s: Pick<Subscription, 'weekday' | 'time'>): string {
  const [h, m] = s.time.split(':').map(Number);
  return `${m} ${h} * * ${CRON_WEEKDAY[s.weekday]}`;
}

/** The latest scheduled occurrence at or before `now` (a DST gap moves it, as luxon does). */
export function latestDue(s: Pick<Subscription, 'weekday' | 'time' | 'zone'>, now: Date): DateTime {
  const [hour, minute] = s.time.split(':').map(Number);
  const local = DateTime.fromJSDate(now, { zone: s.zone });
  let due = local.set({ weekday: ISO_WEEKDAY[s.weekday] as 1, hour, minute, second: 0, millisecond: 0 });
  if (due > local) due = due.minus({ weeks: 1 });
  return due;
}

/** The period of a run: the ISO week of its scheduled local time, e.g. 2026-W48. */
export const periodOf = (due: DateTime): string => due.toFormat("kkkk-'W'WW");

/** The report day of a run: the local date it was due. */
export const todayOf = (due: DateTime): string => due.toISODate()!;
