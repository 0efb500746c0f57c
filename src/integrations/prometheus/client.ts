/**
 * Prometheus `query_range` over the HTTP API, one PromQL query per feature, step one day. Samples
 * are keyed by their UTC date. Transient failures (network, 5xx) are retried a couple of times;
 * an unreachable server, a bad query and an empty result are each one clear line.
 */
import pRetry, { AbortError } from 'p-retry';
import { CodedError, ErrorCode } from '../../errors.js';
import type { MetricsByDay } from '../metrics.js';

export interface PrometheusOptions {
  /** PROMETHEUS_URL, e.g. http://prometheus:9090 */
  baseUrl: string;
  bearerToken?: string;
  basicAuth?: { user: string; password: string };
  fetch?: typeof fetch;
  retries?: number;
}

interface RangeResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
}

export class PrometheusClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly o: PrometheusOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  private headers(): Record<string, string> {
    if (this.o.bearerToken) return { authorization: `Bearer ${this.o.bearerToken}` };
    if (this.o.basicAuth)
      return {
        authorization: `Basic ${Buffer.from(`${this.o.basicAuth.user}:${this.o.basicAuth.password}`).toString('base64')}`,
      };
    return {};
  }

  /** Daily values of one query between two UTC days (inclusive); series are summed per day. */
  async daily(query: string, start: string, end: string): Promise<Map<string, number>> {
    const url = new URL(
      'api/v1/query_range',
      this.o.baseUrl.endsWith('/') ? this.o.baseUrl : `${this.o.baseUrl}/`,
    );
    const params = new URLSearchParams({
      query,
      start: `${start}T00:00:00Z`,
      end: `${end}T00:00:00Z`,
      step: '1d',
    });
    const body = await pRetry(
      async () => {
        let res: Response;
        try {
          res = await this.fetch(url, {
            method: 'POST',
            headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
            body: params,
          });
        } catch (e) {
          throw new CodedError(
            ErrorCode.Upstream,
            `Prometheus at ${this.o.baseUrl} cannot be reached (${(e as Error).cause ? String((e as { cause: unknown }).cause) : (e as Error).message}); check PROMETHEUS_URL`,
          );
        }
        if (res.status === 401 || res.status === 403) {
          throw new AbortError(
            new CodedError(
              ErrorCode.UpstreamAuth,
              `Prometheus at ${this.o.baseUrl} refused the credentials (HTTP ${res.status}); check PROMETHEUS_TOKEN`,
            ),
          );
        }
        const json = (await res.json().catch(() => null)) as RangeResponse | null;
        if (res.status >= 500 || !json)
          throw new CodedError(
            ErrorCode.Upstream,
            `Prometheus at ${this.o.baseUrl} answered HTTP ${res.status}`,
          );
        if (json.status !== 'success') {
          throw new AbortError(
            new CodedError(
              ErrorCode.BadInput,
              `Prometheus rejected the query "${query}": ${json.error ?? `HTTP ${res.status}`}`,
            ),
          );
        }
        return json;
      },
      { retries: this.o.retries ?? 2, minTimeout: 200, factor: 2 },
    );
    const out = new Map<string, number>();
    for (const series of body.data?.result ?? []) {
      for (const [ts, raw] of series.values) {
        const v = Number(raw);
        if (!Number.isFinite(v)) continue;
        const day = new Date(ts * 1000).toISOString().slice(0, 10);
        out.set(day, (out.get(day) ?? 0) + v);
      }
    }
    if (out.size === 0)
      throw new CodedError(
        ErrorCode.NoData,
        `Prometheus returned no samples for "${query}" between ${start} and ${end}`,
      );
    return out;
  }

  /** Every feature's daily values, merged by date (days missing any feature are left out). */
  async metrics(queries: Record<string, string>, start: string, end: string): Promise<MetricsByDay> {
    const features = Object.keys(queries);
    const series = await Promise.all(features.map((f) => this.daily(queries[f]!, start, end)));
    const days = new Map<string, Record<string, number>>();
    for (const day of series[0]?.keys() ?? []) {
      if (series.every((s) => s.has(day)))
        days.set(day, Object.fromEntries(features.map((f, i) => [f, series[i]!.get(day)!])));
    }
    return { features, days };
  }
}

/** The source document's queries; SPENDBRIEF_QUERY_<FEATURE> overrides or adds one (config.promQueries). */
export function prometheusQueries(configured: Record<string, string>): Record<string, string> {
  return {
    transactions: 'sum(increase(wallet[1d]))',
    customers: 'sum(customers)',
    ...configured,
  };
}
