import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenApiDocument } from '@handoff/conformance';

/**
 * Sunshine Conversations' OpenAPI 3.0.2 document (17.12.1), from the JSON the package keeps beside
 * the official YAML (`__fixtures__/openapi/`, converted key for key with the `yaml` package), read
 * as JSON Schema 2020-12: `nullable: true` becomes a `null` in the type list, and a nullable
 * `allOf`/`$ref` becomes "that or null" (the document puts `nullable` beside `allOf` 40 times, for
 * example `conversationTruncated.activeSwitchboardIntegration` and `message.metadata`); an `allOf` of a
 * single `$ref` (how the document adds a description to a reference) is that `$ref`.
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  let converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, asJsonSchema(value)]));
  // `allOf` of one reference is that reference, with its siblings (as 2020-12 reads them): the
  // kit's check for undocumented fields then sees what it refers to (`metadata` is open).
  const { allOf, ...siblings } = converted;
  const only = Array.isArray(allOf) && allOf.length === 1 ? (allOf[0] as { $ref?: unknown }) : undefined;
  if (typeof only?.$ref === 'string') converted = { ...siblings, $ref: only.$ref };
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') return { ...converted, type: [converted.type, 'null'] };
  if (converted.$ref !== undefined || converted.allOf !== undefined) {
    const { description, ...schema } = converted;
    return { ...(description === undefined ? {} : { description }), anyOf: [schema, { type: 'null' }] };
  }
  return converted;
}

const openApiPath = fileURLToPath(
  new URL('../../__fixtures__/openapi/sunshine-conversations-openapi.json', import.meta.url),
);

export function loadOpenApiDocument(): OpenApiDocument {
  return asJsonSchema(JSON.parse(readFileSync(openApiPath, 'utf8'))) as OpenApiDocument;
}

/** The webhook event schemas of the document (`x-webhooks` EventWebhooks), by event type. */
export const eventSchemas: Readonly<Record<string, string>> = {
  'conversation:message': 'conversationMessageEvent',
  'conversation:typing': 'conversationTypingEvent',
  'switchboard:passControl': 'switchboardPassControl',
  'switchboard:releaseControl': 'switchboardReleaseControl',
  'switchboard:offerControl': 'switchboardOfferControl',
  'switchboard:acceptControl': 'switchboardAcceptControl',
};
