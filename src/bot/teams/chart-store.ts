/**
 * Chart PNGs for Teams, kept in SPENDBRIEF_DB with the report they belong to and served by the app
 * itself at `/charts/<id>.png`: Adaptive Cards cannot carry a chart inline (data URIs are capped
 * far below a chart's size), so a card references a URL, and that URL must keep working after a
 * restart. Ids are 192 random bits (unguessable); entries expire (default 35 days: a weekly digest
 * stays readable for a month) and are then refused like a guessed id.
 */
import { randomBytes } from 'node:crypto';
import { blobValue } from '@duckdb/node-api';
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { SqlRunner } from '../../integrations/warehouse/port.js';

export interface ChartStoreOptions {
  sql: SqlRunner;
  /** Public HTTPS base URL of this server, e.g. https://spendbrief.example.com/ */
  publicBaseUrl: string;
  ttlMs?: number;
  /** Injected clock (tests drive expiry with it). */
  now?: () => number;
}

const ID = /^[A-Za-z0-9_-]{32}$/;
const PRUNE_EVERY_MS = 3600 * 1000;

export class ChartStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly base: string;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: ChartStoreOptions) {
    this.ttlMs = o.ttlMs ?? 35 * 24 * 3600 * 1000;
    this.now = o.now ?? Date.now;
    this.base = o.publicBaseUrl.endsWith('/') ? o.publicBaseUrl : `${o.publicBaseUrl}/`;
  }

  async init(): Promise<void> {
    await this.o.sql.run(
      'CREATE TABLE IF NOT EXISTS chart_images (id VARCHAR PRIMARY KEY, png BLOB NOT NULL, expires_at TIMESTAMPTZ NOT NULL)',
    );
    await this.prune();
  }

  /** Drops expired images (at start-up, then at most hourly as new ones are stored). */
  private async prune(): Promise<void> {
    this.prunedAt = this.now();
    await this.o.sql.run('DELETE FROM chart_images WHERE expires_at <= ?', [
      new Date(this.now()).toISOString(),
    ]);
  }

  /** Stores a PNG and returns the URL that serves it until it expires. */
  async put(png: Buffer): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.o.sql.run('INSERT INTO chart_images VALUES (?, ?, ?)', [
      id,
      blobValue(new Uint8Array(png.buffer, png.byteOffset, png.byteLength)),
      new Date(this.now() + this.ttlMs).toISOString(),
    ]);
    // A server that runs for months must not keep every image it ever stored.
    if (this.now() - this.prunedAt >= PRUNE_EVERY_MS) await this.prune();
    return new URL(`charts/${id}.png`, this.base).href;
  }

  /** The PNG for an id, or null when unknown or expired. */
  async get(id: string): Promise<Buffer | null> {
    if (!ID.test(id)) return null;
    const rows = await this.o.sql.all<{ png: Uint8Array }>(
      'SELECT png FROM chart_images WHERE id = ? AND expires_at > ?',
      [id, new Date(this.now()).toISOString()],
    );
    return rows[0] ? Buffer.from(rows[0].png) : null;
  }

  /** `GET /charts/:file` */
  router(): Router {
    const router = express.Router();
    router.get('/charts/:file', async (req: Request, res: Response) => {
      const m = /^(.+)\.png$/.exec(String(req.params.file));
      const png = m ? await this.get(m[1]!).catch(() => null) : null;
      if (!png) {
        res.status(404).type('text/plain').send('chart not found or expired');
        return;
      }
      res.status(200).type('image/png').set('Cache-Control', 'private, max-age=3600').send(png);
    });
    return router;
  }
}
