/** `spendbrief carbon` and `allocate` as a user runs them: demo data, a JSON inventory, EC2 from moto. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EC2Client, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Moto, requireMoto } from '../helpers/moto.js';

/** A warehouse file that does not exist: these runs are one-off. */
const NO_DB = join(tmpdir(), `spendbrief-none-${process.pid}`, 'none.duckdb');
const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)('node', [BIN, ...args], { env: { ...process.env, SPENDBRIEF_DB: NO_DB, ...env } });
/** Two days after the real date: instances launched now have run inside the window. */
const today = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe('spendbrief carbon', () => {
  it('on demo data lists instances with cost, kWh and kg CO2e, and names its sources', async () => {
    const { stdout } = await run(['carbon', '--today', '2026-11-24', '--format', 'json']);
    const j = JSON.parse(stdout);
    expect(j.instances.length).toBeGreaterThan(100);
    const first = j.instances[0];
    expect(first).toMatchObject({ method: 'resource', state: 'running' });
    for (const k of ['cost', 'kwh', 'kgCo2e', 'gridGramsPerKwh', 'hours'])
      expect(typeof first[k]).toBe('number');
    expect(j.sources.coefficients).toContain('Cloud Carbon Footprint');
    expect(j.sources.grid.join(' ')).toMatch(/annual factor/);
    expect(j.totals.kgCo2e).toBeCloseTo(
      j.instances.reduce((s: number, i: { kgCo2e: number | null }) => s + (i.kgCo2e ?? 0), 0),
      9,
    );
  });

  it('with a JSON inventory: runtime-proportional allocation within a type, stopped ones excluded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-inv-'));
    const file = join(dir, 'instances.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'i-a',
          type: 'm5.xlarge',
          state: 'running',
          launchTime: '2026-10-01T00:00:00Z',
          region: 'eu-central-1',
        },
        {
          id: 'i-b',
          type: 'm5.xlarge',
          state: 'running',
          launchTime: '2026-11-09T00:00:00Z',
          region: 'us-east-1',
        },
        {
          id: 'i-c',
          type: 't3.medium',
          state: 'stopped',
          launchTime: '2026-10-01T00:00:00Z',
          region: 'us-east-1',
        },
      ]),
    );
    const { stdout } = await run([
      'allocate',
      '--today',
      '2026-11-24',
      '--instances',
      file,
      '--currency',
      'EUR',
      '--fx-rate',
      '0.92',
      '--fx-date',
      '2026-11-20',
      '--fx-source',
      'ECB',
      '--format',
      'json',
    ]);
    const j = JSON.parse(stdout);
    const a = j.instances.find((i: { id: string }) => i.id === 'i-a');
    const b = j.instances.find((i: { id: string }) => i.id === 'i-b');
    expect(a.method).toBe('runtime-proportional');
    expect(a.cost / b.cost).toBeCloseTo(30 / 15, 6);
    const m5 = j.allocation.find((t: { instanceType: string }) => t.instanceType === 'm5.xlarge');
    expect(a.cost + b.cost + m5.unallocated).toBeCloseTo(m5.cost, 2);
    expect(j.excluded).toEqual([expect.objectContaining({ id: 'i-c', state: 'stopped' })]);
    expect(j.fx).toEqual({ currency: 'EUR', rate: 0.92, date: '2026-11-20', source: 'ECB' });
    const text = (
      await run([
        'allocate',
        '--today',
        '2026-11-24',
        '--instances',
        file,
        '--currency',
        'EUR',
        '--fx-rate',
        '0.92',
        '--fx-source',
        'ECB',
      ])
    ).stdout;
    expect(text).toContain('Converted at 0.92 EUR per USD (ECB, 2026-11-24)');
  });

  it('a conversion without a rate is refused: no rate is built in', async () => {
    await expect(run(['allocate', '--currency', 'EUR'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--currency and --fx-rate go together'),
    });
  });
});

const withMoto = requireMoto();
let moto: Moto;
describe.runIf(withMoto)('spendbrief carbon --instances ec2 against moto_server', () => {
  beforeAll(async () => {
    moto = await new Moto().start();
  });
  afterAll(async () => moto?.stop());

  it('reads the inventory through the SDK, allocates demo cost to it, and estimates its footprint', async () => {
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
    const { stdout } = await run(['carbon', '--today', today, '--instances', 'ec2', '--format', 'json'], env);
    const j = JSON.parse(stdout);
    expect(j.instances).toHaveLength(2);
    for (const i of j.instances) {
      expect(i).toMatchObject({
        type: 'm5.xlarge',
        region: 'eu-central-1',
        method: 'runtime-proportional',
        gridGramsPerKwh: 338,
      });
      expect(i.cost).toBeGreaterThan(0);
      expect(i.kgCo2e).toBeGreaterThan(0);
    }
    expect(j.excluded).toEqual([
      expect.objectContaining({ id: started.Instances![0]!.InstanceId, state: 'stopped' }),
    ]);
  });
});
