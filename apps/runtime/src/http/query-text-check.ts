import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-problem.js';
import { invalidUtf8Message, percentDecodeStrictly } from './strict-utf8.js';

/**
 * The first query parameter (its name, as well as it decodes) whose %-escapes are not UTF-8.
 * Fastify's query parser keeps such a value as the raw escapes, without a word.
 */
export function firstInvalidQueryParameter(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start === -1) return undefined;
  for (const pair of url.slice(start + 1).split('&')) {
    const separator = pair.indexOf('=');
    const rawName = (separator === -1 ? pair : pair.slice(0, separator)).replaceAll('+', ' ');
    const rawValue = separator === -1 ? '' : pair.slice(separator + 1).replaceAll('+', ' ');
    const name = percentDecodeStrictly(rawName);
    if (name === undefined) return rawName;
    if (percentDecodeStrictly(rawValue) === undefined) return name;
  }
  return undefined;
}

/** Refuses a query string that is not UTF-8 with a 400 naming the parameter, on every route. */
export function registerQueryTextCheck(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    const name = firstInvalidQueryParameter(request.raw.url ?? '');
    if (name === undefined) return;
    throw new HttpProblem(400, 'invalid_request', `query ${name}: ${invalidUtf8Message}`, [
      { path: name, message: invalidUtf8Message },
    ]);
  });
}
