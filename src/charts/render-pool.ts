/**
 * Chart rendering off the main thread. Vega's layout, Skia's drawing and sharp's encoding take
 * 20-30 ms of CPU a chart; in the chat server that would hold up other requests' 3-second acks.
 * A small pool of worker threads renders instead; where the compiled worker is not present
 * (running from the TypeScript sources), rendering stays in-process.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { renderPng } from './render.js';

interface Job {
  id: number;
  spec: TopLevelSpec;
  resolve: (png: Buffer) => void;
  reject: (e: Error) => void;
}

export class RenderPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private next = 0;
  private readonly workerFile: string;

  constructor(private readonly size = Math.max(1, Math.min(4, availableParallelism()))) {
    this.workerFile = fileURLToPath(new URL('./render-worker.js', import.meta.url));
  }

  /** True when renders run in worker threads. */
  get threaded(): boolean {
    return existsSync(this.workerFile);
  }

  render(spec: TopLevelSpec): Promise<Buffer> {
    if (!this.threaded) return renderPng(spec);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, spec, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.busy.size < this.size) worker = this.spawn();
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      // Busy workers keep the process alive until their chart is back; idle ones never do.
      worker.ref();
      worker.postMessage({ id: job.id, spec: job.spec });
    }
  }

  private spawn(): Worker {
    // The parent's flags (--input-type, --eval...) do not apply to the worker's own module.
    const worker = new Worker(this.workerFile, { execArgv: [] });
    worker.unref();
    worker.on('message', (msg: { id: number; png?: Uint8Array; error?: string }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (job) {
        if (msg.png) job.resolve(Buffer.from(msg.png.buffer, msg.png.byteOffset, msg.png.byteLength));
        else job.reject(new Error(msg.error ?? 'chart rendering failed'));
      }
      this.pump();
    });
    worker.on('error', (e) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      job?.reject(e);
      this.pump();
    });
    return worker;
  }

  async close(): Promise<void> {
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
    this.idle.length = 0;
    this.busy.clear();
  }
}

/** The process-wide pool. */
export const renderPool = new RenderPool();
