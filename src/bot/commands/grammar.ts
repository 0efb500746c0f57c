/**
 * The chat command grammar, shared by Slack (`/spend ...`) and Teams (`@spendbrief ...`):
 *
 *   [drivers] [30d|mtd|qtd|A..B] [vs previous|last-month|A..B|none] [by <dimension>] [basis <basis>]
 *   digest | model | carbon | subscribe weekly <mon..sun> <HH:MM> <IANA zone> | unsubscribe | help
 *   anomalies [Nd] [by <dimension>] | forecast [by <dimension>]
 *   budget set <amount> monthly|quarterly [<dimension> <value...>] | budget list | budget remove <name>
 *   alerts on|off
 *
 * A word it cannot read is a BadInput error that names the word and shows the usage.
 */
import { IANAZone } from 'luxon';
import { parseCompareSpec, parseWindowSpec } from '../../analytics/periods/parse.js';
import type { Where } from '../../analytics/scope.js';
import { extractWhere } from '../../analytics/scope.js';
import {
  isShowbackDimension,
  SHOWBACK_DIMENSIONS,
  type ShowbackDimension,
} from '../../analytics/showback/split.js';
import {
  BASES,
  type Basis,
  DIMENSIONS,
  type Dimension,
  isBasis,
  isDimension,
} from '../../analytics/types.js';
import { badInput, isCodedError } from '../../errors.js';
import { SCOPES } from '../../reports/alerts/series.js';
import { type ChatRequest, isReportRequest, type ReportRequest, type Weekday } from '../assistant.js';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Every chat command: its first word and its usage (help and the unknown-word error are built from
 * this one list, so they cannot lag the parser; a test parses each example).
 */
export const CHAT_COMMANDS = [
  {
    word: 'drivers',
    usage: `[drivers] [30d|mtd|qtd|YYYY-MM-DD..YYYY-MM-DD] [vs previous|last-month|YYYY-MM-DD..YYYY-MM-DD|none] [by ${DIMENSIONS.join('|')}] [basis ${BASES.join('|')}]`,
    example: 'drivers 30d by service',
  },
  { word: 'digest', usage: 'digest', example: 'digest' },
  { word: 'model', usage: 'model', example: 'model' },
  { word: 'carbon', usage: 'carbon', example: 'carbon' },
  {
    word: 'anomalies',
    usage: `anomalies [7d] [by ${SCOPES.join('|')}]`,
    example: 'anomalies 7d by service',
  },
  { word: 'forecast', usage: `forecast [by ${SCOPES.join('|')}]`, example: 'forecast by service' },
  {
    word: 'budget',
    usage: `budget set <amount> monthly|quarterly [${DIMENSIONS.join('|')} <value>] · budget list · budget remove <name>`,
    example: 'budget list',
  },
  {
    word: 'alerts',
    usage: 'alerts on|off   (anomalies and budget crossings posted here after every sync)',
    example: 'alerts on',
  },
  {
    word: 'subscribe',
    usage:
      'subscribe weekly <mon..sun> <HH:MM> <IANA time zone>   e.g. subscribe weekly mon 09:00 Europe/Berlin',
    example: 'subscribe weekly mon 09:00 Europe/Berlin',
  },
  { word: 'unsubscribe', usage: 'unsubscribe', example: 'unsubscribe' },
  {
    word: 'showback',
    usage:
      'showback [30d|mtd|qtd|A..B] [by team|account|tag:<key>]   (each owner: direct cost and its share of shared cost)',
    example: 'showback mtd by team',
  },
  {
    word: 'scope',
    usage:
      'scope · scope team=payments [and ...] · scope off · scope <#channel> team=payments   (managers: what a channel may see)',
    example: 'scope',
  },
  { word: 'help', usage: 'help', example: 'help' },
] as const;

/** Every report command also takes `where <dimension> <value>` (or `where <dimension>=<v1>,<v2>`). */
export const WHERE_USAGE = `... where team payments · where team=payments,search · where tag:env=prod   (any report; repeat or join with and)`;

