/**
 * `spendbrief serve` as its own process (the built binary), so a test can send it SIGTERM,
 * SIGSTOP/SIGCONT and SIGKILL. Under Debian's faketime it can start at any date and run faster
 * than real time (`speed`); requests are signed with the time the process sees.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signedHeaders, slashCommandBody } from './slack-signing.js';

// From test/helpers: the build in dist/; from dist-bench/test/helpers (the benchmark): the program
// compiled beside it (dist-bench/src), so a benchmark never runs an older build.
export const BIN = [
  join(import.meta.dirname, '../../dist/cli/main.js'),
  join(import.meta.dirname, '../../src/cli/main.js'),
].find((p) => existsSync(p))!;

/**
 * Debian's libfaketime (package faketime), preloaded into node itself: the `faketime` wrapper
 * would fork, and a signal sent to it would not reach the server.
 */
export function libfaketime(): string | null {
  const root = '/usr/lib';
  const dirs = existsSync(root) ? readdirSync(root).map((d) => join(root, d, 'faketime')) : [];
  for (const d of [join(root, 'faketime'), ...dirs]) {
    const lib = join(d, 'libfaketimeMT.so.1');
    if (existsSync(lib)) return lib;
  }
  return null;
}

export const hasFaketime = (): boolean => libfaketime() !== null;

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  logs: string[];
  /** The time inside the process now (faked when started with `at`). */
  now(): Date;
  waitForLog(pattern: RegExp, ms?: number): Promise<string>;
  /** A signed `/spend` command, as Slack sends it. */
  command(text: string, o?: { channel?: string }): Promise<Response>;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

export async function startServe(o: {
  env: Record<string, string>;
  source?: string;
  /** Start the process's clock here (UTC, `YYYY-MM-DD HH:MM:SS`); needs faketime. */
  at?: string;
  /** How many times faster than real time the process's clock runs (with `at`). */
  speed?: number;
  secret: string;
}): Promise<ServeProcess> {
  const speed = o.speed ?? 1;
  const startedReal = Date.now();
  const startedFake = o.at ? Date.parse(`${o.at.replace(' ', 'T')}Z`) : startedReal;
  const fake = o.at
    ? {
        LD_PRELOAD: libfaketime()!,
        FAKETIME: `@${o.at}${speed !== 1 ? ` x${speed}` : ''}`,
        FAKETIME_NO_CACHE: '1',
      }
    : {};
  const child = spawn('node', [BIN, 'serve', '--source', o.source ?? 'demo'], {
    env: { ...process.env, PORT: '0', TZ: 'UTC', ...fake, ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  let pending = '';
  const waiters: { pattern: RegExp; resolve: (l: string) => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    pending += String(d);
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      logs.push(line);
      for (const w of [...waiters])
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const waitForLog = (pattern: RegExp, ms = 30_000) => {
    const seen = logs.find((l) => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no log line ${pattern} within ${ms} ms:\n${logs.join('\n')}`)),
        ms,
      );
      waiters.push({
        pattern,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  };
  const listening = await waitForLog(/listening on :(\d+)/);
  const port = Number(/listening on :(\d+)/.exec(listening)![1]);
  const now = () => new Date(startedFake + (Date.now() - startedReal) * (o.at ? speed : 1));
  return {
    child,
    port,
    logs,
    now,
    waitForLog,
    command: (text, c = {}) => {
      const body = slashCommandBody(text, { channel: c.channel });
      return fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: signedHeaders(o.secret, body, Math.floor(now().getTime() / 1000)),
        body,
      });
    },
    exited,
    kill: (signal) => child.kill(signal),
  };
}
