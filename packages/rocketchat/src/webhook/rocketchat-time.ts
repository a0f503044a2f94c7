/** A time Rocket.Chat sends (an ISO string or ms since the epoch) as ISO 8601, or undefined. */
export function isoTime(value: string | number | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
