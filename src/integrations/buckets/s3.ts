/**
 * An S3 bucket (or an S3-compatible store: OCI Object Storage, MinIO, moto) through
 * @aws-sdk/client-s3: its credential chain, AWS_REGION, and AWS_ENDPOINT_URL_S3 (read by the SDK
 * itself) for a store other than AWS's, addressed path-style as those stores expect. 5xx and
 * throttling are retried by the SDK's adaptive strategy.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { CodedError, ErrorCode } from '../../errors.js';
import { describeAwsError } from '../aws-errors.js';
import { quietAwsNodeWarning } from '../aws-node-warning.js';
import type { BucketLocation } from './location.js';
import type { ObjectStore, StoredObject } from './store.js';

export function createS3Client(region?: string, env: NodeJS.ProcessEnv = process.env): S3Client {
  quietAwsNodeWarning(env);
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return new S3Client({
    maxAttempts: 6,
    retryMode: 'adaptive',
    region: region ?? env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint } : {}),
    // OCI's compatibility API and other S3-compatible stores do not resolve bucket host names.
    forcePathStyle: Boolean(endpoint),
  });
}

const permission = (action: string) => ({ service: 'S3', permission: `s3:${action}` });

export class S3Store implements ObjectStore {
  constructor(
    readonly location: Extract<BucketLocation, { provider: 's3' }>,
    private readonly client: S3Client,
  ) {}

  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.location.bucket, Prefix: this.location.prefix },
      ))
        for (const o of page.Contents ?? [])
          if (o.Key && !o.Key.endsWith('/'))
            out.push({
              key: o.Key,
              size: Number(o.Size ?? 0),
              etag: o.ETag ?? '',
              modified: o.LastModified ?? new Date(0),
            });
    } catch (e) {
      throw describeAwsError(e, permission('ListBucket'));
    }
    return out;
  }

  async read(key: string, o: { etag: string; offset: number }): Promise<Readable> {
    try {
      const r = await this.client.send(
        new GetObjectCommand({
          Bucket: this.location.bucket,
          Key: key,
          IfMatch: o.etag || undefined,
          ...(o.offset > 0 ? { Range: `bytes=${o.offset}-` } : {}),
        }),
      );
      return r.Body as Readable;
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const url = `s3://${this.location.bucket}/${key}`;
      if (status === 404)
        throw new CodedError(ErrorCode.SourceMissing, `${url}: no such object`, { cause: e });
      if (status === 412)
        throw new CodedError(
          ErrorCode.SourceInvalid,
          `${url}: changed since it was listed (another ETag); the next sync reads it again`,
          { cause: e },
        );
      throw describeAwsError(e, permission('GetObject'));
    }
  }

  async text(key: string, etag: string): Promise<string> {
    const body = await this.read(key, { etag, offset: 0 });
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
}
