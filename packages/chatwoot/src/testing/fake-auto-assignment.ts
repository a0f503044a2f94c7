import type { FakeUser } from './fake-records.js';
import { type FakeState, findTeam, isInboxMember } from './fake-state.js';

/**
 * Chatwoot's round-robin pick (notes §7.3, §7.4): an ONLINE user who is a member of the inbox and,
 * when a team is given, of that team. Offline agents are never picked. The chosen one moves to the
 * end of the inbox queue.
 */
export function pickAssignee(state: FakeState, options: { teamId: number | null }): FakeUser | undefined {
  const team = options.teamId === null ? undefined : findTeam(state, options.teamId);
  const eligible = (userId: number): boolean => {
    const user = state.users.find((candidate) => candidate.id === userId);
    return (
      user !== undefined &&
      user.availability === 'online' &&
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
