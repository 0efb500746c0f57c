/**
 * Subscriptions and digest runs in the DuckDB state file. A run is one channel's digest of one
 * period (ISO week). Its life: `posting` (claimed by this process, `owner` = its boot id) ->
 * `posted` (with the platform's message id), or `failed` (with the error, the attempt count and
 * when to try again within the period). A `posting` run owned by another boot was cut short by a
 * crash: the scheduler asks the platform whether the digest went out before posting it again
 * (docs/adr/0004-digests-exactly-once.md).
 */
import type { SqlRunner } from '../../integrations/warehouse/port.js';
import type { Weekday } from '../assistant.js';

export type Platform = 'slack' | 'teams';

export interface Subscription {
  /** Slack: the channel id. Teams: `teams:<team id>:<channel id>` (or the chat's conversation id). */
  channel: string;
  platform: Platform;
  weekday: Weekday;
  /** HH:MM local time. */
  time: string;
  zone: string;
  /** Teams: the serialised conversation reference (service URL, tenant, channel) for proactive posts. */
  reference: string | null;
  /** When it was made (ISO); a digest due before that is not owed. */
  createdAt?: string;
}

export type RunStatus = 'posting' | 'posted' | 'failed';

export interface Run {
  status: RunStatus;
  owner: string | null;
  messageId: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  claimedAt: string | null;
  lastError: string | null;
}

export class StateStore {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(`CREATE TABLE IF NOT EXISTS subscriptions (
      channel VARCHAR PRIMARY KEY, platform VARCHAR NOT NULL, weekday VARCHAR NOT NULL, time VARCHAR NOT NULL,
      zone VARCHAR NOT NULL, reference VARCHAR, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await this.sql.run(`CREATE TABLE IF NOT EXISTS digest_runs (
      channel VARCHAR NOT NULL, period VARCHAR NOT NULL, status VARCHAR NOT NULL, message_id VARCHAR,
      claimed_at TIMESTAMPTZ NOT NULL, posted_at TIMESTAMPTZ, PRIMARY KEY (channel, period))`);
    // Columns added after the first release (an older state file gains them).
    for (const [col, type] of [
      ['owner', 'VARCHAR'],
      ['attempts', 'INTEGER DEFAULT 0'],
      ['next_attempt_at', 'TIMESTAMPTZ'],
      ['last_error', 'VARCHAR'],
    ])
      await this.sql.run(`ALTER TABLE digest_runs ADD COLUMN IF NOT EXISTS ${col} ${type}`);
  }

  async subscribe(s: Subscription, now: Date): Promise<void> {
    await this.sql.run(
      `INSERT OR REPLACE INTO subscriptions (channel, platform, weekday, time, zone, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [s.channel, s.platform, s.weekday, s.time, s.zone, s.reference, now.toISOString()],
    );
  }

  async subscription(channel: string): Promise<Subscription | null> {
    return (await this.subscriptions()).find((s) => s.channel === channel) ?? null;
  }

  async unsubscribe(channel: string): Promise<boolean> {
    const had = await this.sql.all('SELECT 1 FROM subscriptions WHERE channel = ?', [channel]);
    await this.sql.run('DELETE FROM subscriptions WHERE channel = ?', [channel]);
    return had.length > 0;
  }

  async subscriptions(): Promise<Subscription[]> {
    return this.sql.all<Subscription>(
      `SELECT channel, platform, weekday, time, zone, reference, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS "createdAt"
       FROM subscriptions ORDER BY channel`,
    );
  }

  async run(channel: string, period: string): Promise<Run | null> {
    const rows = await this.sql.all<{
      status: RunStatus;
      owner: string | null;
      message_id: string | null;
      attempts: number | null;
      next_attempt_at: string | null;
      claimed_at: string | null;
      last_error: string | null;
    }>(
      `SELECT status, owner, message_id, attempts, strftime(next_attempt_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS next_attempt_at,
         strftime(claimed_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS claimed_at, last_error
       FROM digest_runs WHERE channel = ? AND period = ?`,
      [channel, period],
    );
    const r = rows[0];
    return r
      ? {
          status: r.status,
          owner: r.owner,
          messageId: r.message_id,
          attempts: r.attempts ?? 0,
          nextAttemptAt: r.next_attempt_at,
          claimedAt: r.claimed_at,
          lastError: r.last_error,
        }
      : null;
  }

  /** Marks the run as being posted by `owner` (this process), counting the attempt. */
  async claim(channel: string, period: string, owner: string, now: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO digest_runs (channel, period, status, owner, attempts, claimed_at) VALUES (?, ?, 'posting', ?, 1, ?)
       ON CONFLICT (channel, period) DO UPDATE SET status = 'posting', owner = excluded.owner,
         attempts = COALESCE(digest_runs.attempts, 0) + 1, claimed_at = excluded.claimed_at`,
      [channel, period, owner, now.toISOString()],
    );
  }

  async markPosted(channel: string, period: string, messageId: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE digest_runs SET status = 'posted', message_id = ?, posted_at = ?, last_error = NULL
       WHERE channel = ? AND period = ?`,
      [messageId, now.toISOString(), channel, period],
    );
  }

  async markFailed(channel: string, period: string, error: string, retryAt: Date): Promise<void> {
    await this.sql.run(
      `UPDATE digest_runs SET status = 'failed', last_error = ?, next_attempt_at = ? WHERE channel = ? AND period = ?`,
      [error, retryAt.toISOString(), channel, period],
    );
  }
}
