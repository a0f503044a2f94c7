import { attachmentSchema } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { safeText, unsafeTextReason, withSafeStrings } from './safe-text.js';

describe('the text rule', () => {
  it('refuses NUL and unpaired surrogates, and keeps every other text as it is', () => {
    expect(unsafeTextReason('a\u0000b')).toBe('must not contain NUL characters');
    expect(unsafeTextReason('a\ud800b')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextReason('a\udfffb')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextReason('\udfff\ud800')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextReason('שלום 👋🏽 e\u0301 \u202Eevil\u202C \uFFFD')).toBeUndefined();
  });

  it('keeps the limits of the schema it is added to', () => {
    const schema = safeText().min(1).max(3);
    expect(schema.safeParse('abc').success).toBe(true);
    expect(schema.safeParse('abcd').success).toBe(false);
    expect(schema.safeParse('\u0000').error?.issues[0]?.message).toBe('must not contain NUL characters');
  });

  it('puts every string of a foreign schema under the rule, naming the field', () => {
    const schema = z.object({ attachments: z.array(withSafeStrings(attachmentSchema)) });
    const file = { url: 'https://files.example/a.pdf', contentType: 'application/pdf' };
    expect(schema.safeParse({ attachments: [file, { ...file, name: 'a\u0000' }] }).error?.issues).toEqual([
      { code: 'custom', path: ['attachments', 1, 'name'], message: 'must not contain NUL characters' },
    ]);
    expect(
      schema.safeParse({ attachments: [{ ...file, url: 'https://files.example/a\ud800' }] }).success,
    ).toBe(false);
    const profile = withSafeStrings(z.object({ attributes: z.record(z.string(), z.string()) }));
    expect(profile.safeParse({ attributes: { 'pl\u0000an': 'gold' } }).error?.issues[0]).toMatchObject({
      path: ['attributes'],
      message: 'property names must not contain NUL characters',
    });
  });
});
