// What the model saw of a user's conversation, kept between turns in a bot-state store: the latest
// turns (bounded, whole turns so tool calls keep their results) and what the human part left.

import type { BotStateStore } from '@handoff/core';
import type { ModelMessage } from 'ai';

/** One user message and what the model did with it. */
export interface RememberedTurn {
  messageId: string;
  /** The bot session the turn belongs to (the unfinished skills count only the current one's). */
  sessionId: string;
  messages: ModelMessage[];
}

/** A user's conversation as the model sees it. */
interface RememberedConversation {
  /** The bot session the turns were last written in. */
  sessionId: string;
  /** What the last human part left, told to the model until the next handoff ends. */
  humanPart?: string;
  turns: RememberedTurn[];
}

export interface ConversationMemory {
  load(key: string): Promise<RememberedConversation | undefined>;
  save(key: string, conversation: RememberedConversation): Promise<void>;
}

/** Most users an in-process store remembers; the least recently used are forgotten first. */
const inProcessLimit = 10_000;

/** A bot-state store in process memory, for one process (tests, the demo, a single instance). */
export function createInProcessBotState(): BotStateStore {
  const entries = new Map<string, string>();
  return {
    async get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    async put(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > inProcessLimit) entries.delete(entries.keys().next().value as string);
    },
  };
}

function isRemembered(value: unknown): value is RememberedConversation {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<RememberedConversation>;
  return typeof candidate.sessionId === 'string' && Array.isArray(candidate.turns);
}

/** Keeps the latest whole turns within `maxMessages` (always the latest turn, however long). */
export function boundTurns(turns: readonly RememberedTurn[], maxMessages: number): RememberedTurn[] {
  const kept: RememberedTurn[] = [];
  let count = 0;
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const turn = turns[index] as RememberedTurn;
    if (kept.length > 0 && count + turn.messages.length > maxMessages) break;
    kept.unshift(turn);
    count += turn.messages.length;
  }
  return kept;
}

/** The memory over a bot-state store; an entry it cannot read is started afresh, never a failure. */
export function createConversationMemory(state: BotStateStore): ConversationMemory {
  return {
    async load(key) {
      const stored = await state.get(key);
      if (stored === undefined) return undefined;
      try {
        const parsed: unknown = JSON.parse(stored);
        return isRemembered(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async save(key, conversation) {
      await state.put(key, JSON.stringify(conversation));
    },
  };
}
