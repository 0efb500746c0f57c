/**
 * Azurite (Microsoft's Azure Storage emulator, a devDependency), blob service only, on a free
 * loopback port with its data in a temporary folder. `--skipApiVersionCheck`: the pinned
 * @azure/storage-blob speaks a newer API version than the Azurite that runs on Node 20 knows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './ports.js';

export const AZURITE_ACCOUNT = 'devstoreaccount1';
// Azurite's published development key (not a secret: it is in Microsoft's documentation).
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function azuriteMain(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('azurite/package.json');
    const main = join(dirname(pkg), 'dist/src/blob/main.js');
    return existsSync(main) ? main : null;
  } catch {
    return null;
  }
}

export const AZURITE_MISSING = 'azurite is not installed (npm install): the Azure Blob Storage tests need it';

/** True when the tests should run; under CI=true a missing Azurite is an error, not a skip. */
export function requireAzurite(): boolean {
  if (azuriteMain()) return true;
  if (process.env.CI === 'true') throw new Error(`${AZURITE_MISSING} (required under CI=true)`);
  console.warn(`skipped: ${AZURITE_MISSING}`);
  return false;
}

export class Azurite {
  private proc?: ChildProcess;
  private dir = '';
  url = '';

  /** The connection string for a blob endpoint (Azurite's, or a proxy in front of it). */
  connectionString(endpoint = this.url): string {
    return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint}/${AZURITE_ACCOUNT};`;
  }

  async start(): Promise<this> {
    const port = await freePort();
    this.dir = mkdtempSync(join(tmpdir(), 'spendbrief-azurite-'));
    this.proc = spawn(
      process.execPath,
      [
        azuriteMain()!,
        '--blobHost',
        '127.0.0.1',
        '--blobPort',
        String(port),
        '--location',
        this.dir,
        '--silent',
        '--skipApiVersionCheck',
        '--disableTelemetry',
      ],
      { stdio: 'ignore' },
    );
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      // Any HTTP answer (400 for a bare GET) means it listens.
      if (
        await fetch(this.url).then(
          () => true,
          () => false,
        )
      )
        return this;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('Azurite did not start within 30 s');
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      // Its folder is removed once it has exited: a process still writing its logs made rmdir fail.
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true, maxRetries: 5 });
  }
}
