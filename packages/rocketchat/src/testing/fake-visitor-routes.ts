// The visitor routes of app/livechat/server/api/v1/visitor.ts: public (the visitor token is the
// credential), but `visitors.info`, which needs a user with `view-l-room`.

import {
  bodyObject,
  requireUser,
  success,
  throwError,
  throwInvalidParams,
  throwMatchError,
  throwMeteorError,
} from './fake-answers.js';
import { apiPrefix, type FakeRocketChatRoute } from './fake-context.js';
import { registerGuest, setVisitorCustomFields, visitorByToken } from './fake-guests.js';
import { visitorView } from './fake-views.js';

/** `check(value, Match.Maybe(String))`. */
function optionalString(record: Record<string, unknown>, key: string, field: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throwMatchError('string', field, value);
  return value;
}

/** `customFields: Match.Maybe([Match.ObjectIncluding({ key: String, value: String, overwrite: Boolean })])`. */
function customFieldsOf(value: unknown) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throwMatchError('array', 'visitor.customFields', value);
  return value.map((entry, index) => {
    const field = `visitor.customFields[${index}]`;
    if (typeof entry !== 'object' || entry === null) throwMatchError('object', field, entry);
    const { key, value: fieldValue, overwrite } = entry as Record<string, unknown>;
    if (typeof key !== 'string') throwMatchError('string', `${field}.key`, key);
    if (typeof fieldValue !== 'string') throwMatchError('string', `${field}.value`, fieldValue);
    if (typeof overwrite !== 'boolean') throwMatchError('boolean', `${field}.overwrite`, overwrite);
    return { key, value: fieldValue, overwrite };
  });
}

export const visitorRoutes: FakeRocketChatRoute[] = [
  {
    // The visitor of a token, or 400 `invalid-token`.
    method: 'GET',
    pattern: `${apiPrefix}/livechat/visitor/:token`,
    handle({ context, path }) {
      const visitor = visitorByToken(context, path.token ?? '');
      if (visitor === undefined) throwMeteorError('invalid-token');
      return success({ visitor: visitorView(visitor) });
    },
  },
  {
    // Creates or updates the visitor of `visitor.token`, then its custom fields.
    method: 'POST',
    pattern: `${apiPrefix}/livechat/visitor`,
    handle({ context, body }) {
      const visitor = bodyObject(body).visitor;
      if (typeof visitor !== 'object' || visitor === null || Array.isArray(visitor))
        throwMatchError('object', 'visitor', visitor);
      const fields = visitor as Record<string, unknown>;
      const token = fields.token;
      if (typeof token !== 'string') throwMatchError('string', 'visitor.token', token);
      const name = optionalString(fields, 'name', 'visitor.name');
      const email = optionalString(fields, 'email', 'visitor.email');
      const phone = optionalString(fields, 'phone', 'visitor.phone');
      const department = optionalString(fields, 'department', 'visitor.department');
      const customFields = customFieldsOf(fields.customFields);
      if (token.trim() === '') throwMeteorError('error-invalid-token', 'Token cannot be empty');
      const saved = registerGuest(context, {
        token,
        ...(name ? { name } : {}),
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
        ...(department ? { department } : {}),
      });
      // The custom fields go to the visitor registerGuest answered, even one matched by phone
      // that kept its own token (7.x; 6.x wrote them by the request's token).
      setVisitorCustomFields(context, saved, customFields);
      return success({ visitor: visitorView(saved) });
    },
  },
  {
    // A visitor by id, for users who may see omnichannel rooms.
    method: 'GET',
    pattern: `${apiPrefix}/livechat/visitors.info`,
    handle(request) {
      requireUser(request, { all: ['view-l-room'] });
      const visitorId = request.query.visitorId;
      if (visitorId === undefined) throwInvalidParams("must have required property 'visitorId'");
      const visitor = request.context.state.visitors.find((candidate) => candidate._id === visitorId);
      if (visitor === undefined) throwError('visitor-not-found');
      return success({ visitor: visitorView(visitor) });
    },
  },
];
