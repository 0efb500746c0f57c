/** What every Slack listener gets: the assistant, subscriptions, access, the work log, the clock. */
import type { Access } from '../../access.js';
import type { Assistant } from '../../assistant.js';
import type { CommandDeps } from '../../commands/handle.js';
import type { InFlight } from '../../in-flight.js';
import type { Subscription } from '../../scheduler/store.js';
import type { SeenLog } from '../../seen-log.js';

export interface Subscriptions {
  subscribe(s: Subscription): Promise<void>;
  unsubscribe(channel: string): Promise<boolean>;
}

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
  log: (line: string) => void;
}
