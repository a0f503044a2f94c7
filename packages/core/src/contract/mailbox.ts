// The mailbox port: every outbound message of every user, in order, so a client that was away
// can read what it missed.
import type { OutboundMessage } from '../session/handoff-session.js';

/** An outbound message as kept for a user: its place in their stream and the message. */
export interface MailboxEntry {
  /** Grows with every new message of the user (not necessarily by one); never reused. */
  sequence: number;
  message: OutboundMessage;
}

/**
 * Every outbound message of every user, in order, so a client that was away (no event stream, a
 * lost callback) can fetch what it missed: nothing sent to a user lives only in a socket.
 */
export interface Mailbox {
  /**
   * Stores `message` once per message id and user; `fresh` is false when it was already there
   * (the entry then keeps its first sequence and content).
   */
  append(userKey: string, message: OutboundMessage): Promise<MailboxEntry & { fresh: boolean }>;
  /** The user's entries after `sequence`, oldest first, at most `limit` (default 500). */
  after(userKey: string, sequence: number, limit?: number): Promise<MailboxEntry[]>;
}
