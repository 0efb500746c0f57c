/**
 * A showback rules file (YAML): how shared and untagged cost is split. Every mistake is one line
 * naming the file, the line and the field, and what is accepted.
 *
 *   by: team                      # or account, or tag:<key>
 *   shared:                       # applied in order; a cost is split by the first rule it matches
 *     - name: support and tax
 *       match: { service: ["AWS Support (Business)", "Tax"] }
 *       split: proportional       # to each owner's direct cost in the window
 *     - name: platform account
 *       match: { account: ["111111111111"] }
 *       split: { fixed: { payments: 50, search: 30, mobile: 20 } }   # percentages, sum 100
 *   untagged: proportional        # or even, or unallocated
 */
import { isWhereDimension, type Where } from '../../analytics/scope.js';
import {
  isShowbackDimension,
  SHOWBACK_DIMENSIONS,
  type ShowbackDimension,
  type ShowbackRules,
  type Split,
} from '../../analytics/showback/split.js';
import { CodedError, ErrorCode, quote } from '../../errors.js';
import { readUserFile } from '../user-file.js';

export interface RulesFile extends ShowbackRules {
  by?: ShowbackDimension;
}

const SPLITS = 'proportional, even, or { fixed: { <owner>: <percent>, ... } } summing to 100';
const UNTAGGED = 'proportional, even or unallocated';

/** No rules: every owner's direct cost, untagged cost shown as unallocated. */
export const NO_RULES: ShowbackRules = { shared: [], untagged: 'unallocated' };

export async function readShowbackRules(path: string): Promise<RulesFile> {
  const text = await readUserFile(path);
  const { parseDocument, LineCounter, isMap, isSeq } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path} line ${e.linePos?.[0]?.line ?? '?'}: not YAML: ${e.message.split('\n')[0]}`,
    );
  }
  /** A mistake at a path of the document: the line of the node there (or of its parent). */
  const fail = (at: (string | number)[], message: string): never => {
    let node: unknown;
    for (let n = at.length; n >= 0 && !node; n--)
      node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    const offset = (node as { range?: [number] } | undefined)?.range?.[0];
    const line = offset === undefined ? '?' : lines.linePos(offset).line;
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path} line ${line}: ${at.join('.') || 'the file'} ${message}`,
    );
  };
  if (!isMap(doc.contents)) fail([], 'is not a map of by, shared and untagged');
  const raw = doc.toJS() as Record<string, unknown>;
  for (const k of Object.keys(raw))
    if (!['by', 'shared', 'untagged'].includes(k))
      fail([k], 'is not a field; fields are by, shared, untagged');
  const out: RulesFile = { shared: [], untagged: 'unallocated' };
  if (raw.by !== undefined) {
    const by = String(raw.by);
    if (!isShowbackDimension(by))
      fail(['by'], `is ${quote(by)}; expected ${SHOWBACK_DIMENSIONS.join(', ')} or tag:<key>`);
    out.by = by as ShowbackDimension;
  }
  if (raw.untagged !== undefined) {
    if (!['proportional', 'even', 'unallocated'].includes(String(raw.untagged)))
      fail(['untagged'], `is ${quote(String(raw.untagged))}; expected ${UNTAGGED}`);
    out.untagged = raw.untagged as ShowbackRules['untagged'];
  }
  if (raw.shared !== undefined) {
    if (!isSeq(doc.get('shared', true))) fail(['shared'], 'is not a list of rules (name, match, split)');
    const names = new Set<string>();
    (raw.shared as unknown[]).forEach((item, i) => {
      const at = ['shared', i];
      if (!item || typeof item !== 'object' || Array.isArray(item))
        fail(at, 'is not a rule (name, match, split)');
      const r = item as Record<string, unknown>;
      for (const k of Object.keys(r))
        if (!['name', 'match', 'split'].includes(k))
          fail([...at, k], 'is not a field; a rule has name, match, split');
      if (typeof r.name !== 'string' || !r.name.trim())
        fail([...at, 'name'], 'is missing (a name people read)');
      const name = (r.name as string).trim();
      if (names.has(name)) fail([...at, 'name'], `${quote(name)} is used twice`);
      names.add(name);
      out.shared.push({
        name,
        match: readMatch(r.match, [...at, 'match'], fail),
        split: readSplit(r.split, [...at, 'split'], fail),
      });
    });
  }
  return out;
}

type Fail = (at: (string | number)[], message: string) => never;

function readMatch(v: unknown, at: (string | number)[], fail: Fail): Where {
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.keys(v).length === 0)
    fail(at, 'is not a map of dimension to values, e.g. { service: ["Tax"] }');
  return Object.entries(v as Record<string, unknown>).map(([dim, values]) => {
    const d = dim.toLowerCase().startsWith('tag:') ? `tag:${dim.slice(4)}` : dim.toLowerCase();
    if (!isWhereDimension(d))
      fail([...at, dim], 'is not a dimension (service, account, region, team, sku, provider, tag:<key>)');
    const list = Array.isArray(values) ? values : [values];
    if (list.length === 0 || list.some((x) => typeof x !== 'string' && typeof x !== 'number'))
      fail([...at, dim], 'is not a value or a list of values');
    return { dimension: d as Where[number]['dimension'], values: list.map(String) };
  });
}

function readSplit(v: unknown, at: (string | number)[], fail: Fail): Split {
  if (v === 'proportional' || v === 'even') return v;
  const fixed = v && typeof v === 'object' ? (v as { fixed?: unknown }).fixed : undefined;
  if (!fixed || typeof fixed !== 'object' || Array.isArray(fixed) || Object.keys(v as object).length !== 1)
    fail(at, `is ${quote(JSON.stringify(v ?? null))}; expected ${SPLITS}`);
  const shares = Object.entries(fixed as Record<string, unknown>);
  for (const [owner, p] of shares)
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0)
      fail([...at, 'fixed', owner], 'is not a percentage >= 0');
  const sum = shares.reduce((a, [, p]) => a + (p as number), 0);
  if (shares.length === 0 || Math.abs(sum - 100) > 1e-9)
    fail([...at, 'fixed'], `percentages sum to ${sum}, not 100`);
  return { fixed: Object.fromEntries(shares) as Record<string, number> };
}
