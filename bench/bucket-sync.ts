/**
 * The bucket sync of the company export (split by billing period, Parquet, as AWS Data Exports
 * writes it: data files, then a manifest per period) from moto's S3 on loopback, against its floor:
 * the same files synced from a local folder plus the raw transfer of their bytes (the S3 SDK
 * reading every object and throwing it away). Each measure in a fresh process (peak RSS its own);
 * every sync into a fresh warehouse and cache.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { quietAwsNodeWarning } from '../src/integrations/aws-node-warning.js';
import { DuckDb } from '../src/integrations/warehouse/duckdb.js';

type Run = { ms: number[]; maxRssMb: number };

export interface BucketFigures {
  files: number;
  bytes: number;
  periods: string[];
  localSync: Run;
  transfer: Run;
  bucketSync: Run;
  /** Bucket sync over (local sync + transfer), medians. */
  ratio: number;
}

function motoInstalled(): boolean {
  try {
    execFileSync('moto_server', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The company Parquet split by billing period (cached beside it). */
async function byPeriod(parquet: string): Promise<string> {
  const dir = parquet.replace(/\.parquet$/, '-by-period');
  if (existsSync(join(dir, '.done'))) return dir;
  mkdirSync(dir, { recursive: true });
  const db = await DuckDb.open(':memory:', { memoryLimit: '2GB' });
  const months = await db.all<{ m: string }>(
    `SELECT DISTINCT strftime(ChargePeriodStart, '%Y-%m') AS m FROM read_parquet('${parquet}') ORDER BY m`,
  );
  for (const { m } of months)
    await db.run(
      `COPY (SELECT * FROM read_parquet('${parquet}') WHERE strftime(ChargePeriodStart, '%Y-%m') = '${m}')
       TO '${join(dir, `${m}.snappy.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 122880)`,
    );
  db.close();
  execFileSync('touch', [join(dir, '.done')]);
  return dir;
}

export async function measureBucketSync(o: {
  companyParquet: string;
  work: string;
  child: (mode: string, args: string[], reps: number, env?: NodeJS.ProcessEnv) => Run;
  reps: number;
}): Promise<BucketFigures | null> {
  if (!motoInstalled()) {
    console.error("moto_server not installed (pip install 'moto[server]'): the bucket sync is skipped");
    return null;
  }
  quietAwsNodeWarning();
  const dir = await byPeriod(o.companyParquet);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.parquet'))
    .sort();
  const port = await freePort();
  const moto: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 150; i++) {
      if (
        await fetch(`${url}/moto-api/`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const s3 = new S3Client({
      endpoint: url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-billing' }));
    const periods: string[] = [];
    for (const f of files) {
      const period = f.slice(0, 7);
      periods.push(period);
      const key = `exports/focus/data/BILLING_PERIOD=${period}/focus-00001.snappy.parquet`;
      await s3.send(
        new PutObjectCommand({ Bucket: 'bench-billing', Key: key, Body: readFileSync(join(dir, f)) }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket: 'bench-billing',
          Key: `exports/focus/metadata/BILLING_PERIOD=${period}/focus-Manifest.json`,
          Body: JSON.stringify({ executionId: 'bench', dataFiles: [`s3://bench-billing/${key}`] }),
        }),
      );
    }
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL_S3: url,
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_REGION: 'us-east-1',
    };
    const source = 's3://bench-billing/exports/focus/';
    const localSync = o.child('sync', [`focus:${dir}`, join(o.work, 'local-folder.duckdb')], o.reps);
    const transfer = o.child('transfer', [source], o.reps, env);
    const bucketSync = o.child('sync', [source, join(o.work, 'bucket.duckdb')], o.reps, env);
    const med = (r: Run) => [...r.ms].sort((a, b) => a - b)[Math.floor(r.ms.length / 2)]!;
    return {
      files: files.length,
      bytes: files.reduce((n, f) => n + statSync(join(dir, f)).size, 0),
      periods,
      localSync,
      transfer,
      bucketSync,
      ratio: med(bucketSync) / (med(localSync) + med(transfer)),
    };
  } finally {
    moto.kill('SIGTERM');
  }
}
