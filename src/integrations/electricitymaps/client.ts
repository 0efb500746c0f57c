/**
 * Grid carbon intensity for a report's window: the average of ElectricityMaps' hourly history of
 * the region's zone (`carbon-intensity/past-range`, header `auth-token`, at most 10 days a request)
 * where a token is configured and allows it; otherwise CCF's annual factor of the region. Never one
 * hour's value for a month. The source used, the hours averaged and whether the figure is
 * lifecycle or direct emissions always travel with it.
 */
import type { DateRange } from '../../analytics/types.js';
import { CodedError, ErrorCode } from '../../errors.js';

export interface GridIntensity {
  gramsPerKwh: number;
  /** `history`: ElectricityMaps' hourly values averaged over the window; `annual`: CCF's factor. */
  kind: 'history' | 'annual';
  /** What the figure is, for people: the source, the period or the factor, the emissions scope. */
  source: string;
  /** `lifecycle` (ElectricityMaps' default) or `direct` (combustion only; CCF's annual factors). */
  emissions: 'lifecycle' | 'direct';
}

export interface ElectricityMapsOptions {
  baseUrl?: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface PastRange {
  data?: { carbonIntensity?: number | null; datetime?: string }[];
}

const DAY = 86_400_000;

export class ElectricityMapsClient {
  private readonly baseUrl: string;
  constructor(private readonly o: ElectricityMapsOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.electricitymaps.com/v3/').replace(/\/?$/, '/');
  }

  private async get<T>(path: string): Promise<T> {
    const url = new URL(path, this.baseUrl);
    let res: Response;
    try {
      res = await (this.o.fetch ?? fetch)(url, {
        headers: { 'auth-token': this.o.token },
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new CodedError(
        ErrorCode.Upstream,
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.o.timeoutMs ?? 10_000} ms`
          : `unreachable (${(e as Error).message})`,
      );
    }
    if (res.status === 401 || res.status === 403)
      throw new CodedError(ErrorCode.UpstreamAuth, `the token does not allow it (HTTP ${res.status})`);
    if (!res.ok) throw new CodedError(ErrorCode.Upstream, `HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  /**
   * The average of the zone's hourly intensity over the days of `range` (inclusive). Chunks meet
   * at their ends, and the API does not say whether `end` is inclusive: values are keyed by their
   * hour, so a boundary hour answered twice counts once, and hours outside the window are dropped.
   */
  async average(zone: string, range: DateRange): Promise<{ gramsPerKwh: number; hours: number }> {
    const from = Date.parse(`${range.start}T00:00:00Z`);
    const to = Date.parse(`${range.end}T00:00:00Z`) + DAY;
    const byHour = new Map<number, number>();
    for (let start = from; start < to; start += 10 * DAY) {
      const end = Math.min(to, start + 10 * DAY);
      const body = await this.get<PastRange>(
        `carbon-intensity/past-range?zone=${encodeURIComponent(zone)}&start=${new Date(start).toISOString()}&end=${new Date(end).toISOString()}&emissionFactorType=lifecycle`,
      );
      for (const d of body.data ?? []) {
        const hour = Date.parse(d.datetime ?? '');
        if (typeof d.carbonIntensity !== 'number' || !Number.isFinite(d.carbonIntensity)) continue;
        if (!Number.isFinite(hour) || hour < from || hour >= to) continue;
        byHour.set(hour, d.carbonIntensity);
      }
    }
    if (byHour.size === 0) throw new CodedError(ErrorCode.NoData, `no hourly values for zone ${zone}`);
    let sum = 0;
    for (const v of byHour.values()) sum += v;
    return { gramsPerKwh: sum / byHour.size, hours: byHour.size };
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

export class GridIntensityProvider {
  private readonly cache = new Map<string, Promise<GridIntensity | null>>();
  constructor(
    private readonly o: {
      /** CCF's annual factor of a region, g/kWh, or null. */
      annual: (region: string) => number | null;
      live: ElectricityMapsClient | null;
      window: DateRange;
    },
  ) {}

  /** The intensity of a region over the window, or null when nothing knows the region. */
  intensity(region: string): Promise<GridIntensity | null> {
    let p = this.cache.get(region);
    if (!p) {
      p = this.resolve(region);
      this.cache.set(region, p);
    }
    return p;
  }

  private annual(region: string, why: string): GridIntensity | null {
    const g = this.o.annual(region);
    if (g === null) return null;
    return {
      gramsPerKwh: g,
      kind: 'annual',
      source: `CCF's annual factor${why}`,
      emissions: 'direct',
    };
  }

  private async resolve(region: string): Promise<GridIntensity | null> {
    const zone = ELECTRICITYMAPS_ZONES[region];
    if (!this.o.live) return this.annual(region, '');
    if (!zone) return this.annual(region, ` (no ElectricityMaps zone known for ${region})`);
    const w = this.o.window;
    try {
      const avg = await this.o.live.average(zone, w);
      return {
        gramsPerKwh: avg.gramsPerKwh,
        kind: 'history',
        source: `ElectricityMaps ${zone}, average of ${avg.hours} hourly values ${w.start}..${w.end}`,
        emissions: 'lifecycle',
      };
    } catch (e) {
      return this.annual(region, ` (ElectricityMaps history of ${zone}: ${(e as Error).message})`);
    }
  }
}
