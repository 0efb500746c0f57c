/** ElectricityMaps against a loopback fake: the live value, and each fallback named. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ElectricityMapsClient,
  GridIntensityProvider,
} from '../../../src/integrations/electricitymaps/client.js';

let server: Server;
let base: string;
const seen: { url: string; token: string | undefined }[] = [];
let mode: 'ok' | '401' | 'slow' = 'ok';

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', token: req.headers['auth-token'] as string | undefined });
    if (mode === '401') return void res.writeHead(401).end('{"error":"unauthorized"}');
    if (mode === 'slow') return void setTimeout(() => res.end('{}'), 2000);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ zone: 'DE', carbonIntensity: 357, datetime: '2026-11-24T10:00:00.000Z' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const bundled = (region: string) =>
  region === 'eu-central-1' ? { gramsPerKwh: 338, source: 'EEA annual factor (CCF)' } : null;
const provider = () =>
  new GridIntensityProvider(
    bundled,
    new ElectricityMapsClient({ baseUrl: base, token: 'em-secret', timeoutMs: 300 }),
  );

describe('grid intensity', () => {
  it('uses the live value with the auth-token header for the region zone', async () => {
    mode = 'ok';
    expect(await provider().intensity('eu-central-1')).toEqual({
      gramsPerKwh: 357,
      source: 'ElectricityMaps live, zone DE at 2026-11-24T10:00:00.000Z',
    });
    expect(seen.at(-1)).toEqual({ url: '/v3/carbon-intensity/latest?zone=DE', token: 'em-secret' });
  });

  it('401: falls back to the bundled factor and says why', async () => {
    mode = '401';
    const g = await provider().intensity('eu-central-1');
    expect(g).toEqual({
      gramsPerKwh: 338,
      source: 'EEA annual factor (CCF) (ElectricityMaps token refused (HTTP 401); fell back)',
    });
    expect(g!.source).not.toContain('em-secret');
  });

  it('timeout: falls back to the bundled factor and says why', async () => {
    mode = 'slow';
    expect((await provider().intensity('eu-central-1'))!.source).toBe(
      'EEA annual factor (CCF) (ElectricityMaps no answer within 300 ms; fell back)',
    );
  });

  it('no token: the bundled factor; unknown region: null', async () => {
    const offline = new GridIntensityProvider(bundled, null);
    expect(await offline.intensity('eu-central-1')).toEqual({
      gramsPerKwh: 338,
      source: 'EEA annual factor (CCF)',
    });
    expect(await offline.intensity('moon-1')).toBeNull();
  });
});
