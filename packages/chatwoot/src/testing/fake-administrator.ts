/**
 * Whether the caller of an Application API action is an administrator of the account
 * (`@account_user.administrator?`, what the policies of administrator-only actions ask).
 */
import type { FakeTokenOwner } from './fake-actor.js';

export const isAdministrator = (owner: FakeTokenOwner): boolean =>
  owner.kind === 'user' && owner.user.role === 'administrator';
