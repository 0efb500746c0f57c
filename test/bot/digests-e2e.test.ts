/**
 * Weekly digests against a real `spendbrief serve` process and the project's Slack fake, the
 * process's clock started just before the due minute and run ten times faster (Debian's
 * faketime): a stall across the due minute, SIGTERM while the digest is being posted, SIGKILL
 * right after Slack accepted it, `ok: false` then success, a re-subscription while the post is in
 * flight, and a slot in the spring-forward gap. Each ends with exactly one digest in the channel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import { hasFaketime, type ServeProcess, startServe } from '../helpers/serve-process.js';

const SECRET = 'e2e-signing-secret';
const SPEED = 10;
const faketime = hasFaketime();
if (!faketime)
  console.warn('skipped: faketime is not installed (apt-get install faketime) for the digest process tests');

const open: ServeProcess[] = [];
const fakes: FakeSlack[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) p.kill('SIGKILL');
  for (const f of fakes.splice(0)) await f.stop();
});

async function setup() {
  const slack = await new FakeSlack().start();
  fakes.push(slack);
  const db = join(mkdtempSync(join(tmpdir(), 'spendbrief-e2e-')), 'state.duckdb');
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-e2e',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
    SPENDBRIEF_DB: db,
  };
  const start = async (at: string) => {
    const p = await startServe({ env, at, speed: SPEED, secret: SECRET });
    open.push(p);
    return p;
  };
  const digests = () =>
    slack.history.filter(
      (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'spendbrief_digest',
    );
  return { slack, start, digests };
}

const subscribe = async (p: ServeProcess, when = 'mon 09:00 Europe/Berlin') => {
  const res = await p.command(`subscribe weekly ${when}`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { text: string }).text).toContain('weekly spend digest');
};

/** Waits `fakeSeconds` of the process's clock. */
const pass = (fakeSeconds: number) => new Promise((r) => setTimeout(r, (fakeSeconds * 1000) / SPEED));

describe.skipIf(!faketime)('weekly digests, exactly once, against a serve process', () => {
  it('a process stalled (SIGSTOP) across the due minute posts the digest when it resumes', async () => {
    const { start, digests } = await setup();
    const p = await start('2026-11-30 07:57:00');
    await subscribe(p);
    await p.waitForLog(/sync: demo data: /);
    // Stop it shortly before the due minute (08:00 UTC, 09:00 Berlin), so that the minute passes
    // while it is stopped, however long a loaded machine took to start it.
    const due = Date.parse('2026-11-30T08:00:00Z');
    await pass(Math.max(0, (due - 10_000 - p.now().getTime()) / 1000));
    expect(p.now().getTime(), 'the process was ready before the due minute').toBeLessThan(due);
    p.kill('SIGSTOP');
    await pass(70);
    p.kill('SIGCONT');
    // What is held is that it posts once after resuming, not how fast: a loaded 2-core machine took 30 s.
    await p.waitForLog(/digest C1 2026-W49: posted/, 60_000);
    await pass(90);
    expect(digests()).toHaveLength(1);
  }, 120_000);

  it('SIGTERM while the digest is being posted: it is posted and recorded, and the next start does not repeat it', async () => {
    const { slack, start, digests } = await setup();
    const hold = slack.holdNext('chat.postMessage');
    const p = await start('2026-11-30 07:58:00');
    await subscribe(p);
    await hold.arrived;
    p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    hold.release();
    expect(await p.exited).toBe(0);
    expect(p.logs.some((l) => /digest C1 2026-W49: posted/.test(l))).toBe(true);
    const again = await start('2026-11-30 09:00:00');
    await again.waitForLog(/sync: demo data: /);
    await pass(120);
    expect(digests()).toHaveLength(1);
    expect(again.logs.some((l) => /digest C1/.test(l))).toBe(false);
  }, 90_000);

  it('SIGKILL right after Slack accepted the post: the restart finds it in the channel and does not post again', async () => {
    const { slack, start, digests } = await setup();
    const hold = slack.holdNext('chat.postMessage');
    const p = await start('2026-11-30 07:58:00');
    slack.clock = () => p.now().getTime();
    await subscribe(p);
    await hold.arrived;
    p.kill('SIGKILL');
    await p.exited;
    hold.release();
    expect(digests()).toHaveLength(1);
    const again = await start('2026-11-30 08:10:00');
    await again.waitForLog(
      /digest C1 2026-W49: had been posted before the restart \(\d+\.\d+\); not posted again/,
    );
    await pass(120);
    expect(digests()).toHaveLength(1);
    expect(slack.of('conversations.history')[0]!.args).toMatchObject({ channel: 'C1' });
    expect(String(slack.of('conversations.history')[0]!.args.include_all_metadata)).toBe('true');
  }, 90_000);

  it('ok:false from Slack is logged with its code and retried within the week: one digest', async () => {
    const { slack, start, digests } = await setup();
    slack.failOnce('chat.postMessage', 'channel_not_found');
    const p = await start('2026-11-30 07:58:00');
    await subscribe(p);
    const failed = await p.waitForLog(
      /digest C1 2026-W49: failed \(attempt 1\): Slack said channel_not_found; next try 2026-11-30 \d\d:\d\d UTC/,
    );
    // The first retry is a minute after the failure (a loaded machine fails it later than 08:00).
    const { time, msg } = JSON.parse(failed) as { time: string; msg: string };
    const retry = new Date(Date.parse(time) + 60_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(msg).toContain(`next try ${retry} UTC`);
    await p.waitForLog(/digest C1 2026-W49: posted/, 30_000);
    await pass(120);
    expect(digests()).toHaveLength(1);
  }, 90_000);

  it('a re-subscription while the digest is in flight does not post a second one', async () => {
    const { slack, start, digests } = await setup();
    const hold = slack.holdNext('chat.postMessage');
    const p = await start('2026-11-30 07:58:00');
    await subscribe(p);
    await hold.arrived;
    await subscribe(p);
    hold.release();
    await p.waitForLog(/digest C1 2026-W49: posted/);
    await pass(150);
    expect(digests()).toHaveLength(1);
  }, 90_000);

  it('a digest lands within 10 s of its minute: the scheduler wakes at each whole minute', async () => {
    const slack = await new FakeSlack().start();
    fakes.push(slack);
    const p = await startServe({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-e2e',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: `${slack.url}/api/`,
        SPENDBRIEF_DB: join(mkdtempSync(join(tmpdir(), 'spendbrief-e2e-')), 'state.duckdb'),
        SPENDBRIEF_LOG_FORMAT: 'json',
      },
      // Real speed: the lateness is measured on a clock that runs as the real one.
      at: '2026-11-30 07:59:40',
      speed: 1,
      secret: SECRET,
    });
    open.push(p);
    await subscribe(p);
    const line = await p.waitForLog(/digest C1 2026-W49: posted/, 45_000);
    const { lateSeconds, time } = JSON.parse(line) as { lateSeconds: number; time: string };
    expect(lateSeconds).toBeLessThanOrEqual(10);
    expect(Date.parse(time) - Date.parse('2026-11-30T08:00:00Z')).toBeLessThan(10_000);
  }, 90_000);

  it('"sun 02:30 Europe/Berlin" on the spring-forward night is posted at 03:30 CEST', async () => {
    const { start, digests } = await setup();
    const p = await start('2027-03-28 01:28:00');
    await subscribe(p, 'sun 02:30 Europe/Berlin');
    await p.waitForLog(/digest C1 2027-W12: posted/, 30_000);
    expect(digests()).toHaveLength(1);
  }, 90_000);
});
