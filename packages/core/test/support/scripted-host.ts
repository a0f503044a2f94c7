// Test driver: an in-process support system that hosts the bot (internal mode).

import type { BotHostAdapter } from '../../src/contract/bot-host-adapter.js';
import { SupportError } from '../../src/errors/support-error.js';
import type { BotHostEvent, ConversationHolder } from '../../src/schemas/bot-host-event.js';
import type { TranscriptMessage } from '../../src/schemas/transcript-message.js';

interface HostedConversation {
  holder: ConversationHolder;
  team?: string;
  labels: string[];
  notes: string[];
  botMessages: TranscriptMessage[];
}

/**
 * An in-process host for host-engine tests: webhook bodies are JSON arrays of events (no
 * signature); it keeps who holds each conversation and what the bot posted, and can fail calls.
 */
export function createScriptedHost(settings: { teams?: readonly string[] } = {}) {
  const teams = new Set(settings.teams ?? ['1', '2', '3']);
  const conversations = new Map<string, HostedConversation>();
  const failures: Array<{ operation: 'replyAsBot' | 'handOff'; error: SupportError }> = [];
  const calls: Array<{ operation: string; conversationId: string }> = [];

  const conversation = (id: string): HostedConversation => {
    let found = conversations.get(id);
    if (found === undefined) {
      found = { holder: 'bot', labels: [], notes: [], botMessages: [] };
      conversations.set(id, found);
    }
    return found;
  };
  const failIfAsked = (operation: 'replyAsBot' | 'handOff') => {
    const index = failures.findIndex((failure) => failure.operation === operation);
    if (index >= 0) throw failures.splice(index, 1)[0]?.error;
  };

  const host: BotHostAdapter = {
    provider: 'scripted-host',
    async handleBotWebhook({ body }) {
      const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
      return { events: JSON.parse(text) as BotHostEvent[] };
    },
    async replyAsBot({ conversationId, messages }) {
      calls.push({ operation: 'replyAsBot', conversationId });
      failIfAsked('replyAsBot');
      const target = conversation(conversationId);
      if (target.holder !== 'bot') return { delivered: false, posted: [] };
      const fresh = messages.filter(
        (message) => !target.botMessages.some((posted) => posted.id === message.id),
      );
      target.botMessages.push(...fresh);
      return {
        delivered: true,
        posted: fresh.map((message) => ({ id: message.id, supportMessageId: `s-${message.id}` })),
      };
    },
    async handOff({ conversationId, team, note, labels }) {
      calls.push({ operation: 'handOff', conversationId });
      failIfAsked('handOff');
      if (!teams.has(team)) {
        throw new SupportError({
          code: 'not_found',
          message: `no team ${team}`,
          provider: 'scripted-host',
          operation: 'handOff',
        });
      }
      const target = conversation(conversationId);
      target.team = team;
      if (!target.notes.includes(note)) target.notes.push(note);
      target.labels = [...new Set([...target.labels, ...(labels ?? [])])];
      target.holder = 'human';
      return { team: { id: team } };
    },
  };

  return {
    host,
    calls,
    conversation: (id: string) => conversation(id),
    setHolder(id: string, holder: ConversationHolder) {
      conversation(id).holder = holder;
    },
    failNext(operation: 'replyAsBot' | 'handOff', error: SupportError) {
      failures.push({ operation, error });
    },
  };
}
