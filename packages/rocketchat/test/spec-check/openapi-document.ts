import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenApiDocument } from '@handoff/conformance';

/**
 * The documents of Rocket.Chat's official OpenAPI description that hold the paths the adapter and
 * the bot agent call: RocketChat/Rocket.Chat-Open-API at c9aec5ab1008b88aaf66f13f34f4fb74becb4b4a
 * (2026-08-20), OpenAPI 3.0.0, one YAML per area. `__fixtures__/openapi/` keeps each as JSON,
 * converted key for key with the `yaml` package (2.9.1: `JSON.stringify(parse(text))`, a one-off
 * node command, no script kept).
 *
 * - omnichannel.yaml: `livechat/visitor`, `livechat/visitor/{token}`, `livechat/visitors.info`,
 *   `livechat/room`, `livechat/room.forward`, `livechat/room.closeByUser`, `livechat/message`,
 *   `livechat/message/{_id}`, `livechat/department`, `livechat/config`;
 * - rooms.yaml: `rooms.info`;
 * - messaging.yaml: `chat.sendMessage`.
 *
 * Each is compiled on its own and a request goes to the one that has its path (no path is in two):
 * merging them would mix their components, and 11 of their component names are in more than one
 * document with different contents (`parameters/count`, `offset`, `sort`, `fields`, `query` in all
 * three, `Optional-RoomId`, `Optional-RoomName`, `RoomId` in rooms and messaging).
 */
export const documentNames = ['omnichannel', 'rooms', 'messaging'] as const;
export type DocumentName = (typeof documentNames)[number];

/**
 * OpenAPI 3.0's `nullable: true` read as JSON Schema 2020-12: a `null` in the type list (rooms.yaml
 * has five, `rooms.info`'s `room.lastMessage.alias` among them; none stands beside an `allOf` or a
 * `$ref` in these documents).
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, asJsonSchema(value)]),
  );
  if (nullable === true && typeof converted.type === 'string')
    return { ...converted, type: [converted.type, 'null'] };
  return converted;
}

const pathOf = (name: DocumentName) =>
  fileURLToPath(new URL(`../../__fixtures__/openapi/rocketchat-${name}-openapi.json`, import.meta.url));

export function loadOpenApiDocument(name: DocumentName): OpenApiDocument {
  return asJsonSchema(JSON.parse(readFileSync(pathOf(name), 'utf8'))) as OpenApiDocument;
}

/**
 * The documented example of a Livechat webhook body: the documents describe no webhook schema, only
 * this sample in the prose of `POST /api/v1/livechat/webhook.test` (omnichannel.yaml, "The data you
 * can expect on your webhook for this test follows this format"), taken out of its code block.
 */
export function documentedWebhookSample(document: OpenApiDocument): unknown {
  const operation = document.paths['/api/v1/livechat/webhook.test']?.post as
    | { description?: string }
    | undefined;
  const block = /```\s*\n([\s\S]*?)\n\s*```/.exec(operation?.description ?? '')?.[1];
  if (block === undefined) throw new Error('webhook.test describes no sample payload');
  return JSON.parse(block);
}
