/**
 * The vendored Cloud Carbon Footprint coefficients (data/carbon, Apache-2.0), read with DuckDB's
 * CSV reader: instance power at 50 % load, vCPUs, platform embodied emissions, and the annual grid
 * factor per AWS region.
 */
import { fileURLToPath } from 'node:url';
import type { InstanceCoefficients } from '../../analytics/carbon/footprint.js';
import { DuckDb, sqlString } from '../warehouse/duckdb.js';

export const COEFFICIENTS_SOURCE =
  'Cloud Carbon Footprint coefficients (commit dda7621, Apache-2.0; instance power from the Teads dataset at 50 % load)';

/** data/carbon of the package, wherever it runs from (src/ in tests, dist/ when built). */
export const carbonDataDir = (): string => fileURLToPath(new URL('../../../data/carbon/', import.meta.url));

export interface GridFactor {
  gramsPerKwh: number;
  source: string;
}

export class CarbonCoefficients {
  private constructor(
    private readonly instances: Map<string, { watts: number; vcpus: number; platformVcpus: number }>,
    private readonly embodied: Map<string, number>,
    private readonly grid: Map<string, GridFactor>,
  ) {}

  static async load(dir = carbonDataDir()): Promise<CarbonCoefficients> {
    const db = await DuckDb.open();
    try {
      const num = (col: string) => `TRY_CAST(replace("${col}", ',', '.') AS DOUBLE)`;
      const inst = await db.all<{
        type: string;
        watts: number | null;
        vcpus: number | null;
        platform: number | null;
      }>(
        `SELECT "Instance type" AS type, ${num('Instance @ 50%')} AS watts, ${num('Instance vCPU')} AS vcpus, ${num('Platform Total Number of vCPU')} AS platform
         FROM read_csv(${sqlString(`${dir}aws-instances.csv`)}, header = true, all_varchar = true)`,
      );
      const emb = await db.all<{ type: string; total: number | null }>(
        `SELECT type, TRY_CAST(total AS DOUBLE) AS total FROM read_csv(${sqlString(`${dir}coefficients-aws-embodied.csv`)}, header = true, all_varchar = true)`,
      );
      const grid = await db.all<{ region: string; t: number | null; source: string }>(
        `SELECT "Region" AS region, TRY_CAST("CO2e (metric ton/kWh)" AS DOUBLE) AS t, "Source" AS source
         FROM read_csv(${sqlString(`${dir}grid-emissions-factors-aws.csv`)}, header = true, all_varchar = true)`,
      );
      return new CarbonCoefficients(
        new Map(
          inst
            .filter((r) => r.watts !== null && r.vcpus !== null)
            .map((r) => [
              r.type,
              { watts: r.watts!, vcpus: r.vcpus!, platformVcpus: r.platform ?? r.vcpus! },
            ]),
        ),
        new Map(emb.filter((r) => r.total !== null).map((r) => [r.type, r.total!])),
        new Map(
          grid
            .filter((r) => r.t !== null)
            .map((r) => [r.region, { gramsPerKwh: r.t! * 1e6, source: `${r.source} annual factor (CCF)` }]),
        ),
      );
    } finally {
      db.close();
    }
  }

  /**
   * Coefficients of a type; managed-service types (db., cache., .search) fall back to the EC2
   * type they run on, and say so in `basis`. Null when the table does not know the type.
   */
  instance(type: string): InstanceCoefficients | null {
    const candidates = [type, type.replace(/^(db|cache)\./, '').replace(/\.(search|elasticsearch)$/, '')];
    for (const t of candidates) {
      const hit = this.instances.get(t);
      if (hit) {
        return {
          ...hit,
          platformEmbodiedKg: this.embodied.get(type) ?? this.embodied.get(t) ?? null,
          basis: t === type ? type : `${t} (the EC2 type under ${type})`,
        };
      }
    }
    return null;
  }

  gridFactor(region: string): GridFactor | null {
    return this.grid.get(region) ?? null;
  }
}

/** AWS region -> ElectricityMaps zone (the grid the data centres draw from). */
export const ELECTRICITYMAPS_ZONES: Record<string, string> = {
  'us-east-1': 'US-MIDA-PJM',
  'us-east-2': 'US-MIDA-PJM',
  'us-west-1': 'US-CAL-CISO',
  'us-west-2': 'US-NW-BPAT',
  'ca-central-1': 'CA-QC',
  'eu-central-1': 'DE',
  'eu-west-1': 'IE',
  'eu-west-2': 'GB',
  'eu-west-3': 'FR',
  'eu-south-1': 'IT-NO',
  'eu-north-1': 'SE-SE3',
  'ap-south-1': 'IN-WE',
  'ap-northeast-1': 'JP-TK',
  'ap-northeast-2': 'KR',
  'ap-northeast-3': 'JP-KN',
  'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU-NSW',
  'ap-east-1': 'HK',
  'sa-east-1': 'BR-CS',
  'af-south-1': 'ZA',
  'me-south-1': 'BH',
};
