/**
 * Logs. The CLI writes plain lines to stderr (a person reads them); `serve` writes one JSON object
 * per line with pino (`level`, `time`, `msg`, and fields such as `channel`, `period`, `source`,
 * `durationMs`), pretty-printed when stderr is a terminal. Every line, fields included, passes
 * through one redaction of the configured secrets: a token, signing secret, client secret or
 * connection string never reaches a log, whatever a message quotes.
 */
import { pino } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogFields {
  level?: Level;
  [field: string]: unknown;
}

/** A log line and its fields; everything that logs takes one of these. */
export type Log = (msg: string, fields?: LogFields) => void;

/** Variables whose values are secrets (the configuration's and the SDKs' names). */
const SECRET_NAMES = /TOKEN|SECRET|PASSWORD|CONNECTION_STRING|ACCOUNT_KEY|SAS|_KEY$/i;

/** The configured secrets, longest first (one that contains another is replaced whole). */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAMES.test(k) && typeof v === 'string' && v.trim().length >= 6)
    .map(([, v]) => v!.trim())
    .sort((a, b) => b.length - a.length);
}

/** Replaces every secret in a text (and in the text of nested fields) with `[redacted]`. */
export function redactor(secrets: readonly string[]): <T>(value: T) => T {
  const redact = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let s = v;
      for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join('[redacted]');
      return s;
    }
    if (Array.isArray(v)) return v.map(redact);
    if (v && typeof v === 'object' && !(v instanceof Date))
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x)]));
    return v;
  };
  return <T>(value: T) => redact(value) as T;
}

/** The CLI's log: `spendbrief: <line>` on stderr, secrets redacted. */
export function cliLog(
  env: NodeJS.ProcessEnv,
  write: (s: string) => void = (s) => process.stderr.write(s),
): Log {
  const redact = redactor(secretsOf(env));
  return (msg) => write(`spendbrief: ${redact(msg)}\n`);
}

/**
 * The server's log: pino JSON lines on stderr (pretty when stderr is a terminal and
 * SPENDBRIEF_LOG_FORMAT is not json), or into `write` (tests read them back).
 */
export function serverLog(
  env: NodeJS.ProcessEnv,
  o: { write?: (line: string) => void; pretty?: boolean } = {},
): Log {
  const redact = redactor(secretsOf(env));
  const pretty = o.pretty ?? (!o.write && process.stderr.isTTY && env.SPENDBRIEF_LOG_FORMAT !== 'json');
  const options = {
    base: undefined,
    level: env.SPENDBRIEF_LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  const logger = o.write
    ? pino(options, { write: (line: string) => o.write!(line.replace(/\n$/, '')) })
    : pretty
      ? pino({
          ...options,
          transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss' } },
        })
      : pino(options, pino.destination({ dest: 2, sync: true }));
  return (msg, fields = {}) => {
    const { level = 'info', ...rest } = fields;
    logger[level](redact(rest), redact(msg));
  };
}
