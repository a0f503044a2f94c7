import { isSupportError, type TeamAvailability, type TeamAvailabilityOptions } from '@handoff/core';
import { z } from 'zod';
import type { ChatwootClient } from './chatwoot-client.js';
import { type InboxWorkingHours, inboxIsOpen, inboxWorkingHoursSchema } from './inbox-working-hours.js';

const teamMembersSchema = z.array(z.object({ availability_status: z.string().nullable().optional() }));

export interface TeamAvailabilitySettings {
  client: ChatwootClient;
  inboxId: number;
  /** How long the inbox's working hours are kept before they are read again. */
  cacheTtlMs: number;
  now?: () => Date;
}

/**
 * Whether anyone of a Chatwoot team can answer now: the API inbox must be within its working hours
 * (when the inbox has them turned on) and a member of the team must be `online` (Chatwoot's
 * auto-assignment takes only online agents; `busy` and `offline` ones are not offered new chats).
 */
export function createTeamAvailability(settings: TeamAvailabilitySettings) {
  const now = settings.now ?? (() => new Date());
  let inboxCache: { inbox: InboxWorkingHours | undefined; at: number } | undefined;

  const workingHours = async (signal: AbortSignal | undefined): Promise<InboxWorkingHours | undefined> => {
    if (inboxCache !== undefined && now().getTime() - inboxCache.at < settings.cacheTtlMs)
      return inboxCache.inbox;
    let inbox: InboxWorkingHours | undefined;
    try {
      inbox = await settings.client.call({
        operation: 'teamAvailability',
        method: 'GET',
        path: `/inboxes/${settings.inboxId}`,
        token: 'user',
        schema: inboxWorkingHoursSchema,
        signal,
      });
    } catch (error) {
      // A token that may not read the inbox (an agent who is not its member): hours unknown.
      if (!(isSupportError(error) && error.code === 'unauthorized')) throw error;
      inbox = undefined;
    }
    inboxCache = { inbox, at: now().getTime() };
    return inbox;
  };

  return async ({ team, signal }: TeamAvailabilityOptions & { team: string }): Promise<TeamAvailability> => {
    // Two reads that do not depend on each other: asked at once, one round trip instead of two.
    const [members, inbox] = await Promise.all([
      settings.client.call({
        operation: 'teamAvailability',
        method: 'GET',
        path: `/teams/${team}/team_members`,
        token: 'user',
        schema: teamMembersSchema,
        signal,
      }),
      workingHours(signal),
    ]);
    if (inbox !== undefined && !inboxIsOpen(inbox, now()))
      return { available: false, reason: 'outside_hours' };
    if (!members.some((member) => member.availability_status === 'online')) {
      return { available: false, reason: 'no_agents' };
    }
    return { available: true };
  };
}
