/**
 * Third-party FOCUS 1.2 and 1.3 files for AWS, Azure and GCP (../shared/data/focus-multicloud,
 * never copied into the project): for every file, each basis' total per currency equals the file's
 * own sum, computed independently here (csv-parse and exact decimal arithmetic).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Basis } from '../../../src/analytics/types.js';
import { sharedData, skipNote } from '../../helpers/shared-data.js';
import { testWarehouses, totalsByCurrency } from '../../helpers/warehouses.js';

const REL = 'focus-multicloud/toolkit-fixtures';
const root = sharedData(REL);

const walk = (d: string): string[] =>
  readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const files = root ? walk(root).filter((f) => f.endsWith('.csv') && !f.includes('contract_commitment')) : [];

const SCALE = 14;
/** A decimal string as an integer of 1e-14 units (exact). */
function units(text: string): bigint {
  const neg = text.startsWith('-');
  const [whole, frac = ''] = text.replace(/^[-+]/, '').split('.');
  const u = BigInt(whole || '0') * 10n ** BigInt(SCALE) + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE));
  return neg ? -u : u;
}

/** The file's own totals per basis and currency, each row's basis with the note's fallbacks. */
function ownTotals(file: string): Record<Basis, Record<string, number>> {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const out: Record<Basis, Record<string, bigint>> = { actual: {}, amortized: {}, net: {} };
  const has = (v: string | undefined) => v !== undefined && v !== '' && v !== 'NULL';
  for (const r of rows) {
    const billed = r.BilledCost!;
    const effective = has(r.EffectiveCost) ? r.EffectiveCost! : billed;
    const contracted = has(r.ContractedCost) ? r.ContractedCost! : effective;
    const c = r.BillingCurrency!;
    for (const [basis, v] of [
      ['actual', billed],
      ['amortized', effective],
      ['net', contracted],
    ] as const)
      out[basis][c] = (out[basis][c] ?? 0n) + units(v);
  }
  const toNumber = (m: Record<string, bigint>) =>
    Object.fromEntries(Object.entries(m).map(([c, u]) => [c, Number(u) / 10 ** SCALE]));
  return { actual: toNumber(out.actual), amortized: toNumber(out.amortized), net: toNumber(out.net) };
}

describe.skipIf(!root)(`FOCUS 1.2/1.3 exports of AWS, Azure and GCP ${root ? '' : skipNote(REL)}`, () => {
  it('finds the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [f.slice(root!.length + 1), f]))(
    '%s: every basis, every currency, to the cent (one-off and synced)',
    async (_name, file) => {
      const own = ownTotals(file);
      for (const way of ['view', 'synced'] as const) {
        const { warehouses } = testWarehouses();
        const spec = { kind: 'focus' as const, path: file };
        if (way === 'synced') await warehouses.sync(spec, { today: '2026-11-25' });
        const s = await warehouses.open(spec, { today: '2026-11-25', purpose: 'question' });
        try {
          for (const basis of ['actual', 'amortized', 'net'] as const) {
            const got = totalsByCurrency(
              await s.warehouse.daySummary({ basis, today: '2099-01-01', teamTag: 'team' }),
            );
            expect(Object.keys(got).sort()).toEqual(Object.keys(own[basis]).sort());
            for (const [c, v] of Object.entries(own[basis])) {
              expect(Math.round(got[c]! * 100), `${basis} ${c} ${way}`).toBe(Math.round(v * 100));
              expect(got[c]!).toBeCloseTo(v, 8);
            }
          }
        } finally {
          await s.close();
        }
      }
    },
  );
});
