// Livechat visitors as `Visitors.registerGuest` and the visitor routes keep them
// (app/livechat/server/lib/Visitors.ts, api/v1/visitor.ts).
import { throwMeteorError } from './fake-answers.js';
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

/** `validateEmail` of lib/Helper.ts: a simple address check, `error-invalid-email` otherwise. */
function validEmail(address: string): string {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address))
    throwMeteorError('error-invalid-email', `Invalid email ${address}`);
  return address;
}

/**
 * `Visitors.registerGuest` (lib/Visitors.ts): the visitor of this token; else, when no visitor
 * has the token, the visitor with this phone number (which keeps its own token) or this email
 * (which takes the new token); else a new one named `guest-<n>`. The fields given are written
 * on whichever it is. Emails are trimmed, lowercased and checked; a department must exist (by id
 * or name). Email and phone are kept as Rocket.Chat keeps them (`visitorEmails[].address`,
 * `phone[].phoneNumber`).
 */
export function registerGuest(context: FakeRocketChatContext, fields: GuestFields): FakeVisitor {
  const { state } = context;
  const email = fields.email === undefined ? undefined : validEmail(fields.email.trim().toLowerCase());
  const byToken = visitorByToken(context, fields.token);
  let department: string | undefined;
  if (fields.department !== undefined && byToken?.department !== fields.department) {
    const found = state.departments.find(
      (candidate) => candidate._id === fields.department || candidate.name === fields.department,
    );
    if (found === undefined)
      throwMeteorError('error-invalid-department', 'The provided department is invalid');
    department = found._id;
  }
  let visitor = byToken;
  if (visitor === undefined && fields.phone !== undefined)
    visitor = state.visitors.find((candidate) =>
      candidate.phone?.some((entry) => entry.phoneNumber === fields.phone),
    );
  if (visitor === undefined && email !== undefined) {
    visitor = state.visitors.find((candidate) =>
      candidate.visitorEmails?.some((entry) => entry.address === email),
    );
    // Matched by email, the visitor takes the token of the request.
    if (visitor !== undefined) visitor.token = fields.token;
  }
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
  if (email !== undefined) visitor.visitorEmails = [{ address: email }];
  if (fields.phone !== undefined) visitor.phone = [{ phoneNumber: fields.phone }];
  if (department !== undefined) visitor.department = department;
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
