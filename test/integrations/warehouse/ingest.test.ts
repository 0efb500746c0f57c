import { describe, expect, it } from 'vitest';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import { withOneThreadIfOutOfMemory } from '../../../src/integrations/warehouse/ingest.js';

const threads = async (db: DuckDb) =>
  Number((await db.all<{ t: string }>("SELECT current_setting('threads')::VARCHAR AS t"))[0]!.t);

describe('a stage that runs out of memory', () => {
  it('is tried once more on one thread, and the thread count put back', async () => {
    const db = await DuckDb.open(':memory:', { threads: 2 });
    const seen: number[] = [];
    await withOneThreadIfOutOfMemory(db, async () => {
      seen.push(await threads(db));
      // DuckDB's own words when a thread's hash tables do not fit.
      if (seen.length === 1)
        throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB');
    });
    expect(seen).toEqual([2, 1]);
    expect(await threads(db)).toBe(2);
    db.close();
  });

  it('on one thread already, or for any other error, fails as it came', async () => {
    const db = await DuckDb.open(':memory:', { threads: 1 });
    const oom = new Error('Out of Memory Error: failed to allocate data of size 8.0 MiB');
    await expect(withOneThreadIfOutOfMemory(db, async () => Promise.reject(oom))).rejects.toBe(oom);
    db.close();
    const two = await DuckDb.open(':memory:', { threads: 2 });
    let calls = 0;
    const bad = new Error('Conversion Error: could not convert string "x" to DOUBLE');
    await expect(
      withOneThreadIfOutOfMemory(two, async () => {
        calls++;
        throw bad;
      }),
    ).rejects.toBe(bad);
    expect(calls).toBe(1);
    expect(await threads(two)).toBe(2);
    two.close();
  });
});
