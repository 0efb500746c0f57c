/**
 * Objects downloaded beside the warehouse (SPENDBRIEF_CACHE): streamed to disk whatever their
 * size, so memory stays flat; named by the object's location, key and ETag, so a changed object is
 * a new name and an unchanged one is never fetched twice. A download in progress is `<name>.part`;
 * a download cut short (a dropped connection, a killed sync) resumes from the bytes it has with
 * an HTTP range, only while the object keeps its ETag. The whole download is retried with back-off
 * on a transient failure; the SDKs already retry each request on 5xx and throttling.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pRetry from 'p-retry';
import { CodedError, ErrorCode } from '../../errors.js';
import { bucketUrl, objectUrl } from './location.js';
import type { ObjectStore, StoredObject } from './store.js';

export interface Fetched {
  path: string;
  /** Bytes transferred by this call (0 for an object already cached). */
  downloaded: number;
  /** Whether it continued a partial download. */
  resumed: boolean;
}

export interface RetryPolicy {
  retries: number;
  minTimeoutMs: number;
  /** A transfer that sends nothing for this long is dropped and resumed (a stalled connection). */
  idleMs: number;
}

const PERMANENT = new Set<string>([ErrorCode.SourceInvalid, ErrorCode.SourceMissing, ErrorCode.UpstreamAuth]);

const sizeOf = (p: string) =>
  stat(p).then(
    (s) => s.size,
    () => null,
  );

export class DownloadCache {
  constructor(
    readonly dir: string,
    private readonly retry: RetryPolicy = { retries: 5, minTimeoutMs: 500, idleMs: 60_000 },
  ) {}

  /** The file an object is cached as (its base name kept: the reader knows a format by it). */
  pathOf(source: string, o: { key: string; etag: string }): string {
    const id = createHash('sha256')
      .update(`${source}\u0000${o.key}\u0000${o.etag}`)
      .digest('hex')
      .slice(0, 20);
    return join(this.dir, `${id}-${basename(o.key)}`);
  }

  async cached(store: ObjectStore, o: StoredObject): Promise<boolean> {
    return (await sizeOf(this.pathOf(bucketUrl(store.location), o))) === o.size;
  }

  /** The object on local disk, downloading what is missing of it; `onBytes` sees every chunk. */
  async fetch(
    store: ObjectStore,
    o: StoredObject,
    onBytes: (n: number) => void = () => {},
  ): Promise<Fetched> {
    const path = this.pathOf(bucketUrl(store.location), o);
    if ((await sizeOf(path)) === o.size) return { path, downloaded: 0, resumed: false };
    await mkdir(this.dir, { recursive: true });
    const part = `${path}.part`;
    const url = objectUrl(store.location, o.key);
    let downloaded = 0;
    let resumed = false;
    await pRetry(
      async () => {
        let have = (await sizeOf(part)) ?? 0;
        if (have > o.size) {
          await rm(part, { force: true });
          have = 0;
        }
        if (have < o.size) {
          resumed ||= have > 0;
          const body = await store.read(o.key, { etag: o.etag, offset: have });
          const idleMs = this.retry.idleMs;
          let idle: NodeJS.Timeout | undefined;
          const watch = () => {
            clearTimeout(idle);
            idle = setTimeout(() => body.destroy(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
          };
          const count = new Transform({
            transform(chunk: Buffer, _enc, done) {
              watch();
              downloaded += chunk.length;
              onBytes(chunk.length);
              done(null, chunk);
            },
          });
          watch();
          try {
            await pipeline(body, count, createWriteStream(part, { flags: 'a' }));
          } finally {
            clearTimeout(idle);
          }
        }
        const got = (await sizeOf(part)) ?? 0;
        if (got < o.size)
          throw new CodedError(
            ErrorCode.Upstream,
            `${url}: the transfer ended after ${got.toLocaleString('en-US')} of ${o.size.toLocaleString('en-US')} bytes`,
          );
        if (got > o.size) {
          await rm(part, { force: true });
          throw new CodedError(
            ErrorCode.SourceInvalid,
            `${url}: ${got.toLocaleString('en-US')} bytes arrived where the listing said ${o.size.toLocaleString('en-US')}: the object changed while it was read; the next sync reads it again`,
          );
        }
      },
      {
        retries: this.retry.retries,
        minTimeout: this.retry.minTimeoutMs,
        factor: 2,
        randomize: true,
        // Refused, gone or changed: retrying cannot help.
        shouldRetry: (e) => !(e instanceof CodedError && PERMANENT.has(e.code)),
      },
    ).catch((e: unknown) => {
      if (e instanceof CodedError) throw e;
      throw new CodedError(
        ErrorCode.Upstream,
        `${url}: download failed after ${this.retry.retries + 1} attempts: ${(e as Error).message ?? e}`,
        { cause: e },
      );
    });
    await rename(part, path);
    return { path, downloaded, resumed };
  }

  /** Removes every cached file but those named (and their partial downloads). */
  async prune(keep: Set<string>): Promise<{ files: number; bytes: number }> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let files = 0;
    let bytes = 0;
    for (const n of names) {
      const p = join(this.dir, n);
      if (keep.has(p) || keep.has(p.replace(/\.part$/, ''))) continue;
      bytes += (await sizeOf(p)) ?? 0;
      files++;
      await rm(p, { force: true });
    }
    return { files, bytes };
  }
}
