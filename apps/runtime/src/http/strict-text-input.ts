import type { FastifyInstance } from 'fastify';
import { handleFrameworkError, maxEncodedPathParameterLength } from './framework-errors.js';
import { registerQueryTextCheck } from './query-text-check.js';
import { registerStrictUtf8BodyParsers } from './strict-utf8-body-parsers.js';

/**
 * Fastify options of the text rule: path parameters as long as the routes take, and the router's
 * own refusals (a path that is not UTF-8) answered as JSON naming the parameter.
 */
export const strictTextServerOptions = {
  routerOptions: { maxParamLength: maxEncodedPathParameterLength },
  frameworkErrors: handleFrameworkError,
};

/**
 * The text rule at the edge, for every route: bodies and query strings that are not UTF-8 are
 * refused with a 400 naming the field (the route schemas refuse NUL and unpaired surrogates).
 */
export function registerStrictTextInput(app: FastifyInstance) {
  registerStrictUtf8BodyParsers(app);
  registerQueryTextCheck(app);
}
