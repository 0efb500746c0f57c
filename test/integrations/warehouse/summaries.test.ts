/**
 * The weekly sums kept at sync (weeks.ts) answer exactly what the daily rows
 * answer: random rows over ten weeks, ingested as two files (one scan and two scans), asked the
 * same questions with the summaries and through the one-off flat view, for windows starting on
 * every weekday, scoped to a team and not, and after one file is removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Where } from '../../../src/analytics/scope.js';
import { type DateRange, DIMENSIONS } from '../../../src/analytics/types.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { DuckDbWarehouse } from '../../../src/integrations/warehouse/duckdb-warehouse.js';
import { land, removeFileRows, stage } from '../../../src/integrations/warehouse/ingest.js';
import type { ChargeRow } from '../../../src/integrations/warehouse/port.js';
import { rowsTable } from '../../../src/integrations/warehouse/rows.js';
import { ensureSchema, sourceId } from '../../../src/integrations/warehouse/schema.js';
import { splitWeeks } from '../../../src/integrations/warehouse/weeks.js';

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const START = Date.parse('2026-09-01T00:00:00Z');

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rows(seed: number, days: number): ChargeRow[] {
  const r = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: ChargeRow[] = [];
  for (let d = 0; d < days; d++)
    for (let i = 0; i < 25; i++) {
      if (r() < 0.3) continue; // lines come and go
      const credit = r() < 0.05;
      out.push({
        day: dayOf(START + d * DAY),
        billed: credit ? -r() * 3 : Math.round(r() * 100_000) / 1000,
        effective: r() < 0.5 ? r() * 50 : null,
        contracted: null,
        quantity: credit ? null : r() * 10,
        category: credit ? 'Credit' : 'Usage',
        service: `S${i % 4}`,
        account: `a${i % 3}`,
        region: pick(['us-east-1', 'eu-west-1']),
        sku: `sku-${i}`,
        resource: `r-${i}`,
        tags: i % 5 === 0 ? null : { team: `t${i % 3}` },
        currency: i === 7 ? 'EUR' : 'USD',
        provider: 'AWS',
        instanceType: '',
      });
    }
  return out;
}

let db: DuckDb;
let sid: number;
const all = [...rows(1, 40), ...rows(2, 30).map((x) => ({ ...x, day: dayOf(Date.parse(x.day) + 40 * DAY) }))];
const second = all.filter((x) => x.day >= dayOf(START + 40 * DAY));

async function ingest(name: string, fileId: number, rs: ChargeRow[], scans: 1 | 2) {
  const relation = await rowsTable(db, `rows_${name}`, rs);
  await stage(db, relation, name, { scans });
  await db.transaction(() => land(db, { sourceId: sid, fileId, name }));
}

beforeAll(async () => {
  db = await DuckDb.open();
  await ensureSchema(db);
  sid = await sourceId(db, 'test');
  await ingest(
    'first',
    1,
    all.filter((x) => x.day < dayOf(START + 40 * DAY)),
    1,
  );
  await ingest('second', 2, second, 2);
});
afterAll(() => db.close());

const flatOf = async (name: string, rs: ChargeRow[]) => {
  await db.run(`CREATE OR REPLACE TEMP VIEW ${name} AS ${await rowsTable(db, `${name}_t`, rs)}`);
  return new DuckDbWarehouse(db, { kind: 'flat', rows: name });
};
const summaries = () => new DuckDbWarehouse(db, { kind: 'star', sourceId: sid, summaries: true });

/** Numbers to 1e-9 (sums of sums differ from sums of rows in the last bits only). */
const close = (x: unknown): unknown =>
  Array.isArray(x)
    ? x.map(close)
    : x && typeof x === 'object'
      ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, close(v)]))
      : typeof x === 'number'
        ? Math.round(x * 1e6) / 1e6 + 0
        : x;

/** A line summary with its groups in key order (the engine returns them in no set order). */
const byKey = (s: { groups: { key: string }[] }) => ({
  ...s,
  groups: [...s.groups].sort((a, b) => a.key.localeCompare(b.key)),
});

