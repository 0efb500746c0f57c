/**
 * The MCP server with clients nobody here wrote: the official SDK's `Client` over stdio (spawning
 * the built CLI) and over Streamable HTTP against a running `serve`, and the MCP Inspector's CLI.
 * Every tool is listed (read-only, with input and output schemas) and called; its structured
 * content equals the CLI's `--format json` for the same arguments; bad arguments are tool errors
 * of one line; the scope confines; a missing or wrong token is 401.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, serve } from '../../src/bot/server.js';
import { loadConfig } from '../../src/config.js';
import { demoSql } from '../../src/integrations/demo/generate.js';
import { DuckDb } from '../../src/integrations/warehouse/duckdb.js';
import { cents } from '../helpers/numbers.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'spendbrief-mcp-'));
const file = join(dir, 'export.csv');
const budgets = join(dir, 'budgets.yaml');
const TOKEN = 'mcp-test-token-0123456789abcdef';

const env = (db: string) => ({
  ...process.env,
  SPENDBRIEF_DB: db,
  SPENDBRIEF_SOURCE: `focus:${file}`,
  SPENDBRIEF_BUDGETS: budgets,
  SPENDBRIEF_SHOWBACK_RULES: join(ROOT, 'examples/showback.yaml'),
});

/** Each tool with the arguments of one call, and the CLI command of the same arguments. */
const CALLS: { tool: string; args: Record<string, unknown>; cli: string[] }[] = [
  {
    tool: 'drivers',
    args: { window: '30d', by: 'team', today: '2026-11-24', where: ['region=us-east-1'] },
    cli: [
      'drivers',
      '--window',
      '30d',
      '--by',
      'team',
      '--today',
      '2026-11-24',
      '--where',
      'region=us-east-1',
    ],
  },
  {
    tool: 'anomalies',
    args: { by: 'service', days: 30, today: '2026-11-24' },
    cli: ['anomalies', '--by', 'service', '--days', '30', '--today', '2026-11-24'],
  },
  { tool: 'forecast', args: { today: '2026-11-24' }, cli: ['forecast', '--today', '2026-11-24'] },
  {
    tool: 'budgets',
    args: { today: '2026-11-24' },
    cli: ['budgets', '--budgets', budgets, '--today', '2026-11-24'],
  },
  {
    tool: 'carbon',
    args: { days: 7, today: '2026-11-24' },
    cli: ['carbon', '--days', '7', '--today', '2026-11-24'],
  },
  {
    tool: 'showback',
    args: { window: 'mtd', today: '2026-11-24' },
    cli: [
      'showback',
      '--window',
      'mtd',
      '--today',
      '2026-11-24',
      '--rules',
      join(ROOT, 'examples/showback.yaml'),
    ],
  },
  {
    tool: 'dimensions',
    args: { dimension: 'team', today: '2026-11-24' },
    cli: ['dimensions', 'team', '--today', '2026-11-24'],
  },
];

beforeAll(async () => {
  const db = await DuckDb.open();
  await db.run(`COPY (${demoSql({ endDay: '2026-11-23', days: 120 })}) TO '${file}' (HEADER)`);
  db.close();
  writeFileSync(budgets, '- name: Cloud total\n  amount: 60000\n  period: month\n');
}, 60_000);

async function cliJson(args: string[], db: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)('node', [BIN, ...args, '--format', 'json'], { env: env(db) });
  return JSON.parse(stdout);
}

