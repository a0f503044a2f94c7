import type { FakeUser } from './fake-records.js';
import { availabilityStatus, type FakeState, findTeam, isInboxMember } from './fake-state.js';

/**
 * Chatwoot's round-robin pick (`AutoAssignment::AgentAssignmentService` over
 * `inbox.member_ids_with_assignment_capacity`, online users from `OnlineStatusTracker`): an ONLINE
 * user who is a member of the inbox and, when a team is given, of that team. The chosen one moves
 * to the end of the inbox queue (`AutoAssignment::InboxRoundRobinService`).
 */
export function pickAssignee(state: FakeState, options: { teamId: number | null }): FakeUser | undefined {
  const team = options.teamId === null ? undefined : findTeam(state, options.teamId);
  const eligible = (userId: number): boolean => {
    const user = state.users.find((candidate) => candidate.id === userId);
    return (
      user !== undefined &&
      availabilityStatus(user) === 'online' &&
      isInboxMember(state, userId) &&
      (team === undefined || team.memberIds.includes(userId))
    );
  };
  const index = state.roundRobin.findIndex(eligible);
  if (index === -1) return undefined;
  const [userId] = state.roundRobin.splice(index, 1);
  if (userId === undefined) return undefined;
  state.roundRobin.push(userId);
  return state.users.find((candidate) => candidate.id === userId);
}
