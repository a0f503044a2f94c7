import { createHash, createHmac } from 'node:crypto';

/** The alphabet of Rocket.Chat's own ids (`Random.id()`: 17 characters, no look-alikes). */
const idAlphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * The visitor token of one of our users: an HMAC of the user id, so the same user always gets the
 * same visitor (idempotent without storing anything) and nobody can derive the token from the user
 * id. A visitor token is the visitor's credential in Rocket.Chat's Livechat API: never logged.
 */
export function visitorTokenFor(key: string, userId: string): string {
  return createHmac('sha256', key).update(`handoff-visitor:${userId}`).digest('hex').slice(0, 40);
}

/**
 * The Rocket.Chat message `_id` of one of our messages in a room: the same message posted again
 * gets the same `_id`, so a retry is recognised (Rocket.Chat keeps a given `_id`).
 */
export function messageIdFor(roomId: string, messageId: string): string {
  const digest = createHash('sha256').update(`handoff-message:${roomId}\n${messageId}`).digest();
  let id = '';
  for (let index = 0; index < 17; index += 1) id += idAlphabet[(digest[index] ?? 0) % idAlphabet.length];
  return id;
}

/**
 * The visitor token of one handoff of one of our users. Rocket.Chat keeps one open room per
 * visitor, so each handoff gets a visitor of its own (a copy of the user's, with the same custom
 * field): two handoffs of a user open at once get two rooms, never one room shared by both, and a
 * retried handoff finds its room again by the token alone.
 */
export function handoffVisitorTokenFor(key: string, userToken: string, handoffId: string): string {
  return createHmac('sha256', key)
    .update(`handoff-room:${userToken}\n${handoffId}`)
    .digest('hex')
    .slice(0, 40);
}
