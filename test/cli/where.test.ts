/**
 * `--where` as a user runs it: a team's report equals the same method run on a file holding only
 * that team's rows (cut apart from spendbrief, with DuckDB), for drivers, anomalies and forecast;
 * every JSON object says its scope; a where that matches nothing says so, with the values it could
 * have named.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { cents } from '../helpers/numbers.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-where-'));
const all = join(dir, 'company.csv');
const web = join(dir, 'web-only.csv');

beforeAll(async () => {
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', days: 120 })}) TO '${all}' (HEADER)`);
  // The second path: the team's rows cut out of the export by DuckDB, not by spendbrief.
  await db.run(
    `COPY (SELECT * FROM read_csv('${all}', header = true, all_varchar = true) WHERE json_extract_string(Tags, '$.team') = 'web') TO '${web}' (HEADER)`,
  );
  db.close();
}, 60_000);

async function json(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)('node', [BIN, ...args, '--format', 'json'], {
    env: { ...process.env, SPENDBRIEF_DB: join(dir, 'none.duckdb') },
  });
  return JSON.parse(stdout);
}

const without = (j: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(j).filter(([k]) => !keys.includes(k)));

describe("--where team=web equals a file of only the team's rows", () => {
  it.each([
    ['drivers', ['drivers', '--today', '2026-11-24', '--by', 'service']],
    ['drivers by team', ['drivers', '--today', '2026-11-24', '--by', 'team', '--window', 'mtd']],
    ['anomalies', ['anomalies', '--today', '2026-11-24', '--by', 'service', '--days', '30']],
    ['forecast', ['forecast', '--today', '2026-11-24']],
  ])('%s', async (_name, args) => {
    const scoped = await json([...args, '--source', `focus:${all}`, '--where', 'team=web']);
    const cut = await json([...args, '--source', `focus:${web}`]);
    expect(scoped.scope).toEqual({ where: [{ dimension: 'team', values: ['web'] }] });
    expect(cut.scope).toBeNull();
    // missingDays is only judged on the whole source (a team's own last day says nothing of it).
    expect(cents(without(scoped, 'scope', 'missingDays'))).toEqual(
      cents(without(cut, 'scope', 'missingDays')),
    );
    if (args[0] === 'drivers' && args.includes('team'))
      expect((scoped.rows as { key: string }[]).map((r) => r.key)).toEqual(['web']);
  });

  it('a where that matches nothing is one line saying so, with the values it could have named', async () => {
    const r = await promisify(execFile)(
      'node',
      [BIN, 'drivers', '--source', `focus:${all}`, '--where', 'team=payments'],
      {
        env: { ...process.env, SPENDBRIEF_DB: join(dir, 'none.duckdb') },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr.trim()).toMatch(
      /^spendbrief: no line matches team=payments up to \d{4}-\d{2}-\d{2} \(in the last 90 days, team has "[a-z]+"(, "[a-z]+")*\)$/,
    );
  });
});
