/**
 * Scopes (DESIGN.md, "Scopes and showback"): a where list narrows any report to the lines whose
 * attributes match it, AND across clauses, OR within one, values exact.
 *
 *   `--where team=payments,search`   `--where 'service="Foo, Inc."'`   `--where tag:env=prod`
 *
 * A channel scope is a where list a manager binds to a channel; every request there is confined to
 * it (`confine`): a clause on a dimension the scope constrains may only name the scope's values,
 * and the scope's clauses always apply. Pure: parsing, printing, combining, confining.
 */
import { CodedError, ErrorCode, quote } from '../errors.js';

/** The dimensions a where clause can name, besides `tag:<key>`. */
export const WHERE_DIMENSIONS = ['service', 'account', 'region', 'team', 'sku', 'provider'] as const;
export type WhereDimension = (typeof WHERE_DIMENSIONS)[number] | `tag:${string}`;

export const isWhereDimension = (s: string): s is WhereDimension =>
  (WHERE_DIMENSIONS as readonly string[]).includes(s) || /^tag:.+$/.test(s);

/** A dimension as typed (`Team`, `tag:cost-center`), or a one-line error naming what is accepted. */
export function parseWhereDimension(text: string): WhereDimension {
  const d = text.toLowerCase().startsWith('tag:') ? `tag:${text.slice(4)}` : text.toLowerCase();
  if (!isWhereDimension(d))
    throw new CodedError(
      ErrorCode.BadInput,
      `dimension ${quote(text)} is not one of ${WHERE_DIMENSIONS.join(', ')}, tag:<key>`,
    );
  return d;
}

export interface WhereClause {
  dimension: WhereDimension;
  /** Exact values, any of which matches. */
  values: string[];
}

/** AND of its clauses; an empty list is everything. */
export type Where = WhereClause[];

const ACCEPTED = `<dimension>=<value>[,<value>...] with a dimension of ${WHERE_DIMENSIONS.join(', ')} or tag:<key>, e.g. team=payments or service="Foo, Inc."`;

/** The values of `a,b,"c, d"`: a comma separates unless quoted; `""` inside quotes is one `"`. */
function splitValues(text: string, whole: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let value = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new CodedError(ErrorCode.BadInput, `where ${quote(whole)}: a quote is not closed`);
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else value += text[i++];
      }
      if (i < text.length && text[i] !== ',')
        throw new CodedError(
          ErrorCode.BadInput,
          `where ${quote(whole)}: a quoted value is followed by ${quote(text[i]!)}, not a comma`,
        );
    } else {
      const end = text.indexOf(',', i);
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? text.length : end;
    }
    if (value === '')
      throw new CodedError(
        ErrorCode.BadInput,
        `where ${quote(whole)}: a value is empty; expected ${ACCEPTED}`,
      );
    out.push(value);
    i += 1;
  }
  return out;
}

/** One `<dimension>=<values>` clause. */
export function parseWhereClause(text: string): WhereClause {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new CodedError(ErrorCode.BadInput, `where ${quote(text)} has no "="; expected ${ACCEPTED}`);
  const dimension = text.slice(0, eq).trim();
  const lower = dimension.toLowerCase();
  const dim = lower.startsWith('tag:') ? `tag:${dimension.slice(4)}` : lower;
  if (!isWhereDimension(dim))
    throw new CodedError(
      ErrorCode.BadInput,
      `where ${quote(text)}: ${quote(dimension)} is not a dimension; expected ${ACCEPTED}`,
    );
  return { dimension: dim, values: [...new Set(splitValues(text.slice(eq + 1).trim(), text))] };
}

/** Several clauses (repeated options) as one list, clauses on the same dimension combined (AND). */
export function parseWhere(texts: readonly string[]): Where {
  return texts.reduce<Where>((w, t) => andWhere(w, [parseWhereClause(t)]), []);
}

