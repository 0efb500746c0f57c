/** Ack latency of N concurrent signed /spend commands against `spendbrief serve` on loopback. */

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '../src/bot/server.js';
import { loadConfig } from '../src/config.js';
import { FakeSlack } from '../test/helpers/fake-slack.js';

export interface AckFigures {
  n: number;
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const figures = (raw: number[]): AckFigures => {
  const times = [...raw].sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
  return { n: times.length, minMs: times[0]!, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: times.at(-1)! };
};

async function fire(url: string, secret: string, n: number): Promise<number[]> {
  const out = await promisify(execFile)('node', [
    join(import.meta.dirname, 'ack-client.js'),
    url,
    secret,
    String(n),
  ]);
  return JSON.parse(out.stdout) as number[];
}

/** The floor: a bare node:http server that answers 200 at once, hit by the same client. */
export async function measurePlainHttp(n: number): Promise<AckFigures> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const times = await fire(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 'x', n);
  await new Promise<void>((r) => server.close(() => r()));
  return figures(times);
}

export async function measureSlackAck(n: number): Promise<AckFigures> {
  const slack = await new FakeSlack().start();
  const secret = 'bench-secret';
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: `${slack.url}/api/`,
    PORT: '0',
    SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'bench-')), 'state.duckdb'),
  };
  const app = await serve({
    config: loadConfig(env),
    source: { kind: 'demo' },
    useTimers: false,
    log: () => {},
  });
  await app.firstSync;
  const url = `http://127.0.0.1:${app.port}/slack/events`;
  // The client runs in its own process: one warm-up command, then N at once.
  const times = await fire(url, secret, n);
  await slack.waitFor('chat.postMessage', n, 300_000);
  await app.close();
  await slack.stop();
  return figures(times);
}
