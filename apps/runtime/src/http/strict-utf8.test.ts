import { describe, expect, it } from 'vitest';
import { firstInvalidQueryParameter } from './query-text-check.js';
import { decodeUtf8Strictly, headerValueAsUtf8, percentDecodeStrictly } from './strict-utf8.js';

describe('strict UTF-8', () => {
  it('decodes valid UTF-8 and refuses every kind of invalid sequence', () => {
    expect(decodeUtf8Strictly(Buffer.from('Grüße 😀'))).toBe('Grüße 😀');
    for (const bad of [
      [0xff],
      [0x80],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xe2, 0x82],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      expect(decodeUtf8Strictly(Uint8Array.from(bad)), bad.join(' ')).toBeUndefined();
    }
  });

  it('percent-decodes runs of escapes as UTF-8, and keeps a % that starts no escape', () => {
    expect(percentDecodeStrictly('M%C3%A4rz%20%F0%9F%98%80.pdf')).toBe('März 😀.pdf');
    expect(percentDecodeStrictly('100%.txt')).toBe('100%.txt');
    expect(percentDecodeStrictly('a%00b')).toBe('a\u0000b');
    expect(percentDecodeStrictly('%FF')).toBeUndefined();
    expect(percentDecodeStrictly('%ED%A0%80')).toBeUndefined();
    expect(percentDecodeStrictly('%E2%82')).toBeUndefined();
  });

  it('reads header bytes as UTF-8', () => {
    expect(headerValueAsUtf8(Buffer.from('März.pdf').toString('latin1'))).toBe('März.pdf');
    expect(headerValueAsUtf8('M\u00e4rz.pdf')).toBeUndefined();
  });

  it('names the first query parameter that is not UTF-8', () => {
    expect(firstInvalidQueryParameter('/v1/x?after=1&teamId=%FF')).toBe('teamId');
    expect(firstInvalidQueryParameter('/v1/x?team+id=%E2%82&b=%FF')).toBe('team id');
    expect(firstInvalidQueryParameter('/v1/x?%FF=1')).toBe('%FF');
    expect(firstInvalidQueryParameter('/v1/x?a=%C3%A4&b=100%&c')).toBeUndefined();
    expect(firstInvalidQueryParameter('/v1/x')).toBeUndefined();
  });
});
