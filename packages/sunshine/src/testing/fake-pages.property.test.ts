import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageOf } from './fake-pages.js';

const records = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `r${index}` }));

/** Walks every page in one direction, from the first answer, following the cursors the answers give. */
function walk(count: number, size: number, backwards: boolean): string[] {
  const all = records(count);
  const seen: string[] = [];
  let page = pageOf(all, { after: undefined, before: undefined, size }, 'u', backwards);
  for (let guard = 0; guard <= count + 1; guard += 1) {
    if (backwards) seen.unshift(...page.items.map((record) => record.id));
    else seen.push(...page.items.map((record) => record.id));
    if (!page.meta.hasMore) break;
    page = backwards
      ? pageOf(all, { after: undefined, before: page.meta.beforeCursor, size }, 'u')
      : pageOf(all, { after: page.meta.afterCursor, before: undefined, size }, 'u');
  }
  return seen;
}

describe("the fake's cursor pages", () => {
  it('forwards (page[after]) and backwards from the latest page (page[before]) give every record once, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 350 }),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        (count, size, backwards) => {
          expect(walk(count, size, backwards)).toEqual(records(count).map((record) => record.id));
        },
      ),
    );
  });
});
