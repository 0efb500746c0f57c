/** Which rows CCF's AWS coefficients cover: the SQL and the JS rule agree on every spelling. */
import { describe, expect, it } from 'vitest';
import { AWS_PROVIDER_SQL, isAwsProvider } from '../../../src/integrations/warehouse/carbon-sql.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';

const NAMES = [
  'AWS',
  'aws',
  'Amazon Web Services',
  'AMAZON',
  'Microsoft',
  'Google Cloud',
  'Oracle',
  '',
  'not AWS',
];

describe('AWS provider rule', () => {
  it('DuckDB and JavaScript classify the same names the same way', async () => {
    const db = await DuckDb.open();
    try {
      const rows = await db.all<{ provider: string; aws: boolean }>(
        `SELECT provider, ${AWS_PROVIDER_SQL} AS aws FROM (VALUES ${NAMES.map((n) => `('${n}')`).join(', ')}) t(provider)`,
      );
      expect(rows).toHaveLength(NAMES.length);
      for (const r of rows) expect(r.aws, r.provider).toBe(isAwsProvider(r.provider));
      expect(NAMES.filter(isAwsProvider)).toEqual(['AWS', 'aws', 'Amazon Web Services', 'AMAZON']);
    } finally {
      await db.close();
    }
  });
});
