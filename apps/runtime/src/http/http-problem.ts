import {
  BotError,
  ConfigurationError,
  formatConfigurationPath,
  InputError,
  StorageUnavailableError,
  SupportError,
  WebhookVerificationError,
} from '@handoff/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** An answer other than success: a status, a stable error code and what is wrong. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpProblem';
  }

  static fromZod(error: z.ZodError, where: 'body' | 'path' | 'query'): HttpProblem {
    const issues = error.issues.flatMap((issue) => {
      const path = issue.path.filter((segment) => typeof segment !== 'symbol');
      // A field the request may not have is named itself, not the object around it.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({
          path: formatConfigurationPath([...path, key]),
          message: 'is not a field of this request',
        }));
      }
      return [{ path: path.length === 0 ? where : formatConfigurationPath(path), message: issue.message }];
    });
    const first = issues[0];
    const prefix = where === 'body' || first?.path === where ? '' : `${where} `;
    return new HttpProblem(
      400,
      'invalid_request',
      first === undefined ? `invalid ${where}` : `${prefix}${first.path}: ${first.message}`,
      issues,
    );
  }
}

/**
 * Parses `input` with `schema` or throws a 400 naming the first bad field. A request without a
 * body is parsed as an empty object (a JSON `null` is not: it is refused like any other non-object).
 */
export function parseRequest<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  where: 'body' | 'path' | 'query',
): z.output<Schema> {
  const result = schema.safeParse(where === 'body' && input === undefined ? {} : input);
  if (!result.success) throw HttpProblem.fromZod(result.error, where);
  return result.data;
}

function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (InputError.isInstance(error)) {
    const issues = error.issues.map((issue) => ({
      path: formatConfigurationPath(issue.path),
      message: issue.message,
    }));
    return new HttpProblem(400, 'invalid_request', error.message, issues);
  }
  if (WebhookVerificationError.isInstance(error))
    return new HttpProblem(error.status, error.reason, error.message);
  if (BotError.isInstance(error)) {
    return new HttpProblem(502, error.code, `${error.message}; the message was not processed, send it again`);
  }
  if (SupportError.isInstance(error)) return new HttpProblem(502, `support_${error.code}`, error.message);
  if (ConfigurationError.isInstance(error)) return new HttpProblem(500, 'misconfigured', error.message);
  if (StorageUnavailableError.isInstance(error)) {
    return new HttpProblem(
      503,
      error.code,
      `${error.message}; nothing was stored, send it again`,
      undefined,
      {
        'retry-after': '1',
      },
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const code =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'body_too_large'
        : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'unsupported_media_type'
          : 'invalid_request';
    return new HttpProblem(fastifyError.statusCode, code, fastifyError.message ?? 'invalid request');
  }
  return undefined;
}

/** Every error becomes a JSON answer with a code; only unexpected ones are 500 and logged in full. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const problem = problemOf(error);
  if (problem === undefined) {
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .status(500)
      .send({ error: 'internal', message: 'an unexpected error occurred; it was logged' });
  }
  if (problem.status >= 500)
    request.log.warn({ code: problem.code, status: problem.status }, problem.message);
  return sendProblem(reply, problem);
}

/** Sends `problem` as the JSON answer `{ error, message, issues? }`, with its headers. */
export function sendProblem(reply: FastifyReply, problem: HttpProblem) {
  if (problem.headers !== undefined) reply.headers(problem.headers);
  return reply.status(problem.status).send({
    error: problem.code,
    message: problem.message,
    ...(problem.issues === undefined ? {} : { issues: problem.issues }),
  });
}
