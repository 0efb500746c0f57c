/**
 * Per-team digests at company size: 200 channels, each scoped to its own owner (an account and a
 * region of the company dataset: 20 x 10 cells), each subscribed to the weekly digest at the same
 * minute, against `spendbrief serve` (its own process, its clock set by Debian's faketime to just
 * before the minute) on the synced warehouse. The Slack fake enforces Slack's published limits
 * with 429 and Retry-After: chat.postMessage one message per second per channel, the two
 * file-upload methods Tier 4 (100 a minute). Measured: every channel's digest exactly once, the
 * time from the due minute to the last digest, the 429s served, the server's peak RSS.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSlack } from '../test/helpers/fake-slack.js';
import { hasFaketime, startServe } from '../test/helpers/serve-process.js';

export interface FanoutFigures {
  channels: number;
  /** Channels with exactly one digest. */
  exactlyOnce: number;
  /** Channels whose digest names their own scope and no other. */
  confined: number;
  /** From the due minute to the last digest posted. */
  lastDigestSeconds: number;
  firstDigestSeconds: number;
  rateLimited: number;
  uploads: number;
  images: 'upload' | 'url';
  serverPeakRssMb: number;
}

const SECRET = 'bench-fanout-secret';
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(100000000000 + i).padStart(12, '0'));
const REGIONS = Array.from({ length: 10 }, (_, i) => `region-${i}`);

export async function measureFanout(o: {
  db: string;
  source: string;
  /** A weekday after the dataset's last day: the digest's week is the last 7 days of data. */
  day: string;
  /** SPENDBRIEF_SLACK_IMAGES: charts uploaded (Tier 4) or served by URL. */
  images: 'upload' | 'url';
}): Promise<FanoutFigures | null> {
  if (!hasFaketime()) {
    console.warn('fan-out skipped: faketime is not installed (apt-get install faketime)');
    return null;
  }
  // A copy: the channels' scopes, subscriptions and digest runs must not outlive this measure.
  const db = join(mkdtempSync(join(tmpdir(), 'spendbrief-fanout-')), 'state.duckdb');
  copyFileSync(o.db, db);
  const began = Date.now();
  const phase = (what: string) =>
    console.error(`fan-out: ${what} at ${((Date.now() - began) / 1000).toFixed(0)} s`);
  const slack = await new FakeSlack().start();
  slack.rateLimit('chat.postMessage', { perChannelPerSecond: 1 });
  slack.rateLimit('files.getUploadURLExternal', { perMinute: 100 });
  slack.rateLimit('files.completeUploadExternal', { perMinute: 100 });
  const p = await startServe({
    env: {
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      SPENDBRIEF_DB: db,
      SPENDBRIEF_SLACK_MANAGERS: 'U1',
      SPENDBRIEF_SLACK_IMAGES: o.images,
      SPENDBRIEF_PUBLIC_URL: 'https://spendbrief.example.test/',
    },
    source: o.source,
    // Half a minute before a whole minute: the scopes and subscriptions (7 s here) end shortly
    // before it, so the run does not wait most of a minute for the digests to fall due.
    at: `${o.day} 08:59:30`,
    secret: SECRET,
  });
  try {
    await p.waitForLog(/sync: .*(nothing to do|synced)/, 180_000);
    phase('server up, its sync checked');
    const weekday = new Date(`${o.day}T00:00:00Z`).toUTCString().slice(0, 3).toLowerCase();
    const cells = ACCOUNTS.flatMap((account) => REGIONS.map((region) => ({ account, region })));
    const channel = (i: number) => `CFAN${String(i).padStart(4, '0')}`;
    const ask = async (text: string, c: string, expect: RegExp) => {
      const res = await p.command(text, { channel: c });
      const body = (await res.json()) as { text?: string };
      if (res.status !== 200 || !expect.test(body.text ?? ''))
        throw new Error(`${c} ${text}: ${res.status} ${body.text}`);
    };
    // Ten at a time, as 200 people would not all type in the same second.
    const each = async (say: (i: number) => Promise<void>) => {
      for (let i = 0; i < cells.length; i += 10)
        await Promise.all(cells.slice(i, i + 10).map((_, k) => say(i + k)));
    };
    const scoping = Date.now();
    await each((i) =>
      ask(
        `scope account=${cells[i]!.account} and region=${cells[i]!.region}`,
        channel(i),
        /now sees account=/,
      ),
    );
    // The first whole minute after the subscriptions (as many commands as the scopes: twice their
    // time, at least 5 s, is the margin): all due at once, and no more of the run spent waiting.
    phase('200 channels scoped');
    const margin = Math.max(5_000, 2 * (Date.now() - scoping));
    const due = Math.ceil((p.now().getTime() + margin) / 60_000) * 60_000;
    const hhmm = new Date(due).toISOString().slice(11, 16);
    await each((i) => ask(`subscribe weekly ${weekday} ${hhmm} UTC`, channel(i), /weekly spend digest/));
    if (p.now().getTime() >= due) throw new Error('the subscriptions took past the due minute');
    phase(`200 subscribed, due in ${((due - p.now().getTime()) / 1000).toFixed(0)} s`);
    const digests = () =>
      slack.history.filter(
        (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'spendbrief_digest',
      );
    const deadline = Date.now() + 15 * 60_000;
    let first = 0;
    while (new Set(digests().map((d) => d.channel)).size < cells.length && Date.now() < deadline) {
      if (!first && digests().length) first = p.now().getTime();
      await new Promise((r) => setTimeout(r, 200));
    }
    const last = p.now().getTime();
    phase('the last digest posted');
    // Anything posted twice would arrive now.
    await new Promise((r) => setTimeout(r, 5000));
    const byChannel = new Map<string, typeof slack.history>();
    for (const d of digests()) byChannel.set(d.channel, [...(byChannel.get(d.channel) ?? []), d]);
    const posted = slack.of('chat.postMessage');
    let confined = 0;
    cells.forEach(({ account, region }, i) => {
      const call = posted.find(
        (c) =>
          c.args.channel === channel(i) &&
          (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'spendbrief_digest',
      );
      const json = JSON.stringify(call?.args.blocks ?? '');
      const others = ACCOUNTS.filter((a) => a !== account).some((a) => json.includes(a));
      if (call && json.includes(account) && json.includes(region) && !others) confined++;
    });
    const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
    return {
      channels: cells.length,
      exactlyOnce: [...byChannel.values()].filter((l) => l.length === 1).length,
      confined,
      lastDigestSeconds: (last - due) / 1000,
      firstDigestSeconds: first ? (first - due) / 1000 : Number.NaN,
      rateLimited: slack.rateLimited,
      uploads: slack.of('files.completeUploadExternal').length,
      images: o.images,
      serverPeakRssMb: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
    };
  } finally {
    p.kill('SIGTERM');
    const killer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    await p.exited;
    clearTimeout(killer);
    await slack.stop();
    rmSync(db, { force: true });
  }
}

/** `node dist-bench/bench/digest-fanout.js <synced.duckdb> <source> [day]`: the figures alone. */
if (process.argv[1] && import.meta.filename === join(process.argv[1])) {
  const [db, source, images = 'url', day = '2026-11-24'] = process.argv.slice(2);
  console.log(
    JSON.stringify(
      await measureFanout({ db: db!, source: source!, day, images: images as 'upload' | 'url' }),
    ),
  );
}
