import { describe, expect, it } from 'vitest';
import { locateInvalidUtf8 } from './invalid-utf8-field.js';

/** A JSON body whose `BAD` placeholder is replaced by bytes that are not UTF-8. */
const bodyWith = (json: string, bad: number[] = [0xff]) => {
  const [before = '', after = ''] = json.split('BAD');
  return new Uint8Array(Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]));
};

describe('locateInvalidUtf8', () => {
  it('names the field holding the bytes, nested in objects and arrays', () => {
    expect(locateInvalidUtf8(bodyWith('{"text":"aBADb"}'))).toEqual({ kind: 'value', path: ['text'] });
    expect(locateInvalidUtf8(bodyWith('{"id":"1","attachments":[{"url":"u"},{"name":"BAD"}]}'))).toEqual({
      kind: 'value',
      path: ['attachments', 1, 'name'],
    });
  });

  it('tells a property name from a value', () => {
    expect(locateInvalidUtf8(bodyWith('{"profile":{"attributes":{"kBADey":"v"}}}'))).toEqual({
      kind: 'property-name',
      path: ['profile', 'attributes'],
    });
  });

  it('skips a U+FFFD the client really sent, before or after the bad bytes', () => {
    const body = bodyWith('{"note":"\uFFFD fine","text":"\uFFFDBAD"}', [0xed, 0xa0, 0x80]);
    expect(locateInvalidUtf8(body)).toEqual({ kind: 'value', path: ['text'] });
    const escaped = bodyWith('{"note":"\\ufffd","text":"xBAD"}', [0xe2, 0x82]);
    expect(locateInvalidUtf8(escaped)).toEqual({ kind: 'value', path: ['text'] });
  });

  it('counts multi-byte characters and a byte order mark before the bad bytes', () => {
    const body = bodyWith('\uFEFF{"emoji":"😀é中","text":"BAD"}', [0xf4, 0x90, 0x80, 0x80]);
    expect(locateInvalidUtf8(body)).toEqual({ kind: 'value', path: ['text'] });
  });

  it('answers body when the bytes are outside any string, or the body is no JSON', () => {
    expect(locateInvalidUtf8(bodyWith('{"text":"a",BAD}'))).toEqual({ kind: 'body' });
    expect(locateInvalidUtf8(bodyWith('{"text":"aBAD'))).toEqual({ kind: 'body' });
    expect(locateInvalidUtf8(bodyWith('"BAD"'))).toEqual({ kind: 'value', path: [] });
  });

  it('finds the field in deeply nested input without exhausting the stack', () => {
    const depth = 100_000;
    const body = bodyWith(`{"a":${'['.repeat(depth)}"BAD"${']'.repeat(depth)}}`);
    const location = locateInvalidUtf8(body);
    expect(location.kind).toBe('value');
    expect(location.kind === 'value' ? location.path.length : 0).toBe(depth + 1);
  });
});
