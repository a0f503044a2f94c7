import type { Attachment } from '@handoff/core';

export interface MemoryTeam {
  id: string;
  name: string;
}

export interface MemoryAgent {
  id: string;
  name: string;
  teamIds: string[];
  /** Online and taking conversations. */
  available: boolean;
}

export interface MemoryUser {
  id: string;
  /** The bot-side user id. Unique. */
  externalId: string;
  name?: string;
  email?: string;
  phone?: string;
  attributes: Record<string, string | number | boolean>;
  createdAt: string;
}

export type MemoryAuthor = 'user' | 'bot' | 'note' | 'agent';

export interface MemoryMessage {
  id: string;
  author: MemoryAuthor;
  /** Agents see it, users never do (notes). */
  private: boolean;
  text: string;
  attachments?: Attachment[];
  /** The poster's idempotency key: a second post with the same key returns the first message. */
  sourceKey?: string;
  agentId?: string;
  createdAt: string;
}

/** `pending`: held back from agents; `open`: offered to them; `resolved`: done. */
export type MemoryConversationStatus = 'pending' | 'open' | 'resolved';

export interface MemoryConversation {
  id: string;
  userId: string;
  status: MemoryConversationStatus;
  teamId?: string;
  assigneeId?: string;
  /** The poster's key for the conversation (a handoff id), to find it again after a crash. */
  handoffKey?: string;
  attributes: Record<string, string | number | boolean>;
  /** Labels agents filter by; absent in state exported before labels existed. */
  labels?: string[];
  /** When agents were notified (at transfer). */
  notifiedAt?: string;
  messages: MemoryMessage[];
  createdAt: string;
  updatedAt: string;
}