const team: Where = [{ dimension: 'team', values: ['t1'] }];

describe('weekly sums', () => {
  it('splitWeeks covers a range exactly once, whole weeks from Monday', () => {
    for (let s = 0; s < 14; s++)
      for (let len = 1; len < 40; len += 3) {
        const r: DateRange = { start: dayOf(START + s * DAY), end: dayOf(START + (s + len - 1) * DAY) };
        const p = splitWeeks(r);
        const covered: string[] = p.days.flatMap((d) => {
          const out = [];
          for (let t = Date.parse(d.start); t <= Date.parse(d.end); t += DAY) out.push(dayOf(t));
          return out;
        });
        if (p.weeks)
          for (let w = Date.parse(p.weeks.start); w <= Date.parse(p.weeks.end); w += 7 * DAY) {
            expect(new Date(w).getUTCDay()).toBe(1);
            for (let k = 0; k < 7; k++) covered.push(dayOf(w + k * DAY));
          }
        expect(covered.sort()).toEqual(Array.from({ length: len }, (_, k) => dayOf(START + (s + k) * DAY)));
      }
  });

  it('window questions equal the daily rows for windows starting on every weekday, scoped or not', async () => {
    const flat = await flatOf('flat_all', all);
    const star = summaries();
    for (let s = 0; s < 7; s++)
      for (const len of [7, 14, 30]) {
        const at = START + (10 + s) * DAY;
        const previous = { start: dayOf(at), end: dayOf(at + (len - 1) * DAY) };
        const current = { start: dayOf(at + len * DAY), end: dayOf(at + (2 * len - 1) * DAY) };
        for (const where of [undefined, team]) {
          const q = {
            current,
            previous,
            basis: 'amortized' as const,
            teamTag: 'team',
            currency: 'USD',
            where,
          };
          const label = `${current.start} ${len}d ${where ? 'team' : 'all'}`;
          expect(close(await star.lineAggregates(q)), label).toEqual(close(await flat.lineAggregates(q)));
          expect(close(byKey(await star.lineSummary({ ...q, by: 'team' }))), label).toEqual(
            close(byKey(await flat.lineSummary({ ...q, by: 'team' }))),
          );
          const v = {
            dimension: 'service' as const,
            range: current,
            basis: 'actual' as const,
            teamTag: 'team',
            where,
          };
          expect(close(await star.dimensionValues(v)), label).toEqual(close(await flat.dimensionValues(v)));
        }
      }
  });

  it('daily series by every dimension and the days of a scope equal the daily rows', async () => {
    const flat = await flatOf('flat_all2', all);
    const star = summaries();
    const q = { basis: 'net' as const, today: dayOf(START + 65 * DAY), teamTag: 'team' };
    for (const by of [...DIMENSIONS, 'total'] as const)
      for (const where of [undefined, team, [{ dimension: 'region' as const, values: ['eu-west-1'] }]])
        expect(close(await star.dailyByKey({ ...q, by, where })), `${by} ${JSON.stringify(where)}`).toEqual(
          close(await flat.dailyByKey({ ...q, by, where })),
        );
    for (const where of [undefined, team])
      for (const excludeServices of [undefined, ['S1']])
        expect(close(await star.daySummary({ ...q, where, excludeServices }))).toEqual(
          close(await flat.daySummary({ ...q, where, excludeServices })),
        );
  });

  it('a removed file takes its summaries with it', async () => {
    await db.transaction(() => removeFileRows(db, sid, 1));
    const flat = await flatOf('flat_second', second);
    const star = summaries();
    const current = { start: dayOf(START + 45 * DAY), end: dayOf(START + 65 * DAY) };
    const q = { current, previous: null, basis: 'actual' as const, teamTag: 'team', currency: 'USD' };
    expect(close(await star.lineAggregates(q))).toEqual(close(await flat.lineAggregates(q)));
    const [n] = await db.all<{ n: number }>('SELECT count(*) AS n FROM charge_weeks WHERE file_id = 1');
    expect(Number(n!.n)).toBe(0);
  });
});
