/** Intercom's timestamps are integers in Unix seconds everywhere (facts §0). */
export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export const unixSecondsOrNull = (date: Date | null): number | null =>
  date === null ? null : unixSeconds(date);

/** A request's Unix-seconds field as a date. */
export const fromUnixSeconds = (seconds: number): Date => new Date(seconds * 1000);
