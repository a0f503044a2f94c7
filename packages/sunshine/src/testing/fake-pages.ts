import { badRequest } from './fake-errors.js';

/** Cursor pagination (spec info "API Pagination"): `page[after]`, `page[before]`, `page[size]` (1 to 100). */
export function readPage(query: Record<string, string>, defaultSize: number) {
  const after = query['page[after]'];
  const before = query['page[before]'];
  if (after !== undefined && before !== undefined)
    return badRequest('Invalid page query parameters: page[after] and page[before] are exclusive');
  const sizeText = query['page[size]'];
  const size = sizeText === undefined ? defaultSize : Number(sizeText);
  if (!Number.isInteger(size) || size < 1 || size > 100) return badRequest('Invalid page query parameters');
  return { after, before, size };
}

/**
 * One page of `records` (oldest first) by record id: forwards after a cursor, backwards before one,
 * or the first (or, `fromEnd`, the latest) page; `meta` and `links` as the spec's `meta`/`links`.
 */
export function pageOf<T extends { id: string }>(
  records: readonly T[],
  page: { after: string | undefined; before: string | undefined; size: number },
  url: string,
  fromEnd = false,
) {
  let start: number;
  let end: number;
  if (page.after !== undefined) {
    start = records.findIndex((record) => record.id === page.after) + 1;
    end = Math.min(records.length, start + page.size);
  } else if (page.before !== undefined) {
    const index = records.findIndex((record) => record.id === page.before);
    end = index < 0 ? records.length : index;
    start = Math.max(0, end - page.size);
  } else if (fromEnd) {
    end = records.length;
    start = Math.max(0, end - page.size);
  } else {
    start = 0;
    end = Math.min(records.length, page.size);
  }
  const items = records.slice(start, end);
  const backwards = page.before !== undefined || (fromEnd && page.after === undefined);
  const hasMore = backwards ? start > 0 : end < records.length;
  const first = items[0]?.id;
  const last = items.at(-1)?.id;
  return {
    items,
    meta: {
      hasMore,
      ...(last === undefined ? {} : { afterCursor: last }),
      ...(first === undefined ? {} : { beforeCursor: first }),
    },
    links: {
      ...(end < records.length && last !== undefined ? { next: `${url}?page[after]=${last}` } : {}),
      ...(start > 0 && first !== undefined ? { prev: `${url}?page[before]=${first}` } : {}),
    },
  };
}
