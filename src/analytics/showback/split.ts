/**
 * Showback (DESIGN.md, "Scopes and showback"): each owner's direct cost, shared costs split by
 * rule, untagged cost by policy, so that the owners' figures add up to the bill. Pure: the costs
 * come in already grouped by owner and by the first rule each matched.
 *
 *   direct      cost of the owner's own lines that no shared rule matches
 *   shared      each rule's pool (its lines, matched first by it: a cost is split once), split
 *                 proportional  by each owner's positive direct cost in the window
 *                 even          equally among the owners with direct cost
 *                 fixed         by the rule's percentages (they sum to 100)
 *   untagged    lines without an owner that no rule matches: proportional, even, or unallocated
 *   invariant   sum of owners' totals + unallocated = total (exact up to float rounding, never
 *               rounded before summing); a pool with no owner to take it is unallocated, said
 *   scoped      only some owners listed: the others weigh in the splits as two aggregates (their
 *               positive direct cost, their count), so a team sees its share without anyone else's
 */
import type { Where } from '../scope.js';

export const SHOWBACK_DIMENSIONS = ['team', 'account'] as const;
export type ShowbackDimension = (typeof SHOWBACK_DIMENSIONS)[number] | `tag:${string}`;
export const isShowbackDimension = (s: string): s is ShowbackDimension =>
  (SHOWBACK_DIMENSIONS as readonly string[]).includes(s) || /^tag:.+$/.test(s);

export type Split = 'proportional' | 'even' | { fixed: Record<string, number> };
export type UntaggedPolicy = 'proportional' | 'even' | 'unallocated';

export interface SharedRule {
  name: string;
  match: Where;
  split: Split;
}

export interface ShowbackRules {
  shared: SharedRule[];
  untagged: UntaggedPolicy;
}

/**
 * What a showback reads from the warehouse: the window's cost of each owner's own lines (no rule
 * matched), of lines without an owner, and of each shared rule's pool. With `others`, only some
 * owners are listed (a scoped view): the rest enter the splits as two aggregates, never by name.
 */
export interface ShowbackCosts {
  direct: { owner: string; cost: number }[];
  untagged: number;
  /** One per rule, in order. */
  pools: number[];
  /**
   * A scoped view: the owners `listed`, and of all the others the sum of their positive direct cost
   * and how many have direct cost. Null: every owner is in `direct`.
   */
  others: { listed: string[]; positive: number; active: number } | null;
}

export interface OwnerRow {
  key: string;
  direct: number;
  shared: number;
  total: number;
  /** Of the window's total; null when the total is 0. */
  percent: number | null;
}

export interface SharedOut {
  name: string;
  match: Where;
  split: 'proportional' | 'even' | 'fixed';
  amount: number;
  toOwners: { key: string; amount: number }[];
  /** What no owner could take (no owner with direct cost to share by). */
  unallocated: number;
}

export interface ShowbackResult {
  owners: OwnerRow[];
  sharedRules: SharedOut[];
  untagged: { amount: number; split: UntaggedPolicy; toOwners: { key: string; amount: number }[] };
  unallocated: number;
  total: number;
}

/** An amount split by weights: each owner's share = amount x (weight / sum of weights) (`rest` unlisted). */
export function splitByWeights(amount: number, weights: Map<string, number>, rest = 0): Map<string, number> {
  const sum = [...weights.values()].reduce((a, b) => a + b, 0) + rest;
  const out = new Map<string, number>();
  if (!(sum > 0) || amount === 0) return out;
  // The weight's share first: amount x w underflows to 0 for tiny weights and the pool was lost.
  for (const [k, w] of weights) if (w > 0) out.set(k, amount * (w / sum));
  return out;
}

export function showback(c: ShowbackCosts, rules: ShowbackRules): ShowbackResult {
  const direct = new Map<string, number>();
  for (const d of c.direct) direct.set(d.owner, (direct.get(d.owner) ?? 0) + d.cost);
  const positive = new Map([...direct].map(([k, v]) => [k, Math.max(0, v)]));
  const active = new Map([...direct].filter(([, v]) => v !== 0).map(([k]) => [k, 1]));
  const others = c.others ?? { listed: [], positive: 0, active: 0 };
  const listed = (k: string) => !c.others || c.others.listed.includes(k);
  const shared = new Map<string, number>();
  const give = (to: Map<string, number>) => {
    for (const [k, v] of to) shared.set(k, (shared.get(k) ?? 0) + v);
  };
  const split = (amount: number, how: Split | UntaggedPolicy): Map<string, number> =>
    how === 'proportional'
      ? splitByWeights(amount, positive, others.positive)
      : how === 'even'
        ? splitByWeights(amount, active, others.active)
        : how === 'unallocated'
          ? new Map()
          : splitByWeights(
              amount,
              new Map(Object.entries(how.fixed).filter(([k]) => listed(k))),
              Object.entries(how.fixed).reduce((sum, [k, p]) => (listed(k) ? sum : sum + p), 0),
            );
  // Unallocated only makes sense for the whole bill: a scoped view shows what reached its owners.
  const whole = c.others === null;
  let unallocated = 0;
  const sharedRules: SharedOut[] = rules.shared.map((r, i) => {
    const pool = c.pools[i] ?? 0;
    const to = split(pool, r.split);
    give(to);
    const none = whole && to.size === 0 ? pool : 0;
    unallocated += none;
    return {
      name: r.name,
      match: r.match,
      split: typeof r.split === 'string' ? r.split : 'fixed',
      amount: whole ? pool : [...to.values()].reduce((a, b) => a + b, 0),
      toOwners: [...to].map(([key, amount]) => ({ key, amount })).sort((a, b) => b.amount - a.amount),
      unallocated: none,
    };
  });
  const untaggedTo = split(c.untagged, rules.untagged);
  give(untaggedTo);
  if (whole && !untaggedTo.size) unallocated += c.untagged;
  const keys = new Set([...direct.keys(), ...shared.keys()]);
  const rows = [...keys].map((key) => {
    const d = direct.get(key) ?? 0;
    const s = shared.get(key) ?? 0;
    return { key, direct: d, shared: s, total: d + s };
  });
  const total = rows.reduce((t, o) => t + o.total, 0) + unallocated;
  const owners = rows
    .map((o) => ({ ...o, percent: total !== 0 ? (o.total / total) * 100 : null }))
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  return {
    owners,
    sharedRules,
    untagged: {
      amount: whole ? c.untagged : [...untaggedTo.values()].reduce((a, b) => a + b, 0),
      split: rules.untagged,
      toOwners: [...untaggedTo].map(([key, amount]) => ({ key, amount })).sort((a, b) => b.amount - a.amount),
    },
    unallocated,
    total,
  };
}

/**
 * Amounts to the cent that add up: each rounded down to the cent, the cents left over given to the
 * largest remainders (Hamilton's method), so a chargeback file's rows sum to its rounded total.
 */
export function centsThatAddUp(amounts: readonly number[], total: number): number[] {
  const target = Math.round(total * 100);
  const scaled = amounts.map((a) => a * 100);
  const floors = scaled.map((x) => Math.floor(x));
  let left = target - floors.reduce((a, b) => a + b, 0);
  const order = scaled.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const out = [...floors];
  for (let k = 0; left !== 0 && order.length; k = (k + 1) % order.length) {
    out[order[k]!.i]! += Math.sign(left);
    left -= Math.sign(left);
  }
  return out.map((c) => c / 100);
}
