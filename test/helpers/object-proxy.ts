/**
 * A loopback proxy in front of an object store (moto's S3, Azurite) that records every request
 * as LIST, GET (with its range) or other, and injects the faults a bucket sync must survive: the
 * next reads answered 503, a read cut after some bytes (a dropped connection), a read held for a
 * while. Each fault applies to requests whose path contains `match`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  kind: 'LIST' | 'GET' | 'OTHER';
  method: string;
  path: string;
  range?: string;
}

interface Fault {
  match: string;
  kind: 'status' | 'cut' | 'hold' | 'stall';
  status?: number;
  afterBytes?: number;
  ms?: number;
}

export class ObjectProxy {
  readonly calls: Recorded[] = [];
  private faults: Fault[] = [];
  private server!: http.Server;
  url = '';

  constructor(private readonly upstream: string) {}

  /** The next `times` object reads matching `match` get `status` (503 by default). */
  failReads(match: string, times = 1, status = 503): void {
    for (let i = 0; i < times; i++) this.faults.push({ match, kind: 'status', status });
  }

  /** The next object read matching `match` is cut after `afterBytes` bytes of its body. */
  cutRead(match: string, afterBytes: number): void {
    this.faults.push({ match, kind: 'cut', afterBytes });
  }

  /** The next object read matching `match` sends `afterBytes` bytes, then nothing (a stalled transfer). */
  stallRead(match: string, afterBytes: number): void {
    this.faults.push({ match, kind: 'stall', afterBytes });
  }

  /** The next object read matching `match` waits `ms` before it is answered. */
  holdRead(match: string, ms: number): void {
    this.faults.push({ match, kind: 'hold', ms });
  }

  count(kind: Recorded['kind']): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  reset(): void {
    this.calls.length = 0;
    this.faults = [];
  }

  private static classify(req: http.IncomingMessage): Recorded['kind'] {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET') return 'OTHER';
    if (url.searchParams.get('list-type') === '2' || url.searchParams.get('comp') === 'list') return 'LIST';
    if (url.searchParams.size === 0 || url.searchParams.has('x-id')) return 'GET';
    return 'OTHER';
  }

  async start(): Promise<this> {
    const up = new URL(this.upstream);
    this.server = http.createServer((req, res) => {
      const kind = ObjectProxy.classify(req);
      const range = req.headers.range ?? (req.headers['x-ms-range'] as string | undefined);
      this.calls.push({ kind, method: req.method ?? '', path: req.url ?? '', ...(range ? { range } : {}) });
      const i = kind === 'GET' ? this.faults.findIndex((f) => (req.url ?? '').includes(f.match)) : -1;
      const fault = i >= 0 ? this.faults.splice(i, 1)[0] : undefined;
      if (fault?.kind === 'status') {
        req.resume();
        const body =
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>Please reduce your request rate.</Message></Error>';
        res.writeHead(fault.status!, {
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      const forward = () => {
        const out = http.request(
          { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
          (ur) => {
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            if (fault?.kind !== 'cut' && fault?.kind !== 'stall') {
              ur.pipe(res);
              return;
            }
            let sent = 0;
            ur.on('data', (c: Buffer) => {
              if (sent >= fault.afterBytes!) return;
              const part = c.subarray(0, fault.afterBytes! - sent);
              sent += part.length;
              res.write(part);
              if (sent >= fault.afterBytes! && fault.kind === 'cut') {
                ur.destroy();
                res.socket?.destroy();
              }
            });
            ur.on('end', () => {
              if (fault.kind === 'cut') res.end();
            });
          },
        );
        out.on('error', () => res.destroy());
        req.pipe(out);
      };
      if (fault?.kind === 'hold') setTimeout(forward, fault.ms);
      else forward();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
