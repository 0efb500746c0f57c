/**
 * The model command's option parsers, apart from the model itself: the CLI reads them at start-up,
 * and the fit (ml-matrix, the t and F distributions) loads only for a run that fits.
 */
import { DateTime } from 'luxon';
import type { Exclusion } from '../../analytics/regression/cost-model.js';
import { badInput } from '../../errors.js';

export { parseMetricsSpec } from './metrics-source.js';

/** `2025-05-01` or `2025-05-01=billing correction`, comma-separated. */
export function parseExcludeDates(text: string): Exclusion[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const [date, ...reason] = item.split('=');
      if (!DateTime.fromISO(date!, { zone: 'utc' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date!))
        throw badInput(`exclude date "${item}" is not YYYY-MM-DD or YYYY-MM-DD=reason`);
      return { date: date!, reason: reason.join('=') || 'excluded by configuration' };
    });
}
