/**
 * What every report use case gets from the composition root (`cli/main.ts`, `bot/server.ts`):
 * clients built once, the warehouse access, the configuration. A use case opens its source once,
 * asks its questions, and returns a Report with its stable JSON object.
 */
import type { Config } from '../config.js';
import type { CarbonDeps } from './carbon/data.js';
import type { MetricsSource } from './model/metrics-source.js';
import type { Report } from './report.js';
import type { Warehouses } from './session.js';
import type { OpenOptions } from './session-options.js';
import type { SourceSpec } from './source.js';

export interface ReportDeps {
  config: Config;
  warehouses: Warehouses;
  metrics: MetricsSource;
  carbon: CarbonDeps;
  log: (line: string) => void;
}

export interface ReportOutput {
  report: Report;
  /** The command's JSON object (DESIGN.md's stable names). */
  json: unknown;
  /** Extra files for `--out` (the model's CSV and text reports). */
  files?: Record<string, string>;
}

/** Opens the source, runs `fn` on its session, always closes. */
export async function withSession<T>(
  deps: ReportDeps,
  source: SourceSpec,
  o: OpenOptions,
  fn: (session: Awaited<ReturnType<Warehouses['open']>>) => Promise<T>,
): Promise<T> {
  const session = await deps.warehouses.open(source, o);
  try {
    const out = await fn(session);
    // A one-off Athena run says what it scanned, in the JSON of whatever report it made.
    if (
      session.scan &&
      out &&
      typeof out === 'object' &&
      'json' in out &&
      out.json &&
      typeof out.json === 'object'
    )
      (out as { json: Record<string, unknown> }).json = {
        ...(out.json as Record<string, unknown>),
        athena: session.scan,
      };
    return out;
  } finally {
    await session.close();
  }
}
