/**
 * The one wiring of outside clients, called by both composition roots (`cli/main.ts` through the
 * CLI program, `bot/server.ts`): each client is built once, from the validated configuration, and
 * only when the configuration asks for it. The AWS SDKs load on first use only: a CLI run that
 * never calls AWS does not pay their start-up.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { Config } from '../config.js';
import type { Ec2Inventory } from '../integrations/aws-ec2/inventory.js';
import { bucketStores } from '../integrations/buckets/open.js';
import { ElectricityMapsClient } from '../integrations/electricitymaps/client.js';
import { PrometheusClient } from '../integrations/prometheus/client.js';
import type { DuckDb } from '../integrations/warehouse/duckdb.js';
import { InstanceSource } from './carbon/instances.js';
import type { ReportDeps } from './deps.js';
import { MetricsSource } from './model/metrics-source.js';
import { Warehouses } from './session.js';
import type { WarehousesOptions } from './session-options.js';

export function createReportDeps(
  config: Config,
  o: {
    log: (line: string) => void;
    now?: () => Date;
    shared?: DuckDb;
    syncStatus?: WarehousesOptions['syncStatus'];
    onSourceRead?: WarehousesOptions['onSourceRead'];
    observe?: WarehousesOptions['observe'];
  },
): ReportDeps {
  const now = o.now ?? (() => new Date());
  let ce: Promise<CostExplorerClient> | undefined;
  let athena: Promise<AthenaClient> | undefined;
  const warehouses = new Warehouses({
    config,
    shared: o.shared,
    // Cost Explorer has one endpoint, in us-east-1, whatever region the rest of the account uses.
    costExplorer: () => {
      ce ??= import('../integrations/aws-cost-explorer/source.js').then((m) =>
        m.createCostExplorerClient({ region: 'us-east-1' }),
      );
      return ce;
    },
    // The SDK's own region (AWS_REGION) and endpoint (AWS_ENDPOINT_URL_ATHENA) and credential chain.
    athena: () => {
      athena ??= import('../integrations/athena/client.js').then((m) =>
        m.createAthenaClient(config.AWS_REGION[0]),
      );
      return athena;
    },
    bucket: bucketStores(config.AWS_REGION[0]),
    now,
    log: o.log,
    syncStatus: o.syncStatus,
    onSourceRead: o.onSourceRead,
    observe: o.observe,
  });
  const metrics = new MetricsSource({
    prometheus: config.PROMETHEUS_URL
      ? new PrometheusClient({ baseUrl: config.PROMETHEUS_URL, bearerToken: config.PROMETHEUS_TOKEN })
      : null,
    promQueries: config.promQueries,
    memoryLimit: config.SPENDBRIEF_MEMORY_LIMIT,
  });
  let inventory: Promise<Ec2Inventory> | undefined;
  const carbon = {
    instances: new InstanceSource({
      ec2: () => {
        inventory ??= import('../integrations/aws-ec2/inventory.js').then((m) => {
          const clients = new Map<string, ReturnType<typeof m.createEc2Client>>();
          return new m.Ec2Inventory((region) => {
            let c = clients.get(region);
            if (!c) {
              c = m.createEc2Client(region);
              clients.set(region, c);
            }
            return c;
          });
        });
        return inventory;
      },
      regions: config.AWS_REGION,
    }),
    electricityMaps: config.ELECTRICITYMAPS_TOKEN
      ? new ElectricityMapsClient({
          baseUrl: config.ELECTRICITYMAPS_API_URL,
          token: config.ELECTRICITYMAPS_TOKEN,
        })
      : null,
  };
  return { config, warehouses, metrics, carbon, log: o.log };
}
