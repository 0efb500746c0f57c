/**
 * `spendbrief carbon` and `allocate` as a user runs them: the demo, a FOCUS export with every hard
 * case of the allocation note, the FinOps Foundation's real sample, currency conversion, bad input,
 * ElectricityMaps history on loopback, and EC2 from moto.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, SAMPLE_REL } from '../helpers/focus-sample.js';
import { Moto, requireMoto } from '../helpers/moto.js';
import { skipNote } from '../helpers/shared-data.js';

/** A warehouse file that does not exist: these runs are one-off. */
const NO_DB = join(tmpdir(), `spendbrief-none-${process.pid}`, 'none.duckdb');
const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-carbon-'));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)('node', [BIN, ...args], { env: { ...process.env, SPENDBRIEF_DB: NO_DB, ...env } });
const json = async (args: string[], env: NodeJS.ProcessEnv = {}) =>
  JSON.parse((await run([...args, '--format', 'json'], env)).stdout);

interface Row {
  id: string;
  type: string;
  cost: number | null;
  hours: number;
  kwh: number | null;
  kgCo2e: number | null;
  state: string;
  method: string;
  hoursFrom: string;
  costNote: string | null;
}
const byId = (j: { instances: Row[] }, id: string) => j.instances.find((i) => i.id === id)!;

/** FOCUS rows, one per instance-day or pool-day; the type only in ChargeDescription, as real exports. */
function focusCsv(
  rows: {
    day: string;
    cost: number;
    hours: number;
    type: string;
    resource?: string;
    service?: string;
    unit?: string;
  }[],
): string {
  const head =
    'ChargePeriodStart,ChargePeriodEnd,BilledCost,EffectiveCost,ConsumedQuantity,ConsumedUnit,ChargeCategory,ServiceName,RegionId,ResourceId,ChargeDescription,BillingCurrency,ProviderName';
  return [
    head,
    ...rows.map((r) =>
      [
        `${r.day}T00:00:00Z`,
        `${r.day}T23:59:59Z`,
        r.cost,
        r.cost,
        r.hours,
        r.unit ?? 'Hours',
        'Usage',
        `"${r.service ?? 'Amazon Elastic Compute Cloud'}"`,
        'eu-central-1',
        r.resource ?? '',
        `"$${(r.cost / Math.max(r.hours, 1)).toFixed(4)} per On Demand Linux ${r.type} Instance Hour"`,
        'USD',
        'AWS',
      ].join(','),
    ),
  ].join('\n');
}
const days = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10),
  );

describe('spendbrief carbon on the demo', () => {
  it('lists instances, storage and data transfer, with coverage, CPU utilisation and both CCF versions', async () => {
    const j = await json(['carbon', '--today', '2026-11-24']);
    expect(j.instances.length).toBeGreaterThan(100);
    expect(j.coverage).toBe('compute, storage and network');
    expect(j.cpuUtilizationPercent).toBe(50);
    expect(j.sources.coefficients).toContain(
      '@cloud-carbon-footprint/aws 0.15.0, @cloud-carbon-footprint/core 0.17.3',
    );
    expect(j.sources.grid[0]).toMatchObject({ kind: 'annual', emissions: 'direct' });
    expect(new Set(j.lines.map((l: { what: string }) => l.what))).toEqual(
      new Set(['SSD storage', 'HDD storage', 'data transfer out']),
    );
    // No instance runs more hours than the window has.
    expect(Math.max(...j.instances.map((i: Row) => i.hours))).toBeLessThanOrEqual(30 * 24);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(j.totals.kgCo2e).toBeCloseTo(
      sum(j.instances.map((i: Row) => i.kgCo2e ?? 0)) +
        sum(j.lines.map((l: { kgCo2e: number | null }) => l.kgCo2e ?? 0)),
      9,
    );
    const low = await json(['carbon', '--today', '2026-11-24', '--cpu-utilization', '10']);
    expect(low.cpuUtilizationPercent).toBe(10);
    expect(low.totals.computeKgCo2e).toBeLessThan(j.totals.computeKgCo2e);
    expect((await run(['carbon', '--today', '2026-11-24', '--cpu-utilization', '10'])).stdout).toMatch(
      /CPU utilisation 10 %/,
    );
  });
});

