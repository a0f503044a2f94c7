/**
 * `POST /api/v1/accounts/{id}/agents` (`Api::V1::Accounts::AgentsController#create`, v4.15.1):
 * how an administrator invites someone, and the one path of the fake on which Chatwoot sends a
 * confirmation email. `AgentBuilder` (`app/builders/agent_builder.rb`) reuses the user an email
 * has, or creates one unconfirmed with a random password; Devise then sends
 * `confirmation_instructions` after the commit (`send_on_create_confirmation_instructions`), which
 * for a user with an inviter renders as a workspace invitation whose button sets a password
 * (`app/views/devise/mailer/confirmation_instructions.html.erb`). A reused user gets no email.
 */
import { randomBytes } from 'node:crypto';
import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { type FakeAccountEntry, nextId, setMembership } from './fake-installation.js';
import { readString } from './fake-params.js';
import type { FakeUserRecord } from './fake-platform-records.js';
import { userProblems } from './fake-platform-user-routes.js';
import { agentView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';
import { secureToken } from './fake-secure-token.js';

const createAgent: AccountRoute = {
  method: 'POST',
  pattern: '/agents',
  endpoint: 'agents#create',
  handle(request) {
    const { owner, params, context } = request;
    // `AgentPolicy#create?`: administrators.
    if (owner.kind !== 'user' || owner.user.role !== 'administrator') return chatwootErrors.notAuthorized();
    const { installation, state, now } = context;
    const email = (readString(params.email) ?? '').toLowerCase();
    const role = readString(params.role) ?? 'agent';
    if (role !== 'agent' && role !== 'administrator') return chatwootErrors.serverError();
    let user = installation.users.find((candidate) => candidate.email === email && email !== '');
    const created = user === undefined;
    if (user === undefined) {
      const name = readString(params.name) || email.split('@')[0] || '';
      const password = `1!aA${randomBytes(9).toString('base64url').slice(0, 12)}`;
      const problems = userProblems(installation, { name, email, password }, true);
      if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
      user = {
        id: nextId(installation, 'user'),
        name,
        displayName: null,
        email,
        accessToken: secureToken(),
        pubsubToken: secureToken(),
        password,
        confirmedAt: null,
        customAttributes: {},
        createdAt: now(),
      } satisfies FakeUserRecord;
      installation.users.push(user);
    } else if (state.users.some((member) => member.id === user?.id)) {
      // `validates :user_id, uniqueness: { scope: :account_id }` (`app/models/account_user.rb:43`).
      return chatwootErrors.invalidRecord([{ attribute: 'user_id', message: 'User has already been taken' }]);
    }
    const entry: FakeAccountEntry = { state, webhooks: context.webhooks };
    setMembership(installation, entry, user, role, { inviterId: owner.user.id, now: now() });
    if (created) {
      installation.emails.push({
        to: user.email,
        kind: 'confirmation_instructions',
        variant: 'invitation',
        userId: user.id,
        link: `${context.baseUrl}/app/auth/password/edit?reset_password_token=${secureToken().slice(0, 20)}`,
        sentAt: now(),
      });
    }
    const member = state.users.find((candidate) => candidate.id === user?.id);
    if (member === undefined) throw new Error('the new agent is not a member');
    return jsonResponse(200, { ...agentView(state, member), confirmed: user.confirmedAt !== null });
  },
};

export const agentRoutes: AccountRoute[] = [createAgent];
