/**
 * After every sync: new anomalies and crossed budget thresholds go to the conversations that
 * turned alerts on (alerts note, "Lifecycle").
 *
 *   new anomaly      one message with its chart and drivers; claimed in the store before it is
 *                    posted, so a restart or a second sync never posts it twice; an anomaly that
 *                    overlaps or touches one already posted (a restated day moved its start) is
 *                    the same anomaly
 *   while it lasts   later days are one reply in its thread
 *   when it ends     one closing reply with the total impact
 *   budgets          each threshold once per period, name and kind
 * A post that fails releases its claim: the next sync tries again.
 */

import { describeError } from '../../errors.js';
import type { AlertCheck } from '../../reports/alerts-check.js';
import { formatSignedMoney } from '../../reports/format.js';
import type { Report } from '../../reports/report.js';
import type { RenderedReport } from '../assistant.js';
import type { Platform } from '../scheduler/store.js';
import type { AlertChannel, AlertStore } from './store.js';

export interface AlertSurface {
  /** A new message in the conversation; returns the id its replies thread under. */
  post(c: AlertChannel, rendered: RenderedReport): Promise<string>;
  reply(c: AlertChannel, threadId: string, text: string): Promise<void>;
}

const up = (d: string) => (d === 'spike' || d === 'new' ? 'up' : 'down');

export class AlertPoster {
  constructor(
    private readonly o: {
      store: AlertStore;
      surfaces: Partial<Record<Platform, AlertSurface>>;
      render: (report: Report) => Promise<RenderedReport>;
      log: (line: string) => void;
    },
  ) {}

  /** Posts what is new for every channel with alerts on. Never rejects. */
  async deliver(check: AlertCheck, budgets: Map<string, AlertCheck['budgets']>): Promise<void> {
    for (const c of await this.o.store.channels()) {
      const surface = this.o.surfaces[c.platform];
      if (!surface) continue;
      try {
        await this.anomalies(c, surface, check);
        for (const b of budgets.get(c.channel) ?? []) await this.budget(c, surface, b);
      } catch (e) {
        this.o.log(`alerts: ${c.channel}: ${describeError(e)}`);
      }
    }
  }

  private async anomalies(c: AlertChannel, surface: AlertSurface, check: AlertCheck): Promise<void> {
    const posted = await this.o.store.anomalies(c.channel);
    const seen = new Set<string>();
    for (const { anomaly: a, scope, report } of check.anomalies) {
      const dir = up(a.direction);
      const same = posted.find(
        (p) =>
          p.scope === scope &&
          p.direction === dir &&
          p.firstDay <= next(a.lastDay) &&
          a.day <= next(p.lastDay),
      );
      if (same) {
        seen.add(same.alert);
        if (same.status === 'open' && a.lastDay > same.lastDay && same.messageId) {
          await surface.reply(
            c,
            same.messageId,
            `Still going on ${a.lastDay}: ${formatSignedMoney(a.totalImpact, check.currency)} since ${a.day} over ${a.days} day${a.days === 1 ? '' : 's'}.`,
          );
          await this.o.store.update(c.channel, same.alert, {
            lastDay: a.lastDay,
            totalImpact: a.totalImpact,
            status: 'open',
          });
        }
        continue;
      }
      const alert = `anomaly:${scope}:${a.day}:${dir}`;
      if (
        !(await this.o.store.claim(c.channel, alert, {
          scope,
          firstDay: a.day,
          lastDay: a.lastDay,
          direction: dir,
          totalImpact: a.totalImpact,
        }))
      )
        continue;
      seen.add(alert);
      try {
        const id = await surface.post(c, await this.o.render(report));
        await this.o.store.posted(c.channel, alert, a.lastDay >= check.lastJudgedDay ? 'open' : 'closed', id);
        this.o.log(`alerts: posted ${alert} to ${c.channel}`);
      } catch (e) {
        await this.o.store.release(c.channel, alert);
        throw e;
      }
    }
    // Open anomalies that no longer reach the last judged day have ended: one closing reply.
    for (const p of posted) {
      if (p.status !== 'open' || !p.messageId) continue;
      const still = check.anomalies.some(
        ({ anomaly: a, scope }) =>
          scope === p.scope &&
          up(a.direction) === p.direction &&
          a.lastDay >= check.lastJudgedDay &&
          a.day <= next(p.lastDay),
      );
      if (still || p.lastDay >= check.lastJudgedDay) continue;
      await surface.reply(
        c,
        p.messageId,
        `Back to normal after ${p.lastDay}: ${formatSignedMoney(p.totalImpact, check.currency)} in all from ${p.firstDay} to ${p.lastDay}.`,
      );
      await this.o.store.update(c.channel, p.alert, {
        lastDay: p.lastDay,
        totalImpact: p.totalImpact,
        status: 'closed',
      });
    }
  }

  private async budget(
    c: AlertChannel,
    surface: AlertSurface,
    b: AlertCheck['budgets'][number],
  ): Promise<void> {
    const fresh = [];
    for (const t of b.crossed) {
      const alert = `budget:${b.status.budget.name}:${b.status.period.start}:${t.kind}:${t.percent}`;
      if (await this.o.store.claim(c.channel, alert)) fresh.push(alert);
    }
    if (!fresh.length) return;
    try {
      const id = await surface.post(c, await this.o.render(b.report));
      for (const alert of fresh) await this.o.store.posted(c.channel, alert, 'posted', id);
    } catch (e) {
      for (const alert of fresh) await this.o.store.release(c.channel, alert);
      throw e;
    }
  }
}

const next = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
