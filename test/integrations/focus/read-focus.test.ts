/**
 * FOCUS files on real DuckDB, through the three ways a report reads them (a one-off view, a
 * one-off in-memory warehouse, a synced warehouse): versions 1.0 to 1.4, OCI's timestamps and
 * column names, folders and mixed globs, Contract Commitment files, bad cells, instance types.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Basis } from '../../../src/analytics/types.js';
import { ccfCoefficients } from '../../../src/integrations/carbon-coefficients/ccf.js';
import { DuckDb } from '../../../src/integrations/warehouse/duckdb.js';
import type { SourceSpec } from '../../../src/reports/source.js';
import { directSumByDay, SAMPLE, SAMPLE_REL, unitsToNumber } from '../../helpers/focus-sample.js';
import { sharedData, skipNote } from '../../helpers/shared-data.js';
import { testWarehouses } from '../../helpers/warehouses.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spendbrief-focus-'));
});

const WAYS = ['view', 'memory', 'synced'] as const;
type Way = (typeof WAYS)[number];

/** A day summary of a FOCUS source read one way. */
async function days(path: string, way: Way, basis: Basis = 'actual', teamTag = 'team') {
  const { warehouses } = testWarehouses();
  const spec: SourceSpec = { kind: 'focus', path };
  if (way === 'synced') await warehouses.sync(spec, { today: '2026-11-25' });
  const s = await warehouses.open(spec, {
    today: '2026-11-25',
    purpose: way === 'view' ? 'question' : 'report',
  });
  try {
    return await s.warehouse.daySummary({ basis, today: '2099-01-01', teamTag });
  } finally {
    await s.close();
  }
}

const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe.skipIf(!SAMPLE)(
  `the FinOps Foundation's real FOCUS 1.0 sample ${SAMPLE ? '' : skipNote(SAMPLE_REL)}`,
  () => {
    it.each(WAYS)(
      'read as a %s: every day and the total equal a direct sum of the file to the cent',
      async (way) => {
        const summary = await days(SAMPLE!, way);
        const direct = directSumByDay();
        const byDay = new Map<string, number>();
        for (const s of summary) byDay.set(s.day, (byDay.get(s.day) ?? 0) + s.spend);
        expect([...byDay.keys()].sort()).toEqual([...direct.keys()].sort());
        for (const [day, units] of direct)
          expect(Math.round(byDay.get(day)! * 100)).toBe(Math.round(unitsToNumber(units) * 100));
        const total = [...direct.values()].reduce((a, b) => a + b, 0n);
        expect(summary.reduce((s, r) => s + r.spend, 0)).toBeCloseTo(unitsToNumber(total), 9);
        expect(new Set(summary.map((s) => s.provider))).toEqual(new Set(['AWS', 'Microsoft', 'Oracle']));
      },
    );

    it('its Parquet twin and its OCI-style variant (.csv.gz, timestamps without seconds) give the same lines', async () => {
      const parquet = sharedData('focus-multicloud/parquet/focus_sample_1.0.parquet');
      const oci = sharedData('focus-multicloud/variants/focus_sample_1.0_oci_timestamps.csv.gz');
      const query = {
        current: { start: '2024-09-16', end: '2024-09-30' },
        previous: { start: '2024-09-01', end: '2024-09-15' },
        basis: 'actual' as const,
        currency: 'USD',
        teamTag: 'business_unit',
      };
      const linesOf = async (path: string) => {
        const { warehouses } = testWarehouses();
        const s = await warehouses.open(
          { kind: 'focus', path },
          { today: '2026-11-25', purpose: 'question' },
        );
        try {
          return await s.warehouse.lineAggregates(query);
        } finally {
          await s.close();
        }
      };
      const fromCsv = await linesOf(SAMPLE!);
      const key = (l: (typeof fromCsv)[number]) =>
        [l.service, l.account, l.region, l.team, l.sku, l.resource, l.kind, l.currentSpend.toFixed(9)].join(
          '|',
        );
      for (const other of [parquet, oci].filter((p): p is string => !!p))
        expect((await linesOf(other)).map(key)).toEqual(fromCsv.map(key));
      expect(fromCsv.some((l) => l.team !== '')).toBe(true);
      expect(new Set(fromCsv.map((l) => l.kind))).toEqual(new Set(['usage', 'credit', 'other']));
    });

    it('finds the instance type of every billed EC2 instance in ChargeDescription', async () => {
      const db = await DuckDb.open();
      const { focusRelation, listFocusFiles } = await import('../../../src/integrations/focus/read-focus.js');
      const rel = await focusRelation(db, await listFocusFiles(db, SAMPLE!), 'sample');
      const rows = await db.all<{ n: number; types: number }>(
        `SELECT count(DISTINCT resource) AS n, count(DISTINCT instance_type) AS types FROM (${rel.sql})
       WHERE service = 'Amazon Elastic Compute Cloud' AND instance_type <> ''`,
      );
      db.close();
      expect(rows[0]!.n).toBe(28);
      expect(rows[0]!.types).toBeGreaterThan(3);
    });
  },
);