export function usage(prefix = '/spend'): string {
  return ['Usage:', ...CHAT_COMMANDS.map((c) => `${prefix} ${c.usage}`), `${prefix} ${WHERE_USAGE}`].join(
    '\n',
  );
}

const fail = (word: string, expected: string): never => {
  throw badInput(`I could not read "${word}": ${expected}`);
};

/** Rewraps a parser's error so it names the word the user typed. */
function readWord<T>(word: string, parse: (w: string) => T): T {
  try {
    return parse(word);
  } catch (e) {
    if (isCodedError(e)) throw badInput(`I could not read "${word}": ${e.message}`);
    throw e;
  }
}

function parseSubscribe(words: string[]): ChatRequest {
  const [every, day, time, zone, ...rest] = words;
  if (every !== 'weekly') fail(every ?? '(nothing)', 'subscribe takes "weekly" next');
  const weekday = (day ?? '').slice(0, 3).toLowerCase() as Weekday;
  if (!WEEKDAYS.includes(weekday) || (day ?? '').length > 9)
    fail(day ?? '(nothing)', `a weekday is one of ${WEEKDAYS.join(', ')}`);
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time ?? '');
  if (!m) fail(time ?? '(nothing)', 'a time is HH:MM on a 24-hour clock, e.g. 09:00');
  if (!zone || !IANAZone.isValidZone(zone))
    fail(zone ?? '(nothing)', 'a time zone is an IANA name such as Europe/Berlin or America/New_York');
  if (rest.length > 0) fail(rest[0]!, 'nothing follows the time zone');
  return { kind: 'subscribe', weekday, time: `${m![1]!.padStart(2, '0')}:${m![2]}`, zone: zone! };
}

/** The commands a `where` may narrow. */
const NARROWED = new Set(['drivers', 'digest', 'model', 'carbon', 'anomalies', 'forecast', 'showback']);

export function parseCommand(text: string): ChatRequest {
  const typed = text.trim().split(/\s+/).filter(Boolean);
  if (typed[0]?.toLowerCase() === 'scope') return parseScope(typed.slice(1));
  const { words, where } = extractWhere(typed);
  const head = words[0]?.toLowerCase();
  const kind = head && CHAT_COMMANDS.some((c) => c.word === head) ? head : 'drivers';
  if (where.length && !NARROWED.has(kind === 'budgets' ? 'budget' : kind))
    fail('where', `"${head}" takes no where; where narrows ${[...NARROWED].join(', ')}`);
  if (head === 'help') return { kind: 'help' };
  if (head === 'digest' || head === 'model' || head === 'carbon') {
    if (words.length > 1) fail(words[1]!, `"${head}" takes no more words but where`);
    return { kind: head, where };
  }
  if (head === 'unsubscribe') {
    if (words.length > 1) fail(words[1]!, `"${head}" takes no more words`);
    return { kind: head };
  }
  if (head === 'subscribe') return parseSubscribe(words.slice(1));
  if (head === 'anomalies' || head === 'forecast') return parseAlertQuestion(head, words.slice(1), where);
  if (head === 'showback') return parseShowback(words.slice(1), where);
  if (head === 'budget' || head === 'budgets') return parseBudget(words.slice(1));
  if (head === 'alerts') {
    const v = words[1]?.toLowerCase();
    if ((v !== 'on' && v !== 'off') || words.length > 2)
      fail(words[2] ?? words[1] ?? '(nothing)', 'alerts takes on or off');
    return { kind: 'alerts', on: v === 'on' };
  }

  const request: Extract<ChatRequest, { kind: 'drivers' }> = {
    kind: 'drivers',
    window: { kind: 'days', days: 30 },
    compare: { kind: 'previous_period' },
    by: 'service',
    basis: 'actual',
    where,
  };
  let i = head === 'drivers' ? 1 : 0;
  let sawWindow = false;
  while (i < words.length) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    const next = words[i + 1];
    if (lower === 'vs') {
      if (!next) fail('vs', 'vs takes previous, last-month, YYYY-MM-DD..YYYY-MM-DD or none');
      request.compare = readWord(next!, parseCompareSpec);
      i += 2;
    } else if (lower === 'by') {
      if (!next || !isDimension(next.toLowerCase()))
        fail(next ?? 'by', `by takes one of ${DIMENSIONS.join(', ')}`);
      request.by = next!.toLowerCase() as Dimension;
      i += 2;
    } else if (lower === 'basis') {
      if (!next || !isBasis(next.toLowerCase()))
        fail(next ?? 'basis', `basis takes one of ${BASES.join(', ')}`);
      request.basis = next!.toLowerCase() as Basis;
      i += 2;
    } else if (!sawWindow && /^(\d+d|mtd|qtd|.+\.\..+)$/i.test(word)) {
      request.window = readWord(word, parseWindowSpec);
      sawWindow = true;
      i += 1;
    } else {
      fail(
        word,
        `expected a window (30d, mtd, qtd, A..B), vs, by, basis, or a command (${CHAT_COMMANDS.map((c) => c.word).join(', ')})`,
      );
    }
  }
  return request;
}

