/**
 * What `serve` measures about itself, for Prometheus at `/metrics` (prom-client): the process's
 * default metrics, and the server's own work: syncs by source and outcome (duration, rows), digests
 * posted and failed and how late, alerts posted, chat requests by surface and kind (latency),
 * Slack's and Teams' retries and 429s, the warehouse's size and whether the server is ready.
 * One registry per server (tests run several in one process).
 */
import { statSync } from 'node:fs';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly syncs: Counter<'source' | 'outcome'>;
  readonly syncSeconds: Histogram<'source'>;
  readonly syncRows: Gauge<'source'>;
  readonly digests: Counter<'platform' | 'outcome'>;
  readonly digestLateSeconds: Histogram<'platform'>;
  readonly alerts: Counter<'platform' | 'kind'>;
  readonly requests: Counter<'surface' | 'kind' | 'outcome'>;
  readonly requestSeconds: Histogram<'surface' | 'kind'>;
  readonly retries: Counter<'platform' | 'reason'>;
  readonly rateLimited: Counter<'platform'>;
  readonly ready: Gauge;

  constructor(o: { warehouse?: string } = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'spendbrief_' });
    this.syncs = new Counter({
      name: 'spendbrief_syncs_total',
      help: 'Syncs of the source, by outcome (ok, failed)',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.syncSeconds = new Histogram({
      name: 'spendbrief_sync_duration_seconds',
      help: 'How long a sync took',
      labelNames: ['source'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers,
    });
    this.syncRows = new Gauge({
      name: 'spendbrief_sync_rows',
      help: 'Rows the last sync read from the source',
      labelNames: ['source'],
      registers,
    });
    this.digests = new Counter({
      name: 'spendbrief_digests_total',
      help: 'Weekly digests, by outcome (posted, failed)',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.digestLateSeconds = new Histogram({
      name: 'spendbrief_digest_late_seconds',
      help: 'How long after its minute a digest was posted',
      labelNames: ['platform'],
      buckets: [1, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.alerts = new Counter({
      name: 'spendbrief_alerts_posted_total',
      help: 'Alerts posted (anomaly, budget), follow-ups apart',
      labelNames: ['platform', 'kind'],
      registers,
    });
    this.requests = new Counter({
      name: 'spendbrief_chat_requests_total',
      help: 'Chat requests, by surface (slack, teams), kind and outcome (ok, refused, failed)',
      labelNames: ['surface', 'kind', 'outcome'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'spendbrief_chat_request_duration_seconds',
      help: 'From a chat request to its answer posted',
      labelNames: ['surface', 'kind'],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 60],
      registers,
    });
    this.retries = new Counter({
      name: 'spendbrief_platform_retries_total',
      help: 'Calls to Slack or Teams retried, by reason',
      labelNames: ['platform', 'reason'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'spendbrief_platform_rate_limited_total',
      help: 'HTTP 429 answers from Slack or Teams',
      labelNames: ['platform'],
      registers,
    });
    this.ready = new Gauge({
      name: 'spendbrief_ready',
      help: '1 once the first sync landed and the warehouse is open',
      registers,
    });
    const path = o.warehouse;
    new Gauge({
      name: 'spendbrief_warehouse_bytes',
      help: 'Size of the warehouse file (SPENDBRIEF_DB)',
      registers,
      collect() {
        try {
          this.set(path && path !== ':memory:' ? statSync(path).size : 0);
        } catch {
          this.set(0);
        }
      },
    });
  }

  /** Times a chat request: counts it with its outcome and observes its latency. */
  async timeRequest<T>(surface: string, kind: string, fn: () => Promise<T>): Promise<T> {
    const end = this.requestSeconds.startTimer({ surface, kind });
    try {
      const out = await fn();
      this.requests.inc({ surface, kind, outcome: 'ok' });
      return out;
    } catch (e) {
      this.requests.inc({ surface, kind, outcome: 'failed' });
      throw e;
    } finally {
      end();
    }
  }
}
