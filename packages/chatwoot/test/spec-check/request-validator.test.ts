import { createOpenApiRequestValidator } from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { loadOpenApiDocument } from './openapi-document.js';

const loaded = loadOpenApiDocument();
if ('missing' in loaded) throw new Error(loaded.missing);
const validator = createOpenApiRequestValidator(loaded.document, {
  credentialSchemes: { bot: 'agentBotApiKey' },
});
const fields = (request: Parameters<typeof validator.check>[0]) =>
  validator.check(request).map((problem) => problem.field);

const base = { query: {}, auth: 'user' as const };

describe('request validator against the Chatwoot document', () => {
  it('accepts a documented request', () => {
    expect(
      validator.check({
        ...base,
        method: 'POST',
        path: '/api/v1/accounts/1/conversations/42/toggle_status',
        body: { status: 'open' },
      }),
    ).toEqual([]);
  });

  it('finds an unknown operation', () => {
    expect(
      fields({ ...base, method: 'POST', path: '/api/v1/accounts/1/conversations/42/unknown', body: {} }),
    ).toEqual(['operation']);
  });

  it('finds a wrong enum value, a wrong path type and a missing required field', () => {
    expect(
      fields({
        ...base,
        method: 'POST',
        path: '/api/v1/accounts/1/conversations/42/toggle_status',
        body: { status: 'closed' },
      }),
    ).toEqual(['body.status']);
    expect(fields({ ...base, method: 'GET', path: '/api/v1/accounts/one/teams', body: undefined })).toEqual([
      'path.account_id',
    ]);
    expect(
      fields({ ...base, method: 'POST', path: '/api/v1/accounts/1/contacts', body: { name: 'x' } }),
    ).toEqual(['body.inbox_id']);
  });

  it('finds fields and query parameters the document does not describe', () => {
    expect(
      fields({
        ...base,
        method: 'POST',
        path: '/api/v1/accounts/1/conversations/42/messages',
        body: { content: 'hi', source_id: 'handoff:message:1' },
      }),
    ).toEqual(['body.source_id']);
    expect(
      fields({
        ...base,
        method: 'GET',
        path: '/api/v1/accounts/1/teams',
        query: { page: '2' },
        body: undefined,
      }),
    ).toEqual(['query.page']);
  });

  it('prefers a literal segment to a parameter', () => {
    expect(
      fields({
        ...base,
        method: 'POST',
        path: '/api/v1/accounts/1/contacts/filter',
        query: { page: '1' },
        body: {
          payload: [
            {
              attribute_key: 'identifier',
              filter_operator: 'equal_to',
              values: ['u-1'],
              query_operator: 'AND',
            },
          ],
        },
      }),
    ).toEqual([]);
  });

  it('finds an agent bot token on a user-only operation', () => {
    expect(
      fields({ method: 'GET', path: '/api/v1/accounts/1/teams', query: {}, body: undefined, auth: 'bot' }),
    ).toEqual(['auth']);
  });

  it('checks multipart text fields and ignores the files', () => {
    expect(
      fields({
        ...base,
        method: 'POST',
        path: '/api/v1/accounts/1/conversations/42/messages',
        contentType: 'multipart/form-data; boundary=x',
        body: {
          content: 'receipt',
          message_type: 'incoming',
          private: 'false',
          'attachments[]': [{ filename: 'r.txt', type: 'text/plain', size: 3 }],
        },
      }),
    ).toEqual([]);
  });
});
