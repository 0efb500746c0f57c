/**
 * `serve` reads its source by syncing it (at start-up, on its schedule, before a digest), never
 * per question: a question before the first sync is answered so; once synced, questions and a
 * digest read only the warehouse (the export file can be gone; Cost Explorer is not called).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import type { SourceSpec } from '../../src/reports/source.js';
import { type CeCost, FakeCostExplorer } from '../helpers/fake-cost-explorer.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postSlashCommand } from '../helpers/slack-signing.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

const SECRET = 'sync-test-secret';
const running: Running[] = [];
const fakes: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  for (const f of fakes.splice(0)) await f.stop();
  removeTempDirs();
});

async function start(source: SourceSpec, env: Record<string, string> = {}) {
  const slack = await new FakeSlack().start();
  fakes.push(slack);
  const dir = tempDir('spendbrief-serve-sync-');
  const logs: string[] = [];
  const app = await serve({
    config: loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-sync',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      PORT: '0',
      SPENDBRIEF_DB: join(dir, 'state.duckdb'),
      ...env,
    }),
    source,
    now: () => new Date('2026-11-24T10:00:00Z'),
    useTimers: false,
    log: (l) => logs.push(l),
  });
  running.push(app);
  const command = async (text: string) => {
    const res = await postSlashCommand(app.port, SECRET, text);
    expect(res.status).toBe(200);
  };
  return { app, slack, command, logs, dir };
}

/** The demo company as a FOCUS CSV of `rows` rows (more rows: a longer first sync). */
async function demoCsv(path: string, splits = 1): Promise<void> {
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', splits })}) TO '${path}' (HEADER)`);
  db.close();
}

describe('serve and its source', () => {
  it('a question before the first sync waits for it, said in the channel at once; the answer replaces that note', async () => {
    const dir = tempDir('spendbrief-big-');
    const file = join(dir, 'export.csv');
    await demoCsv(file, 40);
    const { app, slack, command } = await start({ kind: 'focus', path: file });
    const started = performance.now();
    await command('drivers 30d');
    // The ack came at once (Slack waits 3 s), and the note is in the channel before the sync ends.
    expect(performance.now() - started).toBeLessThan(3000);
    const [note] = await slack.waitFor('chat.postMessage');
    expect(String(note!.args.text)).toBe('Syncing your data for the first time; I will answer here.');
    const [answer] = await slack.waitFor('chat.update');
    expect(answer!.args.ts).toBe(note!.result?.ts);
    expect(String(answer!.args.text)).toMatch(/Spend drivers by service: 2026-10-25\.\.2026-11-23/);
    expect(slack.of('chat.postEphemeral')).toEqual([]);
    await app.firstSync;
    await command('drivers 30d');
    const [, report] = await slack.waitFor('chat.postMessage', 2);
    expect(String(report!.args.text)).toMatch(/Spend drivers by service: 2026-10-25\.\.2026-11-23/);
  }, 60_000);

  it('once synced, a digest and a drill-down read only the warehouse: the export file can be gone', async () => {
    const dir = tempDir('spendbrief-gone-');
    const file = join(dir, 'export.csv');
    await demoCsv(file);
    const { app, slack, command, logs } = await start({ kind: 'focus', path: file });
    await app.firstSync;
    expect(logs.some((l) => /sync: FOCUS export .*: synced 1 added/.test(l))).toBe(true);
    rmSync(file);
    await command('digest');
    const [digest] = await slack.waitFor('chat.postMessage');
    expect(String(digest!.args.text)).toContain('Weekly cloud spend digest');
    await command('drivers 7d by team');
    await slack.waitFor('chat.postMessage', 2);
    expect(slack.of('chat.postEphemeral').filter((c) => /Sorry/.test(String(c.args.text)))).toEqual([]);
  });

  it('a first sync that fails is named in the answer, not silence', async () => {
    const { app, slack, command } = await start({ kind: 'focus', path: '/nonexistent/exports/*.parquet' });
    await app.firstSync;
    await command('drivers');
    const [answer] = await slack.waitFor('chat.postEphemeral');
    expect(String(answer!.args.text)).toMatch(
      /Sorry, I could not answer yet: the first sync of FOCUS export \/nonexistent\/exports\/\*\.parquet failed \(no file matches/,
    );
  });

  it('on Cost Explorer, questions and a digest make no Cost Explorer request after the sync', async () => {
    const costs: CeCost[] = [];
    for (let i = 0; i < 60; i++) {
      const day = new Date(Date.parse('2026-09-25T00:00:00Z') + i * 86400000).toISOString().slice(0, 10);
      costs.push({
        day,
        service: 'Amazon EC2',
        usageType: 'BoxUsage:m5.large',
        recordType: 'Usage',
        unblended: 10 + i,
        amortized: 10 + i,
        net: 10 + i,
        quantity: 24,
      });
      costs.push({
        day,
        service: 'Amazon S3',
        usageType: 'TimedStorage',
        recordType: 'Usage',
        unblended: 5,
        amortized: 5,
        net: 5,
        quantity: 100,
      });
    }
    const ce = await new FakeCostExplorer(costs).start();
    fakes.push(ce);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_COST_EXPLORER: ce.url,
    });
    try {
      const { app, slack, command } = await start({ kind: 'ce' });
      await app.firstSync;
      const afterSync = ce.requests.length;
      expect(afterSync).toBeGreaterThan(0);
      await command('drivers 30d');
      await command('digest');
      await slack.waitFor('chat.postMessage', 2);
      expect(ce.requests.length).toBe(afterSync);
    } finally {
      process.env = saved;
    }
  });
});

describe('a digest opens its source once', () => {
  it('one open of the source for every section (drivers, unit economics, carbon)', async () => {
    const { createReportDeps } = await import('../../src/reports/wire.js');
    const { runDigest } = await import('../../src/reports/digest.js');
    const file = join(tempDir('spendbrief-once-'), 'export.csv');
    await demoCsv(file);
    const metrics = join(file, '..', 'metrics.csv');
    writeFileSync(metrics, 'date,orders\n2026-11-01,1\n');
    const deps = createReportDeps(
      loadConfig({ SPENDBRIEF_DB: join(file, '..', 'none.duckdb'), SPENDBRIEF_METRICS_CSV: metrics }),
      { log: () => {} },
    );
    let opens = 0;
    const open = deps.warehouses.open.bind(deps.warehouses);
    deps.warehouses.open = (...a) => {
      opens++;
      return open(...a);
    };
    const out = await runDigest(deps, {
      source: { kind: 'focus', path: file },
      today: '2026-11-24',
      basis: 'actual',
      teamTag: 'team',
    });
    expect(opens).toBe(1);
    expect(out.report.sections.map((s) => s.id)).toEqual(
      expect.arrayContaining(['drivers', 'costModel', 'carbon']),
    );
  });
});

describe('closing early', () => {
  it('a server closed before its first sync ended starts nothing afterwards (its database is closed)', async () => {
    for (let i = 0; i < 3; i++) {
      const logs: string[] = [];
      const app = await serve({
        config: loadConfig({
          PORT: '0',
          SPENDBRIEF_DB: join(tempDir('spendbrief-early-'), 'state.duckdb'),
        }),
        source: { kind: 'demo' },
        useTimers: false,
        log: (l) => logs.push(l),
      });
      // Not waiting for the first sync: the scheduler must not start after the close.
      await app.close();
      await app.firstSync;
      await new Promise((r) => setTimeout(r, 50));
      expect(logs.filter((l) => /tick failed|digests:/.test(l))).toEqual([]);
    }
  });
});
