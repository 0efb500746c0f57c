/**
 * Chart PNGs for Teams, served by the app itself at `/charts/<id>.png`: Adaptive Cards cannot carry
 * a chart inline (data URIs are capped far below a chart's size), so each card references a URL.
 * Ids are 192 random bits (unguessable); entries expire (default 7 days, long enough for a weekly
 * digest to stay readable) and are then refused like a guessed id.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import express from 'express';

export interface ChartStoreOptions {
  /** Public HTTPS base URL of this server, e.g. https://spendbrief.example.com/ */
  publicBaseUrl: string;
  ttlMs?: number;
  /** Injected clock (tests drive expiry with it). */
  now?: () => number;
  /** Upper bound on stored charts; the oldest go first. */
  maxEntries?: number;
}

interface Entry {
  png: Buffer;
  expiresAt: number;
}

const ID = /^[A-Za-z0-9_-]{32}$/;

export class ChartStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly base: string;

  constructor(options: ChartStoreOptions) {
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3600 * 1000;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 5000;
    this.base = options.publicBaseUrl.endsWith('/') ? options.publicBaseUrl : `${options.publicBaseUrl}/`;
  }

  /** Stores a PNG and returns the URL that serves it until it expires. */
  put(png: Buffer): string {
    const id = randomBytes(24).toString('base64url');
    this.entries.set(id, { png, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return new URL(`charts/${id}.png`, this.base).href;
  }

  /** The PNG for an id, or null when unknown or expired (expired entries are dropped). */
  get(id: string): Buffer | null {
    if (!ID.test(id)) return null;
    const entry = this.entries.get(id);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return null;
    }
    return entry.png;
  }

  /** `GET /charts/:file` */
  router(): Router {
    const router = express.Router();
    router.get('/charts/:file', (req: Request, res: Response) => {
      const m = /^(.+)\.png$/.exec(String(req.params.file));
      const png = m ? this.get(m[1]!) : null;
      if (!png) {
        res.status(404).type('text/plain').send('chart not found or expired');
        return;
      }
      res.status(200).type('image/png').set('Cache-Control', 'private, max-age=3600').send(png);
    });
    return router;
  }
}
