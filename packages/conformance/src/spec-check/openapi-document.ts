import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';

/** An OpenAPI 3.1 document, as far as the checks read it. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

export type Schema = Record<string, unknown>;

/** One operation of the document: method, path template and where its definition sits. */
export interface OpenApiOperation {
  method: string;
  template: string;
  pattern: RegExp;
  parameterNames: string[];
  definition: Schema;
  /** JSON pointer of the definition, `#/paths/<template>/<method>`. */
  pointer: string;
}

/** What a check found wrong: the operation, where (`body.x`, `response.payload`, ...) and what. */
export interface SpecProblem {
  method: string;
  /** The matched path template, or the concrete path when nothing matched. */
  path: string;
  field: string;
  message: string;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'];
const documentId = 'openapi-document';

export function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

// ajv-formats is CommonJS; its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ??
  addFormatsPlugin) as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * A document compiled once for the checks: ajv with formats checked (uuid, date-time, email, ...),
 * `$ref` resolution and the operations, literal segments before parameters (`/contacts/filter`
 * wins over `/contacts/{id}`).
 */
export function compileOpenApiDocument(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(document as unknown as Schema, documentId);

  const resolve = (schema: unknown): Schema | undefined => {
    let current = schema as Schema | undefined;
    for (let depth = 0; depth < 20 && current !== undefined; depth += 1) {
      const reference = current.$ref;
      if (typeof reference !== 'string' || !reference.startsWith('#/')) return current;
      current = reference
        .slice(2)
        .split('/')
        .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((node, segment) => (node as Schema | undefined)?.[segment], document) as
        | Schema
        | undefined;
    }
    return current;
  };

  const operations: OpenApiOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of methods) {
      const definition = item[method] as Schema | undefined;
      if (definition === undefined) continue;
      const parameterNames = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern,
        parameterNames,
        definition,
        pointer: `#/paths/${pointerSegment(template)}/${method}`,
      });
    }
  }
  operations.sort((left, right) => left.parameterNames.length - right.parameterNames.length);

  return {
    document,
    ajv,
    resolve,
    findOperation(method: string, path: string): OpenApiOperation | undefined {
      const upper = method.toUpperCase();
      return operations.find((candidate) => candidate.method === upper && candidate.pattern.test(path));
    },
    /** The compiled validator of the schema at `pointer` below the document (`#/paths/...`). */
    validatorAt(pointer: string) {
      return ajv.getSchema(`${documentId}${pointer}`);
    },
  };
}

export type CompiledOpenApiDocument = ReturnType<typeof compileOpenApiDocument>;

/** ajv's errors as problems of `field` (`body`, `response`), with `[]` for array indexes. */
export function schemaProblems(
  errors: ReadonlyArray<{
    instancePath: string;
    keyword: string;
    message?: string;
    params: Record<string, unknown>;
  }>,
  prefix: string,
): Array<{ field: string; message: string }> {
  return errors.map((error) => {
    const at = error.instancePath.replace(/\/\d+(?=\/|$)/g, '[]').replaceAll('/', '.');
    const missing = error.keyword === 'required' ? `.${String(error.params.missingProperty)}` : '';
    const detail =
      error.keyword === 'enum'
        ? ` (${JSON.stringify(error.params.allowedValues)})`
        : error.keyword === 'format'
          ? ` (format ${String(error.params.format)})`
          : '';
    return { field: `${prefix}${at}${missing}`, message: `${error.message ?? 'invalid'}${detail}` };
  });
}
