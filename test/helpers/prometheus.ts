/**
 * A real Prometheus (Debian's `prometheus` package) on loopback, its TSDB backfilled from
 * OpenMetrics with `promtool tsdb create-blocks-from openmetrics`. Skipped with a message where it
 * is not installed, except under CI=true, where .ci/run installs it and its absence fails.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export { freePort };

export function requirePrometheus(): boolean {
  try {
    execFileSync('prometheus', ['--version'], { stdio: 'ignore' });
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error(
        'prometheus/promtool are not installed (required under CI=true; .ci/run installs the Debian package prometheus)',
      );
    console.warn(
      'skipped: prometheus is not installed: apt-get install prometheus to run the Prometheus adapter tests',
    );
    return false;
  }
}

export class LocalPrometheus {
  private proc?: ChildProcess;
  url = '';

  /**
   * Backfills the OpenMetrics text (or, with `scrape`, scrapes `host:port` every second), starts the
   * server and waits until it is ready.
   */
  async start(openMetrics: string, scrape?: { target: string; job?: string }): Promise<this> {
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-prom-'));
    const data = join(dir, 'data');
    if (openMetrics) {
      const om = join(dir, 'metrics.om');
      writeFileSync(om, openMetrics);
      execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, data], { stdio: 'ignore' });
    }
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      scrape
        ? `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: ${scrape.job ?? 'spendbrief'}\n    static_configs:\n      - targets: ['${scrape.target}']\n`
        : 'global:\n  scrape_interval: 1h\nscrape_configs: []\n',
    );
    const port = await freePort();
    this.proc = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        '--storage.tsdb.retention.time=10y',
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=error',
      ],
      { stdio: 'ignore' },
    );
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/-/ready`)).ok) return this;
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('prometheus did not become ready within 60 s');
  }

  /** An instant query's first value, or null (Prometheus's HTTP API). */
  async value(query: string): Promise<number | null> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await res.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const v = body.data?.result?.[0]?.value?.[1];
    return v === undefined ? null : Number(v);
  }

  /** Waits until a query has a value that `ok` accepts (scrapes come every second). */
  async waitFor(query: string, ok: (v: number) => boolean, ms = 30_000): Promise<number> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await this.value(query);
      if (v !== null && ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`prometheus: ${query} = ${v} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  stop(): void {
    this.proc?.kill('SIGTERM');
  }
}
