/** SPENDBRIEF_MCP_SCOPE: a where list, as typed in chat (`team=payments and region=eu-west-1`). */
import type { Where } from '../analytics/scope.js';
import { extractWhere } from '../analytics/scope.js';

export function mcpScope(text: string | undefined): Where | null {
  if (!text?.trim()) return null;
  const { words, where } = extractWhere(['where', ...text.trim().split(/\s+/)]);
  if (words.length) throw new Error(`SPENDBRIEF_MCP_SCOPE: could not read "${words.join(' ')}"`);
  return where;
}
