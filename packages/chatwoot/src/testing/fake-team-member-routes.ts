/**
 * A team's members (`Api::V1::Accounts::TeamMembersController`, v4.15.1; `config/routes.rb:299-305`:
 * `resources :team_members, only: [:index, :create]` plus `patch :update` and `delete :destroy` on the
 * collection, so no PUT). Listed to any user, changed by administrators
 * (`app/policies/team_member_policy.rb`); only users of the account may be named.
 */
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { isAdministrator } from './fake-administrator.js';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import { readInteger } from './fake-params.js';
import type { FakeTeam } from './fake-records.js';
import { agentView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { type FakeState, findTeam, findUser } from './fake-state.js';

/** Ruby's `to_i` on a JSON value: integers stay, strings read their leading digits (else 0), nil is 0. */
function rubyToI(value: unknown): number | undefined {
  if (value === null) return 0;
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string') {
    const match = /^\s*([+-]?\d+)/.exec(value.replaceAll('_', ''));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  }
  // true, false, an object: no `to_i`, a NoMethodError.
  return undefined;
}

type Checked = { team: FakeTeam; userIds: unknown[] } | { refused: FakeHttpResponse };

/**
 * The before actions in their order (`team_members_controller.rb:2-4`): `fetch_team`
 * (`Current.account.teams.find(params[:team_id])`, 404), `check_authorization` (administrators,
 * 401), then `validate_member_id_params` (`:50-54`): `params[:user_ids].map(&:to_i)` (500 when it
 * is not a list) less the account's `user_ids` must be empty, else 401 "Invalid User IDs".
 */
function checkedRequest(request: RouteRequest): Checked {
  const { context, owner, params, path } = request;
  const team = findTeam(context.state, readInteger(path.team_id));
  if (team === undefined) return { refused: chatwootErrors.notFound() };
  if (!isAdministrator(owner)) return { refused: chatwootErrors.notAuthorized() };
  const userIds = params.user_ids;
  if (!Array.isArray(userIds)) return { refused: chatwootErrors.serverError() };
  const ids = userIds.map(rubyToI);
  if (ids.some((id) => id === undefined)) return { refused: chatwootErrors.serverError() };
  if (ids.some((id) => findUser(context.state, id) === undefined))
    return { refused: jsonResponse(401, { error: 'Invalid User IDs' }) };
  return { team, userIds };
}

/** A changing action: runs `handle` once the before actions of `checkedRequest` pass. */
const whenChecked =
  (handle: (request: RouteRequest, team: FakeTeam, userIds: unknown[]) => FakeHttpResponse) =>
  (request: RouteRequest) => {
    const checked = checkedRequest(request);
    return 'refused' in checked ? checked.refused : handle(request, checked.team, checked.userIds);
  };

/**
 * `Team#add_members` (`team.rb:37-44`) of `params[:user_ids] - current_members_ids`: Ruby's array
 * difference takes out only the integers that are members already; each id left is
 * `team_members.create`d (a member again fails the uniqueness validation, unsaved, but is still
 * returned through `filter_map(&:user)`). Returns the users it answers with.
 */
function addMembers(
  state: FakeState,
  team: FakeTeam,
  userIds: readonly unknown[],
  current: readonly number[],
) {
  const toAdd = userIds.filter((value) => !(typeof value === 'number' && current.includes(value)));
  return toAdd.flatMap((value) => {
    const user = findUser(state, rubyToI(value));
    if (user === undefined) return [];
    if (!team.memberIds.includes(user.id)) team.memberIds.push(user.id);
    return [user];
  });
}

const membersOf = (state: FakeState, team: FakeTeam) =>
  team.memberIds
    .map((userId) => findUser(state, userId))
    .filter((user) => user !== undefined)
    .map((user) => agentView(state, user));

/** `team_members#index` (`:6-8`): the `_agent` partial of each member (`index.json.jbuilder`). */
const listTeamMembers: AccountRoute = {
  method: 'GET',
  pattern: '/teams/:team_id/team_members',
  endpoint: 'team_members#index',
  handle({ context, path }) {
    const team = findTeam(context.state, readInteger(path.team_id));
    if (team === undefined) return chatwootErrors.notFound();
    return jsonResponse(200, membersOf(context.state, team));
  },
};

/** `team_members#create` (`:10-14`): adds the users, answers the ones added (`create.json.jbuilder`). */
const addTeamMembers: AccountRoute = {
  method: 'POST',
  pattern: '/teams/:team_id/team_members',
  endpoint: 'team_members#create',
  handle: whenChecked((request, team, userIds) => {
    const { state } = request.context;
    const added = addMembers(state, team, userIds, [...team.memberIds]);
    return jsonResponse(
      200,
      added.map((user) => agentView(state, user)),
    );
  }),
};

/**
 * `team_members#update` (PATCH only, `:16-23`): adds the users who are not members, removes the
 * members not named (`current_members_ids - params[:user_ids]`, the members before the change),
 * answers every member (`render action: 'create'` over `@team.members`).
 */
const replaceTeamMembers: AccountRoute = {
  method: 'PATCH',
  pattern: '/teams/:team_id/team_members',
  endpoint: 'team_members#update',
  handle: whenChecked((request, team, userIds) => {
    const { state } = request.context;
    const current = [...team.memberIds];
    addMembers(state, team, userIds, current);
    const removed = current.filter((userId) => !userIds.includes(userId));
    team.memberIds = team.memberIds.filter((userId) => !removed.includes(userId));
    return jsonResponse(200, membersOf(state, team));
  }),
};

/** `team_members#destroy` (`:25-30`): `remove_members(params[:user_ids])` (ids cast), `head :ok`. */
const removeTeamMembers: AccountRoute = {
  method: 'DELETE',
  pattern: '/teams/:team_id/team_members',
  endpoint: 'team_members#destroy',
  handle: whenChecked((_request, team, userIds) => {
    const removed = userIds.map(rubyToI);
    team.memberIds = team.memberIds.filter((userId) => !removed.includes(userId));
    return headOk();
  }),
};

export const teamMemberRoutes: AccountRoute[] = [
  listTeamMembers,
  addTeamMembers,
  replaceTeamMembers,
  removeTeamMembers,
];
