/**
 * ElectricityMaps against a loopback fake of its `carbon-intensity/past-range` endpoint: a 30-day
 * window is the average of its hourly history (asked for in chunks of at most 10 days), never one
 * hour's value; each fallback to CCF's annual factor is named, and the token never shows.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ElectricityMapsClient,
  GridIntensityProvider,
} from '../../../src/integrations/electricitymaps/client.js';

let server: Server;
let base: string;
let seen: { path: string; params: URLSearchParams; token: string | undefined }[] = [];
let mode: 'ok' | '401' | 'slow' | 'empty' | 'latest-only' = 'ok';
/** Whether the fake's `end` is inclusive (the API's reference does not say), and whether it pads an hour before `start`. */
let endInclusive = false;
let padBefore = false;

/** Hourly values: 300 g in the first half of November, 500 g after (DE), so a wrong range shows. */
const valueAt = (t: number) => (t < Date.parse('2026-11-16T00:00:00Z') ? 300 : 500);

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({
      path: url.pathname,
      params: url.searchParams,
      token: req.headers['auth-token'] as string | undefined,
    });
    if (mode === '401') return void res.writeHead(401).end('{"error":"unauthorized"}');
    if (mode === 'slow') return void setTimeout(() => res.end('{}'), 2000);
    if (mode === 'latest-only' && url.pathname.endsWith('/past-range'))
      return void res.writeHead(403).end('{"error":"not in your plan"}');
    if (!url.pathname.endsWith('/carbon-intensity/past-range')) return void res.writeHead(404).end('{}');
    const start = Date.parse(url.searchParams.get('start')!);
    const end = Date.parse(url.searchParams.get('end')!);
    if (end - start > 10 * 86_400_000) return void res.writeHead(400).end('{"error":"range too long"}');
    const data = [];
    if (mode === 'ok')
      for (let t = padBefore ? start - 3_600_000 : start; endInclusive ? t <= end : t < end; t += 3_600_000)
        data.push({
          zone: url.searchParams.get('zone'),
          carbonIntensity: valueAt(t),
          datetime: new Date(t).toISOString(),
        });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ zone: 'DE', data }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  seen = [];
  endInclusive = false;
  padBefore = false;
});

const window = { start: '2026-11-01', end: '2026-11-30' };
const annual = (region: string) => (region === 'eu-central-1' ? 311 : null);
const provider = (live = true) =>
  new GridIntensityProvider({
    annual,
    live: live ? new ElectricityMapsClient({ baseUrl: base, token: 'em-secret', timeoutMs: 300 }) : null,
    window,
  });

describe('grid intensity over a window', () => {
  it("averages the zone's hourly history over the whole window, in chunks of at most 10 days", async () => {
    mode = 'ok';
    const g = await provider().intensity('eu-central-1');
    // 15 days at 300 and 15 at 500: the window's average is 400, not the last hour's 500.
    expect(g).toEqual({
      gramsPerKwh: 400,
      kind: 'history',
      source: 'ElectricityMaps DE, average of 720 hourly values 2026-11-01..2026-11-30',
      emissions: 'lifecycle',
    });
    expect(seen.map((s) => [s.params.get('start'), s.params.get('end')])).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-11-11T00:00:00.000Z'],
      ['2026-11-11T00:00:00.000Z', '2026-11-21T00:00:00.000Z'],
      ['2026-11-21T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ]);
    expect(seen.every((s) => s.token === 'em-secret' && s.params.get('zone') === 'DE')).toBe(true);
  });

  it.each([
    ['an exclusive end', false, false],
    ["an inclusive end (each chunk's last hour is the next one's first)", true, false],
    ['an inclusive end and an hour before the start', true, true],
  ])(
    'one value per hour of the window whatever the API does at the ends: %s',
    async (_name, inclusive, pad) => {
      mode = 'ok';
      endInclusive = inclusive;
      padBefore = pad;
      const g = await provider().intensity('eu-central-1');
      expect(g).toEqual({
        gramsPerKwh: 400,
        kind: 'history',
        source: 'ElectricityMaps DE, average of 720 hourly values 2026-11-01..2026-11-30',
        emissions: 'lifecycle',
      });
    },
  );

  it('asks once per region and window, however many instances share it', async () => {
    mode = 'ok';
    const p = provider();
    await Promise.all([
      p.intensity('eu-central-1'),
      p.intensity('eu-central-1'),
      p.intensity('eu-central-1'),
    ]);
    expect(seen).toHaveLength(3);
  });

  it('a token without history (403), a refused token (401), a timeout or no values: the annual factor, saying why', async () => {
    for (const [m, why] of [
      ['latest-only', 'HTTP 403'],
      ['401', 'HTTP 401'],
      ['slow', 'no answer within 300 ms'],
      ['empty', 'no hourly values for zone DE'],
    ] as const) {
      mode = m;
      const g = await provider().intensity('eu-central-1');
      expect(g).toMatchObject({ gramsPerKwh: 311, kind: 'annual', emissions: 'direct' });
      expect(g!.source).toContain(why);
      expect(g!.source).not.toContain('em-secret');
    }
  });

  it('no token: the annual factor; a region without a zone or a factor: named, or null (never an average)', async () => {
    expect(await provider(false).intensity('eu-central-1')).toEqual({
      gramsPerKwh: 311,
      kind: 'annual',
      source: "CCF's annual factor",
      emissions: 'direct',
    });
    expect(await provider(false).intensity('moon-1')).toBeNull();
    mode = 'ok';
    expect(await provider().intensity('moon-1')).toBeNull();
    expect(seen).toHaveLength(0);
  });
});
