/**
 * The demo company as a warehouse source: generated in SQL for the days up to the day before
 * `today` and landed like any export. Regenerated when the day moves on, never otherwise.
 */
import { DateTime } from 'luxon';
import { normalisedSelect } from '../focus/read-focus.js';
import type { DuckDb } from '../warehouse/duckdb.js';
import { ingestWhole, removeSourceRows } from '../warehouse/ingest.js';
import { ensureSchema, sourceId } from '../warehouse/schema.js';
import { type DemoOptions, demoSql } from './generate.js';

export const DEMO_SPEC = 'demo';

/** The demo company's data ends the day before `today`. */
export const demoEndDay = (today: string): string =>
  DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 }).toISODate()!;

/** The demo as a normalised relation. */
export async function demoRelation(db: DuckDb, options: DemoOptions): Promise<string> {
  const raw = `(${demoSql(options)})`;
  const cols = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${raw}`);
  return `SELECT ${normalisedSelect(
    'demo data',
    cols.map((c) => ({ name: c.column_name, type: c.column_type })),
  )} FROM ${raw}`;
}

/** Lands the demo ending the day before `today` (nothing to do when it already does). */
export async function syncDemo(
  db: DuckDb,
  o: { today: string; now: Date },
): Promise<{ sourceId: number; changed: boolean }> {
  await ensureSchema(db);
  const sid = await sourceId(db, DEMO_SPEC);
  const endDay = demoEndDay(o.today);
  const [current] = await db.all<{ detail: string | null; synced: boolean }>(
    'SELECT detail, synced_at IS NOT NULL AS synced FROM sb_sources WHERE source_id = ?',
    [sid],
  );
  if (current?.synced && current.detail === JSON.stringify({ endDay }))
    return { sourceId: sid, changed: false };
  await ingestWhole(db, {
    sourceId: sid,
    relation: await demoRelation(db, { endDay }),
    replace: () => removeSourceRows(db, sid),
    after: async () => {
      await db.run('UPDATE sb_sources SET synced_at = ?, detail = ? WHERE source_id = ?', [
        o.now.toISOString(),
        JSON.stringify({ endDay }),
        sid,
      ]);
    },
  });
  return { sourceId: sid, changed: true };
}