describe('FOCUS versions and shapes', () => {
  const header =
    'ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ServiceProviderName,ChargeCategory';

  it.each(WAYS)('1.3 (ServiceProviderName) with offsets, read as a %s: days in UTC', async (way) => {
    const f = write(
      'v13.csv',
      `${header}\n2025-03-01T23:30:00-02:00,1.25,1.00,EUR,Compute,Contoso Cloud,Usage\n2025-03-02T00:00:00Z,2.5,,EUR,Compute,Contoso Cloud,Usage\n`,
    );
    expect(await days(f, way, 'amortized')).toEqual([
      { day: '2025-03-02', currency: 'EUR', provider: 'Contoso Cloud', spend: 3.5 },
    ]);
  });

  it.each(WAYS)(
    'RFC 4180 quoting, CRLF lines, and a semicolon export from a spreadsheet (its dialect sniffed), read as a %s',
    async (way) => {
      const comma = write(
        'quoted.csv',
        `${header}\r\n2025-03-02T00:00:00Z,1.5,1.5,USD,"Compute, ""burst""",Contoso Cloud,Usage\r\n2025-03-02T01:00:00Z,2,2,USD,Compute,Contoso Cloud,Usage\r\n`,
      );
      const semicolon = write(
        'semicolon.csv',
        `${header.replaceAll(',', ';')}\n2025-03-02T00:00:00Z;1.5;1.5;USD;Compute;Contoso Cloud;Usage\n2025-03-02T01:00:00Z;2;2;USD;Compute;Contoso Cloud;Usage\n`,
      );
      const want = [{ day: '2025-03-02', currency: 'USD', provider: 'Contoso Cloud', spend: 3.5 }];
      expect(await days(comma, way)).toEqual(want);
      expect(await days(semicolon, way)).toEqual(want);
    },
  );

  it.each(WAYS)(
    '1.4 (no ProviderName) and OCI (UsageQuantity, Provider, no seconds), read as a %s',
    async (way) => {
      const v14 = write(
        'v14.csv',
        'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,ServiceProviderName,HostProviderName,ConsumedQuantity\n2026-06-05T00:00:00Z,4,USD,Storage,Acme,Acme,2\n',
      );
      expect(await days(v14, way)).toEqual([
        { day: '2026-06-05', currency: 'USD', provider: 'Acme', spend: 4 },
      ]);
      const oci = write(
        'oci.csv',
        'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,Provider,UsageQuantity,ChargeCategory\n2024-09-18T22:00Z,3,USD,COMPUTE,Oracle,6,Usage\n2024-09-19T01:00Z,5,USD,COMPUTE,Oracle,9,Usage\n',
      );
      expect(await days(oci, way)).toEqual([
        { day: '2024-09-18', currency: 'USD', provider: 'Oracle', spend: 3 },
        { day: '2024-09-19', currency: 'USD', provider: 'Oracle', spend: 5 },
      ]);
      const { warehouses } = testWarehouses();
      const s = await warehouses.open(
        { kind: 'focus', path: oci },
        { today: '2026-01-01', purpose: way === 'view' ? 'question' : 'report' },
      );
      const lines = await s.warehouse.lineAggregates({
        current: { start: '2024-09-19', end: '2024-09-19' },
        previous: { start: '2024-09-18', end: '2024-09-18' },
        basis: 'actual',
        currency: 'USD',
        teamTag: 'team',
      });
      await s.close();
      // The quantities are read (usage and rate buckets need them).
      expect(lines).toMatchObject([{ previousQuantity: 6, currentQuantity: 9 }]);
    },
  );

  it.each(WAYS)("RFC 3339's lower-case z (with and without fractions), read as a %s", async (way) => {
    const z = write(
      'lower-z.csv',
      'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,ProviderName\n2026-06-05T23:00:00z,4,USD,Storage,Acme\n2026-06-06T00:00:00.000z,2,USD,Storage,Acme\n2026-06-06T01:00z,1,USD,Storage,Acme\n',
    );
    expect(await days(z, way)).toEqual([
      { day: '2026-06-05', currency: 'USD', provider: 'Acme', spend: 4 },
      { day: '2026-06-06', currency: 'USD', provider: 'Acme', spend: 3 },
    ]);
  });

  it.each(WAYS)(
    'a folder, and a glob mixing CSV and Parquet, read as a %s; a Contract Commitment file is skipped',
    async (way) => {
      const sub = join(dir, 'export', '2026-05');
      mkdirSync(sub, { recursive: true });
      writeFileSync(
        join(sub, 'a.csv'),
        'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName\n2026-05-01,1.5,USD,S3\n',
      );
      const db = await DuckDb.open();
      await db.run(
        `COPY (SELECT TIMESTAMP '2026-05-02 10:00:00' AS ChargePeriodStart, 2.25 AS BilledCost, 'USD' AS BillingCurrency, 'EC2' AS ServiceName) TO '${join(sub, 'b.parquet')}' (FORMAT parquet)`,
      );
      db.close();
      writeFileSync(
        join(sub, 'commitments.csv'),
        'ContractCommitmentId,ContractCommitmentCost,ContractCommitmentPeriodStart,BillingCurrency\ncc-1,100,2026-05-01T00:00:00Z,USD\n',
      );
      for (const path of [join(dir, 'export'), join(sub, '*')]) {
        const s = await days(path, way);
        expect(s.map((d) => [d.day, d.spend])).toEqual([
          ['2026-05-01', 1.5],
          ['2026-05-02', 2.25],
        ]);
      }
    },
  );
});

