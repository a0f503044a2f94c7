import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, sendProblem } from './http-problem.js';
import { invalidUtf8Message } from './strict-utf8.js';

/**
 * Longest path parameter, as sent (percent-encoded): a 255-character file name, each UTF-16 unit
 * up to three UTF-8 bytes of three characters each (Fastify's default, 100, is shorter than the
 * 200-character ids the routes take).
 */
export const maxEncodedPathParameterLength = 255 * 9;

const decodes = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * The route parameter a bad path segment stands for: the path is looked up with a placeholder in
 * place of every bad segment, and the parameter holding the first placeholder is the one.
 */
function parameterNameOf(request: FastifyRequest, isBad: (segment: string) => boolean): string | undefined {
  const path = (request.raw.url ?? '').split('?')[0] ?? '';
  const segments = path.split('/');
  const firstBad = segments.findIndex(isBad);
  if (firstBad === -1) return undefined;
  const placeholder = (index: number) => `bad-segment-${index}`;
  const url = segments.map((segment, index) => (isBad(segment) ? placeholder(index) : segment)).join('/');
  const route = request.server.findRoute({ method: request.raw.method ?? 'GET', url });
  const params = (route?.params ?? {}) as Record<string, string>;
  return Object.entries(params).find(([, value]) => value === placeholder(firstBad))?.[0];
}

/**
 * What Fastify's router refuses before any route runs: a path whose %-escapes are not UTF-8, or a
 * parameter longer than the router takes. Answered like every other error, naming the parameter.
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') {
    const name = parameterNameOf(request, (segment) => !decodes(segment));
    const field = name === undefined ? 'path' : `path ${name}`;
    return sendProblem(
      reply,
      new HttpProblem(400, 'invalid_request', `${field}: ${invalidUtf8Message}`, [
        { path: name ?? 'path', message: invalidUtf8Message },
      ]),
    );
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const message = `must be at most ${maxEncodedPathParameterLength} characters, percent-encoded`;
    const name = parameterNameOf(request, (segment) => segment.length > maxEncodedPathParameterLength);
    return sendProblem(
      reply,
      new HttpProblem(414, 'uri_too_long', `${name === undefined ? 'path' : `path ${name}`}: ${message}`, [
        { path: name ?? 'path', message },
      ]),
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) request.log.error({ err: error }, 'unexpected router error');
  return sendProblem(
    reply,
    status < 500
      ? new HttpProblem(status, 'invalid_request', error.message || 'invalid request')
      : new HttpProblem(500, 'internal', 'an unexpected error occurred; it was logged'),
  );
}
