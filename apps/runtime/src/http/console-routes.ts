import type { MemoryConversation, MemorySupportSystem } from '@handoff/memory';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  consoleAgentBodySchema,
  consoleAgentParamsSchema,
  consoleAvailabilityBodySchema,
  consoleConversationParamsSchema,
  consoleListQuerySchema,
  consoleNoteBodySchema,
  consoleReplyBodySchema,
  consoleTypingBodySchema,
} from './console-api-schemas.js';
import { HttpProblem, parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';

function summary(system: MemorySupportSystem, conversation: MemoryConversation) {
  const user = system.getUser(conversation.userId);
  const team = system.teams().find((candidate) => candidate.id === conversation.teamId);
  const assignee = system.agents().find((agent) => agent.id === conversation.assigneeId);
  const last = conversation.messages.at(-1);
  return {
    id: conversation.id,
    status: conversation.status,
    team: team === undefined ? null : { id: team.id, name: team.name },
    assignee: assignee === undefined ? null : { id: assignee.id, name: assignee.name },
    labels: conversation.labels ?? [],
    user: user === undefined ? null : { id: user.id, externalId: user.externalId, name: user.name ?? null },
    lastMessage:
      last === undefined
        ? null
        : { author: last.author, text: last.text.slice(0, 200), createdAt: last.createdAt },
    updatedAt: conversation.updatedAt,
  };
}

/**
 * The agent side of the in-process support system, for the try-it console and for trying the loop
 * with curl: list conversations by team and status, read a transcript, reply, type, assign,
 * resolve. Only present when the runtime runs the in-process system.
 */
export function registerConsoleRoutes(app: FastifyInstance, context: RouteContext) {
  const system = context.support.memory;
  if (system === undefined) return;
  const authorized = (request: FastifyRequest) => context.auth.authenticate(request.headers.authorization);
  /** The conversation a request names, looked up only once the whole request is valid. */
  const conversationNamed = (id: string) => {
    const conversation = system.getConversation(id);
    if (conversation === undefined) throw new HttpProblem(404, 'not_found', `no conversation ${id}`);
    return conversation;
  };
  const conversationParams = (request: FastifyRequest) =>
    parseRequest(consoleConversationParamsSchema, request.params, 'path');
  const checkAgent = (agentId: string | undefined, field = 'agentId') => {
    if (agentId !== undefined && !system.agents().some((agent) => agent.id === agentId)) {
      const message = `no agent ${agentId}`;
      throw new HttpProblem(400, 'invalid_request', `${field}: ${message}`, [{ path: 'agentId', message }]);
    }
  };

  app.get('/v1/console/teams', async (request) => {
    authorized(request);
    return { teams: system.teams(), agents: system.agents() };
  });

  app.get('/v1/console/conversations', async (request) => {
    authorized(request);
    const query = parseRequest(consoleListQuerySchema, request.query, 'query');
    const conversations = system
      .listConversations(query)
      .sort((left, right) => right.updatedAt.localeCompare(left.updatedAt))
      .map((conversation) => summary(system, conversation));
    return { conversations };
  });

  app.get('/v1/console/conversations/:id', async (request) => {
    authorized(request);
    const conversation = conversationNamed(conversationParams(request).id);
    return {
      ...summary(system, conversation),
      attributes: conversation.attributes,
      messages: conversation.messages.map((message) => ({
        id: message.id,
        author: message.author,
        private: message.private,
        text: message.text,
        attachments: message.attachments ?? [],
        agent:
          message.agentId === undefined
            ? null
            : (system.agents().find((agent) => agent.id === message.agentId)?.name ?? null),
        createdAt: message.createdAt,
      })),
    };
  });

  app.post('/v1/console/conversations/:id/reply', async (request) => {
    authorized(request);
    const { id } = conversationParams(request);
    const body = parseRequest(consoleReplyBodySchema, request.body, 'body');
    const conversation = conversationNamed(id);
    checkAgent(body.agentId);
    const message = system.reply(conversation.id, {
      text: body.text,
      ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
      ...(body.agentId === undefined ? {} : { agentId: body.agentId }),
    });
    // Saved before it is answered: a 200 means a restart will still have it.
    await system.idle();
    return { messageId: message.id };
  });

  app.post('/v1/console/conversations/:id/note', async (request) => {
    authorized(request);
    const { id } = conversationParams(request);
    const body = parseRequest(consoleNoteBodySchema, request.body, 'body');
    const conversation = conversationNamed(id);
    checkAgent(body.agentId);
    const message = system.note(conversation.id, {
      text: body.text,
      ...(body.agentId === undefined ? {} : { agentId: body.agentId }),
    });
    // Saved before it is answered: a 200 means a restart will still have it.
    await system.idle();
    return { messageId: message.id };
  });

  app.post('/v1/console/agents/:agentId/availability', async (request) => {
    authorized(request);
    const { agentId } = parseRequest(consoleAgentParamsSchema, request.params, 'path');
    const { available } = parseRequest(consoleAvailabilityBodySchema, request.body, 'body');
    checkAgent(agentId, 'path agentId');
    system.setAgentAvailability(agentId, available);
    return { agentId, available };
  });

  app.post('/v1/console/conversations/:id/typing', async (request) => {
    authorized(request);
    const { id } = conversationParams(request);
    const body = parseRequest(consoleTypingBodySchema, request.body, 'body');
    const conversation = conversationNamed(id);
    checkAgent(body.agentId);
    system.typing(conversation.id, {
      typing: body.typing,
      ...(body.agentId === undefined ? {} : { agentId: body.agentId }),
    });
    await system.idle();
    return { typing: body.typing };
  });

  app.post('/v1/console/conversations/:id/assign', async (request) => {
    authorized(request);
    const { id } = conversationParams(request);
    const body = parseRequest(consoleAgentBodySchema, request.body, 'body');
    const conversation = conversationNamed(id);
    checkAgent(body.agentId);
    const agent = system.assign(conversation.id, body.agentId === undefined ? {} : { agentId: body.agentId });
    await system.idle();
    return { assignee: { id: agent.id, name: agent.name } };
  });

  app.post('/v1/console/conversations/:id/resolve', async (request) => {
    authorized(request);
    const { id } = conversationParams(request);
    const body = parseRequest(consoleAgentBodySchema, request.body, 'body');
    const conversation = conversationNamed(id);
    checkAgent(body.agentId);
    system.resolve(conversation.id, body.agentId === undefined ? {} : { agentId: body.agentId });
    await system.idle();
    return { status: 'resolved' };
  });
}
