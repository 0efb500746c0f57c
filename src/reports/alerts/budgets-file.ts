/**
 * A budgets file (YAML): a list of budgets, each a name, an amount, a period and optionally a scope
 * and thresholds. Every mistake is one line naming the file, the budget and the field.
 *
 *   - name: Cloud total
 *     amount: 60000
 *     period: month            # month | quarter
 *   - name: Compute
 *     scope: service=Amazon Elastic Compute Cloud
 *     amount: 20000
 *     period: month
 *     thresholds: { actual: [80, 100], forecast: [100] }
 *   - name: Payments
 *     where: team=payments       # or a list of clauses; a scoped channel sees budgets inside its scope
 *     amount: 8000
 *     period: month
 */
import { z } from 'zod';
import { type Budget, DEFAULT_THRESHOLDS } from '../../analytics/alerts/budgets.js';
import { parseWhere, type Where } from '../../analytics/scope.js';
import { DIMENSIONS, isDimension } from '../../analytics/types.js';
import type { Config } from '../../config.js';
import { CodedError, ErrorCode } from '../../errors.js';
import { readUserFile } from '../user-file.js';

const percent = z
  .number({ message: 'is not a number' })
  .positive('must be above 0')
  .max(1000, 'is over 1000');

const BudgetSchema = z
  .object({
    name: z.string({ message: 'is missing (a name people read)' }).trim().min(1, 'is empty'),
    amount: z
      .number({ message: 'is not a number (an amount in the report currency)' })
      .positive('must be above 0'),
    period: z.enum(['month', 'quarter'], { message: 'is not month or quarter' }),
    scope: z.string({ message: 'is not text' }).optional(),
    where: z
      .union([z.string(), z.array(z.string())], {
        message: 'is not a where clause such as team=payments, or a list of them',
      })
      .optional(),
    thresholds: z
      .object(
        { actual: z.array(percent).optional(), forecast: z.array(percent).optional() },
        { message: 'is not a map of actual and forecast percentages' },
      )
      .strict()
      .optional(),
  })
  .strict();

/** `total`, or `<dimension>=<key>` (`service=Amazon Elastic Compute Cloud`). */
export function parseScope(text: string | undefined): Budget['scope'] | string {
  if (!text || text.trim() === 'total') return { dimension: 'total', key: 'total' };
  const m = /^\s*([a-z]+)\s*=\s*(.+?)\s*$/.exec(text);
  if (!m || !isDimension(m[1]!)) return `"${text}" is not total or <${DIMENSIONS.join('|')}>=<value>`;
  return { dimension: m[1]!, key: m[2]! };
}

export async function readBudgetsFile(path: string): Promise<Budget[]> {
  const text = await readUserFile(path);
  let doc: unknown;
  try {
    // Loaded here, not at start-up: every CLI command imports this module (~30 ms).
    const { parse } = await import('yaml');
    doc = parse(text);
  } catch (e) {
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path}: not YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const list = Array.isArray(doc) ? doc : (doc as { budgets?: unknown } | null)?.budgets;
  if (!Array.isArray(list))
    throw new CodedError(
      ErrorCode.SourceInvalid,
      `${path}: expected a list of budgets (name, amount, period[, scope, thresholds])`,
    );
  const names = new Set<string>();
  return list.map((item, i) => {
    const where = `${path}, budget ${i + 1}${item && typeof item === 'object' && 'name' in item ? ` ("${String((item as { name: unknown }).name)}")` : ''}`;
    const r = BudgetSchema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const field = issue.path.join('.') || 'the entry';
      throw new CodedError(
        ErrorCode.SourceInvalid,
        `${where}: ${field} ${issue.code === 'unrecognized_keys' ? `has unknown fields (${issue.keys.join(', ')}); fields are name, amount, period, scope, where, thresholds` : issue.message}`,
      );
    }
    const scope = parseScope(r.data.scope);
    if (typeof scope === 'string') throw new CodedError(ErrorCode.SourceInvalid, `${where}: scope ${scope}`);
    if (names.has(r.data.name))
      throw new CodedError(ErrorCode.SourceInvalid, `${where}: name "${r.data.name}" is used twice`);
    names.add(r.data.name);
    let budgetWhere: Where = [];
    try {
      const w = r.data.where;
      budgetWhere = parseWhere(w === undefined ? [] : typeof w === 'string' ? [w] : w);
    } catch (e) {
      throw new CodedError(ErrorCode.SourceInvalid, `${where}: ${(e as Error).message}`);
    }
    return {
      name: r.data.name,
      scope,
      ...(budgetWhere.length ? { where: budgetWhere } : {}),
      amount: r.data.amount,
      period: r.data.period,
      thresholds: {
        actual: r.data.thresholds?.actual ?? DEFAULT_THRESHOLDS.actual,
        forecast: r.data.thresholds?.forecast ?? DEFAULT_THRESHOLDS.forecast,
      },
    };
  });
}

/** The budgets of SPENDBRIEF_BUDGETS, read afresh (the file may change while the server runs). */
export async function configuredBudgets(config: Config): Promise<Budget[]> {
  return config.SPENDBRIEF_BUDGETS ? readBudgetsFile(config.SPENDBRIEF_BUDGETS) : [];
}
