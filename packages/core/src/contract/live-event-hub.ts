// The live-event port: what a user's open event streams are told, from whichever instance.
import type { ChannelTyping } from './channel-sink.js';
import type { MailboxEntry } from './mailbox.js';

/**
 * What live event streams are told: a stored message, a typing change, or `resync` (events may
 * have been missed: read the mailbox after the last message sent).
 */
export type LiveEvent =
  | { type: 'message'; entry: MailboxEntry }
  | { type: 'typing'; typing: ChannelTyping }
  | { type: 'resync' };

export type LiveEventListener = (event: LiveEvent) => void;

/**
 * Live listeners (server-sent event streams) per user, fed by every instance of a host. At most
 * once: the mailbox stays the record, and a hub that may have lost events says `resync`.
 */
export interface LiveEventHub {
  /** Resolves, with the unsubscribe function, once events published from now on reach `listener`. */
  subscribe(userKey: string, listener: LiveEventListener): Promise<() => void>;
  /** Tells every listener of `userKey`, on whichever instance it is connected, in publish order. */
  publish(userKey: string, event: LiveEvent): Promise<void>;
  /** Listeners connected to this instance. */
  readonly connections: number;
  close(): Promise<void>;
}
