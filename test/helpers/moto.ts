/**
 * moto_server (Python moto 5.2, a real independent implementation of the AWS APIs) on loopback.
 * Where it is not installed the tests that need it are skipped with how to get it, except under
 * CI=true, where a missing moto_server fails them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort } from './ports.js';

export function motoInstalled(): boolean {
  try {
    execFileSync('moto_server', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const MOTO_MISSING =
  "moto_server is not installed: pip install 'moto[server]' to run the AWS end-to-end tests";

/** True when the tests should run; under CI=true a missing moto is an error, not a skip. */
export function requireMoto(): boolean {
  if (motoInstalled()) return true;
  if (process.env.CI === 'true') throw new Error(`${MOTO_MISSING} (required under CI=true)`);
  console.warn(`skipped: ${MOTO_MISSING}`);
  return false;
}

export class Moto {
  private proc?: ChildProcess;
  url = '';

  async start(): Promise<this> {
    const port = await freePort();
    this.proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/moto-api/`)).ok) return this;
      } catch {}
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('moto_server did not start within 30 s');
  }

  async stop(): Promise<void> {
    this.proc?.kill('SIGTERM');
  }
}
