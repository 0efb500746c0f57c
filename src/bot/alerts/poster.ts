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

import { isUp } from '../../analytics/alerts/anomalies.js';
import { addDays, daysBetween } from '../../analytics/alerts/series.js';
import { describeError } from '../../errors.js';
import type { AlertCheck, BudgetAlert } from '../../reports/alerts/check.js';
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

/** A claim this old is a post cut short by a crash: released, so the alert is not lost. */
const STALE_CLAIM_MS = 60 * 60 * 1000;

export class AlertPoster {
  constructor(
    private readonly o: {
      store: AlertStore;
      surfaces: Partial<Record<Platform, AlertSurface>>;
      render: (report: Report) => Promise<RenderedReport>;
      log: (line: string) => void;
      /** Told of each alert posted (a new message; follow-ups apart). */
      posted?: (platform: Platform, kind: 'anomaly' | 'budget') => void;
    },
  ) {}

  /**
   * Posts what is new for every channel with alerts on (or only `channels`: those of the scope the
   * check was made for). Never rejects.
   */
  async deliver(check: AlertCheck, budgets: Map<string, BudgetAlert[]>, channels?: string[]): Promise<void> {
    await this.o.store.releaseStale(STALE_CLAIM_MS);
    // One render (charts included) per report, however many channels post it.
    const renders = new Map<Report, Promise<RenderedReport>>();
    const render = (r: Report) => {
      if (!renders.has(r)) renders.set(r, this.o.render(r));
      return renders.get(r)!;
    };
    for (const c of await this.o.store.channels()) {
      if (channels && !channels.includes(c.channel)) continue;
      const surface = this.o.surfaces[c.platform];
      if (!surface) continue;
      try {
        await this.anomalies(c, surface, check, render);
        for (const b of budgets.get(c.channel) ?? []) await this.budget(c, surface, b, render);
      } catch (e) {
        this.o.log(`alerts: ${c.channel}: ${describeError(e)}`);
      }
    }
  }

  private async anomalies(
    c: AlertChannel,
    surface: AlertSurface,
    check: AlertCheck,
    render: (r: Report) => Promise<RenderedReport>,
  ): Promise<void> {
    // The last day an anomaly of each direction could still be going on (drops are never judged
    // on the latest day with data, which may be partial).
    const lastOf = (dir: string) => (dir === 'up' ? check.lastJudgedDay : check.lastJudgedDownDay);
    const posted = await this.o.store.anomalies(c.channel);
    for (const { anomaly: a, scope, report } of check.anomalies) {
      const dir = isUp(a.direction) ? 'up' : 'down';
      const same = posted.find(
        (p) =>
          p.scope === scope &&
          p.direction === dir &&
          p.firstDay <= addDays(a.lastDay, 1) &&
          a.day <= addDays(p.lastDay, 1),
      );
      if (same) {
        if (same.status === 'open' && a.lastDay > same.lastDay && same.messageId) {
          // A run that grew and already ended gets only the closing reply (below), with these figures.
          if (a.lastDay >= lastOf(dir))
            await surface.reply(
              c,
              same.messageId,
              `Still going on ${a.lastDay}: ${formatSignedMoney(a.totalImpact, check.currency)} since ${a.day} over ${a.days} day${a.days === 1 ? '' : 's'}.`,
            );
          await this.o.store.update(c.channel, same.alert, {
            firstDay: a.day,
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
      try {
        const id = await surface.post(c, await render(report));
        await this.o.store.posted(c.channel, alert, a.lastDay >= lastOf(dir) ? 'open' : 'closed', id);
        this.o.posted?.(c.platform, 'anomaly');
        this.o.log(`alerts: posted ${alert} to ${c.channel}`);
      } catch (e) {
        await this.o.store.release(c.channel, alert);
        throw e;
      }
    }
    // Open anomalies that no longer reach the last day they could be judged on have ended: one
    // closing reply, with the figures as they stand after this sync.
    for (const p of await this.o.store.anomalies(c.channel)) {
      if (p.status !== 'open' || !p.messageId || p.lastDay >= lastOf(p.direction)) continue;
      await surface.reply(
        c,
        p.messageId,
        `${daysBetween(p.firstDay, p.lastDay) + 1 >= 7 ? `Settled at a new level after ${p.lastDay} (a week at it is the new normal)` : `Back to normal after ${p.lastDay}`}: ${formatSignedMoney(p.totalImpact, check.currency)} in all from ${p.firstDay} to ${p.lastDay}.`,
      );
      await this.o.store.update(c.channel, p.alert, {
        firstDay: p.firstDay,
        lastDay: p.lastDay,
        totalImpact: p.totalImpact,
        status: 'closed',
      });
    }
  }

  private async budget(
    c: AlertChannel,
    surface: AlertSurface,
    b: BudgetAlert,
    render: (r: Report) => Promise<RenderedReport>,
  ): Promise<void> {
    const fresh = [];
    for (const t of b.crossed) {
      const alert = `budget:${b.status.budget.name}:${b.status.period.start}:${t.kind}:${t.percent}`;
      if (await this.o.store.claim(c.channel, alert)) fresh.push(alert);
    }
    if (!fresh.length) return;
    try {
      const id = await surface.post(c, await render(b.report));
      for (const alert of fresh) await this.o.store.posted(c.channel, alert, 'posted', id);
      this.o.posted?.(c.platform, 'budget');
    } catch (e) {
      for (const alert of fresh) await this.o.store.release(c.channel, alert);
      throw e;
    }
  }
}
