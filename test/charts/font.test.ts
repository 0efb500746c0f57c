/**
 * Chart text: the face ships with the packages (no system font is needed), and text is measured
 * in it, so a chart's layout follows its real text widths (Vega's fallback guesses 0.8 x the font
 * size per character, which gives "iiii" and "WWWW" the same room).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DriverRow } from '../../src/analytics/drivers/types.js';
import { buildContributorsChart } from '../../src/charts/contributors.js';
import { checkChartFont, renderPng, renderSvg } from '../../src/charts/render.js';
import { WIDTH } from '../../src/charts/theme.js';

const ROOT = join(import.meta.dirname, '../..');

/** Renders the waterfall of the fixture in a fresh process (fontconfig reads its config once). */
function renderInChild(env: NodeJS.ProcessEnv): Buffer {
  const script = `
    import { readFileSync } from 'node:fs';
    import { buildWaterfallChart } from './dist/charts/waterfall.js';
    import { renderPng } from './dist/charts/render.js';
    const r = JSON.parse(readFileSync('test/fixtures/drivers-result.json', 'utf8'));
    process.stdout.write((await renderPng(buildWaterfallChart(r))).toString('base64'));`;
  return Buffer.from(
    execFileSync('node', ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    }),
    'base64',
  );
}

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
  it('DejaVu Sans is registered from the dejavu-fonts-ttf package', () => {
    const check = checkChartFont();
    expect(check.detail).toContain('dejavu-fonts-ttf');
    expect(check.ok).toBe(true);
  });

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

  it('renders the same pixels when fontconfig knows no font at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-nofonts-'));
    const conf = join(dir, 'fonts.conf');
    writeFileSync(
      conf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><cachedir>${dir}</cachedir></fontconfig>\n`,
    );
    const normal = renderInChild({});
    const noFonts = renderInChild({ FONTCONFIG_FILE: conf });
    expect(normal.length).toBeGreaterThan(5000);
    expect(noFonts.equals(normal)).toBe(true);
  });
});
