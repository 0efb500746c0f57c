import { describe, expect, it } from 'vitest';
import { aggregateSql, DIALECT } from '../../../src/integrations/athena/source.js';
import { parseSource } from '../../../src/reports/source.js';

describe('the Athena aggregation', () => {
  it('prunes to the billing periods of the range and bounds the days (the partition first)', () => {
    const sql = aggregateSql(
      { database: 'cid_data_export', table: 'focus' },
      { start: '2026-10-02', end: '2026-11-30' },
      'trino',
    );
    expect(sql).toContain(`FROM "cid_data_export"."focus"`);
    expect(sql).toContain("WHERE billing_period BETWEEN '2026-10' AND '2026-11'");
    expect(sql).toContain(
      "chargeperiodstart >= TIMESTAMP '2026-10-02 00:00:00' AND chargeperiodstart < TIMESTAMP '2026-12-01 00:00:00'",
    );
    // Sums of costs and quantities; tags as JSON text in Trino's spelling.
    expect(sql).toMatch(/SUM\(billedcost\) AS billedcost, SUM\(effectivecost\) AS effectivecost/);
    expect(sql).toContain(DIALECT.trino.mapAsJson('tags'));
    expect(
      aggregateSql({ database: 'd', table: 't' }, { start: '2026-10-02', end: '2026-11-30' }, 'duckdb'),
    ).toContain('to_json(tags)');
  });

  it('athena:<database>.<table> and nothing else', () => {
    expect(parseSource('athena:cid_data_export.focus')).toEqual({
      kind: 'athena',
      database: 'cid_data_export',
      table: 'focus',
    });
    for (const bad of ['athena:', 'athena:focus', 'athena:a.b.c', "athena:a.b';--"])
      expect(() => parseSource(bad)).toThrow(/athena: takes <database>\.<table>/);
  });
});
