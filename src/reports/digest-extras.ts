/**
 * The digest's optional sections: unit economics when business metrics are configured, carbon
 * when instances are known (billed resources, or the EC2 inventory for Cost Explorer). A section
 * that cannot be made says why instead of failing the digest.
 */
import { describeError } from '../errors.js';
import { buildCarbonReport, carbonSection } from './carbon.js';
import { type InstancesSpec, loadCarbon } from './carbon-data.js';
import type { DigestExtras } from './digest.js';
import { unitEconomicsSection } from './model.js';
import { loadModel, type MetricsSpec } from './model-data.js';
import type { SourceContext } from './open-source.js';
import type { Report, ReportSection } from './report.js';
import { describeSource, type SourceSpec } from './source.js';

/** Business metrics for the model: Prometheus, a CSV, or the demo's own metrics for demo data. */
export function metricsFor(env: NodeJS.ProcessEnv, source: SourceSpec): MetricsSpec | undefined {
  if (env.PROMETHEUS_URL) return { kind: 'prometheus' };
  if (env.SPENDBRIEF_METRICS_CSV) return { kind: 'csv', path: env.SPENDBRIEF_METRICS_CSV };
  return source.kind === 'demo' ? { kind: 'demo' } : undefined;
}

/** Instances for carbon: SPENDBRIEF_INSTANCES (ec2 or a JSON file), else the billed resources (not for CE). */
export function instancesFor(env: NodeJS.ProcessEnv, source: SourceSpec): InstancesSpec | undefined {
  const configured = env.SPENDBRIEF_INSTANCES;
  if (configured) return configured === 'ec2' ? { kind: 'ec2' } : { kind: 'json', path: configured };
  return source.kind === 'ce' ? undefined : { kind: 'billed' };
}

const unavailable = (id: string, title: string, what: string, e: unknown): ReportSection => ({
  id,
  title,
  blocks: [{ type: 'context', text: `${what} is unavailable: ${describeError(e)}` }],
});

export interface ExtraUseCases {
  model?: (today: string) => Promise<Report>;
  carbon?: (today: string) => Promise<Report>;
  digestExtras: (today: string) => Promise<DigestExtras>;
}

export function extraUseCases(
  source: SourceSpec,
  ctx: Omit<SourceContext, 'today' | 'windows'>,
  excludeServices: string[],
  log: (line: string) => void,
): ExtraUseCases {
  const metrics = metricsFor(ctx.env, source);
  const instances = instancesFor(ctx.env, source);
  const modelOf = (today: string) =>
    loadModel(
      {
        costs: source,
        metrics: metrics!,
        outliers: 'auto',
        excludeDates: [],
        basis: 'amortized',
        excludeServices,
        today,
      },
      ctx,
    );
  const carbonOf = (today: string, days: number, offsetDays = 0) =>
    loadCarbon({ source, instances: instances!, today, basis: 'amortized', days, offsetDays }, ctx);
  return {
    ...(metrics ? { model: async (today: string) => (await modelOf(today)).report } : {}),
    ...(instances
      ? {
          carbon: async (today: string) =>
            buildCarbonReport(await carbonOf(today, 30), describeSource(source)),
        }
      : {}),
    async digestExtras(today: string) {
      const extras: DigestExtras = {};
      if (metrics) {
        try {
          const m = await modelOf(today);
          extras.costModel = unitEconomicsSection(m.model, String(m.json.currency));
        } catch (e) {
          log(`digest: cost model unavailable: ${describeError(e)}`);
          extras.costModel = unavailable('costModel', 'Unit economics', 'The cost model', e);
        }
      }
      if (instances) {
        try {
          extras.carbon = carbonSection(await carbonOf(today, 7), await carbonOf(today, 7, 7));
        } catch (e) {
          log(`digest: carbon unavailable: ${describeError(e)}`);
          extras.carbon = unavailable('carbon', 'Carbon', 'The carbon footprint', e);
        }
      }
      return extras;
    },
  };
}
