/**
 * Chart text needs its font: a render where fontconfig knows no font must differ from a normal
 * one (else this test could not tell a machine without fonts), and the check must say so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChartFont } from '../../src/charts/render.js';

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

describe('chart font', () => {
  it('DejaVu Sans is resolved by fontconfig on this machine', () => {
    const check = checkChartFont();
    expect(check.detail).toContain('DejaVu');
    expect(check.ok).toBe(true);
  });

  it('a render with no fonts available differs from the normal one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-nofonts-'));
    const conf = join(dir, 'fonts.conf');
    writeFileSync(
      conf,
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><cachedir>${dir}</cachedir></fontconfig>\n`,
    );
    const normal = renderInChild({});
    const noFonts = renderInChild({ FONTCONFIG_FILE: conf });
    expect(normal.length).toBeGreaterThan(5000);
    expect(noFonts.equals(normal)).toBe(false);
    const check = execFileSync(
      'node',
      [
        '--input-type=module',
        '-e',
        "import { checkChartFont } from './dist/charts/render.js'; console.log(JSON.stringify(checkChartFont()))",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, FONTCONFIG_FILE: conf },
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(check).ok).toBe(false);
  });
});
