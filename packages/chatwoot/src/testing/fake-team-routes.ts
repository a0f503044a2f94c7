/**
 * The teams of an account (`Api::V1::Accounts::TeamsController`, v4.15.1): listed and shown to any
 * user, created, changed and deleted by administrators (`app/policies/team_policy.rb`), in every
 * account, the seeded one and those a platform app created. Bots may call none of them
 * (`BOT_ACCESSIBLE_ENDPOINTS`).
 */
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { isAdministrator } from './fake-administrator.js';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import { nextId } from './fake-installation.js';
import { hasParam, type Params, readInteger, readRecord, readString } from './fake-params.js';
import type { FakeTeam } from './fake-records.js';
import { teamView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { type FakeState, findTeam } from './fake-state.js';

/** The attributes `wrap_parameters format: [:json]` gathers under `team` (`Team.attribute_names`, `team.rb:1-12`). */
const wrappedAttributes = [
  'id',
  'name',
  'description',
  'allow_auto_assign',
  'account_id',
  'created_at',
  'updated_at',
];

/** `ActiveModel::Type::Boolean::FALSE_VALUES`: anything else but blank is true. */
const falseValues = new Set(['0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']);

type TeamParams = { name?: string | null; description?: string | null; allowAutoAssign?: boolean };

/**
 * `params.require(:team).permit(:name, :description, :allow_auto_assign)` (`teams_controller.rb:31-33`):
 * the nested `team` object, or the top-level attributes Rails' params wrapper puts there
 * (`config/initializers/wrap_parameters.rb`). `'missing'` for nothing (`ParameterMissing`), `'scalar'`
 * for a `team` that is not an object (`permit` on a String raises NoMethodError). `permit` drops
 * non-scalars; a JSON null is kept (it clears the column).
 */
function teamParams(params: Params): TeamParams | 'missing' | 'scalar' {
  const nested = hasParam(params, 'team') ? params.team : undefined;
  if (hasParam(params, 'team') && readRecord(nested) === undefined)
    return nested === null || nested === '' || (Array.isArray(nested) && nested.length === 0)
      ? 'missing'
      : 'scalar';
  const raw =
    readRecord(nested) ??
    Object.fromEntries(
      wrappedAttributes.filter((key) => hasParam(params, key)).map((key) => [key, params[key]]),
    );
  if (Object.keys(raw).length === 0) return 'missing';
  const scalar = (key: string): string | null | undefined => {
    if (!hasParam(raw, key)) return undefined;
    const value = raw[key];
    if (value === null) return null;
    return typeof value === 'object' ? undefined : readString(value);
  };
  const name = scalar('name');
  const description = scalar('description');
  const allowAutoAssign =
    typeof raw.allow_auto_assign === 'boolean'
      ? raw.allow_auto_assign
      : (() => {
          const text = scalar('allow_auto_assign');
          // A blank value casts to nil, which every reader of the column takes as false.
          if (text === undefined) return undefined;
          if (text === null || text.trim() === '') return false;
          return !falseValues.has(text);
        })();
  return {
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    ...(allowAutoAssign === undefined ? {} : { allowAutoAssign }),
  };
}

/**
 * `team.rb:26-32`: the name is lowercased before validation when present, then must be present
 * (`errors.validations.presence`, "must not be blank", `config/locales/en.yml:61`) and unique in
 * the account (`uniqueness: { scope: :account_id }`, Rails' "has already been taken").
 */
function nameProblems(state: FakeState, name: string, id: number | undefined) {
  if (name.trim() === '') return [{ attribute: 'name', message: 'Name must not be blank' }];
  return state.teams.some((team) => team.name === name && team.id !== id)
    ? [{ attribute: 'name', message: 'Name has already been taken' }]
    : [];
}

/**
 * What the actions answer when `teamParams` refuses: 500 for a `team` that is not an object, 422
 * `ParameterMissing` for none.
 */
const teamParamsRefusal = (refusal: 'missing' | 'scalar'): FakeHttpResponse =>
  refusal === 'scalar'
    ? chatwootErrors.serverError()
    : chatwootErrors.unprocessable('param is missing or the value is empty: team');

/**
 * An action on `/teams/:id` as update and destroy run it: `fetch_team` first (404), then
 * `check_authorization` (`TeamPolicy#update?`, `#destroy?`: administrators, 401; `team_policy.rb:6-20`).
 */
const onTeamAsAdministrator =
  (handle: (request: RouteRequest, team: FakeTeam) => FakeHttpResponse) => (request: RouteRequest) => {
    const team = findTeam(request.context.state, readInteger(request.path.id));
    if (team === undefined) return chatwootErrors.notFound();
    return isAdministrator(request.owner) ? handle(request, team) : chatwootErrors.notAuthorized();
  };

/** `before_validation { self.name = name.downcase if attribute_present?('name') }`. */
const storedName = (name: string | null | undefined): string =>
  name === null || name === undefined || name.trim() === '' ? (name ?? '') : name.toLowerCase();

const listTeams: AccountRoute = {
  method: 'GET',
  pattern: '/teams',
  endpoint: 'teams#index',
  handle({ context, owner }) {
    return jsonResponse(
      200,
      context.state.teams.map((team) => teamView(team, owner)),
    );
  },
};

const showTeam: AccountRoute = {
  method: 'GET',
  pattern: '/teams/:id',
  endpoint: 'teams#show',
  handle({ context, owner, path }) {
    const team = findTeam(context.state, readInteger(path.id));
    if (team === undefined) return chatwootErrors.notFound();
    return jsonResponse(200, teamView(team, owner));
  },
};

/**
 * `teams#create` (`teams_controller.rb:11-14`): `Current.account.teams.new(team_params).save!`,
 * answered with the team partial (`teams/create.json.jbuilder`, 200). `allow_auto_assign`
 * defaults to true and `description` to null (`db/schema.rb`, `team.rb:6-7`).
 */
const createTeam: AccountRoute = {
  method: 'POST',
  pattern: '/teams',
  endpoint: 'teams#create',
  handle(request) {
    // `check_authorization` (`TeamPolicy#create?`) runs before the action, so before the parameters are read.
    if (!isAdministrator(request.owner)) return chatwootErrors.notAuthorized();
    const { context, owner } = request;
    const params = teamParams(request.params);
    if (typeof params === 'string') return teamParamsRefusal(params);
    const name = storedName(params.name);
    const problems = nameProblems(context.state, name, undefined);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    const now = context.now();
    const team: FakeTeam = {
      id: nextId(context.installation, 'team'),
      accountId: context.state.account.id,
      name,
      description: params.description ?? null,
      allowAutoAssign: params.allowAutoAssign ?? true,
      memberIds: [],
      createdAt: now,
      updatedAt: now,
    };
    context.state.teams.push(team);
    return jsonResponse(200, teamView(team, owner));
  },
};

/**
 * `teams#update` (PATCH and PUT, `resources :teams`): the team is found first (404, `fetch_team`
 * runs before `check_authorization`), then `update!(team_params)` (`teams_controller.rb:2-3,16-18`).
 */
const updateTeam = (method: 'PATCH' | 'PUT'): AccountRoute => ({
  method,
  pattern: '/teams/:id',
  endpoint: 'teams#update',
  handle: onTeamAsAdministrator((request, team) => {
    const { context, owner } = request;
    const params = teamParams(request.params);
    if (typeof params === 'string') return teamParamsRefusal(params);
    const name = params.name === undefined ? team.name : storedName(params.name);
    const problems = nameProblems(context.state, name, team.id);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    team.name = name;
    if (params.description !== undefined) team.description = params.description;
    if (params.allowAutoAssign !== undefined) team.allowAutoAssign = params.allowAutoAssign;
    team.updatedAt = context.now();
    return jsonResponse(200, teamView(team, owner));
  }),
});

/**
 * `teams#destroy` (`teams_controller.rb:20-23`): `destroy!`, `head :ok`. Its conversations lose
 * the team (`has_many :conversations, dependent: :nullify`, an `update_all`: no callbacks, no
 * webhooks) and its memberships go (`dependent: :destroy_async`, done at once here).
 */
const deleteTeam: AccountRoute = {
  method: 'DELETE',
  pattern: '/teams/:id',
  endpoint: 'teams#destroy',
  handle: onTeamAsAdministrator(({ context: { state } }, team) => {
    state.teams.splice(state.teams.indexOf(team), 1);
    for (const conversation of state.conversations)
      if (conversation.teamId === team.id) conversation.teamId = null;
    return headOk();
  }),
};

export const teamRoutes: AccountRoute[] = [
  listTeams,
  showTeam,
  createTeam,
  updateTeam('PATCH'),
  updateTeam('PUT'),
  deleteTeam,
];
