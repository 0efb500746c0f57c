/**
 * FOCUS exports laid out in a bucket as the providers deliver them, written through the real SDKs
 * (moto's S3, Azurite's Blob Storage):
 *
 *   AWS Data Exports  data files under `<prefix><export>/data/BILLING_PERIOD=YYYY-MM/` (overwrite)
 *                     or in a `<time>-<executionId>/` folder per refresh (create new), then the
 *                     period's manifest `…/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`
 *                     naming them as s3:// URLs
 *   Azure exports     `<prefix><export>/<YYYYMMDD-YYYYMMDD>/<run>/part_0_000N.snappy.parquet` and the
 *                     run's manifest.json (blobs with byteCount), written last
 */
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ContainerClient } from '@azure/storage-blob';

export interface ExportFile {
  /** The file's base name in the export (…-00001.snappy.parquet, part_0_0001.csv.gz). */
  name: string;
  /** A local file with the content. */
  path: string;
}

export class S3Export {
  constructor(
    readonly s3: S3Client,
    readonly bucket: string,
    readonly prefix: string,
    readonly exportName = 'focus-export',
  ) {}

  async put(key: string, body: Buffer | string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  dataFolder(
    period: string,
    mode: 'overwrite' | 'create-new',
    executionId: string,
    partition = 'BILLING_PERIOD',
  ): string {
    const base = `${this.prefix}${this.exportName}/data/${partition}=${period}/`;
    // Create new: a folder per refresh, named by its time and execution id, as AWS names them.
    return mode === 'overwrite' ? base : `${base}2026-12-07T06:00:00.000Z-${executionId}/`;
  }

  manifestKey(period: string, partition = 'BILLING_PERIOD'): string {
    return `${this.prefix}${this.exportName}/metadata/${partition}=${period}/${this.exportName}-Manifest.json`;
  }

  /** One refresh of a period: its data files, then its manifest (as AWS writes them). */
  async refresh(o: {
    period: string;
    files: ExportFile[];
    mode: 'overwrite' | 'create-new';
    executionId: string;
    partition?: string;
    /** Write the data files only (a refresh still being written). */
    withoutManifest?: boolean;
  }): Promise<string[]> {
    const folder = this.dataFolder(o.period, o.mode, o.executionId, o.partition);
    const keys = o.files.map((f) => `${folder}${f.name}`);
    for (const [i, f] of o.files.entries()) await this.put(keys[i]!, readFileSync(f.path));
    if (!o.withoutManifest) await this.writeManifest(o.period, keys, o.executionId, o.partition);
    return keys;
  }

  async writeManifest(
    period: string,
    keys: string[],
    executionId: string,
    partition?: string,
  ): Promise<void> {
    await this.put(
      this.manifestKey(period, partition),
      JSON.stringify({
        executionId,
        exportArn: `arn:aws:bcm-data-exports:us-east-1:123456789012:export/${this.exportName}-0000`,
        columns: [{ name: 'BilledCost', type: 'double' }],
        dataFiles: keys.map((k) => `s3://${this.bucket}/${k}`),
        additionalOutputFiles: [],
      }),
    );
  }
}

const ymd = (d: string) => d.replaceAll('-', '');

export class AzureExport {
  constructor(
    readonly container: ContainerClient,
    readonly prefix: string,
    readonly exportName = 'focus-export',
  ) {}

  async put(name: string, body: Buffer | string): Promise<void> {
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  }

  async remove(name: string): Promise<void> {
    await this.container.getBlobClient(name).delete();
  }

  /** One run for a month: its parts, then its manifest. `overwrite` removes the month's earlier runs. */
  async run(o: {
    month: string;
    files: ExportFile[];
    runId: string;
    overwrite: boolean;
    /** byteCount as the manifest states it, per file (default: the file's size). */
    statedBytes?: (i: number, actual: number) => number;
  }): Promise<string[]> {
    const [y, m] = o.month.split('-').map(Number);
    const last = new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
    const range = `${ymd(`${o.month}-01`)}-${ymd(last)}`;
    const base = `${this.prefix}${this.exportName}/${range}/`;
    if (o.overwrite)
      for await (const b of this.container.listBlobsFlat({ prefix: base })) await this.remove(b.name);
    const folder = `${base}${o.runId}/`;
    const names: string[] = [];
    const blobs = [];
    for (const [i, f] of o.files.entries()) {
      const body = readFileSync(f.path);
      const name = `${folder}${f.name}`;
      await this.put(name, body);
      names.push(name);
      blobs.push({
        blobName: name,
        byteCount: o.statedBytes?.(i, body.length) ?? body.length,
        dataRowCount: 0,
      });
    }
    await this.put(
      `${folder}manifest.json`,
      JSON.stringify({
        manifestVersion: '2024-04-01',
        byteCount: blobs.reduce((n, b) => n + b.byteCount, 0),
        blobCount: blobs.length,
        exportConfig: {
          exportName: this.exportName,
          type: 'FocusCost',
          dataVersion: '1.0',
          timeFrame: 'MonthToDate',
          granularity: 'Daily',
        },
        deliveryConfig: {
          partitionData: true,
          dataOverwriteBehavior: o.overwrite ? 'OverwritePreviousReport' : 'CreateNewReport',
          fileFormat: 'Parquet',
          compressionMode: 'Snappy',
          rootFolderPath: this.prefix,
        },
        runInfo: {
          executionType: 'Scheduled',
          submittedTime: new Date().toISOString(),
          runId: o.runId,
          startDate: `${o.month}-01T00:00:00`,
          endDate: `${last}T00:00:00Z`,
        },
        blobs,
      }),
    );
    return names;
  }
}
