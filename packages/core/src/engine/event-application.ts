import type { SupportEvent } from '../schemas/support-event.js';
import type { EngineContext } from './engine-context.js';
import { enqueueForChannel, giveBackToBot } from './handoff-steps.js';
import type { NewOutboxItem } from './outbox.js';

const rememberedAgentMessages = 500;

async function relayTyping(
  context: EngineContext,
  key: string,
  event: Extract<SupportEvent, { type: 'agent.typing' }>,
) {
  const session = (await context.sessions.get(key))?.session;
  // Typing follows ownership: only while a human holds the session.
  if (session?.mode !== 'human' || session.conversation?.conversationId !== event.conversationId) return;
  try {
    await context.channel.typing?.({
      channelId: session.channelId,
      userId: session.userId,
      typing: event.typing,
      agent: event.agent,
    });
  } catch {
    // Typing is best effort; a failed indicator must not fail the webhook.
  }
}

async function applyEvent(context: EngineContext, key: string, event: SupportEvent) {
  if (event.type === 'agent.typing') return relayTyping(context, key, event);
  await context.update<void>(key, (session) => {
    if (session?.conversation?.conversationId !== event.conversationId) return { skip: undefined };
    const items: NewOutboxItem[] = [];
    switch (event.type) {
      case 'agent.message': {
        const seen = session.agentMessageIds ?? [];
        if (seen.includes(event.message.id)) return { skip: undefined };
        session.agentMessageIds = [...seen, event.message.id].slice(-rememberedAgentMessages);
        // An agent writing takes the session, even before a transfer (continuous mirroring).
        session.mode = 'human';
        if (session.handoff !== undefined) session.handoff.agentEngaged = true;
        if (event.message.text.length > 0) session.lastAgentMessage = event.message.text.slice(0, 2_000);
        enqueueForChannel(
          context,
          session,
          {
            id: `agent:${event.conversationId}:${event.message.id}`,
            kind: 'agent',
            text: event.message.text,
            ...(event.message.attachments === undefined ? {} : { attachments: event.message.attachments }),
            agent: event.agent,
            createdAt: event.occurredAt ?? context.now().toISOString(),
          },
          items,
        );
        break;
      }
      case 'agent.note':
        // Never shown to the user; the bot gets the last one as a summary when it takes over again.
        if (event.note.text.length === 0) return { skip: undefined };
        session.lastAgentNote = event.note.text.slice(0, 2_000);
        break;
      case 'agent.assigned': {
        const name = event.agent?.name;
        if (session.mode !== 'human' || name === undefined) return { skip: undefined };
        if (session.handoff !== undefined) session.handoff.agentEngaged = true;
        enqueueForChannel(
          context,
          session,
          context.notice(
            session,
            'agentJoined',
            `agent-joined:${event.conversationId}:${event.agent?.id ?? name}`,
            {
              agent: name,
            },
          ),
          items,
        );
        break;
      }
      case 'conversation.closed': {
        const conversationId = event.conversationId;
        if (session.mode === 'bot') {
          // A mirrored conversation closed while the bot held the session: mirror into a new one.
          session.previousConversation = { handoffId: session.conversation.handoffId, conversationId };
          delete session.conversation;
          break;
        }
        giveBackToBot(context, session, 'agent_closed', items);
        if (event.closedBy !== 'bot') {
          enqueueForChannel(
            context,
            session,
            context.notice(session, 'agentClosed', `agent-closed:${conversationId}`),
            items,
          );
        }
        break;
      }
    }
    return { session, items, result: undefined };
  });
}

/** Applies verified support events, each to the session whose current conversation it concerns. */
export async function applyEvents(context: EngineContext, events: readonly SupportEvent[]): Promise<void> {
  for (const event of events) {
    const key = await context.sessions.findKeyByConversation(event.conversationId);
    if (key === undefined) {
      context.telemetry({
        type: 'event.unmatched',
        eventType: event.type,
        conversationId: event.conversationId,
      });
      continue;
    }
    await context.serialize(key, () => applyEvent(context, key, event));
  }
}
