/**
 * What a user waits for in chat: from a signed `/spend drivers 30d by service` to the report posted
 * in the channel, against `spendbrief serve` (its own process) on a synced warehouse. One command
 * alone, then 10 at once from 10 channels; the server's peak RSS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { BIN } from '../test/helpers/serve-process.js';
import { signedHeaders, slashCommandBody } from '../test/helpers/slack-signing.js';

export interface ServeLatency {
  oneMs: number;
  tenMs: number[];
  p50Ms: number;
  p99Ms: number;
  serverPeakRssMb: number;
}

const SECRET = 'bench-serve-secret';

async function waitForLine(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`serve did not log ${pattern} within ${ms} ms:\n${seen}`)),
      ms,
    );
    child.stderr!.on('data', (d: Buffer) => {
      seen += String(d);
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
}

export async function measureServe(o: { db: string; source: string; today: string }): Promise<ServeLatency> {
  const slack = await new FakeSlack().start();
  const child = spawn('node', [BIN, 'serve', '--source', o.source], {
    env: {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: o.db,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const listening = await waitForLine(child, /listening on :(\d+)/, 30_000);
    const port = Number(/listening on :(\d+)/.exec(listening)![1]);
    await waitForLine(child, /sync: .*(nothing to do|synced)/, 120_000);
    const url = `http://127.0.0.1:${port}/slack/events`;
    const send = async (channel: string): Promise<number> => {
      const before = slack.of('chat.postMessage').filter((c) => c.args.channel === channel).length;
      const body = slashCommandBody('drivers 30d by service', { channel });
      const t = performance.now();
      const res = await fetch(url, { method: 'POST', headers: signedHeaders(SECRET, body), body });
      await res.text();
      for (;;) {
        if (slack.of('chat.postMessage').filter((c) => c.args.channel === channel).length > before)
          return performance.now() - t;
        if (
          slack
            .of('chat.postEphemeral')
            .some((c) => c.args.channel === channel && /Sorry/.test(String(c.args.text)))
        )
          throw new Error(
            `serve answered with an error: ${JSON.stringify(slack.of('chat.postEphemeral').at(-1)?.args)}`,
          );
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    await send('CWARM');
    const oneMs = await send('CONE');
    const tenMs = await Promise.all(Array.from({ length: 10 }, (_, i) => send(`C${i}`)));
    const sorted = [...tenMs].sort((x, y) => x - y);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    return {
      oneMs,
      tenMs,
      p50Ms: sorted[Math.ceil(0.5 * sorted.length) - 1]!,
      p99Ms: sorted[Math.ceil(0.99 * sorted.length) - 1]!,
      serverPeakRssMb: hwm,
    };
  } finally {
    child.kill('SIGTERM');
    await slack.stop();
  }
}
