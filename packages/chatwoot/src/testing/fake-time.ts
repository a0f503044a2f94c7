/** The time formats Chatwoot mixes (REST views: epoch seconds, `updated_at` a float; webhooks: ISO with milliseconds). */

/** Epoch seconds as an integer (`to_i`). */
export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Epoch seconds with the fraction (`to_f`, the conversation `updated_at`). */
export const epochFloat = (date: Date): number => date.getTime() / 1000;

/** ISO 8601 with milliseconds, as Rails serialises times in JSON. */
export const isoTime = (date: Date): string => date.toISOString();

export const isoTimeOrNull = (date: Date | null): string | null =>
  date === null ? null : date.toISOString();
