import { formatConfigurationPath } from '@handoff/core';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-problem.js';
import { locateInvalidUtf8 } from './invalid-utf8-field.js';
import { decodeUtf8Strictly, invalidUtf8Message } from './strict-utf8.js';

/** The 400 for a JSON body with bytes that are not UTF-8, naming the field that holds them. */
function invalidJsonBody(bytes: Uint8Array): HttpProblem {
  const location = locateInvalidUtf8(bytes);
  const path = location.kind === 'body' ? 'body' : formatConfigurationPath(location.path);
  const field = path === '(root)' ? 'body' : path;
  const message =
    location.kind === 'property-name' ? `has a property name that ${invalidUtf8Message}` : invalidUtf8Message;
  return new HttpProblem(400, 'invalid_request', `${field}: ${message}`, [{ path: field, message }]);
}

/**
 * JSON and plain-text bodies are decoded as strict UTF-8: bytes that are not UTF-8 get a 400
 * naming the field, where Fastify's own parsers would turn them into U+FFFD without a word. Valid
 * bodies are parsed by Fastify's JSON parser as before (prototype poisoning refused).
 */
export function registerStrictUtf8BodyParsers(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const text = decodeUtf8Strictly(bytes);
    if (text === undefined) {
      done(invalidJsonBody(bytes), undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_request, body, done) => {
    const text = decodeUtf8Strictly(body as Buffer);
    if (text === undefined) {
      const message = invalidUtf8Message;
      done(
        new HttpProblem(400, 'invalid_request', `body: ${message}`, [{ path: 'body', message }]),
        undefined,
      );
      return;
    }
    done(null, text);
  });
}
