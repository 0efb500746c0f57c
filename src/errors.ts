/**
 * Coded errors (the bolt-js shape): every failure a user can cause or fix carries a code and a
 * message that says what is wrong, where, and what would be accepted. One place
 * (`describeError`) turns any error into the single line a user sees.
 */
export const ErrorCode = {
  /** A CLI option, window, date or chat command word that cannot be read. */
  BadInput: 'BAD_INPUT',
  /** A file, glob or source that does not exist. */
  SourceMissing: 'SOURCE_MISSING',
  /** A source without the required columns, or with values that do not parse. */
  SourceInvalid: 'SOURCE_INVALID',
  /** The data cannot answer the request (no days in a window, too few points for a fit...). */
  NoData: 'NO_DATA',
  /** A fit that the data cannot support (collinear features, fewer days than parameters). */
  ModelInvalid: 'MODEL_INVALID',
  /** An outside service refused us (auth, permissions, an unactivated tag...). */
  UpstreamAuth: 'UPSTREAM_AUTH',
  /** An outside service failed or could not be reached. */
  Upstream: 'UPSTREAM',
  /** Configuration (environment variables) missing or malformed. */
  Config: 'CONFIG',
  /** The warehouse is held by another process, or its first sync is still running. */
  Busy: 'BUSY',
  /** DuckDB's memory limit (SPENDBRIEF_MEMORY_LIMIT) was too small for this input. */
  OutOfMemory: 'OUT_OF_MEMORY',
  /** The asker is not allowed to ask this (access lists in the configuration). */
  Forbidden: 'FORBIDDEN',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class CodedError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CodedError';
    this.code = code;
  }
}

export const isCodedError = (e: unknown): e is CodedError => e instanceof CodedError;

export const badInput = (message: string): CodedError => new CodedError(ErrorCode.BadInput, message);

/**
 * User data quoted in a message: at most `max` characters, cut and marked, so a 5,000-character
 * name never floods an error line or a log.
 */
export function quote(text: string, max = 80): string {
  const t = String(text);
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

/** The one line a user sees for any error: coded errors speak for themselves; others are bugs. */
export function describeError(e: unknown): string {
  if (isCodedError(e)) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return `internal error: ${message} (this is a bug in spendbrief; please report it)`;
}
