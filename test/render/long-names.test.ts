/**
 * FOCUS allows long names (Azure resource ids, SKU descriptions). 200 contributors with
 * 5,000-character names: every renderer succeeds with names cut and marked; a drill button
 * carries a short hash of a long name, which resolves back to the name against the data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseDrillPayload } from '../../src/bot/commands/grammar.js';
import { checkBlocks, LIMITS } from '../../src/render/block-limits.js';
import { renderBlocks } from '../../src/render/blocks.js';
import { renderCard } from '../../src/render/card.js';
import { renderText } from '../../src/render/text.js';
import { buildDriversReport } from '../../src/reports/drivers/drivers.js';
import { keyHash } from '../../src/reports/drivers/sections.js';
import { realResult, row } from '../charts/fixtures.js';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');
const long = (i: number) =>
  `/subscriptions/0000/resourceGroups/rg-${i}/providers/Microsoft.Compute/${'x'.repeat(4950)}-${i}`;

function report() {
  const r = realResult();
  r.rows = Array.from({ length: 200 }, (_, i) => row(i, { key: long(i) }));
  return buildDriversReport(r, { source: 'demo data' });
}

describe('200 contributors with 5,000-character names', () => {
  it('Block Kit: within every Slack limit, names cut with an ellipsis, buttons carry a hash', () => {
    const { blocks } = renderBlocks(report(), () => null);
    expect(checkBlocks(blocks)).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).not.toContain('x'.repeat(100));
    expect(json).toContain('…');
    const actions = blocks.find((b) => b.type === 'actions') as {
      elements: { value: string; text: { text: string } }[];
    };
    for (const e of actions.elements) {
      expect(e.value.length).toBeLessThan(300);
      expect(e.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
      const payload = JSON.parse(e.value);
      expect(payload.key).toBeUndefined();
      expect(payload.keyHash).toMatch(/^[0-9a-f]{16}$/);
    }
    const first = JSON.parse(actions.elements[0]!.value);
    expect(first.keyHash).toBe(keyHash(long(0)));
    expect(parseDrillPayload(first)).toMatchObject({ kind: 'drill', key: { hash: keyHash(long(0)) } });
  });

  it('Adaptive Card: parses without a warning, names cut', () => {
    const card = renderCard(report(), () => null);
    const ac = new AC.AdaptiveCard();
    const ctx = new AC.SerializationContext(new AC.Version(1, 5));
    ac.parse(card, ctx);
    expect(ctx.eventCount).toBe(0);
    expect(JSON.stringify(card)).not.toContain('x'.repeat(100));
  });

  it('text: names cut and marked, prose wrapped, tables bounded', () => {
    const text = renderText(report());
    expect(text).not.toContain('x'.repeat(100));
    expect(text).toContain('…');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(140);
  });
});

describe('through the built CLI, on a FOCUS file with such names', () => {
  const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
  const dir = mkdtempSync(join(tmpdir(), 'spendbrief-long-'));
  const file = join(dir, 'long.csv');
  writeFileSync(
    file,
    [
      'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName',
      ...Array.from({ length: 200 }, (_, i) => [
        `2026-11-02,${i + 1},USD,${long(i)}`,
        `2026-11-09,${2 * i + 3},USD,${long(i)}`,
      ]).flat(),
    ].join('\n'),
  );
  const run = (args: string[]) =>
    promisify(execFile)(
      'node',
      [
        BIN,
        'drivers',
        '--source',
        `focus:${file}`,
        '--window',
        '2026-11-09..2026-11-09',
        '--compare',
        '2026-11-02..2026-11-02',
        '--today',
        '2026-11-24',
        ...args,
      ],
      {
        env: { ...process.env, SPENDBRIEF_DB: join(dir, 'none.duckdb') },
        maxBuffer: 1 << 26,
      },
    );

  it.each(['blocks', 'card', 'text', 'json'])('--format %s succeeds', async (format) => {
    const { stdout, stderr } = await run(['--format', format, '--limit', '200']);
    expect(stderr).toBe('');
    expect(stdout.length).toBeGreaterThan(100);
    if (format === 'blocks') expect(checkBlocks(JSON.parse(stdout).blocks)).toEqual([]);
  });

  it('a drill-down by the hash a button carries resolves to the long name', async () => {
    const { createReportDeps } = await import('../../src/reports/wire.js');
    const { runDrilldown } = await import('../../src/reports/drivers/drilldown.js');
    const { loadConfig } = await import('../../src/config.js');
    const deps = createReportDeps(loadConfig({ SPENDBRIEF_DB: join(dir, 'none.duckdb') }), { log: () => {} });
    const out = await runDrilldown(deps, {
      source: { kind: 'focus', path: file },
      dim: 'service',
      key: { hash: keyHash(long(7)) },
      next: 'account',
      window: { kind: 'custom', range: { start: '2026-11-09', end: '2026-11-09' } },
      compare: { kind: 'custom', range: { start: '2026-11-02', end: '2026-11-02' } },
      basis: 'actual',
      teamTag: 'team',
      today: '2026-11-24',
    });
    const json = out.json as { kpis: { current: number; previous: number } };
    expect(json.kpis).toMatchObject({ current: 17, previous: 8 });
    await expect(
      runDrilldown(deps, {
        source: { kind: 'focus', path: file },
        dim: 'service',
        key: { hash: '0000000000000000' },
        next: 'account',
        window: { kind: 'custom', range: { start: '2026-11-09', end: '2026-11-09' } },
        compare: { kind: 'none' },
        basis: 'actual',
        teamTag: 'team',
        today: '2026-11-24',
      }),
    ).rejects.toThrow('the service this button drills into is no longer in the data; run the report again');
  });
});
