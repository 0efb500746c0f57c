/** A Bot Connector service on 127.0.0.1 that records the activities an agent sends. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sent {
  path: string;
  activity: Record<string, unknown> & {
    attachments?: { contentType: string; content: Record<string, unknown> }[];
  };
}

export class FakeConnector {
  readonly sent: Sent[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        this.sent.push({ path: req.url ?? '', activity: JSON.parse(body || '{}') });
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `activity-${this.sent.length}` }));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async waitFor(count: number, ms = 20_000): Promise<Sent[]> {
    const start = Date.now();
    while (this.sent.length < count) {
      if (Date.now() - start > ms)
        throw new Error(`timed out waiting for ${count} activities; got ${this.sent.length}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.sent;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
