/**
 * Subscriptions and digest runs in the DuckDB state file. A run row is claimed (status 'posting')
 * before a digest is posted and marked 'posted' with the message id after, so a crash between the
 * two leaves a 'posting' row that start-up re-sends: at least once, and exactly once unless the
 * process dies in the moment between the platform accepting the post and the row being updated.
 */
import type { SqlRunner } from '../../integrations/warehouse/port.js';
import type { Weekday } from '../assistant.js';

export type Platform = 'slack' | 'teams';

export interface Subscription {
  channel: string;
  platform: Platform;
  weekday: Weekday;
  /** HH:MM local time. */
  time: string;
  zone: string;
  /** Teams: the serialised conversation reference for proactive messages. */
  reference: string | null;
  /** When it was made (ISO); a digest due before that is not owed. */
  createdAt?: string;
}

export type RunStatus = 'posting' | 'posted';

export class StateStore {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(`CREATE TABLE IF NOT EXISTS subscriptions (
      channel VARCHAR PRIMARY KEY, platform VARCHAR NOT NULL, weekday VARCHAR NOT NULL, time VARCHAR NOT NULL,
      zone VARCHAR NOT NULL, reference VARCHAR, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await this.sql.run(`CREATE TABLE IF NOT EXISTS digest_runs (
      channel VARCHAR NOT NULL, period VARCHAR NOT NULL, status VARCHAR NOT NULL, message_id VARCHAR,
      claimed_at TIMESTAMPTZ NOT NULL, posted_at TIMESTAMPTZ, PRIMARY KEY (channel, period))`);
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

  async run(
    channel: string,
    period: string,
  ): Promise<{ status: RunStatus; messageId: string | null } | null> {
    const rows = await this.sql.all<{ status: RunStatus; message_id: string | null }>(
      'SELECT status, message_id FROM digest_runs WHERE channel = ? AND period = ?',
      [channel, period],
    );
    return rows[0] ? { status: rows[0].status, messageId: rows[0].message_id } : null;
  }

  /** Claims the run; false when another worker already posted it. */
  async claim(channel: string, period: string, now: Date): Promise<boolean> {
    await this.sql.run(
      `INSERT INTO digest_runs (channel, period, status, claimed_at) VALUES (?, ?, 'posting', ?) ON CONFLICT DO NOTHING`,
      [channel, period, now.toISOString()],
    );
    return (await this.run(channel, period))?.status !== 'posted';
  }

  async markPosted(channel: string, period: string, messageId: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE digest_runs SET status = 'posted', message_id = ?, posted_at = ? WHERE channel = ? AND period = ?`,
      [messageId, now.toISOString(), channel, period],
    );
  }
}
