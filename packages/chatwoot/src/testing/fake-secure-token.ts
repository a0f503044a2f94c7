/** Tokens shaped like Rails' `has_secure_token`: 24 base58 characters. */
import { randomInt } from 'node:crypto';

const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export const secureToken = (): string => Array.from({ length: 24 }, () => base58[randomInt(58)]).join('');
