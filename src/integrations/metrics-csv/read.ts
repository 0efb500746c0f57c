/** A business-metrics CSV (`date` + numeric columns), read with DuckDB's CSV reader. */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { CodedError, ErrorCode } from '../../errors.js';
import type { MetricsByDay } from '../metrics.js';
import { sqlString } from '../warehouse/duckdb.js';
import type { SqlRunner } from '../warehouse/port.js';

export async function readMetricsCsv(sql: SqlRunner, file: string, wanted?: string[]): Promise<MetricsByDay> {
  const name = basename(file);
  if (!existsSync(file))
    throw new CodedError(
      ErrorCode.SourceMissing,
      `metrics file ${file} does not exist; expected a CSV with a date column and numeric columns`,
    );
  const src = `read_csv(${sqlString(file)}, header = true, all_varchar = true)`;
  const cols = (await sql.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${src}`)).map(
    (c) => c.column_name,
  );
  const date = cols.find((c) => c.toLowerCase() === 'date');
  if (!date)
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${name}: no "date" column (it has: ${cols.join(', ')}); expected date plus one numeric column per feature`,
    );
  const features = wanted ?? cols.filter((c) => c !== date);
  for (const f of features) {
    if (!cols.includes(f))
      throw new CodedError(ErrorCode.SourceInvalid, `${name}: no column "${f}" (it has: ${cols.join(', ')})`);
  }
  if (features.length === 0)
    throw new CodedError(ErrorCode.SourceInvalid, `${name}: no feature columns besides "${date}"`);
  const rows = await sql.all<Record<string, string | null> & { row: number }>(
    `SELECT row_number() OVER () AS row, * FROM ${src}`,
  );
  const days = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const d = String(r[date] ?? '');
    if (!/^\d{4}-\d{2}-\d{2}/.test(d) || Number.isNaN(Date.parse(d.slice(0, 10)))) {
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${name}, row ${r.row} (line ${r.row + 1}), column ${date}: "${d}" is not a date YYYY-MM-DD`,
      );
    }
    const values: Record<string, number> = {};
    for (const f of features) {
      const raw = r[f];
      const v = Number(raw);
      if (raw === null || raw === undefined || raw.trim() === '' || !Number.isFinite(v)) {
        throw new CodedError(
          ErrorCode.SourceInvalid,
          `${name}, row ${r.row} (line ${r.row + 1}), column ${f}: "${raw ?? ''}" is not a number`,
        );
      }
      values[f] = v;
    }
    days.set(d.slice(0, 10), values);
  }
  return { features, days };
}
