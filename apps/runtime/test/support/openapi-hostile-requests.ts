import { formatConfigurationPath } from '@handoff/core';
import fc from 'fast-check';

/** The parts of an OpenAPI 3.1 document the generator reads. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  minimum?: number;
  pattern?: string;
  format?: string;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  security?: unknown[];
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** What a hostile request must get. */
type Expectation =
  /** Any refusal: a 4xx with `{ error, message }`. */
  | { kind: 'refused' }
  /** A 400 `invalid_request` whose message starts with the field it names. */
  | { kind: 'names-field'; field: string }
  /** A 401 or 403. */
  | { kind: 'unauthorized' };

export interface HostileRequest {
  /** `POST /v1/channels/{channelId}/users/{userId}/messages` */
  operation: string;
  /** The input it attacks (`body text`, `path channelId`, `auth`) and how. */
  description: string;
  method: string;
  /** Path and query as sent: already percent-encoded, on purpose sometimes wrongly. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  expect: Expectation;
}

/** A request the operation accepts, which every hostile request changes in one place. */
export interface BaselineRequest {
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** The channel of a channel route, when it has one. */
  channelId?: string;
}

export interface HostileSuite {
  baselines: BaselineRequest[];
  requests: HostileRequest[];
  /** Per operation, how many hostile requests were generated. */
  counts: Map<string, number>;
}

export interface GeneratorSettings {
  seed: number;
  /** The valid bearer token (all channels). */
  token: string;
  /** The token of operations under a path that takes another (the admin API's); default `token`. */
  tokenFor?: (path: string) => string | undefined;
  /** Known good path parameters (a conversation that exists); others come from the schema. */
  pathValue: (path: string, name: string) => string | undefined;
  /** Known good body fields by name (an agent that exists). */
  bodyValues: Record<string, unknown>;
  /** The largest body the server takes. */
  bodyLimitBytes: number;
  /** Longest path parameter the router takes, percent-encoded. */
  maxPathParameterLength: number;
}

type PathSegment = string | number;

/** Byte sequences that are not UTF-8: a stray byte, a continuation, overlong, surrogate, truncated, too high. */
const invalidUtf8Sequences: ReadonlyArray<readonly number[]> = [
  [0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf4, 0x90, 0x80, 0x80],
];
const percentEncoded = (bytes: readonly number[]) =>
  bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const marker = 'HOSTILE-MARKER-7f3c';

const typesOf = (schema: JsonSchema): string[] => {
  if (schema.anyOf !== undefined) return schema.anyOf.flatMap(typesOf);
  if (schema.oneOf !== undefined) return schema.oneOf.flatMap(typesOf);
  if (schema.enum !== undefined) return [...new Set(schema.enum.map((value) => typeof value))];
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type === undefined ? [] : [schema.type];
};

/** Values of the wrong type for a field: the JSON type, how to say it, the value. */
const wrongTypeValues: ReadonlyArray<[string, string, unknown]> = [
  ['string', 'a string', 'not-this-type'],
  ['number', 'a number', 12_345],
  ['boolean', 'a boolean', true],
  ['null', 'null', null],
  ['object', 'an object', {}],
  ['array', 'an array', []],
];

const setAt = (root: unknown, path: readonly PathSegment[], value: unknown): unknown => {
  const copy = structuredClone(root);
  if (path.length === 0) return value;
  let target = copy as Record<PathSegment, unknown>;
  for (const segment of path.slice(0, -1)) target = target[segment] as Record<PathSegment, unknown>;
  target[path.at(-1) as PathSegment] = value;
  return copy;
};

const deleteAt = (root: unknown, path: readonly PathSegment[]): unknown => {
  const copy = structuredClone(root) as Record<PathSegment, unknown>;
  let target = copy;
  for (const segment of path.slice(0, -1)) target = target[segment] as Record<PathSegment, unknown>;
  delete target[path.at(-1) as PathSegment];
  return copy;
};

const valueAt = (root: unknown, path: readonly PathSegment[]): unknown =>
  path.reduce<unknown>((value, segment) => (value as Record<PathSegment, unknown>)[segment], root);

/**
 * `value` as JSON text, where the marker (a string, or part of one) is replaced by `replacement`
 * as it is: bytes that are not UTF-8 inside a string, or raw JSON in place of the whole string.
 */
const spliced = (value: unknown, replacement: Uint8Array, wholeString = false): Uint8Array => {
  const text = Buffer.from(JSON.stringify(value));
  const target = wholeString ? `"${marker}"` : marker;
  const at = text.indexOf(target);
  if (at === -1) throw new Error('the marker is missing from the body');
  return Buffer.concat([text.subarray(0, at), replacement, text.subarray(at + target.length)]);
};

/** Printable text as it stands inside a JSON string (quotes and backslashes escaped). */
const insideJsonString = (text: string) => Buffer.from(JSON.stringify(text).slice(1, -1));

/**
 * Generates, from the runtime's own OpenAPI document, one valid request per operation and hostile
 * variants of it: for every path, query, header and body field NUL, unpaired surrogates, bytes
 * that are not UTF-8, wrong types, oversize values, deep nesting, missing and extra fields; for
 * the whole request a body that is not JSON, too large or of another type, an unexpected query
 * parameter that is not UTF-8, and, where a token is required, none or a malformed one.
 */
export function generateHostileRequests(
  document: OpenApiDocument,
  settings: GeneratorSettings,
): HostileSuite {
  const random = { seed: settings.seed };
  const sample = <Value>(arbitrary: fc.Arbitrary<Value>, count: number): Value[] => {
    random.seed += 1;
    return fc.sample(arbitrary, { seed: random.seed, numRuns: count });
  };
  /** Printable text around the hostile part, so it is not always at the start or alone. */
  const around = (hostile: string, count = 2) =>
    sample(fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })), count).map(
      ([before, after]) => `${before}${hostile}${after}`,
    );
  const invalidBytes = (count = 2) =>
    sample(
      fc.tuple(
        fc.string({ maxLength: 4 }),
        fc.constantFrom(...invalidUtf8Sequences),
        fc.string({ maxLength: 4 }),
      ),
      count,
    );

  const validValue = (schema: JsonSchema, name?: string): unknown => {
    if (name !== undefined && name in settings.bodyValues) return settings.bodyValues[name];
    if (schema.const !== undefined) return schema.const;
    if (schema.enum !== undefined) return schema.enum[0];
    if (schema.anyOf !== undefined) return validValue(schema.anyOf[0] ?? {});
    if (schema.oneOf !== undefined) return validValue(schema.oneOf[0] ?? {});
    const [type] = typesOf(schema);
    switch (type) {
      case 'string': {
        if (schema.format === 'uri') return 'https://files.example/fuzz.pdf';
        if (schema.format === 'email') return 'fuzz@example.com';
        if (schema.pattern !== undefined) {
          return sample(fc.stringMatching(new RegExp(schema.pattern)), 1)[0] ?? '';
        }
        return 'fuzz'.padEnd(schema.minLength ?? 0, 'z').slice(0, schema.maxLength ?? 200);
      }
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return [validValue(schema.items ?? {})];
      case 'object': {
        const value: Record<string, unknown> = {};
        for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
          value[property] = validValue(propertySchema, property);
        }
        if (schema.properties === undefined && typeof schema.additionalProperties === 'object') {
          value.fuzzKey = validValue(schema.additionalProperties);
        }
        return value;
      }
      default:
        return {};
    }
  };

  /** Every field of a valid value, with its schema: properties, record entries, first items. */
  const fieldsOf = (schema: JsonSchema, value: unknown, path: PathSegment[] = []) => {
    const fields: Array<{ path: PathSegment[]; schema: JsonSchema }> = [];
    if (Array.isArray(value) && schema.items !== undefined && value.length > 0) {
      fields.push({ path: [...path, 0], schema: schema.items });
      fields.push(...fieldsOf(schema.items, value[0], [...path, 0]));
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [property, item] of Object.entries(value)) {
        const propertySchema =
          schema.properties?.[property] ??
          (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        if (propertySchema === undefined) continue;
        fields.push({ path: [...path, property], schema: propertySchema });
        fields.push(...fieldsOf(propertySchema, item, [...path, property]));
      }
    }
    return fields;
  };

  const baselines: BaselineRequest[] = [];
  const requests: HostileRequest[] = [];
  const counts = new Map<string, number>();

  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const name = `${method.toUpperCase()} ${template}`;
      const parameters = operation.parameters ?? [];
      const security = operation.security ?? document.security ?? [];
      const needsToken = security.length > 0;
      const operationToken = settings.tokenFor?.(template) ?? settings.token;
      const pathValues = Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => [
            parameter.name,
            settings.pathValue(template, parameter.name) ?? String(validValue(parameter.schema)),
          ]),
      );
      const queryValues = Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => [parameter.name, String(validValue(parameter.schema))]),
      );
      const headerValues = Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === 'header')
          .map((parameter) => [parameter.name, String(validValue(parameter.schema))]),
      );
      const jsonSchema = operation.requestBody?.content['application/json']?.schema;
      const binary = operation.requestBody?.content['application/octet-stream'] !== undefined;
      const bodyValue = jsonSchema === undefined ? undefined : validValue(jsonSchema);

      /** The baseline with one part changed; path and query parts are given encoded. */
      const build = (
        change: {
          path?: Record<string, string>;
          query?: string;
          headers?: Record<string, string>;
          body?: Uint8Array | null;
          token?: string | null;
        } = {},
      ) => {
        const encodedPath = template.replaceAll(
          /\{(\w+)\}/g,
          (_whole, parameter: string) =>
            change.path?.[parameter] ?? encodeURIComponent(pathValues[parameter] ?? ''),
        );
        const query =
          change.query ??
          Object.entries(queryValues)
            .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
            .join('&');
        const body =
          change.body === null
            ? undefined
            : (change.body ??
              (bodyValue !== undefined
                ? Buffer.from(JSON.stringify(bodyValue))
                : binary
                  ? Buffer.from('a file of the fuzz suite')
                  : undefined));
        const token = change.token === undefined ? operationToken : change.token;
        const headers: Record<string, string> = {
          ...headerValues,
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined
            ? {}
            : { 'content-type': binary ? 'application/octet-stream' : 'application/json' }),
          ...change.headers,
        };
        return {
          method: method.toUpperCase(),
          path: `${encodedPath}${query === '' ? '' : `?${query}`}`,
          headers,
          ...(body === undefined ? {} : { body: new Uint8Array(body) }),
        };
      };
      const add = (description: string, request: ReturnType<typeof build>, expect: Expectation) => {
        requests.push({ operation: name, description, ...request, expect });
        counts.set(name, (counts.get(name) ?? 0) + 1);
      };

      baselines.push({
        operation: name,
        ...build(),
        ...(pathValues.channelId === undefined ? {} : { channelId: pathValues.channelId }),
      });

      // Every operation: a query parameter it does not know, whose bytes are not UTF-8.
      for (const [before, bytes, after] of invalidBytes(1)) {
        const query = [
          build().path.split('?')[1],
          `unexpected=${encodeURIComponent(before)}${percentEncoded(bytes)}${encodeURIComponent(after)}`,
        ]
          .filter((part) => part !== undefined && part !== '')
          .join('&');
        add('query unexpected: not UTF-8', build({ query }), {
          kind: 'names-field',
          field: 'query unexpected',
        });
      }

      for (const parameter of parameters) {
        const field = parameter.in === 'header' ? parameter.name : `${parameter.in} ${parameter.name}`;
        const names = { kind: 'names-field', field } as const;
        const encodedVariants: Array<[string, string]> = [
          ...around('\u0000').map((value): [string, string] => ['NUL', encodeURIComponent(value)]),
          ['an unpaired surrogate, as UTF-8 would encode it', percentEncoded([0xed, 0xa0, 0x80])],
          ...invalidBytes().map(([before, bytes, after]): [string, string] => [
            `bytes ${percentEncoded(bytes)} that are not UTF-8`,
            `${encodeURIComponent(before)}${percentEncoded(bytes)}${encodeURIComponent(after)}`,
          ]),
        ];
        if (parameter.schema.maxLength !== undefined) {
          encodedVariants.push(['oversize', 'x'.repeat(parameter.schema.maxLength + 1)]);
        }
        if (parameter.schema.enum !== undefined || parameter.schema.pattern !== undefined) {
          encodedVariants.push(['a value it does not take', encodeURIComponent('no such value!')]);
        }
        for (const [what, encoded] of encodedVariants) {
          const description = `${field}: ${what}`;
          if (parameter.in === 'path')
            add(description, build({ path: { [parameter.name]: encoded } }), names);
          if (parameter.in === 'query') {
            const query = Object.entries(queryValues)
              .map(([key, value]) => `${key}=${key === parameter.name ? encoded : encodeURIComponent(value)}`)
              .join('&');
            add(description, build({ query }), names);
          }
          if (parameter.in === 'header')
            add(description, build({ headers: { [parameter.name]: encoded } }), names);
        }
        if (parameter.in === 'path') {
          add(
            `${field}: longer than the router takes`,
            build({ path: { [parameter.name]: 'x'.repeat(settings.maxPathParameterLength + 1) } }),
            { kind: 'refused' },
          );
        }
        if (parameter.in === 'query') {
          const value = encodeURIComponent(queryValues[parameter.name] ?? '');
          add(
            `${field}: given twice (an array)`,
            build({ query: `${parameter.name}=${value}&${parameter.name}=${value}` }),
            names,
          );
        }
        if (parameter.in === 'header') {
          // Latin-1 bytes in a header: Node reads each as one character; they are not UTF-8.
          add(
            `${field}: raw bytes that are not UTF-8`,
            build({ headers: { [parameter.name]: 'M\u00e4rz\u00ff.pdf' } }),
            names,
          );
        }
      }

      if (jsonSchema !== undefined && bodyValue !== undefined) {
        const json = (value: unknown) => Buffer.from(JSON.stringify(value));
        const opaque = jsonSchema.properties === undefined;
        const bodyNames: Expectation = opaque ? { kind: 'refused' } : { kind: 'names-field', field: 'body' };
        add('body: not JSON', build({ body: Buffer.from('{"text": "unfinished') }), { kind: 'refused' });
        add('body: JSON null', build({ body: Buffer.from('null') }), bodyNames);
        add('body: an array', build({ body: Buffer.from('[]') }), bodyNames);
        add('body: a string', build({ body: Buffer.from('"text"') }), bodyNames);
        add('body: nested 100,000 deep', build({ body: Buffer.from(deepArray(100_000)) }), {
          kind: 'refused',
        });
        add(
          'body: larger than the server takes',
          build({ body: Buffer.alloc(settings.bodyLimitBytes + 1, 0x20) }),
          {
            kind: 'refused',
          },
        );
        add(
          'body: another media type',
          build({ headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
          {
            kind: 'refused',
          },
        );
        for (const [, bytes] of invalidBytes(2)) {
          const body = Buffer.concat([json(bodyValue), Buffer.from(bytes)]);
          add(`body: bytes ${percentEncoded(bytes)} after the JSON`, build({ body }), bodyNames);
        }
        if (opaque) {
          for (const [, bytes] of invalidBytes(1)) {
            add(
              'body: a property not UTF-8',
              build({ body: spliced({ [marker]: 1 }, Uint8Array.from(bytes)) }),
              {
                kind: 'refused',
              },
            );
          }
          add('body: a NUL', build({ body: json({ value: 'a\u0000b' }) }), { kind: 'refused' });
        }

        const objects = [
          { path: [] as PathSegment[], schema: jsonSchema },
          ...fieldsOf(jsonSchema, bodyValue),
        ].filter(
          (entry) => typesOf(entry.schema).includes('object') && entry.schema.properties !== undefined,
        );
        for (const object of objects) {
          const label = object.path.length === 0 ? 'body' : formatConfigurationPath(object.path);
          const child = (key: string) => (object.path.length === 0 ? key : `${label}.${key}`);
          for (const required of object.schema.required ?? []) {
            add(
              `${child(required)}: missing`,
              build({ body: json(deleteAt(bodyValue, [...object.path, required])) }),
              {
                kind: 'names-field',
                field: child(required),
              },
            );
          }
          if (object.schema.additionalProperties === false) {
            const extra = setAt(bodyValue, [...object.path, 'unexpectedField'], 'x');
            add(`${child('unexpectedField')}: not a field`, build({ body: json(extra) }), {
              kind: 'names-field',
              field: child('unexpectedField'),
            });
          }
          for (const [, bytes] of invalidBytes(1)) {
            const body = spliced(setAt(bodyValue, [...object.path, marker], 'x'), Uint8Array.from(bytes));
            add(`${label}: a property name not UTF-8`, build({ body }), {
              kind: 'names-field',
              field: label,
            });
          }
        }

        for (const { path, schema } of fieldsOf(jsonSchema, bodyValue)) {
          const field = formatConfigurationPath(path);
          const names = { kind: 'names-field', field } as const;
          const types = typesOf(schema);
          const variant = (what: string, value: unknown) =>
            add(`${field}: ${what}`, build({ body: json(setAt(bodyValue, path, value)) }), names);
          if (types.includes('string')) {
            for (const value of around('\u0000')) variant('NUL', value);
            for (const value of around('\ud800', 1)) variant('an unpaired high surrogate', value);
            for (const value of around('\udc00', 1)) variant('an unpaired low surrogate', value);
            for (const [before, bytes, after] of invalidBytes()) {
              const bad = Buffer.concat([
                insideJsonString(before),
                Buffer.from(bytes),
                insideJsonString(after),
              ]);
              const body = spliced(setAt(bodyValue, path, marker), bad);
              add(`${field}: bytes ${percentEncoded(bytes)} that are not UTF-8`, build({ body }), names);
            }
            if (schema.maxLength !== undefined) variant('oversize', 'x'.repeat(schema.maxLength + 1));
            if (schema.enum !== undefined) variant('a value it does not take', 'no such value');
          }
          for (const [type, said, value] of wrongTypeValues) {
            const accepted =
              types.includes(type) ||
              (type === 'number' && types.includes('integer')) ||
              (type === 'null' && types.length === 0);
            if (!accepted && types.length > 0) variant(`${said} instead`, value);
          }
          if (types.includes('array') && schema.maxItems !== undefined) {
            const [item] = valueAt(bodyValue, path) as unknown[];
            variant(
              'too many items',
              Array.from({ length: schema.maxItems + 1 }, () => item),
            );
          }
          const deep = spliced(setAt(bodyValue, path, marker), Buffer.from(deepArray(10_000)), true);
          add(`${field}: nested 10,000 deep`, build({ body: deep }), names);
        }
      }

      if (binary) add('body: empty', build({ body: new Uint8Array(0) }), { kind: 'refused' });

      if (needsToken) {
        const unauthorized = { kind: 'unauthorized' } as const;
        add('auth: no token', build({ token: null }), unauthorized);
        for (const header of [
          'Bearer',
          'Basic dXNlcjpwYXNz',
          `Bearer ${operationToken} extra`,
          'Bearer wrong-token',
          `Token ${operationToken}`,
          'Bearer \u00ff\u00fe',
        ]) {
          add(
            `auth: malformed "${header.slice(0, 20)}"`,
            build({ token: null, headers: { authorization: header } }),
            unauthorized,
          );
        }
      }
    }
  }
  return { baselines, requests, counts };
}
