/**
 * `where` in chat, after any report command: `where team payments`, `where team=payments,search`,
 * `where service Amazon Elastic Compute Cloud`, `where tag:env=prod`, repeated or joined by `and`.
 * A value runs to the next keyword (vs, by, basis, where, and) or window; quote it to hold one.
 */
import { andWhere, parseWhereClause, type Where } from '../../analytics/scope.js';
import { badInput, isCodedError } from '../../errors.js';

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
        throw badInput('I could not read "where": it takes a dimension and values, e.g. where team payments');
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
        if (isCodedError(e)) throw badInput(`I could not read "where ${text}": ${e.message}`);
        throw e;
      }
      i = j;
    } while (words[i]?.toLowerCase() === 'and');
  }
  return { words: rest, where };
}
