/** The built `spendbrief` binary, run as a user runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../src/cli/options.js';
import { buildProgram } from '../../src/cli/program.js';
import { checkBlocks } from '../../src/render/block-limits.js';
import { SOURCE_FORMS } from '../../src/reports/source.js';
import { directSum, SAMPLE, SAMPLE_REL } from '../helpers/focus-sample.js';
import { skipNote } from '../helpers/shared-data.js';

/** A warehouse file that does not exist: these runs are one-off. */
const NO_DB = join(tmpdir(), `spendbrief-none-${process.pid}`, 'none.duckdb');
const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], {
      env: { ...process.env, SPENDBRIEF_DB: NO_DB, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
};

describe('spendbrief drivers', () => {
  it.skipIf(!SAMPLE)(
    `prints the contract object for the real FOCUS sample, totals equal to the file to the cent ${SAMPLE ? '' : skipNote(SAMPLE_REL)}`,
    async () => {
      const r = await run([
        'drivers',
        '--source',
        `focus:${SAMPLE}`,
        '--window',
        '2024-09-16..2024-09-30',
        '--compare',
        '2024-09-01..2024-09-15',
        '--by',
        'service',
        '--format',
        'json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(Math.round(j.kpis.current * 100)).toBe(Math.round(directSum('2024-09-16', '2024-09-30') * 100));
      expect(Math.round(j.kpis.previous * 100)).toBe(Math.round(directSum('2024-09-01', '2024-09-15') * 100));
      expect(j.kpis.current).toBeCloseTo(directSum('2024-09-16', '2024-09-30'), 9);
      expect(j.window).toEqual({
        current: { start: '2024-09-16', end: '2024-09-30' },
        previous: { start: '2024-09-01', end: '2024-09-15' },
      });
      expect(j.waterfall.steps.map((s: { name: string }) => s.name).slice(-2)).toEqual([
        'modelResidual',
        'roundingResidual',
      ]);
      expect(j.waterfall.balanced).toBe(true);
      for (const k of [
        'periodDataCompleteness',
        'missingTagSpend',
        'skuMappingCoverage',
        'quantityCoverage',
      ]) {
        expect(typeof j.governance[k]).toBe('number');
      }
      expect(Object.keys(j.confidence.rules).sort()).toEqual([
        'currencyConsistency',
        'modelResidual',
        'ownershipMapping',
        'usageRateCoverage',
      ]);
      const rowsDelta = j.rows.reduce((s: number, x: { deltaValue: number }) => s + x.deltaValue, 0);
      expect(Number.isFinite(rowsDelta)).toBe(true);
    },
  );

  it('prints a readable text report on demo data', async () => {
    const r = await run(['drivers', '--today', '2026-11-24', '--by', 'team']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Spend drivers by team');
    expect(r.stdout).toMatch(/Net change\s+\+\$[\d,]+\.\d\d/);
    expect(r.stdout).toContain('(untagged)');
    expect(r.stdout).toMatch(/Attribution confidence\n\d+\/100/);
  });

  it.each([
    [['drivers', '--window', '45x'], /window "45x" is not one of: Nd \(e\.g\. 30d\), mtd, qtd/],
    [['drivers', '--compare', 'yesterday'], /comparison "yesterday" is not one of/],
    [['drivers', '--bogus'], /unknown option '--bogus' \(see --help/],
    [['drivers', '--source', 'focus:/nonexistent/*.csv'], /no file matches "\/nonexistent\/\*\.csv"/],
    [['drivers', '--by', 'colour'], /Allowed choices are service, account, region, team, sku/],
    [['drivers', '--today', '2026-02-30'], /"2026-02-30" is not a calendar date/],
    [
      ['drivers', '--source', 'gs://bucket'],
      /source "gs:\/\/bucket" is not one of: demo, focus:<file, folder or glob>/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('bad input %j: exit 2, one line on stderr, nothing on stdout', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('texts that enumerate commands, sources and formats', () => {
  it('are built from the lists the program reads: every command, every source form, every format', async () => {
    const program = buildProgram({ stdout: () => {}, log: () => {}, env: {} });
    const commands = program.commands.map((c) => c.name());
    expect(commands).toEqual(expect.arrayContaining(['drivers', 'sync', 'anomalies', 'forecast', 'budgets']));
    const unknown = await run(['frobnicate']);
    for (const c of commands) expect(unknown.stderr).toContain(c);
    const bad = await run(['drivers', '--source', 'nowhere']);
    for (const f of SOURCE_FORMS) expect(bad.stderr).toContain(f);
    for (const c of program.commands.filter((x) => x.options.some((o) => o.long === '--format'))) {
      const choices = c.options.find((o) => o.long === '--format')!.argChoices ?? [];
      expect(choices.length).toBeGreaterThan(1);
      if (!['sync', 'sources'].includes(c.name()))
        expect(choices).toEqual(expect.arrayContaining([...REPORT_FORMATS]));
    }
  });
});

describe('spendbrief digest --out', () => {
  it('writes PNGs, blocks.json within Slack limits, an Adaptive Card 1.5 and report.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'spendbrief-digest-'));
    const r = await run(['digest', '--today', '2026-11-24', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Weekly cloud spend digest');
    // The carbon section says what its figure covers and which method and grid it used.
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(
      /Carbon \d+ kg CO2e \([+−][\d.]+ % week over week\) \+ \d+ kg embodied; most from .*\. Covers compute, storage and network\./,
    );
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'anomaly.png',
      'blocks.json',
      'carbon.png',
      'card.json',
      'contributors.png',
      'report.json',
      'report.txt',
      'trend.png',
      'waterfall.png',
    ]);
    for (const png of ['waterfall.png', 'contributors.png', 'trend.png', 'carbon.png', 'anomaly.png']) {
      const meta = await sharp(join(out, png)).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(1000);
    }
    const blocks = JSON.parse(readFileSync(join(out, 'blocks.json'), 'utf8'));
    expect(checkBlocks(blocks.blocks)).toEqual([]);
    // At a glance: at most 25 blocks, with the buttons for everything else.
    expect(blocks.blocks.length).toBeLessThanOrEqual(25);
    const buttons = blocks.blocks
      .filter((b: { type: string }) => b.type === 'actions')
      .flatMap((b: { elements: { value: string }[] }) => b.elements.map((e) => JSON.parse(e.value)));
    expect(buttons).toContainEqual({ run: 'drivers 30d by service' });
    const card = JSON.parse(readFileSync(join(out, 'card.json'), 'utf8'));
    expect(card.version).toBe('1.5');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.window.current).toEqual({ start: '2026-11-17', end: '2026-11-23' });
    // The demo's week shows every driver, with a small remainder the model leaves unexplained.
    for (const k of [
      'newServicesResources',
      'usageGrowth',
      'ratePriceChange',
      'mixShift',
      'creditsDiscountChange',
      'savingsRemovals',
    ])
      expect(Math.abs(report.drivers[k]), k).toBeGreaterThan(10);
    expect(Math.abs(report.unexplained.value)).toBeLessThan(0.01 * Math.abs(report.kpis.netChange));
    expect(report.unexplained.value).not.toBe(0);
    expect(new Ajv().validate({ type: 'object', required: ['kpis', 'waterfall', 'rows'] }, report)).toBe(
      true,
    );
  });
});
