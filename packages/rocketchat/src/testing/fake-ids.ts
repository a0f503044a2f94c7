import { randomBytes, randomInt } from 'node:crypto';

/** The alphabet of Rocket.Chat's ids (Meteor's `Random.id()`: 17 characters, no look-alikes). */
const idAlphabet = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

/** A Rocket.Chat id: 17 characters of Meteor's `Random.id()` alphabet (`5ZhuXJvfFcfLzAzbH`). */
export function rocketChatId(): string {
  let id = '';
  for (let index = 0; index < 17; index += 1) id += idAlphabet[randomInt(idAlphabet.length)];
  return id;
}

/** A secret of one fake: unique to it, so the kit can search errors and logs for it. */
export const canary = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
