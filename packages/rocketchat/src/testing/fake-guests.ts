// Livechat visitors as `LivechatTyped.registerGuest` and the visitor routes keep them
// (app/livechat/server/lib/LivechatTyped.ts, api/v1/visitor.ts).
import type { FakeRocketChatContext } from './fake-context.js';
import { rocketChatId } from './fake-ids.js';
import type { FakeVisitor } from './fake-records.js';

export interface GuestFields {
  token: string;
  name?: string;
  email?: string;
  phone?: string;
  department?: string;
}

export const visitorByToken = (context: FakeRocketChatContext, token: string) =>
  context.state.visitors.find((visitor) => visitor.token === token);

/**
 * `registerGuest`: the visitor of this token, updated with the fields given, or a new one named
 * `guest-<n>`. Email and phone are kept as Rocket.Chat keeps them (`visitorEmails[].address`,
 * `phone[].phoneNumber`).
 */
export function registerGuest(context: FakeRocketChatContext, fields: GuestFields): FakeVisitor {
  const { state } = context;
  let visitor = visitorByToken(context, fields.token);
  if (visitor === undefined) {
    state.guestCount += 1;
    visitor = {
      _id: rocketChatId(),
      token: fields.token,
      username: `guest-${state.guestCount}`,
      livechatData: {},
      ts: state.now(),
    };
    state.visitors.push(visitor);
  }
  if (fields.name !== undefined) visitor.name = fields.name;
  if (fields.email !== undefined) visitor.visitorEmails = [{ address: fields.email.toLowerCase() }];
  if (fields.phone !== undefined) visitor.phone = [{ phoneNumber: fields.phone }];
  if (fields.department !== undefined) visitor.department = fields.department;
  return visitor;
}

/**
 * The custom fields of a visitor: only keys the admin defined with scope `visitor` are kept (the
 * others are logged and dropped); `overwrite: false` keeps a value already there.
 */
export function setVisitorCustomFields(
  context: FakeRocketChatContext,
  visitor: FakeVisitor,
  fields: Array<{ key: string; value: string; overwrite: boolean }>,
): void {
  for (const field of fields) {
    const defined = context.state.customFields.some(
      (candidate) => candidate._id === field.key && candidate.scope === 'visitor',
    );
    if (!defined) continue;
    if (!field.overwrite && visitor.livechatData[field.key] !== undefined) continue;
    visitor.livechatData[field.key] = field.value;
  }
}
