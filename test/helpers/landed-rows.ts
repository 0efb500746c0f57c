import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { land, stage } from '../../src/integrations/warehouse/ingest.js';
import type { ChargeRow } from '../../src/integrations/warehouse/port.js';
import { rowsTable } from '../../src/integrations/warehouse/rows.js';
import { ensureSchema, sourceId } from '../../src/integrations/warehouse/schema.js';

/**
 * Charge rows staged and landed as one file of a source in a new in-memory warehouse, as a sync
 * does; `relation` is the rows as a flat relation (the one-off's view of the same data).
 */
export async function landedRows(rows: ChargeRow[]): Promise<{ db: DuckDb; sid: number; relation: string }> {
  const db = await DuckDb.open();
  const relation = await rowsTable(db, 'rows_in', rows);
  await ensureSchema(db);
  const sid = await sourceId(db, 'test');
  await stage(db, relation, 't');
  await db.transaction(() => land(db, { sourceId: sid, fileId: 1, name: 't' }));
  return { db, sid, relation };
}
