/** Worker thread body of the render pool: renders each spec it receives to PNG. */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { renderPng } from './render.js';

parentPort?.on('message', async (msg: { id: number; spec: TopLevelSpec }) => {
  try {
    const png = await renderPng(msg.spec);
    parentPort!.postMessage({ id: msg.id, png }, [png.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
  }
});