function parseAlertQuestion(head: 'anomalies' | 'forecast', words: string[], where: Where): ChatRequest {
  let by: 'total' | Dimension = 'total';
  let days = 7;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (w === 'by') {
      const next = words[i + 1]?.toLowerCase();
      if (!next || !(SCOPES as readonly string[]).includes(next))
        fail(words[i + 1] ?? 'by', `by takes one of ${SCOPES.join(', ')}`);
      by = next as 'total' | Dimension;
      i += 1;
    } else if (
      head === 'anomalies' &&
      /^\d+d$/.test(w) &&
      Number.parseInt(w, 10) >= 1 &&
      Number.parseInt(w, 10) <= 90
    ) {
      days = Number.parseInt(w, 10);
    } else
      fail(
        words[i]!,
        head === 'anomalies'
          ? 'anomalies takes a number of days (7d, up to 90d) and by <dimension>'
          : 'forecast takes by <dimension>',
      );
  }
  return head === 'anomalies' ? { kind: 'anomalies', by, days, where } : { kind: 'forecast', by, where };
}

/** `showback [30d|mtd|qtd|A..B] [by team|account|tag:<key>]`. */
function parseShowback(words: string[], where: Where): ChatRequest {
  const request: Extract<ChatRequest, { kind: 'showback' }> = {
    kind: 'showback',
    window: { kind: 'days', days: 30 },
    by: 'team',
    where,
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.toLowerCase() === 'by') {
      const next = words[i + 1] ?? '';
      const dim = next.toLowerCase().startsWith('tag:') ? `tag:${next.slice(4)}` : next.toLowerCase();
      if (!isShowbackDimension(dim))
        fail(next || 'by', `showback is by ${SHOWBACK_DIMENSIONS.join(', ')} or tag:<key>`);
      request.by = dim as ShowbackDimension;
      i += 1;
    } else if (/^(\d+d|mtd|qtd|.+\.\..+)$/i.test(w)) request.window = readWord(w, parseWindowSpec);
    else fail(w, 'showback takes a window (30d, mtd, qtd, A..B), by team|account|tag:<key>, and where');
  }
  return request;
}

/**
 * `scope` (show), `scope off`, `scope team=payments [and ...]` (set here), and from a manager
 * channel `scope <#C0123> team=payments` or `scope <#C0123> off` (another channel's).
 */
