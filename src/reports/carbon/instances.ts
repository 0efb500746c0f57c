/**
 * Where the instances of a carbon or allocation report come from: the billed resources
 * (`billed`), the EC2 inventory (`ec2`, DescribeInstances in each AWS_REGION), or a JSON file.
 */
import { type ComputeCost, instancesFromCosts } from '../../analytics/allocation/allocate.js';
import type { Instance } from '../../analytics/types.js';
import type { Config } from '../../config.js';
import { CodedError, ErrorCode, quote } from '../../errors.js';
import type { Ec2Inventory } from '../../integrations/aws-ec2/inventory.js';
import type { SourceSpec } from '../source.js';
import { readUserFile } from '../user-file.js';

export type InstancesSpec = { kind: 'ec2' } | { kind: 'json'; path: string } | { kind: 'billed' };

export function parseInstancesSpec(text: string): InstancesSpec {
  return text === 'ec2'
    ? { kind: 'ec2' }
    : text === 'billed'
      ? { kind: 'billed' }
      : { kind: 'json', path: text };
}

export class InstanceSource {
  constructor(private readonly o: { ec2: () => Promise<Ec2Inventory>; regions: string[] }) {}

  async load(spec: InstancesSpec, costs: ComputeCost[]): Promise<Instance[]> {
    if (spec.kind === 'billed') return instancesFromCosts(costs);
    if (spec.kind === 'ec2') {
      if (this.o.regions.length === 0)
        throw new CodedError(
          ErrorCode.Config,
          '--instances ec2 needs AWS_REGION (one region or a comma-separated list)',
        );
      return (await this.o.ec2()).listInstances(this.o.regions);
    }
    return readInstancesFile(spec.path);
  }
}

const ACCEPTED = 'expected a JSON array of instances {id, type, state, launchTime, region}';

async function readInstancesFile(path: string): Promise<Instance[]> {
  const text = await readUserFile(path, ACCEPTED);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // One line, whatever JSON.parse says (its messages quote the text and can run long).
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path}: not JSON${at ? ` (at character ${at})` : ''}; ${ACCEPTED}`,
    );
  }
  if (!Array.isArray(parsed))
    throw new CodedError(ErrorCode.SourceInvalid, `${path}: not an array; ${ACCEPTED}`);
  return parsed.map((x, i) => {
    const o = (x ?? {}) as Partial<Instance>;
    if (!o.id || !o.type || !o.state || !o.launchTime || !o.region || Number.isNaN(Date.parse(o.launchTime)))
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${path}, item ${i}${o.id ? ` (${quote(String(o.id))})` : ''}: needs id, type, state, launchTime (ISO date-time) and region`,
      );
    return {
      id: o.id,
      type: o.type,
      state: o.state,
      launchTime: o.launchTime,
      stateTransitionTime: o.stateTransitionTime ?? null,
      region: o.region,
      tags: o.tags ?? {},
    };
  });
}

/** Instances for carbon: SPENDBRIEF_INSTANCES (ec2 or a JSON file), else the billed resources (not for CE). */
export function configuredInstances(config: Config, source: SourceSpec): InstancesSpec | undefined {
  const configured = config.SPENDBRIEF_INSTANCES;
  if (configured) return configured === 'ec2' ? { kind: 'ec2' } : { kind: 'json', path: configured };
  return source.kind === 'ce' ? undefined : { kind: 'billed' };
}
