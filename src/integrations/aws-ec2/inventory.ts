/** DescribeInstances across regions -> instances (allocation and carbon input). */
import {
  EC2Client as Client,
  type EC2Client,
  type Instance as Ec2Instance,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import type { Instance } from '../../analytics/types.js';
import { describeAwsError } from '../aws-errors.js';
import { quietAwsNodeWarning } from '../aws-node-warning.js';

/** The SDK's credential chain and AWS_ENDPOINT_URL_EC2; adaptive retries. */
export function createEc2Client(region: string): EC2Client {
  quietAwsNodeWarning();
  return new Client({ region, retryMode: 'adaptive', maxAttempts: 6 });
}

/** "User initiated (2024-01-15 10:30:00 GMT)" -> 2024-01-15T10:30:00.000Z; null when absent. */
export function parseStateTransitionTime(reason: string | undefined): string | null {
  const m = /\((\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (?:GMT|UTC)\)/.exec(reason ?? '');
  return m ? new Date(`${m[1]}T${m[2]}Z`).toISOString() : null;
}

function toInstance(i: Ec2Instance, region: string): Instance {
  return {
    id: i.InstanceId ?? '',
    type: i.InstanceType ?? '',
    state: i.State?.Name ?? 'unknown',
    launchTime: (i.LaunchTime ?? new Date(0)).toISOString(),
    stateTransitionTime: parseStateTransitionTime(i.StateTransitionReason),
    region,
    tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

export class Ec2Inventory {
  constructor(private readonly clientFor: (region: string) => EC2Client = createEc2Client) {}

  async listInstances(regions: string[]): Promise<Instance[]> {
    const out: Instance[] = [];
    for (const region of regions) {
      try {
        for await (const page of paginateDescribeInstances({ client: this.clientFor(region) }, {})) {
          for (const r of page.Reservations ?? [])
            for (const i of r.Instances ?? []) out.push(toInstance(i, region));
        }
      } catch (e) {
        throw describeAwsError(e, { service: `EC2 (${region})`, permission: 'ec2:DescribeInstances' });
      }
    }
    return out;
  }
}
