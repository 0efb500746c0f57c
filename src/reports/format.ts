/** People-facing number formats shared by every report. Money is formatted only at the edge. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        maximumFractionDigits: 2,
        minimumFractionDigits: 2,
      });
    } catch {
      // Not an ISO 4217 code Intl knows: fall back to the code as a suffix.
      const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
      f = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    moneyFormats.set(currency, f);
  }
  return f;
}

/** `$1,234.56`; `-$12.00`. */
export function formatMoney(value: number, currency: string): string {
  return moneyFormat(currency).format(Object.is(value, -0) ? 0 : value);
}

/** `+$1,234.56` / `−$12.00` / `$0.00`: a change, sign always shown. */
export function formatSignedMoney(value: number, currency: string): string {
  const rounded = Math.round(value * 100) / 100;
  if (rounded === 0) return formatMoney(0, currency);
  return `${rounded > 0 ? '+' : '−'}${formatMoney(Math.abs(value), currency)}`;
}

/** `+12.3 %`, `n/a` for null. */
export function formatPercent(
  value: number | null,
  opts: { signed?: boolean; digits?: number } = {},
): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const digits = opts.digits ?? 1;
  const text = Math.abs(value).toFixed(digits);
  const sign = opts.signed ? (value > 0 ? '+' : value < 0 ? '−' : '') : value < 0 ? '−' : '';
  return `${sign}${text} %`;
}

/** Longest name shown to people; JSON keeps the whole key. */
export const MAX_NAME = 80;

/**
 * A dimension value for people: the empty key is "(untagged)" for teams, "(none)" otherwise; a
 * name longer than MAX_NAME (an Azure resource id, a SKU description) is cut and marked with "…".
 */
export function displayKey(key: string, dimension: string): string {
  if (key === '') return dimension === 'team' ? '(untagged)' : '(none)';
  return key.length > MAX_NAME ? `${key.slice(0, MAX_NAME - 1)}…` : key;
}

/** `2026-10-26..2026-11-24` */
export function formatRange(range: { start: string; end: string } | null): string {
  return range ? `${range.start}..${range.end}` : 'none';
}

/** A physical quantity (hours, kWh, GB) with as many digits as its size needs: 1234, 12.3, 0.0042. */
export const formatAmount = (v: number): string =>
  v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2);
