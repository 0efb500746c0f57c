/**
 * A Cost Explorer of our own on 127.0.0.1, speaking the service's JSON 1.1 protocol
 * (`X-Amz-Target: AWSInsightsIndexService.GetCostAndUsage`) from a table of daily costs. It honours
 * the exclusive `TimePeriod.End`, RECORD_TYPE and SERVICE filters, two-key GroupBy, pages of
 * `pageSize` groups with NextPageToken, and can answer the first N calls with ThrottlingException.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CeCost {
  day: string;
  service: string;
  usageType: string;
  recordType: string;
  unblended: number;
  amortized: number;
  net: number;
  quantity: number;
  /** Cost Explorer's INSTANCE_TYPE of the group (absent: NoInstanceType). */
  instanceType?: string;
}

interface Expr {
  And?: Expr[];
  Not?: Expr;
  Dimensions?: { Key: string; Values: string[] };
}

function matches(c: CeCost, e: Expr | undefined): boolean {
  if (!e) return true;
  if (e.And) return e.And.every((x) => matches(c, x));
  if (e.Not) return !matches(c, e.Not);
  const d = e.Dimensions!;
  const value =
    d.Key === 'RECORD_TYPE'
      ? c.recordType
      : d.Key === 'SERVICE'
        ? c.service
        : d.Key === 'USAGE_TYPE'
          ? c.usageType
          : '';
  return d.Values.includes(value);
}

const keyOf = (c: CeCost, k: string) =>
  k === 'SERVICE'
    ? c.service
    : k === 'USAGE_TYPE'
      ? c.usageType
      : k === 'RECORD_TYPE'
        ? c.recordType
        : k === 'INSTANCE_TYPE'
          ? (c.instanceType ?? 'NoInstanceType')
          : 'NoValue';
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);

export class FakeCostExplorer {
  readonly requests: Record<string, unknown>[] = [];
  throttleNext = 0;
  /** Answer every call with this error type (e.g. AccessDeniedException). */
  failWith: string | null = null;
  /** The message that goes with `failWith` (default: the type and "for this test"). */
  failMessage: string | null = null;
  pageSize = 100;
  private server!: Server;
  url = '';

  constructor(private readonly costs: CeCost[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const send = (status: number, json: unknown) =>
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
        if (target !== 'AWSInsightsIndexService.GetCostAndUsage')
          return send(400, { __type: 'UnknownOperationException', message: target });
        const input = JSON.parse(body);
        this.requests.push(input);
        if (this.failWith)
          return send(400, {
            __type: this.failWith,
            message: this.failMessage ?? `${this.failWith} for this test`,
          });
        if (this.throttleNext > 0) {
          this.throttleNext--;
          return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        }
        return send(200, this.answer(input));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private answer(input: {
    TimePeriod: { Start: string; End: string };
    Filter?: Expr;
    GroupBy?: { Key: string }[];
    NextPageToken?: string;
  }) {
    const { Start, End } = input.TimePeriod;
    // Without GroupBy, Cost Explorer answers one ungrouped total a day.
    const keys = (input.GroupBy ?? []).map((g) => g.Key);
    const groups: { day: string; keys: string[]; costs: CeCost[] }[] = [];
    const index = new Map<string, (typeof groups)[number]>();
    for (const c of this.costs) {
      // End is exclusive.
      if (c.day < Start || c.day >= End || !matches(c, input.Filter)) continue;
      const ks = keys.map((k) => keyOf(c, k));
      const id = `${c.day}|${ks.join('|')}`;
      let g = index.get(id);
      if (!g) {
        g = { day: c.day, keys: ks, costs: [] };
        index.set(id, g);
        groups.push(g);
      }
      g.costs.push(c);
    }
    const offset = Number(input.NextPageToken ?? 0);
    const page = groups.slice(offset, offset + this.pageSize);
    const byDay = new Map<string, typeof page>();
    for (let d = Start; d < End; d = nextDay(d)) byDay.set(d, []);
    for (const g of page) byDay.get(g.day)!.push(g);
    const amount = (n: number) => ({ Amount: String(n), Unit: 'USD' });
    const sum = (cs: CeCost[], f: (c: CeCost) => number) => cs.reduce((s, c) => s + f(c), 0);
    return {
      GroupDefinitions: input.GroupBy ?? [],
      ResultsByTime: [...byDay].map(([day, gs]) => ({
        TimePeriod: { Start: day, End: nextDay(day) },
        Total: {},
        Estimated: false,
        Groups: gs.map((g) => ({
          Keys: g.keys,
          Metrics: {
            UnblendedCost: amount(sum(g.costs, (c) => c.unblended)),
            AmortizedCost: amount(sum(g.costs, (c) => c.amortized)),
            NetAmortizedCost: amount(sum(g.costs, (c) => c.net)),
            UsageQuantity: { Amount: String(sum(g.costs, (c) => c.quantity)), Unit: 'N/A' },
          },
        })),
      })),
      ...(offset + this.pageSize < groups.length ? { NextPageToken: String(offset + this.pageSize) } : {}),
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
