import { describe, expect, it } from 'vitest';
import { createOpenApiResponseValidator, type OpenApiDocument } from '../src/index.js';

const okSchema = {
  type: 'object',
  properties: { success: { type: 'boolean' }, count: { type: 'integer' } },
  required: ['success'],
};

/** One operation answering 200 in place and 400 by a reference to `components/responses`. */
const document = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: okSchema } } },
          '400': { $ref: '#/components/responses/failure' },
        },
      },
    },
  },
  components: {
    responses: {
      failure: {
        description: 'refused',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { success: { const: false }, error: { type: 'string' } },
              required: ['success', 'error'],
            },
          },
        },
      },
    },
  },
} as unknown as OpenApiDocument;

describe('the OpenAPI response validator', () => {
  const validator = createOpenApiResponseValidator(document);
  const request = { method: 'GET', path: '/things/1' };

  it('checks an answer described in place', () => {
    expect(validator.check(request, { status: 200, body: { success: true, count: 2 } })).toEqual([]);
    expect(validator.check(request, { status: 200, body: { success: true, count: 'two' } })).not.toEqual([]);
  });

  it('checks an answer described by a reference to components/responses, not skipping it', () => {
    expect(validator.check(request, { status: 400, body: { success: false, error: 'nope' } })).toEqual([]);
    expect(validator.check(request, { status: 400, body: { success: false } })).not.toEqual([]);
    expect(validator.check(request, { status: 400, body: { success: true, error: 'x' } })).not.toEqual([]);
  });

  it('names a status the operation does not document', () => {
    expect(validator.check(request, { status: 404, body: {} })).toEqual([
      expect.objectContaining({ field: 'response.status' }),
    ]);
  });
});
