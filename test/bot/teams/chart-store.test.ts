/** Chart images in the state database: served until they expire, kept across a restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChartStore } from '../../../src/bot/teams/chart-store.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

const idOf = (url: string) => url.split('/').at(-1)!.replace('.png', '');

describe('ChartStore', () => {
  it('serves a chart until it expires, then refuses it like a guess; survives a reopen of the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spendbrief-charts-')), 'state.duckdb');
    const clock = { t: 1_000 };
    let db = await DuckDb.open(file);
    let store = new ChartStore({
      sql: db,
      publicBaseUrl: 'https://bot.example.com/base',
      ttlMs: 60_000,
      now: () => clock.t,
    });
    await store.init();
    const url = await store.put(Buffer.from('png-bytes'));
    expect(url).toMatch(/^https:\/\/bot\.example\.com\/base\/charts\/[A-Za-z0-9_-]{32}\.png$/);
    db.close();
    db = await DuckDb.open(file);
    store = new ChartStore({
      sql: db,
      publicBaseUrl: 'https://bot.example.com/base',
      ttlMs: 60_000,
      now: () => clock.t,
    });
    await store.init();
    expect((await store.get(idOf(url)))?.toString()).toBe('png-bytes');
    clock.t += 60_000;
    expect(await store.get(idOf(url))).toBeNull();
    expect(await store.get('not-an-id')).toBeNull();
    // Without a restart, expired images go as new ones are stored (at most hourly).
    clock.t += 3600_000;
    await store.put(Buffer.from('newer'));
    expect(await db.all<{ n: bigint }>('SELECT count(*)::INTEGER AS n FROM chart_images')).toEqual([
      { n: 1 },
    ]);
    db.close();
  });

  it('ids are unguessable: 100 puts give 100 distinct 192-bit ids', async () => {
    const db = await DuckDb.open();
    const store = new ChartStore({ sql: db, publicBaseUrl: 'https://x/' });
    await store.init();
    const urls = await Promise.all(Array.from({ length: 100 }, () => store.put(Buffer.alloc(1))));
    expect(new Set(urls).size).toBe(100);
    db.close();
  });
});
