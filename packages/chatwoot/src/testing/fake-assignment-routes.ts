import { jsonResponse } from '@handoff/fake-server';
import { requestedConversation } from './fake-conversation-access.js';
import { updateConversation } from './fake-conversation-updates.js';
import { hasParam, readInteger, readString } from './fake-params.js';
import { agentBotSlimView, agentView, teamRecordView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-route.js';
import { findAgentBot, findTeam, findUser } from './fake-state.js';

/**
 * `Conversations::AssignmentsController#create` and `Conversations::AssignmentService`:
 * `assignee_id` wins when both keys are sent, so the team is then ignored. An unknown user
 * unassigns and answers `null`; an unknown agent bot changes nothing and answers `null`; an
 * unknown team clears the team and answers `null`, all with 200. A known team answers the raw
 * Team record (`render json: @team`), a bot its slim partial, a user the agent partial.
 */
const createAssignment: AccountRoute = {
  method: 'POST',
  pattern: '/conversations/:conversation_id/assignments',
  endpoint: 'conversations/assignments#create',
  handle(request) {
    const found = requestedConversation(request);
    if ('error' in found) return found.error;
    const { conversation } = found;
    const { context, params, owner } = request;
    if (readString(params.assignee_type) === 'AgentBot') {
      const bot = findAgentBot(context.state, readInteger(params.assignee_id));
      if (bot === undefined) return jsonResponse(200, null);
      updateConversation(context, conversation, { assigneeId: null, assigneeAgentBotId: bot.id }, owner);
      return jsonResponse(200, agentBotSlimView(bot));
    }
    if (hasParam(params, 'assignee_id')) {
      const user = findUser(context.state, readInteger(params.assignee_id));
      updateConversation(
        context,
        conversation,
        { assigneeId: user?.id ?? null, assigneeAgentBotId: null },
        owner,
      );
      return jsonResponse(200, user === undefined ? null : agentView(context.state, user));
    }
    if (hasParam(params, 'team_id')) {
      const team = findTeam(context.state, readInteger(params.team_id));
      updateConversation(context, conversation, { teamId: team?.id ?? null }, owner);
      return jsonResponse(200, team === undefined ? null : teamRecordView(team));
    }
    return jsonResponse(200, null);
  },
};

export const assignmentRoutes: AccountRoute[] = [createAssignment];
