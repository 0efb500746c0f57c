/**
 * Alert state in the DuckDB state file: which conversations get alerts, their budgets, and every
 * alert posted (so a restart or a restated day never posts one twice).
 *
 *   alert_channels  channel, platform, Teams conversation reference, on/off
 *   budgets         a channel's budgets (set in chat), by name
 *   alert_posts     one row per alert: an anomaly (scope, first day, direction up/down) or a budget
 *                   threshold (name, period, kind, percent); `posting` while it is being posted,
 *                   then `open` (an anomaly still going on) or `closed`/`posted`
 */
import type { Budget } from '../../analytics/alerts/budgets.js';
import type { SqlRunner } from '../../integrations/warehouse/port.js';
import type { Platform } from '../scheduler/store.js';

export interface AlertChannel {
  channel: string;
  platform: Platform;
  reference: string | null;
}

export interface AnomalyPost {
  channel: string;
  scope: string;
  firstDay: string;
  direction: 'up' | 'down';
  lastDay: string;
  status: 'posting' | 'open' | 'closed';
  messageId: string | null;
  totalImpact: number;
}

export class AlertStore {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(`CREATE TABLE IF NOT EXISTS alert_channels (
      channel VARCHAR PRIMARY KEY, platform VARCHAR NOT NULL, reference VARCHAR, enabled BOOLEAN NOT NULL)`);
    await this.sql.run(`CREATE TABLE IF NOT EXISTS budgets (
      channel VARCHAR NOT NULL, name VARCHAR NOT NULL, budget VARCHAR NOT NULL, PRIMARY KEY (channel, name))`);
    await this.sql.run(`CREATE TABLE IF NOT EXISTS alert_posts (
      channel VARCHAR NOT NULL, alert VARCHAR NOT NULL, status VARCHAR NOT NULL, message_id VARCHAR,
      scope VARCHAR, first_day VARCHAR, last_day VARCHAR, direction VARCHAR, total_impact DOUBLE,
      posted_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (channel, alert))`);
  }

  /** Turns alerts on or off for a conversation; true when they were on before. */
  async setAlerts(c: AlertChannel, enabled: boolean): Promise<boolean> {
    const before = await this.sql.all<{ enabled: boolean }>(
      'SELECT enabled FROM alert_channels WHERE channel = ?',
      [c.channel],
    );
    await this.sql.run('INSERT OR REPLACE INTO alert_channels VALUES (?, ?, ?, ?)', [
      c.channel,
      c.platform,
      c.reference,
      enabled,
    ]);
    return before[0]?.enabled === true;
  }

  async channels(): Promise<AlertChannel[]> {
    return this.sql.all<AlertChannel>(
      'SELECT channel, platform, reference FROM alert_channels WHERE enabled ORDER BY channel',
    );
  }

  async setBudget(channel: string, b: Budget): Promise<void> {
    await this.sql.run('INSERT OR REPLACE INTO budgets VALUES (?, ?, ?)', [
      channel,
      b.name,
      JSON.stringify(b),
    ]);
  }

  async removeBudget(channel: string, name: string): Promise<boolean> {
    const had = await this.sql.all('SELECT 1 FROM budgets WHERE channel = ? AND name = ?', [channel, name]);
    await this.sql.run('DELETE FROM budgets WHERE channel = ? AND name = ?', [channel, name]);
    return had.length > 0;
  }

  async budgets(channel: string): Promise<Budget[]> {
    const rows = await this.sql.all<{ budget: string }>(
      'SELECT budget FROM budgets WHERE channel = ? ORDER BY name',
      [channel],
    );
    return rows.map((r) => JSON.parse(r.budget) as Budget);
  }

  /** Claims an alert for posting; false when it was claimed or posted before (never post twice). */
  async claim(
    channel: string,
    alert: string,
    o: { scope?: string; firstDay?: string; lastDay?: string; direction?: string; totalImpact?: number } = {},
  ): Promise<boolean> {
    const had = await this.sql.all('SELECT 1 FROM alert_posts WHERE channel = ? AND alert = ?', [
      channel,
      alert,
    ]);
    if (had.length > 0) return false;
    await this.sql.run(
      `INSERT INTO alert_posts (channel, alert, status, scope, first_day, last_day, direction, total_impact) VALUES (?, ?, 'posting', ?, ?, ?, ?, ?)`,
      [
        channel,
        alert,
        o.scope ?? null,
        o.firstDay ?? null,
        o.lastDay ?? null,
        o.direction ?? null,
        o.totalImpact ?? null,
      ],
    );
    return true;
  }

  async posted(
    channel: string,
    alert: string,
    status: 'open' | 'closed' | 'posted',
    messageId: string,
  ): Promise<void> {
    await this.sql.run('UPDATE alert_posts SET status = ?, message_id = ? WHERE channel = ? AND alert = ?', [
      status,
      messageId,
      channel,
      alert,
    ]);
  }

  /**
   * Claims older than `ms` still `posting`: a process died between claiming and recording the post.
   * Released, so the next sync posts them (at worst a second copy of an alert, never a lost one).
   */
  async releaseStale(ms: number): Promise<void> {
    await this.sql.run(
      `DELETE FROM alert_posts WHERE status = 'posting' AND posted_at < now() - to_milliseconds(?)`,
      [ms],
    );
  }

  /** A claim whose post failed: forget it, so the next sync tries again. */
  async release(channel: string, alert: string): Promise<void> {
    await this.sql.run(`DELETE FROM alert_posts WHERE channel = ? AND alert = ? AND status = 'posting'`, [
      channel,
      alert,
    ]);
  }

  async update(
    channel: string,
    alert: string,
    o: { firstDay: string; lastDay: string; totalImpact: number; status: 'open' | 'closed' },
  ): Promise<void> {
    await this.sql.run(
      'UPDATE alert_posts SET first_day = ?, last_day = ?, total_impact = ?, status = ? WHERE channel = ? AND alert = ?',
      [o.firstDay, o.lastDay, o.totalImpact, o.status, channel, alert],
    );
  }

  /** Anomaly alerts of a channel (any status), for follow-ups, closings and overlaps. */
  async anomalies(channel: string): Promise<(AnomalyPost & { alert: string })[]> {
    return this.sql.all(
      `SELECT channel, alert, scope, first_day AS "firstDay", direction, last_day AS "lastDay", status, message_id AS "messageId", total_impact AS "totalImpact"
       FROM alert_posts WHERE channel = ? AND scope IS NOT NULL ORDER BY first_day`,
      [channel],
    );
  }
}
