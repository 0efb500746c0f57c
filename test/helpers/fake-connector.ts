/**
 * A Bot Connector service on 127.0.0.1 that records the activities an agent sends: replies
 * (`/v3/conversations/<id>/activities/<replyTo>`), new messages (`.../activities`) and new
 * conversations (`POST /v3/conversations`, a new post in a Teams channel). `failNext` answers the
 * next N calls with a status (429 with Retry-After, 502...).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sent {
  path: string;
  activity: Record<string, unknown> & {
    type?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
  /** For POST /v3/conversations: the conversation parameters (activity inside). */
  body?: Record<string, unknown>;
}

export class FakeConnector {
  readonly sent: Sent[] = [];
  /** Every call, failed ones included, as `status path`. */
  readonly calls: string[] = [];
  /** When each of `calls` arrived (ms since the epoch), to check a client's wait after a 429. */
  readonly callTimes: number[] = [];
  private failures: { status: number; headers: Record<string, string> }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const path = req.url ?? '';
        this.callTimes.push(Date.now());
        const fail = this.failures.shift();
        if (fail) {
          this.calls.push(`${fail.status} ${path}`);
          res
            .writeHead(fail.status, { 'content-type': 'application/json', ...fail.headers })
            .end('{"error":{"code":"Throttled"}}');
          return;
        }
        this.calls.push(`200 ${path}`);
        const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
        if (path === '/v3/conversations') {
          this.sent.push({ path, activity: parsed.activity as Sent['activity'], body: parsed });
          const n = this.sent.length;
          const channel = (parsed.channelData as { channel?: { id?: string } })?.channel?.id ?? 'chat';
          res
            .writeHead(201, { 'content-type': 'application/json' })
            .end(JSON.stringify({ id: `${channel};messageid=${n}`, activityId: `${n}` }));
          return;
        }
        this.sent.push({ path, activity: parsed as Sent['activity'] });
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `activity-${this.sent.length}` }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  failNext(status: number, count = 1, headers: Record<string, string> = {}): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, headers });
  }

  /** Messages only (typing indicators left out). */
  messages(): Sent[] {
    return this.sent.filter((s) => s.activity?.type !== 'typing');
  }

  async waitFor(count: number, ms = 20_000, which: () => Sent[] = () => this.messages()): Promise<Sent[]> {
    const start = Date.now();
    while (which().length < count) {
      if (Date.now() - start > ms)
        throw new Error(
          `timed out waiting for ${count} messages; got ${which().length}: ${this.calls.join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 25));
    }
    return which();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
