import { refuse } from '@handoff/fake-server';
import { badRequest, sunshineErrors } from './fake-errors.js';
import type { FakeConversation, FakeMetadata, FakeSwitchboardIntegration } from './fake-records.js';
import { agentWorkspace, type FakeState, findSwitchboardIntegration, findTicket } from './fake-state.js';
import { conversationTruncatedView } from './fake-views.js';
import type { WebhookDelivery } from './fake-webhook-delivery.js';

/** The switchboard's part of the context. */
export interface SwitchboardContext {
  state: FakeState;
  webhooks: WebhookDelivery;
}

/** The customer's trigger the fake plays: "Tags contains `handoff_group_<id>`" sets Group `<id>`. */
const routingTagPattern = /^handoff_group_(\d+)$/;

/**
 * A switchboard integration as passControl/offerControl name it: by `id`, `name` or
 * `integrationType`, in that order; an ambiguous type is an error; `next` is the active one's next
 * (spec passControlBody.switchboardIntegration).
 */
export function resolveSwitchboardIntegration(
  state: FakeState,
  conversation: FakeConversation,
  reference: unknown,
): FakeSwitchboardIntegration {
  if (typeof reference !== 'string' || reference === '')
    return badRequest('switchboardIntegration is required and must be a string');
  const all = state.switchboardIntegrations;
  if (reference === 'next') {
    const active = findSwitchboardIntegration(state, conversation.activeSwitchboardIntegrationId);
    const next = findSwitchboardIntegration(state, active?.nextSwitchboardIntegrationId);
    if (next === undefined) return badRequest('No next switchboard integration is configured');
    return next;
  }
  const byId = all.find((integration) => integration.id === reference);
  if (byId !== undefined) return byId;
  const byName = all.find((integration) => integration.name === reference);
  if (byName !== undefined) return byName;
  const byType = all.filter((integration) => integration.integrationType === reference);
  if (byType.length > 1) return badRequest(`Ambiguous switchboard integration: ${reference}`);
  if (byType[0] !== undefined) return byType[0];
  return refuse(
    sunshineErrors.notFound('switchboard_integration_not_found', 'SwitchboardIntegration not found'),
  );
}

/** Flat strings, numbers and booleans, 4 KB at most (spec metadata). */
export function readMetadata(value: unknown, field = 'metadata'): FakeMetadata | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return badRequest(`${field} must be an object`);
  const metadata: FakeMetadata = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' && typeof entry !== 'number' && typeof entry !== 'boolean')
      return badRequest(`${field}.${key} must be a string, a number or a boolean`);
    metadata[key] = entry;
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > 4096) return badRequest(`${field} exceeds 4KB`);
  return metadata;
}

/**
 * The Agent Workspace takes a conversation: it makes the messaging ticket, sets its fields from the
 * metadata (`dataCapture.systemField.tags`, `first_message_id`), and the customer's trigger routes it.
 */
function openTicket(state: FakeState, conversation: FakeConversation, metadata: FakeMetadata | undefined) {
  const open = findTicket(state, conversation.ticketId);
  if (open !== undefined && open.status !== 'solved' && open.status !== 'closed') return;
  const tagsValue = metadata?.['dataCapture.systemField.tags'];
  const tags = typeof tagsValue === 'string' ? tagsValue.split(/\s+/).filter((tag) => tag !== '') : [];
  const routed = tags.map((tag) => routingTagPattern.exec(tag)?.[1]).find((id) => id !== undefined);
  const group = state.groups.find((candidate) => String(candidate.id) === routed && !candidate.deleted);
  const firstMessage = metadata?.first_message_id;
  const ticket = {
    id: state.nextTicketId,
    conversationId: conversation.id,
    status: 'new' as const,
    tags,
    groupId: group?.id,
    assigneeId: undefined,
    firstMessageId: typeof firstMessage === 'string' ? firstMessage : undefined,
    privateComments: [],
  };
  state.nextTicketId += 1;
  state.tickets.push(ticket);
  conversation.ticketId = ticket.id;
}

const isAgentWorkspace = (integration: FakeSwitchboardIntegration | undefined) =>
  integration?.integrationType === agentWorkspace.integrationType;

