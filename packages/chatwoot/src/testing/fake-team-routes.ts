import { jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { readInteger } from './fake-params.js';
import { agentView, teamView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';
import { findTeam } from './fake-state.js';

/** Teams are readable by any user; bots may not list them (`TeamPolicy`, `BOT_ACCESSIBLE_ENDPOINTS`). */
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

const teamMembers: AccountRoute = {
  method: 'GET',
  pattern: '/teams/:id/team_members',
  endpoint: 'teams/team_members#index',
  handle({ context, path }) {
    const team = findTeam(context.state, readInteger(path.id));
    if (team === undefined) return chatwootErrors.notFound();
    return jsonResponse(
      200,
      context.state.users
        .filter((user) => team.memberIds.includes(user.id))
        .map((user) => agentView(context.state, user)),
    );
  },
};

export const teamRoutes: AccountRoute[] = [listTeams, showTeam, teamMembers];
