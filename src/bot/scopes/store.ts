/**
 * Channel scopes in the DuckDB state file, beside subscriptions and budgets: the where list a
 * manager bound to a Slack channel or a Teams team/chat, who bound it and when. They survive
 * restarts; every request, digest, alert and budget of the channel is confined to its scope.
 */
import type { Where } from '../../analytics/scope.js';
import type { SqlRunner } from '../../integrations/warehouse/port.js';
import type { Platform } from '../scheduler/store.js';

export interface ChannelScope {
  channel: string;
  platform: Platform;
  where: Where;
  setBy: string;
  setAt: string;
}

export class ScopeStore {
  constructor(private readonly sql: SqlRunner) {}

  async init(): Promise<void> {
    await this.sql.run(`CREATE TABLE IF NOT EXISTS channel_scopes (
      channel VARCHAR PRIMARY KEY, platform VARCHAR NOT NULL, where_json VARCHAR NOT NULL,
      set_by VARCHAR NOT NULL, set_at TIMESTAMPTZ NOT NULL)`);
  }

  async get(channel: string): Promise<ChannelScope | null> {
    const [r] = await this.sql.all<{
      platform: Platform;
      where_json: string;
      set_by: string;
      set_at: string;
    }>(
      `SELECT platform, where_json, set_by, strftime(set_at, '%Y-%m-%dT%H:%M:%SZ') AS set_at FROM channel_scopes WHERE channel = ?`,
      [channel],
    );
    return r
      ? {
          channel,
          platform: r.platform,
          where: JSON.parse(r.where_json) as Where,
          setBy: r.set_by,
          setAt: r.set_at,
        }
      : null;
  }

  async set(s: Omit<ChannelScope, 'setAt'>, now: Date): Promise<void> {
    await this.sql.run('INSERT OR REPLACE INTO channel_scopes VALUES (?, ?, ?, ?, ?)', [
      s.channel,
      s.platform,
      JSON.stringify(s.where),
      s.setBy,
      now.toISOString(),
    ]);
  }

  async remove(channel: string): Promise<boolean> {
    const had = await this.get(channel);
    await this.sql.run('DELETE FROM channel_scopes WHERE channel = ?', [channel]);
    return had !== null;
  }
}
