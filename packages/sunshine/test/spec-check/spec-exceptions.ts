import type { SpecException } from '@handoff/conformance';

const deepObject = (path: string, name: 'page' | 'filter', field: string): SpecException => ({
  method: 'GET',
  path,
  field: `query.${name}[${field}]`,
  why: `the document defines the query parameter \`${name}\` with \`style: deepObject, explode: true\` (components/parameters/${name === 'page' ? 'pageQuery' : 'conversationFilterQuery'}, schema properties ${name === 'page' ? 'after, before, size' : 'userId, userExternalId'}), which is sent as \`${name}[${field}]=...\` (OpenAPI 3.0.2 §4.7.12.4 style values; the document's own example \`/v2/apps/:appId/conversations?filter[userId]=42589ad070d43be9b00ff7e5\`, ListConversations); the kit's validator reads query parameters by plain name only`,
});

const conversations = '/v2/apps/{appId}/conversations';
const messages = '/v2/apps/{appId}/conversations/{conversationId}/messages';

/**
 * Where Sunshine Conversations' official document (17.12.1) and the way the adapter must call it
 * differ, or where the kit's validator cannot read the document, one line each, with the proof.
 */
export const sunshineSpecExceptions: readonly SpecException[] = [
  deepObject(conversations, 'filter', 'userId'),
  deepObject(conversations, 'page', 'size'),
  {
    method: 'POST',
    path: messages,
    field: 'body.destination',
    why: 'the document contradicts itself: `destination` is a oneOf of {integrationId} and {integrationType}, neither with `required` nor closed, so every object matches both and none matches exactly one; its own description says `integrationType` "Can be set to `none` if sending a silent message" (developer.zendesk.com/documentation/conversations/messaging-platform/programmable-conversations/sending-messages/#silent-messages), which is what the adapter sends for its notes: {integrationType: "none"}',
  },
];

/** Where the document describes Sunshine Conversations' answers wrongly or not at all, with the proof. */
export const sunshineResponseExceptions: readonly SpecException[] = [];