describe('allocation on a FOCUS export with the hard cases', () => {
  const file = join(dir, 'hard.csv');
  const inventory = join(dir, 'inventory.json');
  const window = days('2026-10-25', 30); // ..2026-11-23
  beforeAll(() => {
    writeFileSync(
      file,
      focusCsv([
        // Changed type on day 20: 19 days of m5.large then 11 of m5.xlarge ($44.93 + $34.56).
        ...window.map((d, i) =>
          i < 19
            ? { day: d, cost: 44.93 / 19, hours: 24, type: 'm5.large', resource: 'i-0typechange' }
            : { day: d, cost: 34.56 / 11, hours: 24, type: 'm5.xlarge', resource: 'i-0typechange' },
        ),
        // Billed 8 hours a day.
        ...window.map((d) => ({ day: d, cost: 0.768, hours: 8, type: 'm5.large', resource: 'i-08hours' })),
        // Ended on day 5 (terminated, not in the inventory); its cost is its own, in an ARN.
        ...window.slice(0, 5).map((d) => ({
          day: d,
          cost: 2.304,
          hours: 24,
          type: 'm5.large',
          resource: 'arn:aws:ec2:eu-central-1:123456789012:instance/i-0ended',
        })),
        // Restarted 3 days ago, ran all month.
        ...window.map((d) => ({
          day: d,
          cost: 2.304,
          hours: 24,
          type: 'm5.large',
          resource: 'i-0restarted',
        })),
        // c5.large without resource ids: three instances all month (2160 h), one still running.
        ...window.map((d) => ({ day: d, cost: 3 * 2.04, hours: 72, type: 'c5.large' })),
        // RDS instance hours are not EC2 compute.
        ...window.map((d) => ({
          day: d,
          cost: 5.4,
          hours: 24,
          type: 'db.r6g.large',
          resource: 'db-1',
          service: 'Amazon Relational Database Service',
        })),
      ]),
    );
    writeFileSync(
      inventory,
      JSON.stringify([
        {
          id: 'i-0typechange',
          type: 'm5.xlarge',
          state: 'running',
          launchTime: '2026-01-01T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-08hours',
          type: 'm5.large',
          state: 'running',
          launchTime: '2026-01-01T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-0restarted',
          type: 'm5.large',
          state: 'running',
          launchTime: '2026-11-21T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-0new',
          type: 'm5.large',
          state: 'running',
          launchTime: '2026-11-22T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-0c5',
          type: 'c5.large',
          state: 'running',
          launchTime: '2026-01-01T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-0c5stopped',
          type: 'c5.large',
          state: 'stopped',
          launchTime: '2026-01-01T00:00:00Z',
          region: 'eu-central-1',
        },
      ]),
    );
  });

  it('type change, billed hours, restarts, early ends, terminated cost, the type pool and RDS each come out right', async () => {
    const j = await json([
      'allocate',
      '--source',
      `focus:${file}`,
      '--instances',
      inventory,
      '--today',
      '2026-11-24',
    ]);
    expect(j.window).toEqual({ start: '2026-10-25', end: '2026-11-23' });
    const t = byId(j, 'i-0typechange');
    expect(t.cost).toBeCloseTo(79.49, 9);
    expect(t.type).toBe('m5.large → m5.xlarge');
    expect(t.hours).toBe(720);
    expect(byId(j, 'i-08hours')).toMatchObject({ hours: 240, hoursFrom: 'billed' });
    expect(byId(j, 'i-0restarted')).toMatchObject({ hours: 720, hoursFrom: 'billed' });
    const ended = byId(j, 'i-0ended');
    expect(ended).toMatchObject({ hours: 120, state: 'not in inventory (billed)', method: 'resource' });
    expect(ended.cost).toBeCloseTo(5 * 2.304, 9);
    expect(ended.kgCo2e).toBeGreaterThan(0);
    // The new instance has no rows of its own, and every m5.large row names its instance: it has
    // not been billed yet ($0, said so), and never gets the terminated one's cost.
    expect(byId(j, 'i-0new')).toMatchObject({ cost: 0, costNote: 'no billing rows for this instance yet' });
    // One of three c5.large instances listed: a third of the type, two thirds unallocated.
    const c5 = byId(j, 'i-0c5');
    expect(c5.cost).toBeCloseTo((30 * 3 * 2.04 * 720) / 2160, 9);
    const pool = j.allocation.find((a: { instanceType: string }) => a.instanceType === 'c5.large');
    expect(pool).toMatchObject({ billedHours: 2160 });
    expect(pool.unallocated).toBeCloseTo(pool.cost * (2 / 3), 9);
    expect(j.excluded).toEqual([expect.objectContaining({ id: 'i-0c5stopped', state: 'stopped' })]);
    expect(j.instances.some((i: Row) => i.type.startsWith('db.'))).toBe(false);
    // Everything EC2 billed is accounted for, to the cent.
    const ec2 = 44.93 + 34.56 + 30 * 0.768 + 5 * 2.304 + 30 * 2.304 + 30 * 3 * 2.04;
    expect(j.totals.allocatedCost + j.totals.unallocatedCost).toBeCloseTo(ec2, 2);
  });

  it('a new instance with no billing rows yet is $0.00 with a true note, not an unknown cost', async () => {
    const f = join(dir, 'by-resource.csv');
    writeFileSync(
      f,
      focusCsv([
        { day: '2026-11-20', cost: 14.98, hours: 24, type: 't3.small', resource: 'i-a' },
        { day: '2026-11-20', cost: 9.98, hours: 16, type: 't3.small', resource: 'i-b' },
      ]),
    );
    const inv = join(dir, 'inventory-new.json');
    const running = (id: string, launchTime: string) => ({
      id,
      type: 't3.small',
      state: 'running',
      launchTime,
      region: 'eu-central-1',
    });
    writeFileSync(
      inv,
      JSON.stringify([running('i-a', '2026-01-01T00:00:00Z'), running('i-c', '2026-11-19T00:00:00Z')]),
    );
    const j = await json([
      'allocate',
      '--source',
      `focus:${f}`,
      '--instances',
      inv,
      '--basis',
      'amortized',
      '--today',
      '2026-11-21',
    ]);
    expect(byId(j, 'i-c')).toMatchObject({ cost: 0, costNote: 'no billing rows for this instance yet' });
    expect(byId(j, 'i-a').cost).toBeCloseTo(14.98, 9);
    expect(byId(j, 'i-b').cost).toBeCloseTo(9.98, 9);
    expect(j.notes.join(' ')).not.toMatch(/t3\.small.*unknown/);
    expect(j.totals.allocatedCost + j.totals.unallocatedCost).toBeCloseTo(24.96, 9);
  });

  it('--format json with --currency and --fx-rate is in the target currency throughout', async () => {
    const base = ['allocate', '--source', `focus:${file}`, '--instances', inventory, '--today', '2026-11-24'];
    const usd = await json(base);
    const eur = await json([
      ...base,
      '--currency',
      'eur',
      '--fx-rate',
      '0.92',
      '--fx-date',
      '2026-11-20',
      '--fx-source',
      'ECB',
    ]);
    expect(eur.currency).toBe('EUR');
    expect(eur.fx).toEqual({ currency: 'EUR', rate: 0.92, date: '2026-11-20', source: 'ECB', from: 'USD' });
    expect(eur.totals.allocatedCost).toBeCloseTo(usd.totals.allocatedCost * 0.92, 9);
    expect(eur.totals.unallocatedCost).toBeCloseTo(usd.totals.unallocatedCost * 0.92, 9);
    for (const i of usd.instances as Row[]) {
      const e = byId(eur, i.id);
      if (i.cost === null) expect(e.cost).toBeNull();
      else expect(e.cost).toBeCloseTo(i.cost * 0.92, 9);
    }
    for (const [k, a] of usd.allocation.entries())
      for (const f of ['cost', 'allocated', 'unallocated'])
        expect(eur.allocation[k][f]).toBeCloseTo(a[f] * 0.92, 9);
    const text = (await run([...base, '--currency', 'EUR', '--fx-rate', '0.92', '--fx-source', 'ECB']))
      .stdout;
    expect(text).toContain('Money converted from USD at 0.92 EUR per USD (ECB, 2026-11-24)');
    expect(text).toMatch(/€/);
    expect(text).not.toMatch(/\$\d/);
  });
});

