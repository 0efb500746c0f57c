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

  /** Backfills the OpenMetrics text, starts the server and waits until it is ready. */
  async start(openMetrics: string): Promise<this> {
    const dir = mkdtempSync(join(tmpdir(), 'spendbrief-prom-'));
    const om = join(dir, 'metrics.om');
    writeFileSync(om, openMetrics);
    const data = join(dir, 'data');
    execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, data], { stdio: 'ignore' });
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
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

  stop(): void {
    this.proc?.kill('SIGTERM');
  }
}
