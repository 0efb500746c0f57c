/**
 * Many scopes' forecasts at once: each needs five model fits (the forecast and four backtest
 * origins), so a forecast by service over 200 services is CPU work that splits across worker
 * threads (one a core, at most 4). A few scopes, or running from the TypeScript sources (no
 * compiled worker), stay in-process.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { forecastSeries, type ScopeForecast } from '../../analytics/alerts/forecast.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { augursModel } from './model.js';

const WORKER = fileURLToPath(new URL('./forecast-worker.js', import.meta.url));
/** Below this many scopes a worker's start-up (~150 ms) costs more than it saves. */
const INLINE_UP_TO = 8;

export async function forecastAll(series: readonly number[][], horizon: number): Promise<ScopeForecast[]> {
  const threads = Math.min(4, availableParallelism(), Math.ceil(series.length / INLINE_UP_TO));
  if (threads <= 1 || !existsSync(WORKER)) {
    const model = await augursModel();
    return series.map((y) => forecastSeries(y, horizon, model));
  }
  // Interleaved chunks: long and short series spread evenly.
  const chunks = Array.from({ length: threads }, (_, k) =>
    series.map((y, i) => ({ y, i })).filter((x) => x.i % threads === k),
  );
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<ScopeForecast[]>((resolve, reject) => {
          const worker = new Worker(WORKER, { execArgv: [] });
          worker.once('message', (m: { ok?: ScopeForecast[]; error?: string }) => {
            void worker.terminate();
            if (m.ok) resolve(m.ok);
            else reject(new CodedError(ErrorCode.ModelInvalid, m.error ?? 'the forecast worker failed'));
          });
          worker.once('error', (e) => reject(e));
          worker.postMessage({ series: chunk.map((c) => c.y), horizon });
        }),
    ),
  );
  const out: ScopeForecast[] = new Array(series.length);
  chunks.forEach((chunk, k) => {
    chunk.forEach((c, j) => {
      out[c.i] = results[k]![j]!;
    });
  });
  return out;
}
