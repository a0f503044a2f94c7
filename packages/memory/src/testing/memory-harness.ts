import { randomBytes } from 'node:crypto';
import type {
  Attachment,
  HarnessConversation,
  HarnessFault,
  HarnessUser,
  SupportHarness,
  Team,
  WebhookRequest,
} from '@handoff/core';
import {
  createMemorySupportSystem,
  type MemorySupportSystem,
  type MemorySupportSystemSettings,
} from '../system/memory-support-system.js';
import type { MemoryConversation } from '../system/records.js';

/** The conformance harness of the in-process system, with the system itself for adapters to use. */
export interface MemoryHarness extends SupportHarness {
  readonly system: MemorySupportSystem;
  /** The credentials the system accepts, for the adapter's settings (new ones for each harness). */
  readonly credentials: { apiToken: string; webhookSecret: string };
  readonly secrets: readonly string[];
}

const statusOf: Record<MemoryConversation['status'], HarnessConversation['status']> = {
  pending: 'held',
  open: 'open',
  resolved: 'resolved',
};

/**
 * A fresh in-process support system and the kit's independent view of it: state read straight from
 * the system, agent actions through its agent-side API, webhooks as the system sends them.
 */
export function createMemoryHarness(settings: MemorySupportSystemSettings = {}): MemoryHarness {
  // Canaries: credentials no other harness uses, so one found in an error or a log line leaked.
  const credentials = {
    apiToken: settings.apiToken ?? `memory-api-${randomBytes(12).toString('hex')}`,
    webhookSecret: settings.webhookSecret ?? `memory-hook-${randomBytes(12).toString('hex')}`,
  };
  const system = createMemorySupportSystem({ ...settings, ...credentials });
  const recorder = system.record();
  const unclaimed: WebhookRequest[] = [];
  const agentId = system.agents()[0]?.id;
  if (agentId === undefined) throw new Error('the harness needs a system with at least one agent');
  const agentName = system.agents()[0]?.name ?? '';

  /** Runs an agent action and returns exactly the webhooks it caused. */
  const act = async (action: () => void): Promise<WebhookRequest[]> => {
    await system.idle();
    unclaimed.push(...recorder.take());
    action();
    await system.idle();
    return recorder.take();
  };

  return {
    system,
    credentials,
    secrets: [credentials.apiToken, credentials.webhookSecret],
    agentName,
    features: { retryAfterHint: true, lostAnswers: true },
    async teams(): Promise<Team[]> {
      return system.teams();
    },
    async findUsers({ externalId }): Promise<HarnessUser[]> {
      return system.findUsers({ externalId }).map((user) => ({
        supportUserId: user.id,
        externalId: user.externalId,
        ...(user.name === undefined ? {} : { name: user.name }),
        ...(user.email === undefined ? {} : { email: user.email }),
      }));
    },
    async getConversation(conversationId) {
      const conversation = system.getConversation(conversationId);
      if (conversation === undefined) return undefined;
      const team =
        conversation.teamId === undefined
          ? undefined
          : system.teams().find((candidate) => candidate.id === conversation.teamId);
      return {
        conversationId: conversation.id,
        supportUserId: conversation.userId,
        attributes: { ...conversation.attributes },
        status: statusOf[conversation.status],
        agentsNotified: conversation.notifiedAt !== undefined,
        ...(conversation.teamId === undefined
          ? {}
          : { team: { id: conversation.teamId, ...(team === undefined ? {} : { name: team.name }) } }),
        labels: conversation.labels ?? [],
        messages: conversation.messages.map((message) => ({
          author: message.author,
          text: message.text,
          private: message.private,
          ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
        })),
      };
    },
    async setTeamAvailability(teamId, available) {
      for (const agent of system.agents()) {
        if (agent.teamIds.includes(teamId)) system.setAgentAvailability(agent.id, available);
      }
    },
    async unknownConversationId() {
      return system.unknownConversationId();
    },
    agentReply(conversationId, reply: { text: string; attachments?: Attachment[] }) {
      return act(() => system.reply(conversationId, { ...reply, agentId }));
    },
    agentNote(conversationId, text) {
      return act(() => system.note(conversationId, { text, agentId }));
    },
    agentTyping(conversationId, typing) {
      return act(() => system.typing(conversationId, { typing, agentId }));
    },
    assignAgent(conversationId) {
      return act(() => system.assign(conversationId, { agentId }));
    },
    resolve(conversationId) {
      return act(() => system.resolve(conversationId, { agentId }));
    },
    reopen(conversationId) {
      return act(() => system.reopen(conversationId, { agentId }));
    },
    async conversationsOf(supportUserId) {
      return system
        .listConversations()
        .filter((conversation) => conversation.userId === supportUserId)
        .map((conversation) => conversation.id);
    },
    async takeWebhooks() {
      await system.idle();
      return [...unclaimed.splice(0), ...recorder.take()];
    },
    injectFault(fault: HarnessFault, options = {}) {
      system.injectFault(fault, options);
    },
    clearFaults() {
      return system.clearFaults();
    },
    async close() {
      recorder.stop();
    },
  };
}
