import { jsonResponse, refuse } from '@handoff/fake-server';
import type { FakeSunshineRoute } from './fake-context.js';
import { zendeskErrors } from './fake-errors.js';
import type { FakeTicket } from './fake-records.js';
import { findConversation } from './fake-state.js';
import { solveTicket } from './fake-switchboard.js';

const ticketView = (ticket: FakeTicket) => ({
  id: ticket.id,
  status: ticket.status,
  tags: [...ticket.tags],
  group_id: ticket.groupId ?? null,
  assignee_id: ticket.assigneeId ?? null,
  via: { channel: 'native_messaging' },
});

/**
 * The Zendesk Support API the adapters call: List Groups with cursor pagination
 * (`page[size]` up to 100, `page[after]`; `meta.has_more`, `meta.after_cursor`), and the tickets
 * the Agent Workspace makes (Show Ticket, Update Ticket: solving one hands the conversation on).
 */
export const zendeskRoutes: FakeSunshineRoute[] = [
  {
    method: 'GET',
    pattern: '/api/v2/groups',
    handle({ context, query }) {
      const size = Number(query['page[size]'] ?? 100);
      if (!Number.isInteger(size) || size < 1 || size > 100)
        return refuse(
          jsonResponse(400, {
            error: 'InvalidPaginationParameter',
            description: 'page[size] must be 1 to 100',
          }),
        );
      const groups = context.state.groups;
      const after = query['page[after]'];
      const start = after === undefined ? 0 : Number(Buffer.from(after, 'base64url').toString()) || 0;
      const items = groups.slice(start, start + size);
      const end = start + items.length;
      const cursor = (index: number) => Buffer.from(String(index)).toString('base64url');
      return jsonResponse(200, {
        groups: items.map((group) => ({
          id: group.id,
          url: `${context.baseUrl}/api/v2/groups/${group.id}.json`,
          name: group.name,
          description: '',
          default: group.id === groups[0]?.id,
          deleted: group.deleted,
          is_public: true,
          created_at: '2024-01-01T00:00:00Z',
          updated_at: '2024-01-01T00:00:00Z',
        })),
        meta: { has_more: end < groups.length, after_cursor: cursor(end), before_cursor: cursor(start) },
        links: {
          next:
            end < groups.length
              ? `${context.baseUrl}/api/v2/groups?page[after]=${cursor(end)}&page[size]=${size}`
              : null,
          prev: null,
        },
      });
    },
  },
  {
    method: 'GET',
    pattern: '/api/v2/tickets/:ticketId',
    handle({ context, path }) {
      const ticket = context.state.tickets.find((candidate) => String(candidate.id) === path.ticketId);
      if (ticket === undefined) return refuse(zendeskErrors.notFound());
      return jsonResponse(200, { ticket: ticketView(ticket) });
    },
  },
  {
    method: 'PUT',
    pattern: '/api/v2/tickets/:ticketId',
    handle({ context, path, body }) {
      const ticket = context.state.tickets.find((candidate) => String(candidate.id) === path.ticketId);
      if (ticket === undefined) return refuse(zendeskErrors.notFound());
      const status = ((body ?? {}) as { ticket?: { status?: unknown } }).ticket?.status;
      if (status === 'solved' || status === 'closed') {
        const conversation = findConversation(context.state, ticket.conversationId);
        if (conversation !== undefined) solveTicket(context, conversation);
        ticket.status = status;
      } else if (status === 'open' || status === 'pending') {
        ticket.status = status;
      } else if (status !== undefined) {
        return refuse(zendeskErrors.invalid(`Status: ${String(status)} is not valid`));
      }
      return jsonResponse(200, { ticket: ticketView(ticket) });
    },
  },
];
