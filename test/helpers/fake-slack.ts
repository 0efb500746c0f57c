/**
 * A small Slack Web API on 127.0.0.1 for tests: it records every call with its parsed arguments and
 * answers with Slack's response shapes (auth.test, chat.postMessage, chat.postEphemeral, the three
 * steps of files.uploadV2). `rateLimitOnce(method)` answers that method's next call with 429.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
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

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly uploads = new Map<string, Buffer>();
  private server!: Server;
  private limited = new Set<string>();
  private ts = 1700000000;
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
      this.calls.push({ method, args, authorization: req.headers.authorization });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(this.answer(method, args)));
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
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: `${++this.ts}.000100`, message: { text: args.text } };
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

  rateLimitOnce(method: string): void {
    this.limited.add(method);
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
