/**
 * `<src>` of the CLI and chat: `demo`, `focus:<file or glob>`, `ce` (AWS Cost Explorer) or
 * `athena:<database>.<table>` (a FOCUS export behind Athena), or an export where it lands:
 * `s3://<bucket>/<prefix>`, `azure://<account>/<container>/<prefix>`.
 */
import { badInput } from '../errors.js';
import { type BucketLocation, bucketUrl, parseBucketUrl } from '../integrations/buckets/location.js';

export type SourceSpec =
  | { kind: 'demo' }
  | { kind: 'focus'; path: string }
  | { kind: 'ce' }
  | { kind: 'athena'; database: string; table: string }
  | { kind: 'bucket'; location: BucketLocation };

/** `<database>.<table>` of an Athena source (Glue names: letters, digits, underscores). */
export function parseAthenaTable(text: string): { database: string; table: string } | null {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  return m ? { database: m[1]!, table: m[2]! } : null;
}

/** Every form of `<src>`: the option's help and the error for an unknown source are built from it. */
export const SOURCE_FORMS = [
  'demo',
  'focus:<file, folder or glob> (FOCUS CSV or Parquet)',
  'ce (AWS Cost Explorer)',
  'athena:<database>.<table>',
  's3://<bucket>/<prefix> (AWS Data Exports; OCI and other S3-compatible stores with AWS_ENDPOINT_URL_S3)',
  'azure://<account>/<container>/<prefix> (Azure Cost Management exports)',
] as const;

export function parseSource(text: string): SourceSpec {
  if (text === 'demo') return { kind: 'demo' };
  if (text === 'ce') return { kind: 'ce' };
  if (text.startsWith('focus:') && text.length > 'focus:'.length)
    return { kind: 'focus', path: text.slice(6) };
  const bucket = parseBucketUrl(text);
  if (bucket) return { kind: 'bucket', location: bucket };
  if (text.startsWith('athena:')) {
    const t = parseAthenaTable(text.slice(7));
    if (!t)
      throw badInput(
        `source "${text}": athena: takes <database>.<table>, the Glue table over the FOCUS export (e.g. athena:cid_data_export.focus)`,
      );
    return { kind: 'athena', ...t };
  }
  throw badInput(`source "${text}" is not one of: ${SOURCE_FORMS.join(', ')}`);
}

export function describeSource(s: SourceSpec): string {
  return s.kind === 'focus'
    ? `FOCUS export ${s.path}`
    : s.kind === 'ce'
      ? 'AWS Cost Explorer'
      : s.kind === 'athena'
        ? `Athena table ${s.database}.${s.table}`
        : s.kind === 'bucket'
          ? `FOCUS export ${bucketUrl(s.location)}`
          : 'demo data';
}
