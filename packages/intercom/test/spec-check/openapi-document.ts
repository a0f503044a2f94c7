import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OpenApiDocument } from '@handoff/conformance';
import { parse } from 'yaml';

/**
 * The document is OpenAPI 3.0 (`nullable: true`); the validator reads JSON Schema 2020-12 as 3.1
 * does, so `nullable` becomes a `null` in the type list (and is dropped where no type is given).
 *
 * Beside a `$ref` (`assigned_to`, `event_details`, `email_message_metadata`, `ai_agent`, ... 17
 * times) OpenAPI 3.0 would ignore `nullable`, but the document means it: its own examples give
 * those fields null (`assigned_to:` empty in 18 examples, `event_details:` in 6). So a nullable
 * `$ref` reads as "the reference or null".
 */
function withJsonSchemaNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withJsonSchemaNulls);
  if (node === null || typeof node !== 'object') return node;
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'nullable') converted[key] = withJsonSchemaNulls(value);
  }
  const record = node as Record<string, unknown>;
  if (record.nullable === true && typeof record.type === 'string') converted.type = [record.type, 'null'];
  if (record.nullable === true && typeof record.$ref === 'string') {
    const { $ref, ...rest } = converted;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  return converted;
}

const openApiPathVariable = 'INTERCOM_OPENAPI_PATH';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where Intercom's API 2.14 document is read from: the file named by INTERCOM_OPENAPI_PATH, else
 * the shared reference copy beside the repository, else the copy in this package's fixtures.
 */
export function loadOpenApiDocument(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { document: OpenApiDocument; path: string } | { missing: string } {
  const configured = env[openApiPathVariable];
  const candidates =
    configured !== undefined && configured !== ''
      ? [configured]
      : [
          `${repositoryRoot}../shared/reference/vendors/intercom/api.intercom.io.2.14.yaml`,
          fileURLToPath(new URL('../../__fixtures__/openapi/api.intercom.io.2.14.yaml', import.meta.url)),
        ];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      missing: `no Intercom OpenAPI document at ${candidates.join(' or ')} (set ${openApiPathVariable})`,
    };
  }
  return { document: withJsonSchemaNulls(parse(readFileSync(path, 'utf8'))) as OpenApiDocument, path };
}
