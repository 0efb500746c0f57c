/**
 * The one wiring of outside clients, called by both composition roots (`cli/main.ts` through the
 * CLI program, `bot/server.ts`): each client is built once, from the validated configuration, and
 * only when the configuration asks for it.
 */
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { Config } from '../config.js';
import { createCostExplorerClient } from '../integrations/aws-cost-explorer/source.js';
import { createEc2Client, Ec2Inventory } from '../integrations/aws-ec2/inventory.js';
import { ElectricityMapsClient } from '../integrations/electricitymaps/client.js';
import { PrometheusClient } from '../integrations/prometheus/client.js';
import type { DuckDb } from '../integrations/warehouse/duckdb.js';
import { InstanceSource } from './carbon-data.js';
import type { ReportDeps } from './deps.js';
import { MetricsSource } from './model-data.js';
import { Warehouses } from './session.js';

export function createReportDeps(
  config: Config,
  o: { log: (line: string) => void; now?: () => Date; shared?: DuckDb },
): ReportDeps {
  const now = o.now ?? (() => new Date());
  let ce: CostExplorerClient | undefined;
  const warehouses = new Warehouses({
    config,
    shared: o.shared,
    // Cost Explorer has one endpoint, in us-east-1, whatever region the rest of the account uses.
    costExplorer: () => {
      ce ??= createCostExplorerClient({ region: 'us-east-1' });
      return ce;
    },
    now,
    log: o.log,
  });
  const metrics = new MetricsSource({
    prometheus: config.PROMETHEUS_URL
      ? new PrometheusClient({ baseUrl: config.PROMETHEUS_URL, bearerToken: config.PROMETHEUS_TOKEN })
      : null,
    promQueries: config.promQueries,
    memoryLimit: config.SPENDBRIEF_MEMORY_LIMIT,
  });
  const ec2Clients = new Map<string, ReturnType<typeof createEc2Client>>();
  const carbon = {
    instances: new InstanceSource({
      ec2: new Ec2Inventory((region) => {
        let c = ec2Clients.get(region);
        if (!c) {
          c = createEc2Client(region);
          ec2Clients.set(region, c);
        }
        return c;
      }),
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
