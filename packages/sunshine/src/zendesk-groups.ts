import { SupportError, type Team } from '@handoff/core';
import type { SunshineClients } from './sunshine-client.js';
import { groupListSchema } from './sunshine-responses.js';

const provider = 'sunshine';

/** The most pages of 100 groups read (10,000 groups). */
const maxGroupPages = 100;

export interface GroupDirectorySettings {
  clients: SunshineClients;
  ttlMs: number;
  now: () => number;
}

/**
 * The Zendesk Support groups (the teams routing names): `GET /api/v2/groups` with cursor
 * pagination (`page[size]=100`, then `page[after]` while `meta.has_more`), deleted groups left
 * out, reused for `ttlMs`.
 */
export function createGroupDirectory(settings: GroupDirectorySettings) {
  let cache: { teams: Team[]; at: number } | undefined;

  const read = async (operation: string, signal?: AbortSignal): Promise<Team[]> => {
    const teams: Team[] = [];
    let after: string | undefined;
    for (let page = 0; page < maxGroupPages; page += 1) {
      const answer = await settings.clients.zendesk.call({
        operation,
        method: 'GET',
        path: '/api/v2/groups',
        query: { 'page[size]': 100, ...(after === undefined ? {} : { 'page[after]': after }) },
        schema: groupListSchema,
        signal,
      });
      for (const group of answer.groups)
        if (group.deleted !== true) teams.push({ id: group.id, name: group.name });
      after = answer.meta?.after_cursor ?? undefined;
      if (answer.meta?.has_more !== true || after === undefined) break;
    }
    cache = { teams, at: settings.now() };
    return teams;
  };

  return {
    async list(operation: string, signal?: AbortSignal): Promise<Team[]> {
      if (cache !== undefined && settings.now() - cache.at < settings.ttlMs) return cache.teams;
      return read(operation, signal);
    },

    /** A group by id (or by its exact name), read again when the cached list does not have it. */
    async find(team: string, operation: string, signal?: AbortSignal): Promise<Team> {
      const match = (teams: readonly Team[]) =>
        teams.find((candidate) => candidate.id === team) ??
        teams.find((candidate) => candidate.name === team);
      const cached = cache === undefined ? undefined : match(cache.teams);
      if (cached !== undefined) return cached;
      const found = match(await read(operation, signal));
      if (found === undefined) {
        throw new SupportError({
          code: 'not_found',
          message: `Zendesk has no group ${team} (GET /api/v2/groups)`,
          provider,
          operation,
        });
      }
      return found;
    },
  };
}

export type GroupDirectory = ReturnType<typeof createGroupDirectory>;
