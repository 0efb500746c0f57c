/**
 * `spendbrief doctor` as an operator runs it, against loopback fakes of Slack's Web API,
 * Prometheus, ElectricityMaps and Cost Explorer (through the real AWS SDK): one line a part, what to
 * do when it fails, and a non-zero exit when a configured part fails. And the scopes: every Web API
 * method the code calls is in the scope table, and manifest.yml asks for every scope it needs.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { METHOD_SCOPES, neededScopes } from '../../src/bot/slack/scopes.js';
import { FakeCostExplorer } from '../helpers/fake-cost-explorer.js';
import { FakeSlack } from '../helpers/fake-slack.js';

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const ROOT = join(import.meta.dirname, '../..');
let slack: FakeSlack;
let ce: FakeCostExplorer;
let other: Server;
let otherUrl: string;

beforeAll(async () => {
  slack = await new FakeSlack().start();
  ce = await new FakeCostExplorer([]).start();
  // Prometheus and ElectricityMaps: each accepts its one good token.
  other = createServer((req, res) => {
    if (req.url?.startsWith('/prom/api/v1/status/buildinfo'))
      return void (req.headers.authorization === 'Bearer prom-good'
        ? res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"status":"success","data":{"version":"2.53.0"}}')
        : res.writeHead(401).end());
    if (req.url?.startsWith('/em/carbon-intensity/latest'))
      return void (req.headers['auth-token'] === 'em-good-token'
        ? res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"zone":"DE","carbonIntensity":300}')
        : res.writeHead(401).end('{"error":"unauthorized"}'));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await slack.stop();
  await ce.stop();
  other.close();
});

async function doctor(env: Record<string, string>, source = 'demo') {
  const r = await promisify(execFile)('node', [BIN, 'doctor', '--source', source], {
    env: {
      PATH: process.env.PATH,
      SPENDBRIEF_DB: '/nonexistent/state.duckdb',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_COST_EXPLORER: ce.url,
      ...env,
    },
  }).then(
    (x) => ({ code: 0, stdout: x.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const lines = Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(6).split(/\s+/)[0]!, l] as const),
  );
  return { ...r, lines };
}

const healthy = () => ({
  SLACK_BOT_TOKEN: 'xoxb-doctor',
  SLACK_SIGNING_SECRET: 'doctor-secret',
  SLACK_API_URL: `${slack.url}/api/`,
  PROMETHEUS_URL: `${otherUrl}/prom`,
  PROMETHEUS_TOKEN: 'prom-good',
  ELECTRICITYMAPS_API_URL: `${otherUrl}/em/`,
  ELECTRICITYMAPS_TOKEN: 'em-good-token',
});

describe('spendbrief doctor', () => {
  it('every configured part answers: one OK line each, exit 0; Cost Explorer cost one request, said', async () => {
    slack.scopes = neededScopes();
    const before = ce.requests.length;
    const r = await doctor(healthy(), 'ce');
    expect(r.code).toBe(0);
    expect(r.lines.config).toMatch(/^OK\s+config\s+valid/);
    expect(r.lines.slack).toMatch(/^OK\s+slack\s+signed in as spendbrief in Acme; the token has every scope/);
    expect(r.lines.source).toMatch(
      /^OK\s+source\s+AWS Cost Explorer: answered 1 GetCostAndUsage request \(0\.01 USD/,
    );
    expect(ce.requests.length - before).toBe(1);
    expect(r.lines.prometheus).toMatch(/^OK\s+prometheus\s+.* answers \(Prometheus 2\.53\.0\)/);
    expect(r.lines.electricitymaps).toMatch(/^OK\s+electricitymaps\s+.* accepts the token/);
    expect(r.lines.teams).toMatch(/^OFF\s+teams/);
    for (const secret of Object.values(healthy()).filter((v) => /good|doctor/.test(v)))
      expect(r.stdout).not.toContain(secret);
  });

  it('a token without a scope, a refused token, a missing file: each named with what to do, exit 1', async () => {
    slack.scopes = neededScopes().filter((s) => s !== 'files:write');
    const r = await doctor(
      { ...healthy(), PROMETHEUS_TOKEN: 'prom-bad', ELECTRICITYMAPS_TOKEN: 'em-bad-token' },
      'focus:/nonexistent/*.parquet',
    );
    expect(r.code).toBe(1);
    expect(r.lines.slack).toMatch(
      /^FAIL\s+slack\s+.*the token lacks files:write -> add them under OAuth & Permissions/,
    );
    expect(r.lines.prometheus).toMatch(/^FAIL\s+prometheus\s+.*answered HTTP 401 -> check PROMETHEUS_TOKEN/);
    expect(r.lines.electricitymaps).toMatch(
      /^FAIL\s+electricitymaps\s+the token was refused \(HTTP 401\) -> check ELECTRICITYMAPS_TOKEN/,
    );
    expect(r.lines.source).toMatch(
      /^FAIL\s+source\s+FOCUS export \/nonexistent\/\*\.parquet: no file matches/,
    );
  });

  it('a bad variable is the first line, naming it, exit 2', async () => {
    const r = await doctor({ SPENDBRIEF_CE_DAYS: 'lots' });
    expect(r.code).toBe(2);
    expect(r.lines.config).toMatch(
      /^FAIL\s+config\s+environment variable SPENDBRIEF_CE_DAYS "lots" is not a number of days/,
    );
  });
});

describe('Slack scopes', () => {
  /** Every `client.<family>.<method>(` the code calls. */
  function methodsCalled(): string[] {
    const out = new Set<string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts'))
          for (const m of readFileSync(p, 'utf8').matchAll(
            /client\s*\.((?:\s*[a-z]+\s*\.)+\s*[a-zA-Z0-9]+)\s*\(/g,
          ))
            out.add(m[1]!.replace(/\s+/g, ''));
      }
    };
    walk(join(ROOT, 'src'));
    return [...out].sort();
  }

  it('every Web API method the code calls has its scopes in the table, and the table lists no other', () => {
    const called = methodsCalled();
    expect(called.length).toBeGreaterThan(3);
    for (const m of called) expect(Object.keys(METHOD_SCOPES), m).toContain(m);
    for (const m of Object.keys(METHOD_SCOPES)) if (m !== 'auth.test') expect(called, m).toContain(m);
  });

  it('manifest.yml asks for every scope the code needs, and says why for each', () => {
    const text = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
    const bot = (parse(text) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;
    for (const s of neededScopes()) expect(bot, s).toContain(s);
    for (const s of bot) expect(neededScopes(), `${s} is asked for but no code needs it`).toContain(s);
    // A comment above each scope (or above the group it belongs to) says what it is for.
    const lines = text.split('\n');
    for (const s of bot) {
      let i = lines.findIndex((l) => l.trim() === `- ${s}`);
      while (i > 0 && /^\s*- /.test(lines[i - 1]!)) i -= 1;
      expect(lines[i - 1]?.trim().startsWith('#'), `no comment says why ${s}`).toBe(true);
    }
  });
});
