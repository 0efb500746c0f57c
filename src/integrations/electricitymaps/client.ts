/**
 * Grid carbon intensity: ElectricityMaps' `carbon-intensity/latest` (header `auth-token`) when a
 * token is configured, the bundled annual factor of the region otherwise or when the API fails.
 * The source actually used, and why a fallback happened, always travels with the figure.
 */
import { ELECTRICITYMAPS_ZONES, type GridFactor } from '../carbon-coefficients/coefficients.js';

export interface GridIntensity {
  gramsPerKwh: number;
  source: string;
}

export interface ElectricityMapsOptions {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class ElectricityMapsClient {
  private readonly baseUrl: string;
  constructor(private readonly o: ElectricityMapsOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.electricitymaps.com/v3/').replace(/\/?$/, '/');
  }

  /** Latest intensity of a zone; throws an Error whose message says what went wrong (never the token). */
  async latest(zone: string): Promise<{ gramsPerKwh: number; datetime: string }> {
    const url = new URL(`carbon-intensity/latest?zone=${encodeURIComponent(zone)}`, this.baseUrl);
    let res: Response;
    try {
      res = await (this.o.fetch ?? fetch)(url, {
        headers: { 'auth-token': this.o.token ?? '' },
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
    } catch (e) {
      throw new Error(
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.o.timeoutMs ?? 5000} ms`
          : `unreachable (${(e as Error).message})`,
      );
    }
    if (res.status === 401 || res.status === 403) throw new Error(`token refused (HTTP ${res.status})`);
    if (!res.ok) throw new Error(`HTTP ${res.status} for zone ${zone}`);
    const body = (await res.json()) as { carbonIntensity?: number; datetime?: string };
    if (typeof body.carbonIntensity !== 'number' || !Number.isFinite(body.carbonIntensity))
      throw new Error(`no carbonIntensity for zone ${zone}`);
    return { gramsPerKwh: body.carbonIntensity, datetime: body.datetime ?? '' };
  }
}

export class GridIntensityProvider {
  private readonly cache = new Map<string, Promise<GridIntensity | null>>();
  constructor(
    private readonly fallback: (region: string) => GridFactor | null,
    private readonly live: ElectricityMapsClient | null,
  ) {}

  /** Intensity for a region: live where configured and answering, bundled otherwise; null when neither knows it. */
  intensity(region: string): Promise<GridIntensity | null> {
    let p = this.cache.get(region);
    if (!p) {
      p = this.resolve(region);
      this.cache.set(region, p);
    }
    return p;
  }

  private async resolve(region: string): Promise<GridIntensity | null> {
    const bundled = this.fallback(region);
    const zone = ELECTRICITYMAPS_ZONES[region];
    if (this.live && zone) {
      try {
        const r = await this.live.latest(zone);
        return {
          gramsPerKwh: r.gramsPerKwh,
          source: `ElectricityMaps live, zone ${zone}${r.datetime ? ` at ${r.datetime}` : ''}`,
        };
      } catch (e) {
        if (!bundled) return null;
        return {
          gramsPerKwh: bundled.gramsPerKwh,
          source: `${bundled.source} (ElectricityMaps ${(e as Error).message}; fell back)`,
        };
      }
    }
    if (!bundled) return null;
    const why = this.live ? ` (no ElectricityMaps zone known for ${region})` : '';
    return { gramsPerKwh: bundled.gramsPerKwh, source: `${bundled.source}${why}` };
  }
}