function parseScope(words: string[]): ChatRequest {
  if (words.length === 0) return { kind: 'scope', action: 'show' };
  let target: string | undefined;
  const mention = /^<#([CGD][A-Z0-9]+)(\|[^>]*)?>$|^([CGD][A-Z0-9]{6,})$/.exec(words[0]!);
  if (mention) {
    target = mention[1] ?? mention[3];
    words = words.slice(1);
  }
  if (words.length === 1 && words[0]!.toLowerCase() === 'off')
    return { kind: 'scope', action: 'off', ...(target ? { target } : {}) };
  if (words.length === 0) fail(target ?? 'scope', 'scope <channel> takes a where list or off');
  const { words: rest, where } = extractWhere(['where', ...words]);
  if (rest.length) fail(rest[0]!, 'scope takes a where list (team=payments, and ...), or off');
  return { kind: 'scope', action: 'set', where, ...(target ? { target } : {}) };
}

/** `budget set 50000 monthly [service Amazon EC2]`, `budget list`, `budget remove <name>`. */
function parseBudget(words: string[]): ChatRequest {
  const verb = words[0]?.toLowerCase();
  if (verb === 'list' && words.length === 1) return { kind: 'budgets' };
  if (verb === 'remove') {
    if (words.length < 2) fail('remove', "budget remove takes the budget's name (see budget list)");
    return { kind: 'budget-remove', name: words.slice(1).join(' ') };
  }
  if (verb !== 'set') fail(words[0] ?? '(nothing)', 'budget takes set, list or remove');
  const amount = Number((words[1] ?? '').replace(/[$€£,_]/g, ''));
  if (!words[1] || !Number.isFinite(amount) || amount <= 0)
    fail(words[1] ?? '(nothing)', 'budget set takes an amount above 0, e.g. 50000');
  const p = words[2]?.toLowerCase();
  const period =
    p === 'monthly' || p === 'month' ? 'month' : p === 'quarterly' || p === 'quarter' ? 'quarter' : null;
  if (!period) fail(words[2] ?? '(nothing)', 'the period is monthly or quarterly');
  if (words.length === 3)
    return { kind: 'budget-set', amount, period: period!, scope: { dimension: 'total', key: 'total' } };
  const dim = words[3]!.toLowerCase();
  if (!isDimension(dim) || words.length < 5)
    fail(
      words[3]!,
      `a budget's scope is <${DIMENSIONS.join('|')}> <value>, e.g. service Amazon Elastic Compute Cloud`,
    );
  return {
    kind: 'budget-set',
    amount,
    period: period!,
    scope: { dimension: dim as Dimension, key: words.slice(4).join(' ') },
  };
}

/**
 * A button's payload back into a request: `{run: "<command>"}` (the digest's "more" buttons) is read
 * with the command grammar and must ask for a report; anything else is a drill-down payload.
 */
export function parseActionPayload(value: unknown): ReportRequest {
  const v = typeof value === 'string' ? safeJson(value) : value;
  const run = v && typeof v === 'object' ? (v as { run?: unknown }).run : undefined;
  if (typeof run !== 'string') return parseDrillPayload(v);
  const request = parseCommand(run);
  if (!isReportRequest(request))
    throw badInput('this button no longer asks for a report I know; run the report again');
  return request;
}

/** A drill-down button's payload back into a request; anything else is refused, not guessed. */
export function parseDrillPayload(value: unknown): Extract<ReportRequest, { kind: 'drill' }> {
  const v = (typeof value === 'string' ? safeJson(value) : value) as Record<string, unknown> | null;
  const dim = String(v?.dim ?? '');
  const next = String(v?.next ?? '');
  const basis = String(v?.basis ?? 'actual');
  const key =
    typeof v?.key === 'string'
      ? v.key
      : typeof v?.keyHash === 'string' && /^[0-9a-f]{16}$/.test(v.keyHash)
        ? { hash: v.keyHash }
        : null;
  if (!v || key === null || !isDimension(dim) || !isDimension(next) || !isBasis(basis)) {
    throw badInput('this button no longer carries a drill-down I understand; run the report again');
  }
  return {
    kind: 'drill',
    dim,
    key,
    next,
    window: parseWindowSpec(String(v.window)),
    compare: parseCompareSpec(String(v.compare ?? 'none')),
    basis,
  };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
