import {
  type CompiledOpenApiDocument,
  compileOpenApiDocument,
  type OpenApiDocument,
  type OpenApiOperation,
  pointerSegment,
  type Schema,
  type SpecProblem,
  schemaProblems,
} from './openapi-document.js';

export type { OpenApiDocument };

export interface RequestValidatorSettings {
  /**
   * Credential kinds a fake records (`CheckedRequest.auth`) that only some operations accept, by
   * the security scheme that names them (Chatwoot: `{ bot: 'agentBotApiKey' }`). A request with
   * such a credential on an operation whose security does not list the scheme is reported.
   */
  credentialSchemes?: Readonly<Record<string, string>>;
}

/** A request as a fake server records it. */
export interface CheckedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string | undefined;
  body: unknown;
  /** The kind of credential the request carried, as the fake recorded it (`user`, `bot`, `none`, ...). */
  auth: string;
}

/** What is wrong where: `operation`, `path.<name>`, `query.<name>`, `body`, `body.<field>`, `auth`. */
export type RequestProblem = SpecProblem;

/**
 * Checks requests against an OpenAPI 3.1 document: the operation exists, path and query parameters
 * have the documented names and types, the body matches the request schema (ajv, formats
 * included), and the body carries no field the document does not describe (its schemas are open,
 * so this is checked apart).
 */
export function createOpenApiRequestValidator(
  document: OpenApiDocument | CompiledOpenApiDocument,
  settings: RequestValidatorSettings = {},
) {
  const compiled = 'findOperation' in document ? document : compileOpenApiDocument(document);
  const { resolve } = compiled;
  const paths = compiled.document.paths;
  const parametersOf = (operation: OpenApiOperation): Schema[] => {
    const own = (operation.definition.parameters as unknown[] | undefined) ?? [];
    const shared = ((paths[operation.template] as Schema).parameters as unknown[] | undefined) ?? [];
    return [...shared, ...own]
      .map((parameter) => resolve(parameter))
      .filter((parameter): parameter is Schema => parameter !== undefined);
  };

  const typeMatches = (value: string, schema: Schema | undefined): boolean => {
    switch (schema?.type) {
      case 'integer':
        return /^-?\d+$/.test(value);
      case 'number':
        return value.trim() !== '' && !Number.isNaN(Number(value));
      case 'boolean':
        return value === 'true' || value === 'false';
      default:
        return true;
    }
  };

  /** Fields of `value` that `schema` does not describe, recursively, as `body.a.b` / `body.a[].b`. */
  const undocumented = (value: unknown, schema: Schema | undefined, at: string): string[] => {
    const resolved = resolve(schema);
    if (resolved === undefined || value === null || typeof value !== 'object') return [];
    if (Array.isArray(value)) {
      return value.flatMap((item) => undocumented(item, resolved.items as Schema | undefined, `${at}[]`));
    }
    const variants = variantsOf(resolved);
    const properties: Record<string, Schema> = {
      ...(resolved.properties as Record<string, Schema> | undefined),
    };
    // Variants nest (a oneOf of allOfs): every property any of them describes is documented.
    const pending = [...variants];
    for (let seen = 0; pending.length > 0 && seen < 200; seen += 1) {
      const variant = resolve(pending.shift());
      if (variant === undefined) continue;
      Object.assign(properties, variant.properties as Record<string, Schema> | undefined);
      pending.push(...variantsOf(variant));
    }
    if (resolved.properties === undefined && variants.length === 0) return [];
    if (resolved.additionalProperties !== undefined && resolved.additionalProperties !== false) return [];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
      key in properties ? undocumented(child, properties[key], `${at}.${key}`) : [`${at}.${key}`],
    );
  };

  return {
    check(request: CheckedRequest): RequestProblem[] {
      const method = request.method.toUpperCase();
      const operation = compiled.findOperation(method, request.path);
      if (operation === undefined) {
        return [
          { method, path: request.path, field: 'operation', message: 'the document has no such operation' },
        ];
      }
      const problems: RequestProblem[] = [];
      const report = (field: string, message: string) =>
        problems.push({ method, path: operation.template, field, message });
      const parameters = parametersOf(operation);
      const values = operation.pattern.exec(request.path)?.slice(1) ?? [];
      operation.parameterNames.forEach((name, index) => {
        const schema = resolve(
          parameters.find((parameter) => parameter.in === 'path' && parameter.name === name)?.schema,
        );
        if (!typeMatches(decodeURIComponent(values[index] ?? ''), schema))
          report(`path.${name}`, `must be ${String(schema?.type)}`);
      });
      for (const [name, value] of Object.entries(request.query)) {
        const parameter = parameters.find((candidate) => candidate.in === 'query' && candidate.name === name);
        if (parameter === undefined) report(`query.${name}`, 'the document has no such query parameter');
        else if (!typeMatches(value, resolve(parameter.schema)))
          report(`query.${name}`, `must be ${String(resolve(parameter.schema)?.type)}`);
      }
      const security = (operation.definition.security as Array<Record<string, unknown>> | undefined) ?? [];
      const scheme = settings.credentialSchemes?.[request.auth];
      if (scheme !== undefined && security.length > 0 && !security.some((entry) => scheme in entry)) {
        report(
          'auth',
          `a ${request.auth} credential (${scheme}), on an operation whose security does not list it`,
        );
      }
      const requestBody = resolve(operation.definition.requestBody);
      if (request.body === undefined) {
        if (requestBody?.required === true) report('body', 'the document requires a body');
        return problems;
      }
      const content = (requestBody?.content ?? {}) as Record<string, Schema>;
      const mediaType =
        (request.contentType ?? 'application/json').split(';')[0]?.trim() ?? 'application/json';
      if (!(mediaType in content)) {
        report('body', `the document takes no ${mediaType} body here`);
        return problems;
      }
      const validate = compiled.validatorAt(
        `${operation.pointer}/requestBody/content/${pointerSegment(mediaType)}/schema`,
      );
      const checkedBody =
        mediaType === 'multipart/form-data'
          ? withoutFiles(request.body as Record<string, unknown>)
          : request.body;
      if (validate !== undefined && !validate(checkedBody)) {
        for (const problem of schemaProblems(validate.errors ?? [], 'body'))
          report(problem.field, problem.message);
      }
      for (const field of undocumented(
        checkedBody,
        content[mediaType]?.schema as Schema | undefined,
        'body',
      )) {
        report(field, 'the document does not describe this field');
      }
      return problems;
    },
  };
}

/** The sub-schemas a schema combines (`allOf`, `oneOf`, `anyOf`). */
function variantsOf(schema: Record<string, unknown>): Array<Record<string, unknown>> {
  return [
    ...((schema.allOf as Array<Record<string, unknown>>) ?? []),
    ...((schema.oneOf as Array<Record<string, unknown>>) ?? []),
    ...((schema.anyOf as Array<Record<string, unknown>>) ?? []),
  ];
}

/** Multipart text fields arrive as strings: compare them as the form's typed values would be. */
function withoutFiles(fields: Record<string, unknown>): Record<string, unknown> {
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'attachments[]') {
      typed[name] = Array.isArray(value) ? value.map(() => 'binary') : ['binary'];
      continue;
    }
    typed[name] = value === 'true' ? true : value === 'false' ? false : value;
  }
  return typed;
}
