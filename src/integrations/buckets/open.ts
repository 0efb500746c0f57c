/**
 * The store for a bucket location, through its provider's SDK (loaded only by runs that read a
 * bucket). One S3 client serves every S3 location of a run.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { BucketLocation } from './location.js';
import type { ObjectStore } from './store.js';

export function bucketStores(region?: string): (l: BucketLocation) => Promise<ObjectStore> {
  let s3: Promise<S3Client> | undefined;
  return async (l) => {
    if (l.provider === 's3') {
      const { S3Store, createS3Client } = await import('./s3.js');
      s3 ??= Promise.resolve(createS3Client(region));
      return new S3Store(l, await s3);
    }
    const { AzureStore, createContainerClient } = await import('./azure.js');
    return new AzureStore(l, await createContainerClient(l));
  };
}
