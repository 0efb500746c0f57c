/**
 * The two calls a bucket sync makes, whatever the provider: list the objects under a prefix, and
 * read one object (from an offset, only while its ETag is the one listed). s3.ts and azure.ts
 * implement them over the official SDKs; tests count them through a loopback proxy.
 */
import type { Readable } from 'node:stream';
import type { BucketLocation } from './location.js';

export interface StoredObject {
  /** The full key (Azure: the blob name) under the bucket or container. */
  key: string;
  size: number;
  /** The object's version as its store names it; a changed object has a new ETag. */
  etag: string;
  modified: Date;
}

export interface ObjectStore {
  readonly location: BucketLocation;
  /** Every object under the location's prefix (one LIST, paged by the store). */
  list(): Promise<StoredObject[]>;
  /** The object's bytes from `offset`, failing if the object is no longer at `etag`. */
  read(key: string, o: { etag: string; offset: number }): Promise<Readable>;
  /** A small object (a manifest) as text. */
  text(key: string, etag: string): Promise<string>;
}