describe('over stdio, the SDK client spawning `spendbrief mcp`', () => {
  const db = join(dir, 'stdio.duckdb');
  const results = new Map<string, Record<string, unknown>>();

  it('lists seven read-only tools with input and output schemas, and answers each', async () => {
    const client = new Client({ name: 'spendbrief-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        env: env(db),
        stderr: 'pipe',
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(CALLS.map((c) => c.tool));
      for (const t of tools) {
        expect(t.annotations?.readOnlyHint).toBe(true);
        expect(t.outputSchema?.type).toBe('object');
        const props = t.inputSchema.properties as Record<string, { description?: string }>;
        expect(Object.keys(props).length).toBeGreaterThan(0);
        for (const [name, p] of Object.entries(props))
          expect(p.description, `${t.name}.${name}`).toBeTruthy();
        expect(t.description!.length).toBeGreaterThan(60);
      }
      for (const c of CALLS) {
        const r = await client.callTool({ name: c.tool, arguments: c.args });
        expect(r.isError, `${c.tool}: ${JSON.stringify(r.content)}`).toBeFalsy();
        expect((r.content as { text: string }[])[0]!.text.split('\n').length).toBeGreaterThan(1);
        results.set(c.tool, r.structuredContent as Record<string, unknown>);
      }
      // Bad arguments: a tool error of one line, as the CLI says it; the server goes on.
      const bad = await client.callTool({ name: 'drivers', arguments: { window: '45x' } });
      expect(bad.isError).toBe(true);
      expect((bad.content as { text: string }[])[0]!.text).toBe(
        'drivers: window: window "45x" is not one of: Nd (e.g. 30d), mtd, qtd, YYYY-MM-DD..YYYY-MM-DD',
      );
      const typo = await client.callTool({ name: 'anomalies', arguments: { days: -1, colour: 'red' } });
      expect(typo.isError).toBe(true);
      expect((typo.content as { text: string }[])[0]!.text).not.toContain('\n');
      const where = await client.callTool({ name: 'drivers', arguments: { where: ['colour=red'] } });
      expect((where.content as { text: string }[])[0]!.text).toMatch(
        /^drivers: where "colour=red": "colour" is not a dimension/,
      );
      expect(
        (await client.callTool({ name: 'dimensions', arguments: { dimension: 'team' } })).isError,
      ).toBeFalsy();
    } finally {
      await client.close();
    }
  }, 120_000);

  it.each(CALLS.map((c) => [c.tool, c] as const))(
    "%s: the structured content is the CLI's --format json for the same arguments",
    async (_name, c) => {
      expect(cents(results.get(c.tool))).toEqual(cents(await cliJson(c.cli, db)));
    },
    60_000,
  );

  it('SPENDBRIEF_MCP_SCOPE confines every call; a where outside it is a tool error naming the scope', async () => {
    const client = new Client({ name: 'spendbrief-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        env: { ...env(join(dir, 'scoped.duckdb')), SPENDBRIEF_MCP_SCOPE: 'team=web' },
        stderr: 'pipe',
      }),
    );
    try {
      const r = await client.callTool({ name: 'drivers', arguments: { by: 'team', today: '2026-11-24' } });
      const j = r.structuredContent as { scope: unknown; rows: { key: string }[] };
      expect(j.scope).toEqual({ where: [{ dimension: 'team', values: ['web'] }] });
      expect(j.rows.map((x) => x.key)).toEqual(['web']);
      const out = await client.callTool({ name: 'anomalies', arguments: { where: ['team=data'] } });
      expect(out.isError).toBe(true);
      expect((out.content as { text: string }[])[0]!.text).toBe(
        `anomalies: this call names team "data", outside this channel's scope (team=web)`,
      );
      const dims = await client.callTool({
        name: 'dimensions',
        arguments: { dimension: 'team', today: '2026-11-24' },
      });
      expect((dims.structuredContent as { values: { value: string }[] }).values.map((v) => v.value)).toEqual([
        'web',
      ]);
    } finally {
      await client.close();
    }
  }, 120_000);

  it("the MCP Inspector's CLI lists the tools and calls one over stdio", async () => {
    const inspector = join(ROOT, 'node_modules/.bin/mcp-inspector-cli');
    const run = (extra: string[]) =>
      promisify(execFile)(inspector, ['--cli', process.execPath, BIN, 'mcp', ...extra], {
        env: env(join(dir, 'inspector.duckdb')),
        // inspector-cli 1.0.3 looks for its package.json at ../package.json of the working
        // directory (existsSync) but imports it relative to itself: a subfolder of a package works.
        cwd: join(ROOT, 'test'),
      });
    const list = JSON.parse((await run(['--method', 'tools/list'])).stdout) as { tools: { name: string }[] };
    expect(list.tools.map((t) => t.name)).toContain('showback');
    const call = JSON.parse(
      (await run(['--method', 'tools/call', '--tool-name', 'dimensions', '--tool-arg', 'dimension=service']))
        .stdout,
    ) as { structuredContent: { dimension: string; values: unknown[] } };
    expect(call.structuredContent.dimension).toBe('service');
    expect(call.structuredContent.values.length).toBeGreaterThan(3);
  }, 120_000);
});

describe('over Streamable HTTP at serve /mcp', () => {
  let app: Running;
  let url: URL;
  beforeAll(async () => {
    app = await serve({
      config: loadConfig({
        PORT: '0',
        SPENDBRIEF_DB: join(dir, 'serve.duckdb'),
        SPENDBRIEF_MCP_TOKEN: TOKEN,
        SPENDBRIEF_BUDGETS: budgets,
      }),
      source: { kind: 'focus', path: file },
      useTimers: false,
      log: () => {},
    });
    await app.firstSync;
    url = new URL(`http://127.0.0.1:${app.port}/mcp`);
  });
  afterAll(async () => app?.close());

  const connect = async (token?: string) => {
    const client = new Client({ name: 'spendbrief-http-test', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(
        url,
        token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {},
      ),
    );
    return client;
  };

  it('with the token: lists and calls the tools, the same answers as the CLI on the synced warehouse', async () => {
    const client = await connect(TOKEN);
    try {
      expect((await client.listTools()).tools).toHaveLength(7);
      const r = await client.callTool({ name: 'drivers', arguments: CALLS[0]!.args });
      const d = await client.callTool({
        name: 'dimensions',
        arguments: { dimension: 'service', today: '2026-11-24' },
      });
      expect((d.structuredContent as { values: unknown[] }).values.length).toBeGreaterThan(3);
      const bad = await client.callTool({ name: 'forecast', arguments: { horizon: 0 } });
      expect(bad.isError).toBe(true);
      await app.close();
      expect(cents(r.structuredContent)).toEqual(
        cents(await cliJson(CALLS[0]!.cli, join(dir, 'serve.duckdb'))),
      );
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('over Streamable HTTP: the token', () => {
  let app: Running;
  beforeAll(async () => {
    app = await serve({
      config: loadConfig({
        PORT: '0',
        SPENDBRIEF_DB: join(dir, 'serve2.duckdb'),
        SPENDBRIEF_MCP_TOKEN: TOKEN,
      }),
      source: { kind: 'demo' },
      useTimers: false,
      log: () => {},
    });
  });
  afterAll(async () => app?.close());

  it.each([
    ['missing', undefined],
    ['wrong', 'not-the-token-000000000000000000'],
  ])('a %s token is 401', async (_name, token) => {
    const client = new Client({ name: 'x', version: '1' });
    await expect(
      client.connect(
        new StreamableHTTPClientTransport(
          new URL(`http://127.0.0.1:${app.port}/mcp`),
          token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {},
        ),
      ),
    ).rejects.toMatchObject({ code: 401 });
  });

  it('a Host header of another name is refused (DNS rebinding)', async () => {
    // fetch sets Host itself; a page rebound to this address would send its own name.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: app.port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host: 'evil.example',
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });
});