function emitSwitchboardEvent(
  context: SwitchboardContext,
  type: string,
  conversation: FakeConversation,
  metadata: FakeMetadata | undefined,
  reason?: 'ticketClosed' | 'transferToEmail',
) {
  context.webhooks.emit([
    {
      type,
      payload: {
        conversation: conversationTruncatedView(context.state, conversation),
        ...(metadata === undefined ? {} : { metadata }),
        ...(reason === undefined ? {} : { reason }),
      },
    },
  ]);
}

/** passControl: the target becomes active, every other one standby; the AW makes a ticket. */
export function passControl(
  context: SwitchboardContext,
  conversation: FakeConversation,
  target: FakeSwitchboardIntegration,
  metadata: FakeMetadata | undefined,
  reason?: 'ticketClosed' | 'transferToEmail',
) {
  conversation.activeSwitchboardIntegrationId = target.id;
  conversation.pendingSwitchboardIntegrationId = undefined;
  if (isAgentWorkspace(target)) openTicket(context.state, conversation, metadata);
  emitSwitchboardEvent(context, 'switchboard:passControl', conversation, metadata, reason);
}

/** releaseControl: nobody holds the conversation (its switchboard state nullified). */
export function releaseControl(
  context: SwitchboardContext,
  conversation: FakeConversation,
  metadata: FakeMetadata | undefined,
  reason?: 'ticketClosed' | 'transferToEmail',
) {
  conversation.activeSwitchboardIntegrationId = undefined;
  conversation.pendingSwitchboardIntegrationId = undefined;
  emitSwitchboardEvent(context, 'switchboard:releaseControl', conversation, metadata, reason);
}

export function offerControl(
  context: SwitchboardContext,
  conversation: FakeConversation,
  target: FakeSwitchboardIntegration,
  metadata: FakeMetadata | undefined,
) {
  if (target.id === conversation.activeSwitchboardIntegrationId)
    return badRequest('Cannot offer control to the active switchboard integration');
  conversation.pendingSwitchboardIntegrationId = target.id;
  emitSwitchboardEvent(context, 'switchboard:offerControl', conversation, metadata);
}

export function acceptControl(
  context: SwitchboardContext,
  conversation: FakeConversation,
  metadata: FakeMetadata | undefined,
) {
  const pending = findSwitchboardIntegration(context.state, conversation.pendingSwitchboardIntegrationId);
  if (pending === undefined) return refuse(sunshineErrors.forbidden());
  conversation.activeSwitchboardIntegrationId = pending.id;
  conversation.pendingSwitchboardIntegrationId = undefined;
  if (isAgentWorkspace(pending)) openTicket(context.state, conversation, metadata);
  emitSwitchboardEvent(context, 'switchboard:acceptControl', conversation, metadata);
}

/**
 * A user message in a conversation nobody holds: the switchboard's default integration (the
 * Agent Workspace) becomes active, and makes a ticket (switchboard guide).
 */
export function activateDefault(context: SwitchboardContext, conversation: FakeConversation) {
  if (conversation.activeSwitchboardIntegrationId !== undefined) return;
  const fallback = findSwitchboardIntegration(context.state, context.state.defaultSwitchboardIntegrationId);
  if (fallback === undefined) return;
  conversation.activeSwitchboardIntegrationId = fallback.id;
  if (isAgentWorkspace(fallback)) openTicket(context.state, conversation, undefined);
}

/**
 * An agent solves the ticket: the Agent Workspace hands the conversation on, to its next
 * integration when it has one (passControl), else releases it (releaseControl), reason `ticketClosed`.
 */
export function solveTicket(context: SwitchboardContext, conversation: FakeConversation) {
  const ticket = findTicket(context.state, conversation.ticketId);
  if (ticket !== undefined) ticket.status = 'solved';
  const active = findSwitchboardIntegration(context.state, conversation.activeSwitchboardIntegrationId);
  if (!isAgentWorkspace(active)) return;
  const next = findSwitchboardIntegration(context.state, active?.nextSwitchboardIntegrationId);
  if (next !== undefined) passControl(context, conversation, next, undefined, 'ticketClosed');
  else releaseControl(context, conversation, undefined, 'ticketClosed');
}
