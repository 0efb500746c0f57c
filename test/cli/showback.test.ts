/**
 * `spendbrief showback` as a user runs it (the built CLI): each owner's direct and shared cost,
 * every rule kind, reconciled to the cent against the source's own sum of the window, on the demo
 * and on the FinOps Foundation's real FOCUS sample; the CSV for chargeback adds up; a rules file
 * mistake names its line.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { directSum, SAMPLE, SAMPLE_REL } from '../helpers/focus-sample.js';
import { skipNote } from '../helpers/shared-data.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-showback-'));
const NO_DB = join(dir, 'none.duckdb');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('node', [BIN, ...args], {
      env: { ...process.env, SPENDBRIEF_DB: NO_DB },
    });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const rules = (name: string, yaml: string) => {
  const p = join(dir, name);
  writeFileSync(p, yaml);
  return p;
};

interface ShowbackJson {
  window: { start: string; end: string };
  owners: { key: string; direct: number; shared: number; total: number; percent: number | null }[];
  sharedRules: { name: string; split: string; amount: number; toOwners: { key: string; amount: number }[] }[];
  untagged: { amount: number; split: string };
  unallocated: number;
  total: number;
  scope: unknown;
}

const cents = (x: number) => Math.round(x * 100);

function expectReconciled(j: ShowbackJson, sourceTotal: number): void {
  const owners = j.owners.reduce((s, o) => s + o.total, 0);
  expect(cents(owners + j.unallocated)).toBe(cents(j.total));
  expect(cents(j.total)).toBe(cents(sourceTotal));
  for (const o of j.owners) expect(o.direct + o.shared).toBeCloseTo(o.total, 9);
  // Each rule's pool reaches its owners whole (or is unallocated, said).
  for (const r of j.sharedRules)
    if (r.toOwners.length) expect(r.toOwners.reduce((s, t) => s + t.amount, 0)).toBeCloseTo(r.amount, 6);
}

function expectCsvAddsUp(csv: string, total: number): void {
  const rows = csv.trim().split('\n').slice(1);
  const totals = rows.slice(0, -1).map((r) => Math.round(Number(r.split(',').at(-2)) * 100));
  expect(totals.reduce((a, b) => a + b, 0)).toBe(cents(total));
  expect(rows.at(-1)).toBe(`total,,,${(cents(total) / 100).toFixed(2)},`);
  for (const r of rows.slice(0, -2)) {
    const [, d, s, t] = r.split(',').map(Number);
    expect(Math.round((d! + s!) * 100)).toBe(Math.round(t! * 100));
  }
}

describe('showback on the demo', () => {
  const file = rules(
    'demo-rules.yaml',
    `by: team
shared:
  - name: tax
    match: { service: ["Tax"] }
    split: proportional
  - name: platform account
    match: { account: ["111111111111"] }
    split: { fixed: { data: 40, web: 40, ml: 20 } }
  - name: credits
    match: { category: never }
    split: even
untagged: even
`,
  );

  it('a rules file with an unknown dimension names its line', async () => {
    const r = await run(['showback', '--rules', file, '--today', '2026-11-24']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `spendbrief: ${file} line 10: shared.2.match.category is not a dimension (service, account, region, team, sku, provider, tag:<key>)`,
    );
  });

  it('all three rule kinds: owners + unallocated = total = the window in the source, to the cent', async () => {
    const ok = rules(
      'demo-ok.yaml',
      `by: team
shared:
  - name: tax
    match: { service: ["Tax"] }
    split: proportional
  - name: platform account
    match: { account: ["111111111111"] }
    split: { fixed: { data: 40, web: 40, ml: 20 } }
  - name: azure
    match: { provider: ["Microsoft"] }
    split: even
untagged: proportional
`,
    );
    const args = ['showback', '--rules', ok, '--today', '2026-11-24', '--window', '2026-11-01..2026-11-23'];
    const j = JSON.parse((await run([...args, '--format', 'json'])).stdout) as ShowbackJson;
    // The source's own sum of the window: the demo's rows, summed apart from spendbrief.
    const { demoSql } = await import('../../src/integrations/demo/generate.js');
    const db = await DuckDb.open();
    const [s] = await db.all<{ total: number }>(
      `SELECT sum(BilledCost) AS total FROM (${demoSql({ endDay: '2026-11-23' })}) WHERE CAST(ChargePeriodStart AS DATE) BETWEEN DATE '2026-11-01' AND DATE '2026-11-23'`,
    );
    db.close();
    expect(j.window).toEqual({ start: '2026-11-01', end: '2026-11-23' });
    expectReconciled(j, s!.total);
    expect(j.sharedRules.map((r) => [r.name, r.split])).toEqual([
      ['tax', 'proportional'],
      ['platform account', 'fixed'],
      ['azure', 'even'],
    ]);
    for (const r of j.sharedRules) expect(r.amount).toBeGreaterThan(0);
    expect(j.unallocated).toBe(0);
    const fixed = j.sharedRules[1]!;
    expect(fixed.toOwners.find((t) => t.key === 'ml')!.amount).toBeCloseTo(fixed.amount * 0.2, 9);
    const csv = (await run([...args, '--format', 'csv'])).stdout;
    expectCsvAddsUp(csv, j.total);
    const text = (await run(args)).stdout;
    expect(text).toMatch(/tax: \$[\d,.]+ split in proportion to each owner's own cost/);
    expect(text).toMatch(
      /Owners \$[\d,.]+ \+ unallocated \$0\.00 = \$[\d,.]+, the window's spend in the source\./,
    );
    // A team's own view: its row as in the whole, nothing else.
    const web = JSON.parse(
      (await run([...args, '--where', 'team=web', '--format', 'json'])).stdout,
    ) as ShowbackJson;
    expect(web.owners.map((o) => o.key)).toEqual(['web']);
    const whole = j.owners.find((o) => o.key === 'web')!;
    expect(web.owners[0]!.total).toBeCloseTo(whole.total, 6);
    expect(web.scope).toEqual({ where: [{ dimension: 'team', values: ['web'] }] });
  });
});

describe("a scoped digest's share of shared cost", () => {
  it("is the team's shared and direct cost of the digest's week, as showback splits them", async () => {
    const file = join(import.meta.dirname, '../../examples/showback.yaml');
    const args = ['--today', '2026-11-25', '--where', 'team=web', '--rules', file];
    const digest = await run(['digest', ...args]);
    expect(digest.code).toBe(0);
    const window = (
      JSON.parse((await run(['digest', ...args, '--format', 'json'])).stdout) as {
        window: { current: { start: string; end: string } };
      }
    ).window.current;
    // The second path: the unscoped showback of the same week, web's row.
    const all = JSON.parse(
      (
        await run([
          'showback',
          '--rules',
          file,
          '--window',
          `${window.start}..${window.end}`,
          '--today',
          '2026-11-25',
          '--format',
          'json',
        ])
      ).stdout,
    ) as ShowbackJson;
    const webRow = all.owners.find((o) => o.key === 'web')!;
    const money = (x: number) =>
      `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const line = digest.stdout.replace(/\n/g, ' ');
    expect(line).toContain(`Your share of shared cost: ${money(webRow.shared)} (`);
    expect(line).toContain(`on top of your own ${money(webRow.direct)}.`);
    // Another team's own figures never appear in web's digest.
    const data = all.owners.find((o) => o.key === 'data')!;
    expect(line).not.toContain(money(data.direct));
  });
});

describe.skipIf(!SAMPLE)(
  `showback on the FOCUS sample (${SAMPLE ? SAMPLE_REL : skipNote(SAMPLE_REL)})`,
  () => {
    it.each([
      ['proportional', 'proportional'],
      ['even', 'even'],
      ['fixed', '{ fixed: { ViennaAI: 60, MadisonData: 40 } }'],
    ])(
      'by tag:business_unit, Azure shared %s, untagged unallocated: reconciles to the cent',
      async (kind, split) => {
        const file = rules(
          `sample-${kind}.yaml`,
          `by: tag:business_unit
shared:
  - name: azure
    match: { provider: ["Microsoft"] }
    split: ${split}
untagged: unallocated
`,
        );
        const args = [
          'showback',
          '--source',
          `focus:${SAMPLE}`,
          '--rules',
          file,
          '--window',
          '2024-09-01..2024-09-30',
        ];
        const j = JSON.parse(
          (await run([...args, '--today', '2024-10-01', '--format', 'json'])).stdout,
        ) as ShowbackJson;
        expectReconciled(j, directSum('2024-09-01', '2024-09-30'));
        expect(j.sharedRules[0]!.amount).not.toBe(0);
        expect(j.unallocated).toBeCloseTo(j.untagged.amount, 9);
        expectCsvAddsUp((await run([...args, '--today', '2024-10-01', '--format', 'csv'])).stdout, j.total);
      },
    );
  },
);
