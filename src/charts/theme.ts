/**
 * One theme for every chart: Okabe-Ito colours (distinct for the common colour-vision
 * deficiencies; rises and falls also differ in lightness), DejaVu Sans named explicitly (a bare
 * `sans-serif` may fall back to a serif face), and sizes that stay legible when Slack shows the
 * image as a 360 px thumbnail of a 720 px chart.
 */
import type { Config } from 'vega-lite';

export const FONT = 'DejaVu Sans';

export const COLORS = {
  /** Spend went up (bad for the bill): Okabe-Ito vermillion. */
  rise: '#D55E00',
  /** Spend went down: Okabe-Ito blue. */
  fall: '#0072B2',
  total: '#6B6B6B',
  current: '#0072B2',
  previous: '#999999',
  /** What the drivers leave unexplained: Okabe-Ito reddish purple, apart from rises and falls. */
  residual: '#CC79A7',
  /** Carbon: operational emissions (Okabe-Ito bluish green) and embodied (sky blue). */
  operational: '#009E73',
  embodied: '#56B4E9',
  text: '#222222',
  grid: '#E6E6E6',
} as const;

export const WIDTH = 640;

/**
 * A single-view chart is WIDTH wide in all, padding included; its plot takes what the measured
 * labels and legend leave (render.ts measures text in the chart face). Same-width charts show
 * their text at the same size side by side in a digest.
 */
export const FIT_WIDTH = { width: WIDTH, autosize: { type: 'fit-x', contains: 'padding' } } as const;

export const THEME: Config = {
  font: FONT,
  background: '#FFFFFF',
  padding: 12,
  view: { stroke: null },
  title: {
    // No title or subtitle wider than the chart: fit-x would squeeze the plot to make room.
    limit: WIDTH - 24,
    font: FONT,
    fontSize: 17,
    fontWeight: 'bold',
    color: COLORS.text,
    anchor: 'start',
    offset: 12,
    subtitleFontSize: 13,
    subtitleColor: '#555555',
    subtitleFont: FONT,
  },
  axis: {
    labelFont: FONT,
    titleFont: FONT,
    labelFontSize: 13,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    labelColor: COLORS.text,
    titleColor: '#555555',
    gridColor: COLORS.grid,
    domainColor: '#BBBBBB',
    tickColor: '#BBBBBB',
  },
  legend: {
    labelFont: FONT,
    titleFont: FONT,
    labelFontSize: 13,
    titleFontSize: 13,
    orient: 'top',
    titleFontWeight: 'normal',
  },
  text: { font: FONT, fontSize: 13, color: COLORS.text },
};

/**
 * Money on a bar: `$13,600`, `+$1,075`, `+$74.34`, `−$333`: whole units from 100 up (cents there
 * are noise at a glance), cents below, thousands separated; `$1.2M` from a million.
 */
export function chartMoney(value: number, currency: string, signed = false): string {
  const a = Math.abs(value);
  const symbol = currencySymbol(currency);
  const body =
    a >= 1e6
      ? `${(a / 1e6).toFixed(a >= 1e8 ? 0 : 1)}M`
      : a.toLocaleString('en-US', {
          minimumFractionDigits: a >= 100 ? 0 : 2,
          maximumFractionDigits: a >= 100 ? 0 : 2,
        });
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}${symbol}${body}`;
}

/** `$1.2k`, `−€340`, `+$12.50`: short money for labels inside charts. */
export function shortMoney(value: number, currency: string, signed = false): string {
  const symbol = currencySymbol(currency);
  const a = Math.abs(value);
  const body =
    a >= 1e6
      ? `${(a / 1e6).toFixed(a >= 1e8 ? 0 : 1)}M`
      : a >= 1e3
        ? `${(a / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`
        : a >= 100
          ? a.toFixed(0)
          : a.toFixed(2);
  const sign = value < 0 ? '−' : signed && value > 0 ? '+' : '';
  return `${sign}${symbol}${body}`;
}

function currencySymbol(currency: string): string {
  try {
    const part = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
    })
      .formatToParts(0)
      .find((p) => p.type === 'currency');
    return part?.value ?? `${currency} `;
  } catch {
    return `${currency} `;
  }
}

/** Cuts a label to `max` characters with an ellipsis (long names never push the plot aside). */
export const truncate = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** An axis of money: `$1.5k`, `−$500`, in the report currency's symbol. */
export const moneyAxisLabel = (currency: string): string =>
  `(datum.value < 0 ? '−' : '') + ${JSON.stringify(currencySymbol(currency))} + format(abs(datum.value), '~s')`;
