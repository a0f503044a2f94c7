/**
 * A Platform API action on one record a platform app must have created: Rails' `set_resource`
 * (`Model.find`, a 404 from Rails) then `validate_platform_app_permissible` (401 "Non permissible
 * resource"), then the action with the record found.
 */
import type { FakeHttpResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { type FakeInstallation, isPermitted } from './fake-installation.js';
import { readInteger } from './fake-params.js';
import type { FakePermissible } from './fake-platform-records.js';
import type { PlatformRequest, PlatformRoute } from './fake-route.js';

/** How the records of one type are found, and under which permissible type the app owns them. */
export interface PermittedResource<T> {
  type: FakePermissible['type'];
  /** The path segment holding the record's id (`id` unless nested, e.g. `account_id`). */
  pathKey?: string;
  find(installation: FakeInstallation, id: number | undefined): T | undefined;
  idOf(record: T): number;
}

export interface PermittedRouteDefinition<T> {
  method: PlatformRoute['method'];
  pattern: string;
  endpoint: string;
  handle(request: PlatformRequest, record: T): FakeHttpResponse;
}

/** The route that finds the record and checks the app may touch it before running `handle`. */
export function permittedRoute<T>(
  resource: PermittedResource<T>,
  definition: PermittedRouteDefinition<T>,
): PlatformRoute {
  const { handle, ...route } = definition;
  return {
    platform: true,
    ...route,
    handle(request) {
      const { installation } = request.context;
      const record = resource.find(installation, readInteger(request.path[resource.pathKey ?? 'id']));
      if (record === undefined) return chatwootErrors.platformNotFound();
      if (!isPermitted(installation, request.platformApp, resource.type, resource.idOf(record)))
        return chatwootErrors.nonPermissible();
      return handle(request, record);
    },
  };
}
