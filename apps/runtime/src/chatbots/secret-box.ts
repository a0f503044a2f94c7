// Secrets of chatbot configurations sealed at rest with AES-256-GCM, and the key they are sealed with.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '@handoff/core';

/** What a sealed secret starts with: the format version, so a later key rotation can tell. */
const sealedPrefix = 'sealed:v1:';

export interface SecretBox {
  /** `secret` encrypted with a fresh 96-bit nonce: `sealed:v1:<nonce>.<tag>.<ciphertext>` (base64url). */
  seal(secret: string): string;
  /** The secret `sealed` holds; throws when it was sealed with another key or altered. */
  open(sealed: string): string;
  isSealed(value: string): boolean;
}

/** A box over a 32-byte key. */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.byteLength !== 32) throw new Error('an AES-256 key has 32 bytes');
  return {
    seal(secret) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      const parts = [nonce, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
      return `${sealedPrefix}${parts.join('.')}`;
    },
    open(sealed) {
      const [nonce, tag, ciphertext] = sealed
        .slice(sealedPrefix.length)
        .split('.')
        .map((part) => Buffer.from(part, 'base64url'));
      if (
        !sealed.startsWith(sealedPrefix) ||
        nonce === undefined ||
        tag === undefined ||
        ciphertext === undefined
      )
        throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    },
    isSealed: (value) => value.startsWith(sealedPrefix),
  };
}

/** The 32 bytes `HANDOFF_SECRETS_KEY` holds (64 hex digits, or base64 / base64url), or why not. */
function parseSecretsKey(value: string): Uint8Array | string {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return new Uint8Array(Buffer.from(trimmed, 'hex'));
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (bytes.byteLength === 32) return new Uint8Array(bytes);
  }
  return 'must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)';
}

/**
 * The key chatbot secrets are sealed with: `HANDOFF_SECRETS_KEY`, else, on a loopback host only,
 * one generated once per installation and kept in the storage (`generated: true`: say so). On a
 * host other machines reach, a missing or malformed key stops the runtime, naming the variable.
 */
export async function secretsKeyOf(settings: {
  env: Readonly<Record<string, string | undefined>>;
  loopback: boolean;
  installationSecret: (name: string) => Promise<string>;
}): Promise<{ key: Uint8Array; generated: boolean }> {
  const given = settings.env.HANDOFF_SECRETS_KEY;
  if (given !== undefined && given !== '') {
    const key = parseSecretsKey(given);
    if (typeof key === 'string') throw secretsKeyError(key);
    return { key, generated: false };
  }
  if (!settings.loopback) {
    throw secretsKeyError(
      'is required on a host other machines reach: chatbot secrets are encrypted at rest with it (openssl rand -base64 32)',
    );
  }
  const secret = await settings.installationSecret('chatbot-secrets-key');
  return { key: new Uint8Array(createHash('sha256').update(secret).digest()), generated: true };
}

const secretsKeyError = (message: string) =>
  new ConfigurationError([{ path: ['HANDOFF_SECRETS_KEY'], message }], { source: 'environment' });
