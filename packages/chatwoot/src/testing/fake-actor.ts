import type { FakeAgentBot, FakeUser } from './fake-records.js';

/** Who made an API call: the owner of the access token. */
export type FakeTokenOwner = { kind: 'user'; user: FakeUser } | { kind: 'bot'; bot: FakeAgentBot };

/** Who caused a change: a token owner, or Chatwoot itself (auto-assignment, a reopen by a new message). */
export type FakeActor = FakeTokenOwner | { kind: 'system' };

export const systemActor: FakeActor = { kind: 'system' };

export function actorName(actor: FakeActor): string {
  switch (actor.kind) {
    case 'user':
      return actor.user.name;
    case 'bot':
      return actor.bot.name ?? '';
    case 'system':
      return 'System';
  }
}

export const actorUserId = (actor: FakeActor): number | undefined =>
  actor.kind === 'user' ? actor.user.id : undefined;
