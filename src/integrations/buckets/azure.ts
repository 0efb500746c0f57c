/**
 * An Azure Blob Storage container through @azure/storage-blob: AZURE_STORAGE_CONNECTION_STRING
 * (a key or SAS, and Azurite's), else the account's URL with @azure/identity's default
 * credential chain (managed identity, workload identity, az login). 5xx and throttling (503,
 * 500 ServerBusy) are retried by the SDK's exponential policy.
 */
import type { Readable } from 'node:stream';
import {
  BlobServiceClient,
  type ContainerClient,
  RestError,
  StorageRetryPolicyType,
} from '@azure/storage-blob';
import { CodedError, ErrorCode } from '../../errors.js';
import type { BucketLocation } from './location.js';
import type { ObjectStore, StoredObject } from './store.js';

type AzureLocation = Extract<BucketLocation, { provider: 'azure' }>;

const retryOptions = { maxTries: 6, retryPolicyType: StorageRetryPolicyType.EXPONENTIAL };

export async function createContainerClient(
  l: AzureLocation,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ContainerClient> {
  const conn = env.AZURE_STORAGE_CONNECTION_STRING;
  if (conn) {
    const service = BlobServiceClient.fromConnectionString(conn, { retryOptions });
    if (service.accountName && service.accountName !== l.account)
      throw new CodedError(
        ErrorCode.Config,
        `AZURE_STORAGE_CONNECTION_STRING is for account ${service.accountName}, the source names ${l.account}: use azure://${service.accountName}/… or the other account's connection string`,
      );
    return service.getContainerClient(l.container);
  }
  // The identity library is large; only a run that reads Azure without a connection string loads it.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new BlobServiceClient(`https://${l.account}.blob.core.windows.net`, new DefaultAzureCredential(), {
    retryOptions,
  }).getContainerClient(l.container);
}

function describeAzureError(e: unknown, what: string): CodedError {
  if (e instanceof CodedError) return e;
  const status = e instanceof RestError ? e.statusCode : undefined;
  const code = (e as { code?: string }).code ?? '';
  const message = ((e as Error).message ?? String(e)).split('\n')[0];
  if (status === 404) return new CodedError(ErrorCode.SourceMissing, `${what}: no such blob`, { cause: e });
  if (status === 412)
    return new CodedError(
      ErrorCode.SourceInvalid,
      `${what}: changed since it was listed (another ETag); the next sync reads it again`,
      { cause: e },
    );
  if (
    status === 401 ||
    status === 403 ||
    /CredentialUnavailable|AuthenticationFailed|AuthorizationPermissionMismatch/.test(
      `${code} ${(e as Error).name}`,
    )
  )
    return new CodedError(
      ErrorCode.UpstreamAuth,
      `Azure Blob Storage refused ${what} (${code || status}): the identity needs the Storage Blob Data Reader role on the container, or set AZURE_STORAGE_CONNECTION_STRING`,
      { cause: e },
    );
  return new CodedError(
    ErrorCode.Upstream,
    `Azure Blob Storage: ${what} failed: ${code ? `${code}: ` : ''}${message}`,
    {
      cause: e,
    },
  );
}

export class AzureStore implements ObjectStore {
  constructor(
    readonly location: AzureLocation,
    private readonly container: ContainerClient,
  ) {}

  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    try {
      for await (const b of this.container.listBlobsFlat({ prefix: this.location.prefix }))
        out.push({
          key: b.name,
          size: Number(b.properties.contentLength ?? 0),
          etag: b.properties.etag ?? '',
          modified: b.properties.lastModified ?? new Date(0),
        });
    } catch (e) {
      throw describeAzureError(e, `listing ${this.location.container}/${this.location.prefix}`);
    }
    return out;
  }

  async read(key: string, o: { etag: string; offset: number }): Promise<Readable> {
    try {
      const r = await this.container
        .getBlobClient(key)
        .download(o.offset, undefined, { conditions: o.etag ? { ifMatch: o.etag } : undefined });
      return r.readableStreamBody as Readable;
    } catch (e) {
      throw describeAzureError(e, `azure://${this.location.account}/${this.location.container}/${key}`);
    }
  }

  async text(key: string, etag: string): Promise<string> {
    const body = await this.read(key, { etag, offset: 0 });
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
}