describe('bad input: one line, exit 2', () => {
  it.each([
    [['allocate', '--currency', 'EUR'], '--currency and --fx-rate go together'],
    [
      ['allocate', '--currency', 'EUR', '--fx-rate', '0.9', '--fx-date', '2026-02-30'],
      '"2026-02-30" is not a calendar date',
    ],
    [['carbon', '--cpu-utilization', '120'], '"120" is not a percentage from 0 to 100'],
  ])('%j', async (args, message) => {
    const e = await run(args).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(message);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an instances file that is not JSON, or not an array of instances', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'id,type\ni-1,m5.large\n');
    const e = await run(['carbon', '--instances', bad]).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    expect(e.stderr).toContain(`${bad}: not JSON`);
    expect(e.stderr).toContain('expected a JSON array of instances');
    writeFileSync(bad, JSON.stringify([{ id: 'i-1', type: 'm5.large' }]));
    const f = await run(['carbon', '--instances', bad]).catch((x) => x);
    expect(f.stderr.trim()).toMatch(
      /item 0 \("i-1"\): needs id, type, state, launchTime \(ISO date-time\) and region$/,
    );
  });
});

describe.skipIf(!SAMPLE)('the FinOps Foundation FOCUS sample', () => {
  if (!SAMPLE) skipNote(SAMPLE_REL);
  it('carbon --format json lists every billed EC2 instance with type, hours, cost, kWh and kg', async () => {
    // An independent reading of the file: EC2 instance-hour rows with an instance id.
    const rows = parse(readFileSync(SAMPLE!), { columns: true }) as Record<string, string>[];
    const expected = new Map<string, { cost: number; hours: number }>();
    for (const r of rows) {
      const id = /(?:^|\/)(i-[0-9a-z]+)$/.exec(r.ResourceId!)?.[1];
      if (
        !id ||
        r.ServiceName !== 'Amazon Elastic Compute Cloud' ||
        r.ConsumedUnit !== 'Hours' ||
        r.ChargeCategory !== 'Usage'
      )
        continue;
      const e = expected.get(id) ?? { cost: 0, hours: 0 };
      e.cost += Number(r.EffectiveCost);
      e.hours += Number(r.ConsumedQuantity);
      expected.set(id, e);
    }
    expect(expected.size).toBe(28);
    const j = await json(['carbon', '--source', `focus:${SAMPLE}`]);
    expect(j.window).toEqual({ start: '2024-09-01', end: '2024-09-30' });
    expect(new Set(j.instances.map((i: Row) => i.id))).toEqual(new Set(expected.keys()));
    for (const i of j.instances as Row[]) {
      expect(i.type).toMatch(/^[a-z0-9-]+\.[a-z0-9]+$/);
      expect(i.cost).toBeCloseTo(expected.get(i.id)!.cost, 2);
      expect(i.hours).toBeCloseTo(expected.get(i.id)!.hours, 9);
      if (i.kgCo2e === null)
        expect((i as Row & { notEstimated: string }).notEstimated).toMatch(/no CCF coefficients/);
      else expect(i.kwh).toBeGreaterThan(0);
    }
    expect(j.instances.filter((i: Row) => i.kgCo2e !== null).length).toBeGreaterThanOrEqual(27);
    expect(j.notes.join(' ')).toMatch(/Not covered: Microsoft, Oracle spend/);
    const a = await json(['allocate', '--source', `focus:${SAMPLE}`]);
    expect(a.instances).toHaveLength(28);
  });
});

