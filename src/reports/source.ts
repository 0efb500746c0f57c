/** `<src>` of the CLI and chat: `demo`, `focus:<file or glob>` or `ce` (AWS Cost Explorer). */
import { badInput } from '../errors.js';

export type SourceSpec = { kind: 'demo' } | { kind: 'focus'; path: string } | { kind: 'ce' };

export function parseSource(text: string): SourceSpec {
  if (text === 'demo') return { kind: 'demo' };
  if (text === 'ce') return { kind: 'ce' };
  if (text.startsWith('focus:') && text.length > 'focus:'.length)
    return { kind: 'focus', path: text.slice(6) };
  throw badInput(`source "${text}" is not one of: demo, focus:<file or glob> (FOCUS CSV or Parquet), ce`);
}

export function describeSource(s: SourceSpec): string {
  return s.kind === 'focus' ? `FOCUS export ${s.path}` : s.kind === 'ce' ? 'AWS Cost Explorer' : 'demo data';
}
