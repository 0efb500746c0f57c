/** What every Slack listener gets: the assistant, subscriptions, the clock and a logger. */
import type { Assistant } from '../../assistant.js';
import type { Subscription } from '../../scheduler/store.js';
import type { Seen } from '../dedupe.js';

export interface Subscriptions {
  subscribe(s: Subscription): Promise<void>;
  unsubscribe(channel: string): Promise<boolean>;
}

export interface SlackDeps {
  assistant: Assistant;
  subscriptions: Subscriptions;
  today: () => string;
  log: (line: string) => void;
  seen: Seen;
}