/** `a AND b`: clauses on one dimension keep the values both allow (none left matches nothing). */
export function andWhere(a: Where, b: Where): Where {
  const out = a.map((c) => ({ ...c, values: [...c.values] }));
  for (const c of b) {
    const same = out.find((x) => x.dimension === c.dimension);
    if (same) same.values = same.values.filter((v) => c.values.includes(v));
    else out.push({ ...c, values: [...c.values] });
  }
  return out;
}

const quoted = (v: string) => (/[,"=\s]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);

/** The clause as typed: `team=payments,search`, quoting what needs it. */
export const formatClause = (c: WhereClause): string => `${c.dimension}=${c.values.map(quoted).join(',')}`;

/** The where list as people read it (and as the parser reads it back), clauses joined by ` and `. */
export const formatWhere = (w: Where): string => w.map(formatClause).join(' and ');

/** The JSON `scope` of every report object: null, or the where list as given. */
export const scopeJson = (w: Where | null | undefined): { where: Where } | null =>
  w?.length ? { where: w.map((c) => ({ dimension: c.dimension, values: [...c.values] })) } : null;

/**
 * A request's where list inside a channel's scope: every clause on a dimension the scope constrains
 * must name only the scope's values (anything else is refused, naming the scope), and the scope
 * applies whatever the request says. No scope: the request as it is.
 */
export function confine(scope: Where | null, request: Where, what = 'this request'): Where {
  if (!scope) return request;
  for (const c of request) {
    const bound = scope.find((s) => s.dimension === c.dimension);
    const outside = bound ? c.values.filter((v) => !bound.values.includes(v)) : [];
    if (outside.length)
      throw new CodedError(
        ErrorCode.Forbidden,
        `${what} names ${c.dimension} ${outside.map((v) => quote(v)).join(', ')}, outside this channel's scope (${formatWhere(scope)})`,
      );
  }
  return andWhere(scope, request);
}

/*
 * `where` in words, as chat and SPENDBRIEF_MCP_SCOPE say it: `where team payments`,
 * `where team=payments,search`, `where service Amazon Elastic Compute Cloud`, `where tag:env=prod`,
 * repeated or joined by `and`. A value runs to the next keyword (vs, by, basis, where, and) or
 * window; quote it to hold one.
 */
const STOP = new Set(['vs', 'by', 'basis', 'where', 'and']);
const WINDOW = /^(\d+d|mtd|qtd|.+\.\..+)$/i;

/** Slack and Teams turn typed quotes into curly ones; the where syntax reads straight quotes. */
const straightQuotes = (s: string) => s.replace(/[“”„‟″]/g, '"');

/** Takes every `where ...` out of the words: the rest, and the where list they said. */
export function extractWhere(words: readonly string[]): { words: string[]; where: Where } {
  const rest: string[] = [];
  let where: Where = [];
  for (let i = 0; i < words.length; ) {
    if (words[i]!.toLowerCase() !== 'where') {
      rest.push(words[i++]!);
      continue;
    }
    do {
      i += 1;
      const first = words[i];
      if (!first)
        throw new CodedError(
          ErrorCode.BadInput,
          'I could not read "where": it takes a dimension and values, e.g. where team payments',
        );
      const value: string[] = [];
      let j = i + 1;
      while (j < words.length && !STOP.has(words[j]!.toLowerCase()) && !WINDOW.test(words[j]!))
        value.push(words[j++]!);
      const text = straightQuotes(
        first.includes('=') ? [first, ...value].join(' ') : `${first}=${value.join(' ')}`,
      );
      try {
        where = andWhere(where, [parseWhereClause(text)]);
      } catch (e) {
        if (e instanceof CodedError)
          throw new CodedError(ErrorCode.BadInput, `I could not read "where ${text}": ${e.message}`);
        throw e;
      }
      i = j;
    } while (words[i]?.toLowerCase() === 'and');
  }
  return { words: rest, where };
}
