import type { HarnessConversation, HarnessMessage } from '@handoff/core';
import type { FakeConversation, FakeGroup, FakeMessage, FakeTicket } from './fake-records.js';
import type { FakeSunshine } from './fake-sunshine-server.js';

/**
 * The kit's view of a message: users are the user; the Agent Workspace's business messages are the
 * agent's; our silent messages (the notes, `destination: none`) are notes agents see and users never
 * do; every other business message is the bot's.
 */
function harnessMessage(message: FakeMessage): HarnessMessage {
  if (message.author.type === 'user') return { author: 'user', text: message.content.text, private: false };
  if (message.silent) return { author: 'note', text: message.content.text, private: true };
  if (message.source.type === 'zd:agentWorkspace')
    return { author: 'agent', text: message.content.text, private: false };
  return { author: 'bot', text: message.content.text, private: false };
}

/**
 * Held while our switchboard integration holds it (no ticket); open while the Agent Workspace does
 * (its ticket is in front of the agents); resolved once nobody holds it or the ticket is solved.
 */
function harnessStatus(
  fake: FakeSunshine,
  conversation: FakeConversation,
  ticket: FakeTicket | undefined,
): HarnessConversation['status'] {
  const active = conversation.activeSwitchboardIntegrationId;
  if (ticket !== undefined && (ticket.status === 'solved' || ticket.status === 'closed')) return 'resolved';
  if (active === fake.agentWorkspaceIntegration.id) return 'open';
  if (active === fake.ourSwitchboardIntegration.id) return 'held';
  return 'resolved';
}

export function harnessConversation(fake: FakeSunshine, conversation: FakeConversation): HarnessConversation {
  const ticket = fake.ticketOf(conversation.id);
  const group: FakeGroup | undefined =
    ticket?.groupId === undefined
      ? undefined
      : fake.groups().find((candidate) => candidate.id === ticket.groupId);
  const agentNotes = (ticket?.privateComments ?? []).map(
    (text): HarnessMessage => ({ author: 'note', text, private: true }),
  );
  return {
    conversationId: conversation.id,
    supportUserId: conversation.participants[0] ?? '',
    attributes: { ...conversation.metadata },
    status: harnessStatus(fake, conversation, ticket),
    agentsNotified: ticket !== undefined,
    ...(group === undefined ? {} : { team: { id: String(group.id), name: group.name } }),
    ...(ticket === undefined ? {} : { labels: [...ticket.tags] }),
    messages: [...conversation.messages.map(harnessMessage), ...agentNotes],
  };
}
