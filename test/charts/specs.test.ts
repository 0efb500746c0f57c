/** Every spec a builder can emit is valid Vega-Lite (JSON schema) and renders to a PNG. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildContributorsChart } from '../../src/charts/contributors.js';
import { renderPng, renderSvg } from '../../src/charts/render.js';
import { buildTrendChart } from '../../src/charts/trend.js';
import { buildWaterfallChart } from '../../src/charts/waterfall.js';
import { variants } from './fixtures.js';

const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../node_modules/vega-lite/build/vega-lite-schema.json'), 'utf8'),
);
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const builders = {
  waterfall: buildWaterfallChart,
  contributors: (r: Parameters<typeof buildWaterfallChart>[0]) =>
    buildContributorsChart(r.rows, r.currency, r.by),
  trend: buildTrendChart,
};

describe.each(Object.entries(builders))('%s chart', (_name, build) => {
  it.each(variants())('%s: valid against the Vega-Lite schema', (_v, result) => {
    const spec = build(result);
    const ok = validate(spec);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('renders to a 2x PNG with the font named in its SVG', async () => {
    const [, result] = variants()[3]!;
    const svg = await renderSvg(build(result));
    expect(svg).toContain('DejaVu Sans');
    const png = await renderPng(build(result));
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThanOrEqual(1200);
  });
});

describe('model dashboard and emitters chart', () => {
  it('are valid Vega-Lite and render', async () => {
    const { fitCostModel } = await import('../../src/analytics/regression/cost-model.js');
    const { buildModelDashboard } = await import('../../src/charts/model-dashboard.js');
    const { buildEmittersChart } = await import('../../src/charts/carbon.js');
    const days = Array.from({ length: 40 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
      cost: 100 + 2 * i + (i % 3),
      features: { transactions: 1000 + 30 * i + (i % 5) * 7, customers: 50 + i + (i % 2) },
    }));
    const dashboard = buildModelDashboard(
      fitCostModel({
        days,
        features: ['transactions', 'customers'],
        outliers: 'auto',
        excludeDates: [{ date: days[3]!.date, reason: 'test' }],
      }),
      'USD',
    );
    const emitters = buildEmittersChart(
      Array.from({ length: 20 }, (_, i) => ({
        label: `i-${i}${'x'.repeat(i * 5)}`,
        operationalKg: 20 - i,
        embodiedKg: 1,
      })),
      'test',
    );
    for (const spec of [dashboard, emitters]) {
      expect(validate(spec)).toBe(true);
      expect((await sharp(await renderPng(spec)).metadata()).format).toBe('png');
    }
  });
});

describe('labels', () => {
  it('long names are cut and NEW/REMOVED are marked on the contributors axis', () => {
    const [, many] = variants()[3]!;
    const spec = JSON.stringify(buildContributorsChart(many.rows, 'USD', 'service'));
    expect(spec).toContain('(new)');
    expect(spec).toContain('(removed)');
    const [, long] = variants()[4]!;
    const longSpec = JSON.stringify(buildContributorsChart(long.rows, 'USD', 'team'));
    expect(longSpec).not.toContain('x'.repeat(30));
    expect(longSpec).toContain('(untagged)');
  });

  it('contributors show at most 12 bars and say how many there were', () => {
    const [, many] = variants()[3]!;
    const spec = buildContributorsChart(many.rows, 'USD', 'service') as {
      data: { values: unknown[] };
      title: { subtitle: string };
    };
    expect(spec.data.values).toHaveLength(12);
    expect(spec.title.subtitle).toContain('top 12 of 200');
  });
});

describe('showback chart', () => {
  it('is valid Vega-Lite, with negative and empty owners, and renders', async () => {
    const { buildShowbackChart } = await import('../../src/charts/showback.js');
    for (const bars of [
      [
        { label: 'web', direct: 12635.11, shared: 8347.47 },
        { label: 'credits only', direct: -120, shared: 30 },
        { label: `x${'w'.repeat(80)}`, direct: 0, shared: 0 },
      ],
      [],
    ]) {
      const spec = buildShowbackChart(bars, 'EUR', '2026-11-01..2026-11-30 · actual cost · by team');
      expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
      const meta = await sharp(await renderPng(spec)).metadata();
      expect(meta.width).toBeGreaterThanOrEqual(1200);
    }
  });
});
