import { SupportError, type SupportErrorCode } from '@handoff/core';

export interface ErrorContext {
  provider: string;
  operation: string;
}

/** The status classes every vendor shares; adapters refine them with what their notes say. */
export function codeForStatus(status: number): SupportErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 400 || status === 413 || status === 415 || status === 422) return 'invalid_request';
  if (status >= 500) return 'unavailable';
  return 'invalid_response';
}

/** A short, credential-free description of what the vendor said, for error messages. */
export function describeVendorBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? undefined : text.slice(0, 200);
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'errors', 'description']) {
    const value = record[key];
    if (typeof value === 'string') return value.slice(0, 200);
    if (Array.isArray(value))
      return value
        .map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
        .join('; ')
        .slice(0, 200);
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { message?: unknown }).message === 'string'
    ) {
      return (value as { message: string }).message.slice(0, 200);
    }
  }
  return undefined;
}

/** A SupportError for a non-2xx response. */
export function errorFromResponse(
  context: ErrorContext,
  response: { status: number; body: unknown; retryAfterMs?: number | undefined; code?: SupportErrorCode },
): SupportError {
  const code = response.code ?? codeForStatus(response.status);
  const said = describeVendorBody(response.body);
  return new SupportError({
    code,
    message: `${context.provider} ${context.operation} failed: HTTP ${response.status}${said === undefined ? '' : ` (${said})`}`,
    status: response.status,
    vendorBody: response.body,
    provider: context.provider,
    operation: context.operation,
    ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }),
  });
}

/**
 * A SupportError for a call that got no usable response: aborted by the caller, timed out, or a
 * network failure (reset, refused, DNS).
 */
export function errorFromTransportFailure(
  context: ErrorContext,
  error: unknown,
  signals: { caller?: AbortSignal | undefined; timeout?: AbortSignal | undefined },
): SupportError {
  const base = { provider: context.provider, operation: context.operation, cause: error };
  if (signals.caller?.aborted) {
    return new SupportError({
      ...base,
      code: 'aborted',
      message: `${context.provider} ${context.operation} was aborted`,
    });
  }
  if (
    signals.timeout?.aborted ||
    (error instanceof Error && /timeout/i.test(`${error.name} ${(error as { code?: string }).code ?? ''}`))
  ) {
    return new SupportError({
      ...base,
      code: 'timeout',
      message: `${context.provider} ${context.operation} timed out`,
    });
  }
  const detail =
    error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
  return new SupportError({
    ...base,
    code: 'network',
    message: `${context.provider} ${context.operation} failed before a response: ${detail}`,
  });
}

/** A SupportError for a 2xx response whose body cannot be used. */
export function invalidResponseError(context: ErrorContext, detail: string, body?: unknown): SupportError {
  return new SupportError({
    code: 'invalid_response',
    message: `${context.provider} ${context.operation} answered something unusable: ${detail}`,
    provider: context.provider,
    operation: context.operation,
    vendorBody: body,
  });
}
