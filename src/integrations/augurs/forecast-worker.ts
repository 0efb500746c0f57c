/** A forecast worker: series in, each scope's forecast with its backtest out (see forecast-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { forecastSeries } from '../../analytics/alerts/forecast.js';
import { augursModel } from './model.js';

const model = await augursModel();
parentPort!.on('message', (m: { series: number[][]; horizon: number }) => {
  try {
    parentPort!.postMessage({ ok: m.series.map((y) => forecastSeries(y, m.horizon, model)) });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message });
  }
});
