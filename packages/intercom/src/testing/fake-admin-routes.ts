import { jsonResponse, refuse } from '@handoff/fake-server';
import type { FakeContext } from './fake-context.js';
import { errorList, intercomErrors } from './fake-errors.js';
import { notifyAwayMode } from './fake-notifications.js';
import { bodyObject, optionalBoolean, optionalInteger } from './fake-params.js';
import type { FakeAdmin } from './fake-records.js';
import { adminView, adminWithAppView, teamView } from './fake-rest-views.js';
import type { Route } from './fake-route.js';
import { seedAdminIds } from './fake-seed.js';
import { findAdmin, findTeam } from './fake-state.js';

/** `GET /teams` (facts §4): all teams, no pagination. */
const listTeams: Route = {
  method: 'GET',
  pattern: '/teams',
  handle({ context }) {
    return jsonResponse(200, { type: 'team.list', teams: context.state.teams.map(teamView) });
  },
};

const showTeam: Route = {
  method: 'GET',
  pattern: '/teams/:id',
  handle({ context, path }) {
    const team = findTeam(context.state, path.id) ?? refuse(intercomErrors.teamNotFound());
    return jsonResponse(200, teamView(team));
  },
};

const listAdmins: Route = {
  method: 'GET',
  pattern: '/admins',
  handle({ context }) {
    return jsonResponse(200, {
      type: 'admin.list',
      admins: context.state.admins.map((admin) => adminView(context.state, admin)),
    });
  },
};

const showAdmin: Route = {
  method: 'GET',
  pattern: '/admins/:id',
  handle({ context, path }) {
    const admin = findAdmin(context.state, path.id) ?? refuse(intercomErrors.adminNotFound());
    return jsonResponse(200, adminView(context.state, admin));
  },
};

/**
 * Sets an admin's away mode, through the API or as the admin does in Intercom's UI. A change of
 * `away_mode_enabled` or `away_mode_reassign` sends `admin.away_mode_updated` ("Admin away mode
 * updates"; a call that changes nothing sends none: our inference).
 */
export function setAwayMode(
  context: FakeContext,
  admin: FakeAdmin,
  away: { enabled: boolean; reassign?: boolean; reasonId?: number | null },
): void {
  const reassign = away.reassign ?? admin.awayModeReassign;
  const changed = admin.awayModeEnabled !== away.enabled || admin.awayModeReassign !== reassign;
  admin.awayModeEnabled = away.enabled;
  admin.awayModeReassign = reassign;
  admin.awayStatusReasonId = away.enabled ? (away.reasonId ?? null) : null;
  if (changed) notifyAwayMode(context, admin);
}

/**
 * `PUT /admins/{id}/away` (facts §4): `away_mode_enabled` and `away_mode_reassign` are required.
 * Away status reasons are not modelled: any `away_status_reason_id` is kept as sent.
 */
const setAway: Route = {
  method: 'PUT',
  pattern: '/admins/:id/away',
  handle({ context, path, body: raw }) {
    const admin =
      findAdmin(context.state, path.id) ??
      refuse(errorList(404, 'admin_not_found', 'Admin for admin_id not found'));
    const body = bodyObject(raw);
    const enabled = optionalBoolean(body, 'away_mode_enabled');
    const reassign = optionalBoolean(body, 'away_mode_reassign');
    if (enabled === undefined || reassign === undefined) {
      refuse(intercomErrors.parameterInvalid('away_mode_enabled and away_mode_reassign are required'));
    }
    setAwayMode(context, admin, {
      enabled,
      reassign,
      reasonId: optionalInteger(body, 'away_status_reason_id') ?? null,
    });
    return jsonResponse(200, adminView(context.state, admin));
  },
};

/** `GET /me`: the token's admin — the bot admin the adapter posts as — with its app. */
const identifyAdmin: Route = {
  method: 'GET',
  pattern: '/me',
  handle({ context }) {
    const admin = findAdmin(context.state, seedAdminIds.bot) ?? refuse(intercomErrors.adminNotFound());
    return jsonResponse(200, adminWithAppView(admin));
  },
};

export const adminRoutes: Route[] = [listTeams, showTeam, listAdmins, showAdmin, setAway, identifyAdmin];
