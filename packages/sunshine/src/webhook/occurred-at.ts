/** The first of `candidates` that is a time, as ISO 8601 (years 0000-9999): `{occurredAt}` or `{}`. */
export function occurredAt(...candidates: Array<string | null | undefined>): { occurredAt?: string } {
  for (const candidate of candidates) {
    if (candidate === null || candidate === undefined) continue;
    const time = Date.parse(candidate);
    if (Number.isNaN(time)) continue;
    const iso = new Date(time).toISOString();
    // Years outside 0000-9999 have no ISO 8601 form without extensions.
    if (/^\d{4}-/.test(iso)) return { occurredAt: iso };
  }
  return {};
}
