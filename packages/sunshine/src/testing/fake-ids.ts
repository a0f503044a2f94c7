import { randomBytes } from 'node:crypto';

/** A Sunshine Conversations id: 24 hex characters (as the spec's examples, `5e552ef595e5206375bb835d`). */
export const sunshineId = () => randomBytes(12).toString('hex');

/** A secret for one fake: unique to it, so the kit can search errors and logs for it. */
export const canary = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
