/**
 * A fault-injecting proxy in front of moto's Athena (awsJson1_1: POST / with
 * `X-Amz-Target: AmazonAthena.<Op>`): throttles the next calls of an operation, rewrites a query's
 * state (FAILED, RUNNING for ever), and pages results `pageSize` rows at a time, which moto does
 * not. Every operation is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export class AthenaProxy {
  readonly calls: string[] = [];
  throttle: { op: string; type?: string }[] = [];
  state: { State: string; StateChangeReason?: string } | null = null;
  pageSize: number | null = null;
  private server!: http.Server;
  url = '';

  constructor(private readonly upstream: string) {}

  async start(): Promise<this> {
    const up = new URL(this.upstream);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? req.url ?? '';
        this.calls.push(op);
        const i = this.throttle.findIndex((f) => f.op === op);
        if (i >= 0) {
          const type = this.throttle.splice(i, 1)[0]!.type ?? 'ThrottlingException';
          const payload = JSON.stringify({ __type: type, message: 'Rate exceeded' });
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': `${type}:`,
            'content-length': Buffer.byteLength(payload),
          });
          res.end(payload);
          return;
        }
        const forward = http.request(
          { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
          (ur) => {
            const out: Buffer[] = [];
            ur.on('data', (c) => out.push(c));
            ur.on('end', () => {
              let data = Buffer.concat(out);
              if (ur.statusCode === 200 && op === 'GetQueryExecution' && this.state) {
                const j = JSON.parse(data.toString());
                j.QueryExecution.Status = { ...j.QueryExecution.Status, ...this.state };
                data = Buffer.from(JSON.stringify(j));
              }
              if (ur.statusCode === 200 && op === 'GetQueryResults' && this.pageSize) {
                const ask = JSON.parse(body.toString() || '{}');
                const j = JSON.parse(data.toString());
                const all = j.ResultSet.Rows;
                const start = Number(ask.NextToken ?? 0);
                j.ResultSet.Rows = all.slice(start, start + this.pageSize);
                if (start + this.pageSize < all.length) j.NextToken = String(start + this.pageSize);
                data = Buffer.from(JSON.stringify(j));
              }
              const headers = { ...ur.headers, 'content-length': String(data.length) };
              delete headers['transfer-encoding'];
              res.writeHead(ur.statusCode ?? 500, headers);
              res.end(data);
            });
          },
        );
        forward.on('error', (e) => {
          res.writeHead(502);
          res.end(String(e));
        });
        forward.end(body);
      });
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
