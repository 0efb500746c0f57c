/**
 * What a report's source session is asked (OpenOptions), what it gives (SourceSession), what it is
 * built from (WarehousesOptions), and the warehouse key of a source (session.ts opens them).
 */
import { resolve } from 'node:path';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DateTime } from 'luxon';
import type { ResolvedWindows } from '../analytics/periods/types.js';
import type { DateRange } from '../analytics/types.js';
import type { Config } from '../config.js';
import { type BucketLocation, bucketUrl } from '../integrations/buckets/location.js';
import type { ObjectStore } from '../integrations/buckets/store.js';
import { DEMO_SPEC } from '../integrations/demo/source.js';
import type { DuckDb } from '../integrations/warehouse/duckdb.js';
import type { CostWarehouse } from '../integrations/warehouse/port.js';
import type { SourceSpec } from './source.js';

export interface SourceSession {
  warehouse: CostWarehouse;
  /** What the data is, for the period line ("FOCUS export …", "demo data"). */
  label: string;
  /** Lines worth a user's attention about the data itself (a stale sync, files skipped). */
  notes: string[];
  /** What this run had Athena scan (one-off Athena runs): reported with the report. */
  scan?: AthenaScan;
  close(): Promise<void>;
}

export interface AthenaScan {
  queryId: string;
  bytesScanned: number;
  /** At SPENDBRIEF_ATHENA_PRICE_PER_TB (Athena's list price is 5 USD per TB). */
  costUsd: number;
  rows: number;
}

/** `question`: one drivers question (a view over one-off files); `report`: read once, asked many. */
export type Purpose = 'question' | 'report';

/** An observer of a warehouse's questions: the method and its arguments. */
export type QueryObserver = (method: string, args: unknown[]) => void;

export interface OpenOptions {
  today: string;
  purpose: Purpose;
  /** The days this question reads (drivers): a paid source fetches only those. */
  need?: DateRange;
  /** The windows of this question (drivers) when the data's latest day is `latest` (null: no guess). */
  windowsAt?: (latest: string) => ResolvedWindows | null;
}

export interface WarehousesOptions {
  config: Config;
  /** The server's open database (serve); CLI runs open SPENDBRIEF_DB themselves. */
  shared?: DuckDb;
  /** The Cost Explorer client, built once by the composition root when first needed. */
  costExplorer: () => Promise<CostExplorerClient>;
  /** The Athena client, likewise. */
  athena: () => Promise<AthenaClient>;
  /** The store of a bucket source (S3 or Azure), built when first needed. */
  bucket: (l: BucketLocation) => Promise<ObjectStore>;
  now: () => Date;
  log: (line: string) => void;
  /** Called on every scan of a one-off source's files (tests count them: one per report). */
  onSourceRead?: (spec: SourceSpec) => void;
  /** Told of every question a session's warehouse answers, with its arguments (tests check scopes). */
  observe?: QueryObserver;
  /** The server's syncs, for the answer to a question that arrives before the first one landed. */
  syncStatus?: () => { running: boolean; startedAt: Date | null; lastError: string | null };
}

export interface SyncOutcome {
  spec: string;
  summary: string;
  /** Rows read from the source (files and Athena; the demo and Cost Explorer say 0). */
  rows?: number;
  failed: { file: string; error: string }[];
  /** An Athena sync: what it scanned. */
  athena?: AthenaScan;
  /** A bucket sync: the bytes it downloaded. */
  bytes?: number;
}

/** The warehouse key of a source: paths resolved, so a sync and a later question agree. */
export function sourceKey(spec: SourceSpec, config: Config): string {
  if (spec.kind === 'demo') return DEMO_SPEC;
  if (spec.kind === 'focus') return `focus:${resolve(spec.path)}`;
  if (spec.kind === 'athena') return `athena:${spec.database}.${spec.table}`;
  if (spec.kind === 'bucket') return bucketUrl(spec.location);
  return `ce:${JSON.stringify({ groupBy: config.SPENDBRIEF_CE_GROUP_BY, excludeServices: config.SPENDBRIEF_CE_EXCLUDE_SERVICES })}`;
}

/**
 * The days a sync of a remote source covers: `days` ending on the report's `today` (rows of that
 * day count, as they do in a FOCUS file), never after the real date (no source has later days).
 * With `need` (the days one question reads), only those of them.
 */
export function syncRange(today: string, days: number, realToday: string, need?: DateRange): DateRange {
  const end = [today, realToday].sort()[0]!;
  const start = DateTime.fromISO(end, { zone: 'utc' })
    .minus({ days: days - 1 })
    .toISODate()!;
  if (!need) return { start, end };
  return { start: [start, need.start].sort()[1]!, end: [end, need.end].sort()[0]! };
}
