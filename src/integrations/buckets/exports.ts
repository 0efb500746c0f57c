/**
 * What a bucket holds, read from its listing and its manifests (never from folder names alone:
 * a create-new export keeps every refresh beside the latest, and reading the folder would count
 * a month two or three times).
 *
 *   AWS Data Exports  `…/<export>/metadata/BILLING_PERIOD=YYYY-MM/[…/]<export>-Manifest.json`
 *                     (FOCUS exports write `billing_period=`), written after the data files; its
 *                     `dataFiles` are the period's files, as s3:// URLs
 *   Azure exports     `…/<export>/<YYYYMMDD-YYYYMMDD>/[<time>/]<run>/manifest.json`; its
 *                     `blobs[].blobName` (relative to the container) and `byteCount` are the run's
 *                     files; the month is the date range's first
 *   plain files       a prefix without manifests (OCI's `FOCUS Reports/`, a hand-made bucket):
 *                     every CSV or Parquet object, each its own unit, like a folder
 *
 * Per billing period the latest manifest in the listing (by the time the store wrote it) is the
 * period's truth; a period is replaced whole when its manifest or one of its files changes.
 */
import { CodedError, ErrorCode } from '../../errors.js';
import { formatOf } from '../focus/read-focus.js';
import { type BucketLocation, objectUrl } from './location.js';
import type { StoredObject } from './store.js';

export type DeliveryKind = 'aws' | 'azure' | 'file';

/** One unit of replacement as the listing shows it: a period's latest manifest, or one plain file. */
export interface Candidate {
  kind: DeliveryKind;
  /** `2026-11` for a billing period; the object's key for a plain file. */
  unit: string;
  manifest?: StoredObject;
  /** A plain file: itself. A manifest's files are known once it is read. */
  objects?: StoredObject[];
}

const AWS_MANIFEST = /(?:^|\/)metadata\/billing_period=(\d{4}-\d{2})\/(?:[^/]+\/)*[^/]*-manifest\.json$/i;
const AZURE_MANIFEST = /(?:^|\/)(\d{8})-\d{8}\/(?:[^/]+\/)*manifest\.json$/;

/** The periods (latest manifest each) or, without any manifest, the plain export files. */
export function findCandidates(listing: StoredObject[]): Candidate[] {
  const latest = new Map<string, Candidate>();
  for (const o of listing) {
    const aws = AWS_MANIFEST.exec(o.key);
    const azure = aws ? null : AZURE_MANIFEST.exec(o.key);
    if (!aws && !azure) continue;
    const kind: DeliveryKind = aws ? 'aws' : 'azure';
    const unit = aws ? aws[1]! : `${azure![1]!.slice(0, 4)}-${azure![1]!.slice(4, 6)}`;
    const id = `${kind}:${unit}`;
    const seen = latest.get(id)?.manifest;
    // Later write wins; at the same second, the later key (refresh folders are timestamped).
    if (!seen || o.modified > seen.modified || (+o.modified === +seen.modified && o.key > seen.key))
      latest.set(id, { kind, unit, manifest: o });
  }
  if (latest.size > 0) {
    const kinds = new Set([...latest.values()].map((c) => c.kind));
    if (kinds.size > 1)
      throw new CodedError(
        ErrorCode.SourceInvalid,
        'the prefix holds both AWS and Azure export manifests: point the source at one export (a longer prefix)',
      );
    return [...latest.values()].sort((a, b) => a.unit.localeCompare(b.unit));
  }
  return listing
    .filter((o) => formatOf(o.key) && o.size > 0)
    .map((o) => ({ kind: 'file' as const, unit: o.key, objects: [o] }))
    .sort((a, b) => a.unit.localeCompare(b.unit));
}

interface AwsManifest {
  dataFiles?: unknown;
  executionId?: unknown;
}

interface AzureManifest {
  blobs?: { blobName?: unknown; byteCount?: unknown }[];
  runInfo?: { submittedTime?: unknown };
}

/**
 * A manifest's data files, each found in the listing. A file the manifest names that the listing
 * lacks, or one shorter than the manifest says (Azure gives sizes), names the object: the period
 * keeps its previous rows.
 */
export function manifestObjects(
  location: BucketLocation,
  c: Candidate,
  text: string,
  listing: Map<string, StoredObject>,
): StoredObject[] {
  const where = objectUrl(location, c.manifest!.key);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CodedError(ErrorCode.SourceInvalid, `${where}: not JSON (${(e as Error).message})`);
  }
  const wanted: { key: string; size?: number }[] = [];
  if (c.kind === 'aws') {
    const files = (json as AwsManifest).dataFiles;
    if (!Array.isArray(files) || files.some((f) => typeof f !== 'string'))
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${where}: no "dataFiles" list of s3:// URLs: is this an AWS Data Exports manifest?`,
      );
    if (location.provider !== 's3')
      throw new CodedError(ErrorCode.SourceInvalid, `${where}: an AWS manifest in Azure storage`);
    for (const f of files as string[]) {
      const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(f);
      if (!m || m[1] !== location.bucket)
        throw new CodedError(
          ErrorCode.SourceInvalid,
          `${where}: names ${f}, outside bucket ${location.bucket}: spendbrief reads one bucket per source`,
        );
      wanted.push({ key: m[2]! });
    }
  } else {
    const blobs = (json as AzureManifest).blobs;
    if (!Array.isArray(blobs) || blobs.some((b) => typeof b?.blobName !== 'string'))
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${where}: no "blobs" list with "blobName": is this an Azure Cost Management export manifest?`,
      );
    for (const b of blobs)
      wanted.push({
        // Microsoft's own sample has stray spaces in the name.
        key: String(b.blobName).trim().replace(/\/\s+/g, '/'),
        size: typeof b.byteCount === 'number' ? b.byteCount : undefined,
      });
  }
  return wanted.map((w) => {
    const o = listing.get(w.key);
    if (!o)
      throw new CodedError(
        ErrorCode.SourceMissing,
        `${where} names ${objectUrl(location, w.key)}, which is not in the ${location.provider === 's3' ? 'bucket' : 'container'}`,
      );
    if (w.size !== undefined && o.size !== w.size)
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${objectUrl(location, w.key)} is ${o.size.toLocaleString('en-US')} bytes, its manifest says ${w.size.toLocaleString('en-US')}: truncated or replaced`,
      );
    return o;
  });
}