describe('bad input says what is wrong and where', () => {
  const header =
    'ChargePeriodStart,BilledCost,EffectiveCost,BillingCurrency,ServiceName,ProviderName,ChargeCategory';

  it.each(WAYS)('nothing matches (%s)', async (way) => {
    await expect(days(join(dir, 'nope-*.csv'), way)).rejects.toThrow(
      /no file matches ".*nope-\*\.csv"; expected a file, a folder or a glob of FOCUS 1.0 to 1.4/,
    );
  });

  it.each(WAYS)('a missing required column names it and what the file has (%s)', async (way) => {
    const f = write('nocost.csv', 'ChargePeriodStart,BillingCurrency,ServiceName\n2025-01-01,USD,S3\n');
    await expect(days(f, way)).rejects.toThrow(
      'nocost.csv: required FOCUS column BilledCost is missing (the file has: ChargePeriodStart, BillingCurrency, ServiceName); required: ChargePeriodStart, BilledCost, ServiceName, BillingCurrency',
    );
  });

  it.each(['view', 'memory'] as const)(
    'an unparseable number names file, line and column (%s)',
    async (way) => {
      const f = write(
        'badnum.csv',
        `${header}\n2025-01-01,1,1,USD,S3,AWS,Usage\n2025-01-02,12,1,USD,S3,AWS,Usage\n2025-01-03,1.2.3,1,USD,S3,AWS,Usage\n`,
      );
      await expect(days(f, way)).rejects.toThrow(
        'badnum.csv, line 4, column BilledCost: "1.2.3" is not a number such as 12.34',
      );
    },
  );

  it.each(['view', 'memory'] as const)('an unparseable date names file, row and column (%s)', async (way) => {
    const f = write(
      'baddate.csv',
      `${header}\n2025-01-01,1,1,USD,S3,AWS,Usage\n2025-13-01,1,1,USD,S3,AWS,Usage\n`,
    );
    await expect(days(f, way)).rejects.toThrow(
      /baddate\.csv, row 2 \(line 3\), column ChargePeriodStart: "2025-13-01" is not a date-time/,
    );
  });

  it('a file that is not FOCUS at all', async () => {
    const f = write('notes.txt', 'hello');
    await expect(days(f, 'view')).rejects.toThrow(/notes\.txt: not a \.csv, \.csv\.gz or \.parquet file/);
  });

  it('a 5,000-character value is quoted in 80 characters', async () => {
    const f = write('long.csv', `${header}\n2025-01-01,${'9'.repeat(5000)}x,1,USD,S3,AWS,Usage\n`);
    const e = await days(f, 'view').catch((x: Error) => x);
    expect((e as Error).message.length).toBeLessThan(200);
    expect((e as Error).message).toMatch(/"9{79}…"/);
  });
});

