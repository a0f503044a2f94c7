type PathSegment = string | number;

/** A value met while walking a JSON document, with the way back to the root. */
interface Visit {
  value: unknown;
  key: PathSegment | undefined;
  parent: Visit | undefined;
}

/** The path from the root to a visited value (built only when asked: walking stays linear). */
function pathOf(visit: Visit): PathSegment[] {
  const path: PathSegment[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** What a walk found: a string value, or a property name of an object. */
export type JsonFinding<Detail> = { path: PathSegment[]; propertyName: boolean; detail: Detail };

/**
 * Walks a parsed JSON value depth first, in document order, without recursion (no input nests
 * deep enough to exhaust the stack) and without copying paths (no input makes it quadratic);
 * answers the first string or property name for which `inspect` answers something.
 */
export function findInJson<Detail>(
  root: unknown,
  inspect: (text: string) => Detail | undefined,
): JsonFinding<Detail> | undefined {
  const pending: Visit[] = [{ value: root, key: undefined, parent: undefined }];
  while (pending.length > 0) {
    const visit = pending.pop();
    if (visit === undefined) break;
    const { value } = visit;
    if (typeof value === 'string') {
      const detail = inspect(value);
      if (detail !== undefined) return { path: pathOf(visit), propertyName: false, detail };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) {
        pending.push({ value: value[index], key: index, parent: visit });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (const key of keys) {
      const detail = inspect(key);
      if (detail !== undefined) return { path: pathOf(visit), propertyName: true, detail };
    }
    for (let index = keys.length - 1; index >= 0; index -= 1) {
      const key = keys[index] as string;
      pending.push({ value: (value as Record<string, unknown>)[key], key, parent: visit });
    }
  }
  return undefined;
}
