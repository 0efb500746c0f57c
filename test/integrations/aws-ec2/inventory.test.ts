/** The EC2 inventory through the real SDK against moto_server on loopback, in two regions. */
import {
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEc2Client,
  Ec2Inventory,
  parseStateTransitionTime,
} from '../../../src/integrations/aws-ec2/inventory.js';
import { Moto, requireMoto } from '../../helpers/moto.js';

const run = requireMoto();
let moto: Moto;
const saved = { ...process.env };

describe.runIf(run)('Ec2Inventory against moto_server', () => {
  beforeAll(async () => {
    moto = await new Moto().start();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_EC2: moto.url,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  it('reads back the instances run in two regions, through AWS_ENDPOINT_URL_EC2', async () => {
    const launch = async (region: string, type: string, n: number, team: string) => {
      const c = new EC2Client({ region });
      const res = await c.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          InstanceType: type as 't3.small',
          MinCount: n,
          MaxCount: n,
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: team }] }],
        }),
      );
      return res.Instances!.map((i) => i.InstanceId!);
    };
    const east = await launch('us-east-1', 't3.small', 3, 'web');
    const west = await launch('eu-west-1', 'm5.large', 2, 'data');
    await new EC2Client({ region: 'us-east-1' }).send(new StopInstancesCommand({ InstanceIds: [east[0]!] }));

    const instances = await new Ec2Inventory(createEc2Client).listInstances(['us-east-1', 'eu-west-1']);
    expect(instances.map((i) => i.id).sort()).toEqual([...east, ...west].sort());
    const stopped = instances.find((i) => i.id === east[0])!;
    expect(stopped).toMatchObject({
      type: 't3.small',
      state: 'stopped',
      region: 'us-east-1',
      tags: { team: 'web' },
    });
    expect(stopped.stateTransitionTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(
      instances
        .filter((i) => i.region === 'eu-west-1')
        .every((i) => i.type === 'm5.large' && i.state === 'running'),
    ).toBe(true);
    expect(Number.isNaN(Date.parse(instances[0]!.launchTime))).toBe(false);
    const raw = await new EC2Client({ region: 'eu-west-1' }).send(new DescribeInstancesCommand({}));
    expect(raw.Reservations?.length).toBeGreaterThan(0);
  });
});

describe('parseStateTransitionTime', () => {
  it('reads the time out of the reason text', () => {
    expect(parseStateTransitionTime('User initiated (2024-01-15 10:30:00 GMT)')).toBe(
      '2024-01-15T10:30:00.000Z',
    );
    expect(parseStateTransitionTime('')).toBeNull();
  });
});