describe('instance types where real exports carry them', () => {
  it('from SkuPriceDetails, AWS usage types and ChargeDescription, only on hour-unit rows', async () => {
    const f = write(
      'types.csv',
      [
        'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,ResourceId,ConsumedUnit,SkuPriceDetails,x_UsageType,ChargeDescription',
        '2026-05-01,1,USD,AmazonEC2,i-1,Hours,"{""InstanceType"":""m6i.large""}",,',
        '2026-05-01,1,USD,AmazonEC2,i-2,Hrs,,BoxUsage:c5.2xlarge,',
        '2026-05-01,1,USD,AmazonEC2,i-3,Hrs,,,$0.0116 per On Demand Linux t2.micro Instance Hour',
        '2026-05-01,1,USD,AmazonEC2,vol-1,GB-Mo,,EBS:VolumeUsage.gp3,$0.08 per GB-month of gp3 m5.large',
      ].join('\n'),
    );
    const db = await DuckDb.open();
    const { focusRelation, listFocusFiles } = await import('../../../src/integrations/focus/read-focus.js');
    const rel = await focusRelation(db, await listFocusFiles(db, f), 'types');
    const rows = await db.all<{ resource: string; instance_type: string }>(
      `SELECT resource, instance_type FROM (${rel.sql}) ORDER BY resource`,
    );
    db.close();
    expect(rows).toEqual([
      { resource: 'i-1', instance_type: 'm6i.large' },
      { resource: 'i-2', instance_type: 'c5.2xlarge' },
      { resource: 'i-3', instance_type: 't2.micro' },
      { resource: 'vol-1', instance_type: '' },
    ]);
  });

  // A sync keys rows by what the type is read from and derives it once per line (ingest.ts).
  it.each(['csv', 'parquet'])(
    'synced from %s: the same type per line as the relation; rows that name one type from different columns are one line, summed',
    async (format) => {
      const csv = write(
        'derived.csv',
        [
          'ChargePeriodStart,BilledCost,BillingCurrency,ServiceName,ResourceId,ConsumedUnit,x_InstanceType,SkuPriceDetails,x_UsageType,ChargeDescription,ProviderName',
          '2026-05-01,1,USD,AmazonEC2,i-1,Hours,,"{""InstanceType"":""m6i.large""}",,,AWS',
          '2026-05-01,1,USD,AmazonEC2,i-2,Hrs,,,BoxUsage:c5.2xlarge,,AWS',
          '2026-05-01,1,USD,AmazonEC2,i-3,Hrs,,,,$0.0116 per On Demand Linux t2.micro Instance Hour,AWS',
          '2026-05-01,1,USD,AmazonEC2,vol-1,GB-Mo,,,EBS:VolumeUsage.gp3,$0.08 per GB-month of gp3 m5.large,AWS',
          '2026-05-01,2,USD,AmazonEC2,i-4,Hrs,r5.xlarge,,,$0.25 per On Demand Linux r5.xlarge Instance Hour,AWS',
          '2026-05-01,3,USD,AmazonEC2,i-4,Hrs,,,,$0.25 per On Demand Linux r5.xlarge Instance Hour,AWS',
          '2026-05-02,5,USD,AmazonEC2,i-4,Hrs,,,,$0.25 per On Demand Linux r5.xlarge Instance Hour,AWS',
        ].join('\n'),
      );
      let f = csv;
      const db = await DuckDb.open();
      if (format === 'parquet') {
        f = join(dir, 'derived.parquet');
        await db.run(
          `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${f}' (FORMAT parquet)`,
        );
      }
      const { focusRelation, listFocusFiles } = await import('../../../src/integrations/focus/read-focus.js');
      const rel = await focusRelation(db, await listFocusFiles(db, f), 'types');
      const expected = await db.all<{ resource: string; instance_type: string }>(
        `SELECT DISTINCT resource, instance_type FROM (${rel.sql}) ORDER BY ALL`,
      );
      db.close();
      const { warehouses, db: path } = testWarehouses();
      await warehouses.sync({ kind: 'focus', path: f }, { today: '2026-05-03' });
      const w = await DuckDb.open(path, { readOnly: true });
      const lines = await w.all<{ resource: string; instance_type: string }>(
        'SELECT resource, instance_type FROM charge_lines ORDER BY ALL',
      );
      const days = await w.all<{ day: string; resource: string; actual: number }>(
        `SELECT strftime(d.day, '%Y-%m-%d') AS day, l.resource, d.actual FROM charge_days d
         JOIN charge_lines l USING (source_id, line_no) WHERE l.resource = 'i-4' ORDER BY ALL`,
      );
      const weeks = await w.all<{ n: number; actual: number }>(
        `SELECT count(*) AS n, sum(w.actual) AS actual FROM charge_weeks w JOIN charge_lines l USING (source_id, line_no) WHERE l.resource = 'i-4'`,
      );
      w.close();
      expect(expected).toContainEqual({ resource: 'i-4', instance_type: 'r5.xlarge' });
      expect(lines).toEqual(expected);
      expect(days).toEqual([
        { day: '2026-05-01', resource: 'i-4', actual: 5 },
        { day: '2026-05-02', resource: 'i-4', actual: 5 },
      ]);
      expect(weeks).toEqual([{ n: 1, actual: 10 }]);
      // Each way of reading it (a one-off view, staged in memory, synced) gives the same types.
      for (const way of WAYS) {
        const s = await (way === 'synced' ? warehouses : testWarehouses().warehouses).open(
          { kind: 'focus', path: f },
          { today: '2026-05-03', purpose: way === 'view' ? 'question' : 'report' },
        );
        const compute = await s.warehouse.carbonUsage({
          range: { start: '2026-05-01', end: '2026-05-02' },
          basis: 'actual',
          currency: 'USD',
          teamTag: 'team',
          classes: await ccfCoefficients(),
        });
        await s.close();
        const types = compute
          .filter((r) => r.what === 'compute')
          .map((r) => ({ resource: r.resource, instance_type: r.instanceType }));
        expect(
          types.sort((a, b) => a.resource.localeCompare(b.resource)),
          way,
        ).toEqual(expected.filter((e) => e.instance_type !== ''));
      }
    },
  );
});
