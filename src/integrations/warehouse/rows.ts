/**
 * Charge rows that a program holds (Cost Explorer's answers) as a connection-local table in the
 * normalised shape, ready to stage like any file.
 */
import type { ChargeRow, SqlRunner } from './port.js';

const COLUMNS = `day DATE, billed DOUBLE, effective DOUBLE, contracted DOUBLE, quantity DOUBLE, unit VARCHAR,
  category VARCHAR, service VARCHAR, account VARCHAR, region VARCHAR, sku VARCHAR, resource VARCHAR, tags VARCHAR,
  currency VARCHAR, provider VARCHAR, instance_type VARCHAR, usage_type VARCHAR, description VARCHAR`;

/** Creates (or replaces) TEMP TABLE `name` with the rows; returns the relation to stage. */
export async function rowsTable(sql: SqlRunner, name: string, rows: ChargeRow[]): Promise<string> {
  await sql.run(`CREATE OR REPLACE TEMP TABLE ${name} (${COLUMNS})`);
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500);
    const params: unknown[] = [];
    for (const r of batch) {
      params.push(
        r.day,
        r.billed,
        r.effective,
        r.contracted,
        r.quantity,
        r.unit ?? '',
        r.category,
        r.service,
        r.account,
        r.region,
        r.sku,
        r.resource,
        r.tags ? JSON.stringify(r.tags) : '',
        r.currency,
        r.provider,
        r.instanceType,
        r.usageType ?? '',
        '',
      );
    }
    await sql.run(
      `INSERT INTO ${name} VALUES ${batch.map(() => `(CAST(? AS DATE), ${Array(17).fill('?').join(', ')})`).join(', ')}`,
      params,
    );
  }
  return `SELECT * FROM ${name}`;
}
