/**
 * Calls to the Bot Connector, retried the way Microsoft asks bots to: 429, 412, 502 and 504 again,
 * with exponential back-off and jitter, and never sooner than a Retry-After header says
 * (learn.microsoft.com, Teams "Optimize your bot with rate limiting"). The Agents SDK's client
 * retries nothing itself.
 */
import pRetry, { AbortError } from 'p-retry';

export const RETRIED_STATUS = [429, 412, 502, 504];

/** The HTTP status of the SDK's HttpError (duck-typed: the class is not exported). */
export const statusOf = (e: unknown): number | undefined => {
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' ? s : undefined;
};

function retryAfterMs(e: unknown): number {
  const h = (e as { response?: { headers?: { get?: (n: string) => string | null } } })?.response?.headers;
  const v = h?.get?.('retry-after');
  if (!v) return 0;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.min(60_000, seconds * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.min(60_000, Math.max(0, at - Date.now())) : 0;
}

export async function withConnectorRetry<T>(
  fn: () => Promise<T>,
  o: {
    retries?: number;
    minTimeoutMs?: number;
    log?: (line: string) => void;
    what?: string;
    /** Told of every retry, with the status that caused it. */
    onRetry?: (status: number | undefined) => void;
  } = {},
): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (e) {
        if (!RETRIED_STATUS.includes(statusOf(e) ?? 0)) throw new AbortError(e as Error);
        throw e;
      }
    },
    {
      retries: o.retries ?? 4,
      minTimeout: o.minTimeoutMs ?? 1000,
      maxTimeout: 20_000,
      factor: 2,
      randomize: true,
      async onFailedAttempt(e) {
        o.onRetry?.(statusOf(e));
        o.log?.(
          `teams: ${o.what ?? 'a send'} got HTTP ${statusOf(e)} (attempt ${e.attemptNumber}); retrying`,
        );
        const wait = retryAfterMs(e);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      },
    },
  );
}
