/**
 * Where an export lands: `s3://<bucket>/<prefix>` (AWS, and any S3-compatible store such as OCI's
 * through AWS_ENDPOINT_URL_S3) or `azure://<account>/<container>/<prefix>` (Azure Blob Storage).
 */
import { badInput } from '../../errors.js';

export type BucketLocation =
  | { provider: 's3'; bucket: string; prefix: string }
  | { provider: 'azure'; account: string; container: string; prefix: string };

// S3: lower-case letters, digits, dots and hyphens (AWS allows 63; OCI's report bucket is the
// tenancy's OCID, longer); Azure: account 3-24 letters and digits, container 3-63 of lower-case
// letters, digits and hyphens. Checked so a typo is named here, not as a remote 400 or DNS failure.
const S3_BUCKET = /^[a-z0-9][a-z0-9._-]{1,253}[a-z0-9]$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/** A prefix as the stores list it: no leading slash, a trailing one when it names a folder. */
function normalisedPrefix(rest: string): string {
  const p = rest.replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

export function parseBucketUrl(text: string): BucketLocation | null {
  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(text);
  if (s3) {
    const [, bucket, rest] = s3;
    if (!S3_BUCKET.test(bucket!))
      throw badInput(
        `source "${text}": "${bucket}" is not an S3 bucket name (lower-case letters, digits, dots and hyphens): s3://<bucket>/<prefix>`,
      );
    return { provider: 's3', bucket: bucket!, prefix: normalisedPrefix(rest!) };
  }
  const az = /^azure:\/\/([^/]*)\/?([^/]*)\/?(.*)$/.exec(text);
  if (az) {
    const [, account, container, rest] = az;
    if (!AZURE_ACCOUNT.test(account!))
      throw badInput(
        `source "${text}": "${account}" is not a storage account name (3 to 24 lower-case letters and digits): azure://<account>/<container>/<prefix>`,
      );
    if (!AZURE_CONTAINER.test(container!))
      throw badInput(
        `source "${text}": ${container ? `"${container}" is not a container name (3 to 63 lower-case letters, digits and single hyphens)` : 'the container is missing'}: azure://<account>/<container>/<prefix>`,
      );
    return { provider: 'azure', account: account!, container: container!, prefix: normalisedPrefix(rest!) };
  }
  return null;
}

/** The location as a user writes it (and as the warehouse keys its source). */
export function bucketUrl(l: BucketLocation): string {
  return l.provider === 's3'
    ? `s3://${l.bucket}/${l.prefix}`
    : `azure://${l.account}/${l.container}/${l.prefix}`;
}

/** An object of the location as a user would name it in an error or a listing. */
export function objectUrl(l: BucketLocation, key: string): string {
  return l.provider === 's3' ? `s3://${l.bucket}/${key}` : `azure://${l.account}/${l.container}/${key}`;
}
