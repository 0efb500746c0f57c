/** What every Slack listener gets: the assistant, subscriptions, access, the work log, the clock. */

import type { Log } from '../../../log.js';
import type { Access } from '../../access.js';
import type { Assistant } from '../../assistant.js';
import type { CommandDeps } from '../../commands/handle.js';
import type { InFlight } from '../../in-flight.js';
import type { Metrics } from '../../metrics.js';
import type { SeenLog } from '../../seen-log.js';

export interface SlackDeps {
  assistant: Assistant;
  /** Who may do what, scopes, subscriptions and settings: shared with Teams. */
  commands: CommandDeps;
  access: Access;
  /** Work after the ack (building and posting a report): shutdown waits for it. */
  work: InFlight;
  /** Deliveries already answered (a retried command, a double click). */
  seen: SeenLog;
  today: () => string;
  log: Log;
  metrics?: Metrics;
  /** Waits for the server's first sync when it has not landed: null once it has, else why not. */
  untilSynced?: () => Promise<string | null>;
  /** Whether the first sync has yet to land (a question then says it waits for it). */
  firstSyncPending?: () => boolean;
  /**
   * SPENDBRIEF_SLACK_IMAGES=url: a chart's public URL (served by this app) instead of an upload,
   * so many digests at one minute do not queue behind the upload methods' rate tier.
   */
  chartUrl?: (png: Buffer) => Promise<string>;
}
