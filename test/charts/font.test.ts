/**
 * Chart text: the face ships with the packages (render.ts refuses to draw when its files do not
 * register), and text is measured in it, so a chart's layout follows its real text widths (Vega's fallback guesses 0.8 x the font
 * size per character, which gives "iiii" and "WWWW" the same room); cut text and long titles keep
 * the plot its room.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DriverRow } from '../../src/analytics/drivers/types.js';
import { buildContributorsChart } from '../../src/charts/contributors.js';
import { renderPng, renderSvg } from '../../src/charts/render.js';
import { WIDTH } from '../../src/charts/theme.js';

const ROOT = join(import.meta.dirname, '../..');

const FIXTURE = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/drivers-result.json'), 'utf8'));

/** The fixture's first four contributors, renamed `label` and a row number. */
const contributors = (label: string): DriverRow[] =>
  (FIXTURE.rows as DriverRow[]).slice(0, 4).map((row, i) => ({ ...row, key: `${label}${i}` }));

/** Where the plot starts: the chart's origin, after the padding and the labels' measured width. */
async function plotLeft(label: string): Promise<number> {
  const svg = await renderSvg(buildContributorsChart(contributors(label), 'USD', 'service'));
  const m = /<g fill="none"[^>]*transform="translate\(([\d.]+),/.exec(svg);
  expect(m, 'the origin of the SVG').not.toBeNull();
  return Number(m![1]);
}

describe('chart font', () => {
  it('labels take the room their text needs in that face', async () => {
    const narrow = await plotLeft('iiiiiiiiii');
    const wide = await plotLeft('WWWWWWWWWW');
    // DejaVu Sans at 13 px: "i" is 3.6 px, "W" 12.8 px; ten of each and a digit differ by ~92 px.
    expect(wide - narrow).toBeGreaterThan(80);
    expect(wide - narrow).toBeLessThan(105);
  });

  it('every single-view chart is the theme width at 2x, however long its labels', async () => {
    for (const label of ['S', 'Amazon Elastic Compute Cloud - Compute ']) {
      const png = await renderPng(buildContributorsChart(contributors(label), 'USD', 'service'));
      expect((await sharp(png).metadata()).width).toBe(WIDTH * 2);
    }
  });

  it('a label cut to its limit is laid out as wide as the limit, not as the whole name', async () => {
    // 40 W's measure ~510 px; the axis cuts them at 260 px with an ellipsis.
    const left = await plotLeft('W'.repeat(40));
    expect(left).toBeGreaterThan(12 + 240);
    expect(left).toBeLessThan(12 + 260 + 12);
  });

  it('a title wider than the chart is cut, and leaves the plot its width', async () => {
    const spec = (title: string) => ({
      ...buildContributorsChart(contributors('EC2 '), 'USD', 'service'),
      title: { text: title, subtitle: title },
    });
    const domain = async (title: string) => {
      const svg = await renderSvg(spec(title) as never);
      const m = /role-axis-domain[^>]*><line transform="translate\(0,0\)" x2="([\d.]+)"/.exec(svg);
      expect(m, 'the x axis line').not.toBeNull();
      return Number(m![1]);
    };
    const short = await domain('Change');
    expect(short).toBeGreaterThan(300);
    expect(await domain(`Change in ${'Amazon Elastic Compute Cloud - Compute '.repeat(4)}`)).toBe(short);
  });

  it('a chart without a background is drawn on white, not black', async () => {
    const png = await renderPng({
      ...buildContributorsChart(contributors('EC2 '), 'USD', 'service'),
      background: null,
    } as never);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([255, 255, 255]);
  });
});