describe('ElectricityMaps history on loopback', () => {
  let server: Server;
  let url = '';
  const asked: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      const u = new URL(req.url ?? '/', 'http://x');
      const start = Date.parse(u.searchParams.get('start')!);
      const end = Date.parse(u.searchParams.get('end')!);
      const data = [];
      for (let t = start; t < end; t += 3_600_000)
        data.push({
          carbonIntensity: u.searchParams.get('zone') === 'DE' ? 420 : 250,
          datetime: new Date(t).toISOString(),
        });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/`;
  });
  afterAll(() => server.close());

  it("a 30-day report uses the window's average and says it is lifecycle emissions", async () => {
    const j = await json(['carbon', '--today', '2026-11-24'], {
      ELECTRICITYMAPS_TOKEN: 'em-token',
      ELECTRICITYMAPS_API_URL: url,
    });
    const de = j.sources.grid.find((g: { region: string }) => g.region === 'eu-central-1');
    expect(de).toMatchObject({ gramsPerKwh: 420, kind: 'history', emissions: 'lifecycle' });
    expect(de.source).toBe('ElectricityMaps DE, average of 720 hourly values 2026-10-25..2026-11-23');
    expect(asked.every((a) => a.startsWith('/v3/carbon-intensity/past-range?'))).toBe(true);
    const text = (
      await run(['carbon', '--today', '2026-11-24'], {
        ELECTRICITYMAPS_TOKEN: 'em-token',
        ELECTRICITYMAPS_API_URL: url,
      })
    ).stdout;
    expect(text).toContain('(lifecycle emissions)');
    expect(text).not.toContain('em-token');
  });
});

const withMoto = requireMoto();
let moto: Moto;
describe.runIf(withMoto)('spendbrief carbon --instances ec2 against moto_server', () => {
  beforeAll(async () => {
    moto = await new Moto().start();
  });
  afterAll(async () => moto?.stop());

  it('reads the inventory through the SDK and shares the type cost of a resource-less export by runtime', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_EC2: moto.url,
      AWS_REGION: 'eu-central-1',
    };
    const ec2 = new EC2Client({
      region: 'eu-central-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const started = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        InstanceType: 'm5.xlarge',
        MinCount: 3,
        MaxCount: 3,
      }),
    );
    await ec2.send(new StopInstancesCommand({ InstanceIds: [started.Instances![0]!.InstanceId!] }));
    // Two days after the real date: the instances launched now ran inside the window.
    const today = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const file = join(dir, 'no-ids.csv');
    const last = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${last}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      file,
      focusCsv(days(from, 30).map((d) => ({ day: d, cost: 3 * 4.608, hours: 72, type: 'm5.xlarge' }))),
    );
    const j = await json(
      ['carbon', '--source', `focus:${file}`, '--today', today, '--instances', 'ec2'],
      env,
    );
    expect(j.instances).toHaveLength(2);
    for (const i of j.instances) {
      expect(i).toMatchObject({
        type: 'm5.xlarge',
        region: 'eu-central-1',
        method: 'runtime-proportional',
        hoursFrom: 'runtime',
      });
      expect(i.cost).toBeCloseTo((30 * 3 * 4.608 * i.hours) / 2160, 9);
      expect(i.kgCo2e).toBeGreaterThan(0);
    }
    expect(j.excluded).toEqual([
      expect.objectContaining({ id: started.Instances![0]!.InstanceId, state: 'stopped' }),
    ]);
  });
});
