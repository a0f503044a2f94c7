// The router: patterns with named segments, percent-decoding, and bad encodings told apart.
import { describe, expect, it } from 'vitest';
import { createFakeRouter, decodePathSegment } from '../src/fake-router.js';

const routes = [
  { method: 'GET', pattern: '/items/:id', name: 'show' },
  { method: 'POST', pattern: '/items/:id/notes', name: 'note' },
  { method: 'GET', pattern: '/items.json', name: 'dotted' },
] as const;

describe('the fake router', () => {
  const router = createFakeRouter(routes);

  it('matches method and pattern, with or without a trailing slash, and decodes the segments', () => {
    expect(router.match('GET', '/items/12')).toEqual({ kind: 'route', route: routes[0], path: { id: '12' } });
    expect(router.match('GET', '/items/12/')).toMatchObject({ kind: 'route', path: { id: '12' } });
    expect(router.match('POST', '/items/a%20b%2Fc/notes')).toMatchObject({
      kind: 'route',
      route: routes[1],
      path: { id: 'a b/c' },
    });
  });

  it('says none for another method, another path, or a segment that would need two', () => {
    expect(router.match('DELETE', '/items/12')).toEqual({ kind: 'none' });
    expect(router.match('GET', '/things/12')).toEqual({ kind: 'none' });
    expect(router.match('GET', '/items/12/13')).toEqual({ kind: 'none' });
    // Pattern text is literal: the dot is not "any character".
    expect(router.match('GET', '/itemsxjson')).toEqual({ kind: 'none' });
  });

  it('tells a segment that is not valid percent-encoding apart instead of throwing', () => {
    expect(() => decodeURIComponent('%E0%A4%A')).toThrow(URIError);
    expect(router.match('GET', '/items/%E0%A4%A')).toEqual({ kind: 'bad-path' });
    expect(router.match('GET', '/items/%')).toEqual({ kind: 'bad-path' });
    expect(decodePathSegment('%E0%A4%A')).toBeUndefined();
    expect(decodePathSegment('caf%C3%A9')).toBe('café');
  });
});
