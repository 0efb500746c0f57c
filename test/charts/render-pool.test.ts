/** The built render pool renders in worker threads, gives the same PNG, and lets the process exit. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

describe('RenderPool (built)', () => {
  it('renders in worker threads, identically to in-process, and exits when done', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { RenderPool } from './dist/charts/render-pool.js';
      import { renderPng } from './dist/charts/render.js';
      import { buildWaterfallChart } from './dist/charts/waterfall.js';
      const spec = buildWaterfallChart(JSON.parse(readFileSync('test/fixtures/drivers-result.json', 'utf8')));
      const pool = new RenderPool(2);
      const pngs = await Promise.all([1, 2, 3].map(() => pool.render(spec)));
      const local = await renderPng(spec);
      console.log(JSON.stringify({ threaded: pool.threaded, same: pngs.every((p) => p.equals(local)), n: pngs.length }));`;
    const out = execFileSync('node', ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(JSON.parse(out)).toEqual({ threaded: true, same: true, n: 3 });
  });
});
