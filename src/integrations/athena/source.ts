/**
 * A FOCUS export behind an Athena (Glue) table: `athena:<database>.<table>`. The aggregation runs
 * on Athena and only aggregated rows travel: one query per sync sums every day and line (the
 * line attributes of the cost-drivers method, the tags as JSON) over the days asked for, pruned
 * to their billing periods (the export's `billing_period` partition, `YYYY-MM`). The rows land in
 * the local warehouse through the same FOCUS normalisation as a file, so every report answers from
 * DuckDB and Athena is charged once per sync.
 *
 * The query text is written in the SQL both Trino (Athena) and DuckDB accept; the one expression
 * they spell differently (a map as JSON text) comes from DIALECT, and a test runs the same text on
 * DuckDB to hold the two answers equal to the cent.
 */
import type { DateRange } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { type Column, normalisedSelect } from '../focus/read-focus.js';
import type { DuckDb } from '../warehouse/duckdb.js';
import { ingestWhole } from '../warehouse/ingest.js';
import { ensureSchema, sourceId } from '../warehouse/schema.js';
import { type AthenaOptions, runAthenaQuery } from './client.js';

export interface AthenaTable {
  database: string;
  table: string;
}

export type Dialect = 'trino' | 'duckdb';

/** The expressions Trino and DuckDB spell differently. */
export const DIALECT: Record<Dialect, { mapAsJson: (c: string) => string }> = {
  trino: { mapAsJson: (c) => `json_format(CAST(${c} AS JSON))` },
  duckdb: { mapAsJson: (c) => `CAST(to_json(${c}) AS VARCHAR)` },
};

/** Text columns grouped on and numeric ones summed: FOCUS names as Glue lower-cases them, and AWS's usage type. */
const TEXT = [
  'chargecategory',
  'servicename',
  'subaccountid',
  'regionid',
  'skuid',
  'resourceid',
  'billingcurrency',
  'providername',
  'chargedescription',
  'consumedunit',
  'x_usagetype',
];
const SUMS = ['billedcost', 'effectivecost', 'contractedcost', 'consumedquantity'];

const months = (r: DateRange) => [r.start.slice(0, 7), r.end.slice(0, 7)];

/** Day-by-line sums of a range (inclusive), pruned to its billing periods. */
export function aggregateSql(t: AthenaTable, range: DateRange, dialect: Dialect): string {
  const [from, to] = months(range);
  const end = new Date(Date.parse(`${range.end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const groups = [
    'CAST(CAST(chargeperiodstart AS DATE) AS VARCHAR)',
    ...TEXT,
    DIALECT[dialect].mapAsJson('tags'),
  ];
  return `SELECT ${groups[0]} AS chargeperiodstart,
  ${TEXT.join(', ')},
  ${groups.at(-1)} AS tags,
  ${SUMS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
FROM "${t.database}"."${t.table}"
WHERE billing_period BETWEEN '${from}' AND '${to}'
  AND chargeperiodstart >= TIMESTAMP '${range.start} 00:00:00' AND chargeperiodstart < TIMESTAMP '${end} 00:00:00'
GROUP BY ${groups.map((_, i) => i + 1).join(', ')}`;
}

export interface AthenaSync {
  sourceId: number;
  rows: number;
  bytesScanned: number;
  queryId: string;
}

/** The warehouse columns of the landed rows, as the FOCUS normalisation reads them. */
const LANDED: Column[] = [
  { name: 'chargeperiodstart', type: 'DATE' },
  ...TEXT.map((name) => ({ name, type: 'VARCHAR' })),
  { name: 'tags', type: 'VARCHAR' },
  ...SUMS.map((name) => ({ name, type: 'DOUBLE' })),
];

/** Runs the aggregation on Athena and lands its rows as the source's days of the range. */
export async function syncAthena(
  db: DuckDb,
  o: {
    spec: string;
    table: AthenaTable;
    range: DateRange;
    athena: Omit<AthenaOptions, 'database'>;
    now: Date;
  },
): Promise<AthenaSync> {
  const result = await runAthenaQuery(aggregateSql(o.table, o.range, 'trino'), {
    ...o.athena,
    database: o.table.database,
  });
  const names = result.columns.map((c) => c.name.toLowerCase());
  const missing = LANDED.map((c) => c.name).filter((n) => !names.includes(n));
  if (missing.length)
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `Athena answered without ${missing.join(', ')}: the query's columns changed under it (query ${result.queryId})`,
    );
  await ensureSchema(db);
  const sid = await sourceId(db, o.spec);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE sb_athena_rows (${LANDED.map((c) => `"${c.name}" ${c.type}`).join(', ')})`,
  );
  const order = LANDED.map((c) => names.indexOf(c.name));
  for (let i = 0; i < result.rows.length; i += 500) {
    const batch = result.rows.slice(i, i + 500);
    const params = batch.flatMap((r) =>
      order.map((k, j) =>
        r[k] === null || r[k] === undefined ? null : LANDED[j]!.type === 'DOUBLE' ? Number(r[k]) : r[k],
      ),
    );
    await db.run(
      `INSERT INTO sb_athena_rows VALUES ${batch
        .map(
          () =>
            `(CAST(? AS DATE), ${Array(LANDED.length - 1)
              .fill('?')
              .join(', ')})`,
        )
        .join(', ')}`,
      params,
    );
  }
  try {
    await ingestWhole(db, {
      sourceId: sid,
      // Only the range lands: what is replaced is exactly what is deleted, whatever Athena sent.
      relation: `SELECT ${normalisedSelect(`athena:${o.table.database}.${o.table.table}`, LANDED)} FROM sb_athena_rows
        WHERE chargeperiodstart BETWEEN DATE '${o.range.start}' AND DATE '${o.range.end}'`,
      replace: async () => {
        const between = `day BETWEEN DATE '${o.range.start}' AND DATE '${o.range.end}'`;
        await db.run(`DELETE FROM charge_days WHERE source_id = ${sid} AND ${between}`);
        await db.run(`DELETE FROM day_totals WHERE source_id = ${sid} AND ${between}`);
      },
      after: async () => {
        await db.run('UPDATE sb_sources SET synced_at = ?, detail = ? WHERE source_id = ?', [
          o.now.toISOString(),
          JSON.stringify({ bytesScanned: result.bytesScanned, queryId: result.queryId, range: o.range }),
          sid,
        ]);
      },
    });
  } finally {
    await db.run('DROP TABLE IF EXISTS sb_athena_rows');
  }
  return {
    sourceId: sid,
    rows: result.rows.length,
    bytesScanned: result.bytesScanned,
    queryId: result.queryId,
  };
}
