import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { OpenApiDocument } from '@handoff/conformance';

export type { OpenApiDocument };

const openApiPathVariable = 'CHATWOOT_OPENAPI_PATH';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where a document is read from: the file named by CHATWOOT_OPENAPI_PATH (Application API) or
 * CHATWOOT_PLATFORM_OPENAPI_PATH (Platform API), else
 * the shared reference copy beside the repository, else the copy in this package's fixtures.
 */
function openApiCandidates(
  env: Readonly<Record<string, string | undefined>>,
  name: ChatwootDocumentName,
): string[] {
  const configured = env[name === 'application' ? openApiPathVariable : platformPathVariable];
  if (configured !== undefined && configured !== '') return [configured];
  return [
    `${repositoryRoot}../shared/reference/chatwoot/openapi/${name}_swagger.json`,
    fileURLToPath(new URL(`../../__fixtures__/openapi/${name}_swagger.json`, import.meta.url)),
  ];
}

/** Chatwoot's tag-group documents: the Application API, and the Platform API (`/platform/api/v1`). */
export type ChatwootDocumentName = 'application' | 'platform';

const platformPathVariable = 'CHATWOOT_PLATFORM_OPENAPI_PATH';

/** Loads the document, or explains why there is none (the check is then skipped with that notice). */
export function loadOpenApiDocument(
  env: Readonly<Record<string, string | undefined>> = process.env,
  name: ChatwootDocumentName = 'application',
): { document: OpenApiDocument; path: string } | { missing: string } {
  const candidates = openApiCandidates(env, name);
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      missing: `no Chatwoot OpenAPI document at ${candidates.join(' or ')} (set ${name === 'application' ? openApiPathVariable : platformPathVariable})`,
    };
  }
  return { document: JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument, path };
}
