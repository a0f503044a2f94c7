import { requestedConversation } from './fake-conversation-access.js';
import { updateConversation } from './fake-conversation-updates.js';
import { jsonResponse } from './fake-http-response.js';
import { hasParam, readInteger, readString } from './fake-params.js';
import { agentBotView, agentView, teamRecordView } from './fake-rest-views.js';
import type { AccountRoute } from './fake-router.js';
import { findAgentBot, findTeam, findUser } from './fake-state.js';

/**
 * `POST …/assignments` (notes §1.3, §7.3). `assignee_id` wins when both keys are sent, so the team
 * is then ignored. An unknown user unassigns and answers `null`; an unknown team clears the team
 * and answers `null`, both with 200. A known team answers with the raw Team record.
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
      updateConversation(
        context,
        conversation,
        { assigneeId: null, assigneeAgentBotId: bot?.id ?? null },
        owner,
      );
      return jsonResponse(200, bot === undefined ? null : agentBotView(context.state, bot));
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
