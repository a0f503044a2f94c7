import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { OpenApiDocument } from '@handoff/conformance';

export type { OpenApiDocument };

const openApiPathVariable = 'CHATWOOT_OPENAPI_PATH';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Where the Application API document is read from: the file named by CHATWOOT_OPENAPI_PATH, else
 * the shared reference copy beside the repository, else the copy in this package's fixtures.
 */
function openApiCandidates(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  const configured = env[openApiPathVariable];
  if (configured !== undefined && configured !== '') return [configured];
  return [
    `${repositoryRoot}../shared/reference/chatwoot/openapi/application_swagger.json`,
    fileURLToPath(new URL('../../__fixtures__/openapi/application_swagger.json', import.meta.url)),
  ];
}

/** Loads the document, or explains why there is none (the check is then skipped with that notice). */
export function loadOpenApiDocument(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { document: OpenApiDocument; path: string } | { missing: string } {
  const candidates = openApiCandidates(env);
  const path = candidates.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      missing: `no Chatwoot OpenAPI document at ${candidates.join(' or ')} (set ${openApiPathVariable})`,
    };
  }
  return { document: JSON.parse(readFileSync(path, 'utf8')) as OpenApiDocument, path };
}
