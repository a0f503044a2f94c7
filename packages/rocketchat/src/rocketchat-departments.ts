import { SupportError, type Team } from '@handoff/core';
import type { RocketChatClient } from './rocketchat-client.js';
import { departmentListSchema } from './rocketchat-responses.js';

/**
 * The Omnichannel departments (the teams), read page after page from `GET livechat/department`
 * (`count`/`offset`/`total`) and reused for `ttlMs`; disabled departments are left out.
 */
export function createDepartmentDirectory(
  client: RocketChatClient,
  options: { ttlMs: number; now: () => number },
) {
  let cache: { teams: Team[]; at: number } | undefined;

  const list = async (operation: string, signal?: AbortSignal): Promise<Team[]> => {
    if (cache !== undefined && options.now() - cache.at < options.ttlMs) return cache.teams;
    const teams: Team[] = [];
    const count = 100;
    for (let offset = 0; offset < 10_000; offset += count) {
      const page = await client.call({
        operation,
        method: 'GET',
        path: '/livechat/department',
        query: { count, offset },
        schema: departmentListSchema,
        signal,
      });
      for (const department of page.departments) {
        if (department.enabled !== false) teams.push({ id: department._id, name: department.name });
      }
      const total = page.total ?? offset + page.departments.length;
      if (page.departments.length < count || offset + page.departments.length >= total) break;
    }
    cache = { teams, at: options.now() };
    return teams;
  };

  return {
    list,
    /** A department by id; a department created since the list was read is found by reading it again. */
    async find(team: string, operation: string, signal?: AbortSignal): Promise<Team> {
      let found = (await list(operation, signal)).find((department) => department.id === team);
      if (found === undefined && cache !== undefined) {
        cache = undefined;
        found = (await list(operation, signal)).find((department) => department.id === team);
      }
      if (found === undefined) {
        throw new SupportError({
          code: 'not_found',
          message: `Rocket.Chat has no (enabled) department ${team}`,
          provider: 'rocketchat',
          operation,
        });
      }
      return found;
    },
  };
}
