import { describe, expect, it } from 'vitest';
import { ChartStore } from '../../../src/bot/teams/chart-store.js';

describe('ChartStore', () => {
  it('serves a chart until it expires, then refuses it like a guess', () => {
    const clock = { t: 1_000 };
    const store = new ChartStore({
      publicBaseUrl: 'https://bot.example.com/base',
      ttlMs: 60_000,
      now: () => clock.t,
    });
    const url = store.put(Buffer.from('png-bytes'));
    expect(url).toMatch(/^https:\/\/bot\.example\.com\/base\/charts\/[A-Za-z0-9_-]{32}\.png$/);
    const id = url.split('/').at(-1)!.replace('.png', '');
    expect(store.get(id)?.toString()).toBe('png-bytes');
    clock.t += 60_000;
    expect(store.get(id)).toBeNull();
    expect(store.get('not-an-id')).toBeNull();
  });

  it('ids are unguessable: 100 puts give 100 distinct 192-bit ids', () => {
    const store = new ChartStore({ publicBaseUrl: 'https://x/' });
    expect(new Set(Array.from({ length: 100 }, () => store.put(Buffer.alloc(1)))).size).toBe(100);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const store = new ChartStore({ publicBaseUrl: 'https://x/', maxEntries: 2 });
    const [a, b, c] = [
      store.put(Buffer.from('a')),
      store.put(Buffer.from('b')),
      store.put(Buffer.from('c')),
    ].map((u) => u.split('/').at(-1)!.slice(0, -4));
    expect(store.get(a!)).toBeNull();
    expect(store.get(b!)?.toString()).toBe('b');
    expect(store.get(c!)?.toString()).toBe('c');
  });
});
