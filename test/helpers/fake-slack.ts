/**
 * A small Slack Web API on 127.0.0.1 for tests: it records every call with its parsed arguments and
 * answers with Slack's response shapes (auth.test, chat.postMessage, chat.update, chat.postEphemeral, the three
 * steps of files.uploadV2, conversations.history with message metadata, apps.connections.open).
 * `rateLimitOnce(method)` answers that method's next call with 429; `failOnce(method, error)` with
 * `ok: false`; `rateLimit(method, limit)` enforces a published rate limit (per minute, as Slack's
 * tiers, or per channel and second, as chat.postMessage) with 429 and the Retry-After of the window;
 * `holdNext(method)` accepts the next call (its message is in the channel's history)
 * but withholds the answer until released, or forever (a process killed meanwhile).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
  /** What the fake answered. */
  result?: Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(body.toString('utf8') || '{}');
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) {
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

/** The file of a multipart upload (the WebClient posts it as one form part), else the raw body. */
function fileFromMultipart(req: IncomingMessage, body: Buffer): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
  if (!boundary) return body;
  const start = body.indexOf('\r\n\r\n') + 4;
  const end = body.lastIndexOf(Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`));
  return body.subarray(start, end);
}

interface Posted {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: unknown;
}

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly uploads = new Map<string, Buffer>();
  /** Messages the channels hold (what conversations.history answers). */
  readonly history: Posted[] = [];
  private server!: Server;
  private limited = new Set<string>();
  private limits = new Map<string, { perMinute?: number; perChannelPerSecond?: number }>();
  private accepted = new Map<string, number[]>();
  /** 429s answered by `rateLimit`'s limits. */
  rateLimited = 0;
  private failing = new Map<string, string>();
  private holding = new Map<string, { arrived: () => void; wait: Promise<void> }>();
  private ts = 1700000000;
  private seq = 0;
  /** Slack's clock for message ts (a test whose server runs on a fake clock sets it to that clock). */
  clock: () => number = () => Date.now();
  /** The token's granted scopes, sent as Slack does in `x-oauth-scopes` on every answer. */
  scopes: string[] = [];
  /** Answer of apps.connections.open (Socket Mode tests set it). */
  socketUrl = '';
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const path = req.url ?? '';
      if (path.startsWith('/upload/')) {
        this.uploads.set(path.slice('/upload/'.length), fileFromMultipart(req, body));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
        return;
      }
      const method = path.replace(/^\/api\//, '').split('?')[0]!;
      if (this.limited.delete(method)) {
        this.calls.push({ method: `${method} (429)`, args: {}, authorization: req.headers.authorization });
        res
          .writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' })
          .end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      const args = parseArgs(req, body);
      const wait = this.overLimit(method, args);
      if (wait > 0) {
        this.rateLimited++;
        this.calls.push({ method: `${method} (429)`, args, authorization: req.headers.authorization });
        res
          .writeHead(429, { 'retry-after': String(wait), 'content-type': 'application/json' })
          .end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      const call: Call = { method, args, authorization: req.headers.authorization };
      this.calls.push(call);
      const error = this.failing.get(method);
      if (error) {
        this.failing.delete(method);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error }));
        return;
      }
      call.result = this.answer(method, args);
      const answer = JSON.stringify(call.result);
      const hold = this.holding.get(method);
      if (hold) {
        this.holding.delete(method);
        hold.arrived();
        await hold.wait;
      }
      if (!res.destroyed)
        res
          .writeHead(200, {
            'content-type': 'application/json',
            ...(this.scopes.length ? { 'x-oauth-scopes': this.scopes.join(',') } : {}),
          })
          .end(answer);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'spendbrief',
          team_id: 'T1',
          user_id: 'UBOT',
          bot_id: 'B1',
        };
      case 'chat.postMessage': {
        const ts = `${Math.max(++this.ts, Math.floor(this.clock() / 1000))}.${String(++this.seq).padStart(6, '0')}`;
        this.history.push({ channel: String(args.channel), ts, text: args.text, metadata: args.metadata });
        return { ok: true, channel: args.channel, ts, message: { text: args.text } };
      }
      case 'assistant.threads.setSuggestedPrompts':
        return { ok: true };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'conversations.history': {
        const oldest = Number(args.oldest ?? 0);
        const messages = this.history
          .filter((m) => m.channel === args.channel && Number(m.ts) >= oldest)
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(m.metadata ? { metadata: m.metadata } : {}),
          }))
          .reverse();
        return { ok: true, messages, has_more: false };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${++this.ts}.000200` };
      case 'files.getUploadURLExternal': {
        const id = `F${String(this.calls.length).padStart(8, '0')}`;
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = args.files as { id: string; title?: string }[];
        return {
          ok: true,
          files: files.map((f) => ({ id: f.id, title: f.title ?? '', mimetype: 'image/png' })),
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * Answers `method` with 429 beyond `perMinute` calls in any 60 s (Slack's tiers: Tier 4 is 100+
   * a minute) or beyond `perChannelPerSecond` calls to one channel in any second (chat.postMessage).
   */
  rateLimit(method: string, limit: { perMinute?: number; perChannelPerSecond?: number }): void {
    this.limits.set(method, limit);
  }

  /** Seconds to wait (0: accepted and counted). */
  private overLimit(method: string, args: Record<string, unknown>): number {
    const limit = this.limits.get(method);
    if (!limit) return 0;
    const now = Date.now();
    const check = (key: string, n: number, windowMs: number): number => {
      const times = (this.accepted.get(key) ?? []).filter((t) => t > now - windowMs);
      this.accepted.set(key, times);
      return times.length >= n ? Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000)) : 0;
    };
    const perChannel = `${method} ${String(args.channel ?? '')}`;
    const wait = Math.max(
      limit.perMinute ? check(method, limit.perMinute, 60_000) : 0,
      limit.perChannelPerSecond ? check(perChannel, limit.perChannelPerSecond, 1000) : 0,
    );
    if (wait === 0) {
      if (limit.perMinute) this.accepted.get(method)!.push(now);
      if (limit.perChannelPerSecond) this.accepted.get(perChannel)!.push(now);
    }
    return wait;
  }

  rateLimitOnce(method: string): void {
    this.limited.add(method);
  }

  failOnce(method: string, error: string): void {
    this.failing.set(method, error);
  }

  /** The next call of `method` is accepted, its answer withheld: `arrived` resolves when it comes. */
  holdNext(method: string): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => {
      arrived = r;
    });
    const wait = new Promise<void>((r) => {
      release = r;
    });
    this.holding.set(method, { arrived, wait });
    return { arrived: arrivedP, release };
  }

  of(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `count` calls of a method have arrived (or fails after `ms`). */
  async waitFor(method: string, count = 1, ms = 20_000): Promise<Call[]> {
    const start = Date.now();
    while (this.of(method).length < count) {
      if (Date.now() - start > ms)
        throw new Error(
          `timed out waiting for ${count} × ${method}; saw ${this.calls.map((c) => c.method).join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.of(method);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
