import type { FakeSunshineContext } from './fake-context.js';
import { addMessage } from './fake-message-routes.js';
import type { FakeConversation } from './fake-records.js';
import { agentWorkspaceIntegration, findTicket } from './fake-state.js';
import { solveTicket } from './fake-switchboard.js';
import { conversationTruncatedView } from './fake-views.js';
import { reachesUs } from './fake-webhook-delivery.js';

/**
 * What a Zendesk agent does in the Agent Workspace, as the conversation shows it: replies are
 * business messages from the `zd:agentWorkspace` source with the agent's name and Zendesk ids in
 * `__zendesk_msg` metadata; typing is a `conversation:typing` of a business author; notes are
 * ticket comments (no Sunshine webhook); solving the ticket hands the conversation on.
 */
export function createAgentWorkspace(context: FakeSunshineContext) {
  const { state } = context;
  return {
    reply(conversation: FakeConversation, text: string) {
      const ticket = findTicket(state, conversation.ticketId);
      return addMessage(context, conversation, {
        author: { type: 'business', displayName: state.agent.name, subtypes: [] },
        content: { type: 'text', text },
        source: {
          type: 'zd:agentWorkspace',
          integrationId: state.switchboardIntegrations[1]?.integrationId ?? '',
        },
        metadata: {
          '__zendesk_msg.agent.id': String(state.agent.id),
          ...(ticket === undefined ? {} : { '__zendesk_msg.ticket.id': String(ticket.id) }),
        },
        silent: false,
      });
    },
    note(conversation: FakeConversation, text: string) {
      findTicket(state, conversation.ticketId)?.privateComments.push(text);
    },
    typing(conversation: FakeConversation, typing: boolean) {
      if (!reachesUs(state, conversation)) return;
      context.webhooks.emit([
        {
          type: 'conversation:typing',
          payload: {
            conversation: conversationTruncatedView(state, conversation),
            activity: {
              type: typing ? 'typing:start' : 'typing:stop',
              author: { type: 'business', displayName: state.agent.name },
              source: {
                type: 'zd:agentWorkspace',
                integrationId: agentWorkspaceIntegration(state).integrationId,
              },
            },
          },
        },
      ]);
    },
    assign(conversation: FakeConversation) {
      const ticket = findTicket(state, conversation.ticketId);
      if (ticket === undefined) throw new Error(`the fake has no ticket for conversation ${conversation.id}`);
      ticket.assigneeId = state.agent.id;
      if (ticket.status === 'new') ticket.status = 'open';
    },
    solve(conversation: FakeConversation) {
      solveTicket(context, conversation);
    },
  };
}

export type AgentWorkspace = ReturnType<typeof createAgentWorkspace>;
