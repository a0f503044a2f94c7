import { jsonResponse, refuse } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import { addPart, adminAuthor } from './fake-conversation-parts.js';
import { intercomErrors } from './fake-errors.js';
import { adminBodyToHtml } from './fake-html.js';
import { type ConversationTopic, notifyConversation } from './fake-notifications.js';
import {
  type Body,
  bodyObject,
  oneOf,
  optionalBodyText,
  optionalInteger,
  optionalString,
  requiredId,
} from './fake-params.js';
import type { FakeAdmin, FakeConversation, FakePart } from './fake-records.js';
import { conversationView, integerId } from './fake-rest-views.js';
import type { Route, RouteRequest } from './fake-route.js';
import { findAdmin, findConversation, findTeam } from './fake-state.js';
import { fromUnixSeconds } from './fake-time.js';

interface Action {
  context: FakeContext;
  request: RouteRequest;
  body: Body;
  conversation: FakeConversation;
  admin: FakeAdmin;
}

interface Outcome {
  part: FakePart;
  topic: ConversationTopic;
}

/**
 * An assignment (spec `assign_conversation_request`): to an admin or a team, `assignee_id: "0"`
 * unassigns. A closed or snoozed conversation re-opens: the part is `assign_and_reopen`, as in the
 * spec's example; otherwise it is `assignment` (the spec shows no example; our inference).
 */
function assign({ context, request, body, conversation, admin }: Action): Outcome {
  const type = oneOf(optionalString(body, 'type'), 'type', ['admin', 'team'] as const);
  const assigneeId = requiredId(body, 'assignee_id');
  const text = optionalBodyText(body);
  let assignedTo: FakePart['assignedTo'];
  if (assigneeId === '0') {
    // An unassignment's `assigned_to` is undocumented; Intercom's webhooks show "nobody_admin" (our inference).
    assignedTo = { type: 'nobody_admin', id: null };
    if (type === 'admin') conversation.adminAssigneeId = null;
    else conversation.teamAssigneeId = null;
  } else if (type === 'team') {
    // The spec documents no assignee error for /parts. Our inference: the code and message of
    // `GET /teams/{id}`, so an unknown team can be told apart from an unknown conversation.
    const team = findTeam(context.state, assigneeId) ?? refuse(intercomErrors.teamNotFound());
    conversation.teamAssigneeId = integerId(team.id);
    assignedTo = { type: 'team', id: team.id };
  } else {
    // Likewise undocumented; the code and message of `GET /admins/{id}` (our inference).
    const assignee = findAdmin(context.state, assigneeId) ?? refuse(intercomErrors.adminNotFound());
    conversation.adminAssigneeId = integerId(assignee.id);
    assignedTo = { type: 'admin', id: assignee.id };
  }
  const reopened = conversation.state !== 'open';
  conversation.state = 'open';
  conversation.snoozedUntil = null;
  const part = addPart(context, conversation, {
    partType: reopened ? 'assign_and_reopen' : 'assignment',
    body: text === undefined ? null : adminBodyToHtml(text),
    author: adminAuthor(admin),
    caller: request.caller,
    assignedTo,
  });
  return { part, topic: 'conversation.admin.assigned' };
}

/** Close (spec `close_conversation_request`: `type: admin` required, optional body for the user). */
function close({ context, request, body, conversation, admin }: Action): Outcome {
  oneOf(optionalString(body, 'type'), 'type', ['admin'] as const);
  const text = optionalBodyText(body);
  conversation.state = 'closed';
  conversation.snoozedUntil = null;
  conversation.waitingSince = null;
  const part = addPart(context, conversation, {
    partType: 'close',
    body: text === undefined ? null : adminBodyToHtml(text),
    author: adminAuthor(admin),
    caller: request.caller,
  });
  return { part, topic: 'conversation.admin.closed' };
}

function open({ context, request, conversation, admin }: Action): Outcome {
  conversation.state = 'open';
  conversation.snoozedUntil = null;
  const part = addPart(context, conversation, {
    partType: 'open',
    body: null,
    author: adminAuthor(admin),
    caller: request.caller,
  });
  return { part, topic: 'conversation.admin.opened' };
}

/** Snooze until `snoozed_until` (Unix seconds), which must lie ahead (our inference). */
function snooze({ context, request, body, conversation, admin }: Action): Outcome {
  const until = optionalInteger(body, 'snoozed_until');
  if (until === undefined) refuse(intercomErrors.parameterInvalid('snoozed_until is required'));
  if (fromUnixSeconds(until).getTime() <= context.now().getTime()) {
    refuse(intercomErrors.parameterInvalid('snoozed_until must be in the future'));
  }
  conversation.state = 'snoozed';
  conversation.snoozedUntil = fromUnixSeconds(until);
  const part = addPart(context, conversation, {
    partType: 'snoozed',
    body: null,
    author: adminAuthor(admin),
    caller: request.caller,
  });
  return { part, topic: 'conversation.admin.snoozed' };
}

const actions = { assignment: assign, close, open, snoozed: snooze } as const;

/**
 * `POST /conversations/{id}/parts` (facts §5, §6): assign, close, open or snooze, by `admin_id`.
 * Answers the conversation with only the new part.
 */
const manageConversation: Route = {
  method: 'POST',
  pattern: '/conversations/:id/parts',
  handle(request) {
    const { context, path } = request;
    const conversation = findConversation(context.state, path.id) ?? refuse(intercomErrors.notFound());
    const body = bodyObject(request.body);
    const messageType = oneOf(optionalString(body, 'message_type'), 'message_type', [
      'assignment',
      'close',
      'open',
      'snoozed',
    ] as const);
    const adminId = requiredId(body, 'admin_id');
    // Undocumented for /parts; the code and message of `GET /admins/{id}` (our inference).
    const admin = findAdmin(context.state, adminId) ?? refuse(intercomErrors.adminNotFound());
    const { part, topic } = actions[messageType]({ context, request, body, conversation, admin });
    notifyConversation(context, topic, conversation, [part]);
    return jsonResponse(200, conversationView(context.state, conversation, [part]));
  },
};

export const manageRoutes: Route[] = [manageConversation];
