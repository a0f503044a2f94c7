/**
 * Readers for request parameters that cast the way Rails does: JSON numbers and numeric strings
 * are both integers, "true"/"1" are both true, and a value of the wrong shape reads as absent.
 */

export type Params = Record<string, unknown>;

export function readString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

const trueValues = new Set(['true', '1', 't', 'on', 'yes']);

export function readBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return trueValues.has(value.trim().toLowerCase());
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object parameter; a JSON string is accepted too (multipart forms carry objects that way). */
export function readRecord(value: unknown): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function readStringArray(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map((item) => readString(item)).filter((item) => item !== undefined);
  const single = readString(value);
  return single === undefined ? undefined : [single];
}

/** True when the parameter was sent at all (even as null), like Rails' `params.key?`. */
export const hasParam = (params: Params, name: string): boolean => Object.hasOwn(params, name);
