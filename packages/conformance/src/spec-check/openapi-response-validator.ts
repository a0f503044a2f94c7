import {
  type CompiledOpenApiDocument,
  compileOpenApiDocument,
  type OpenApiDocument,
  pointerSegment,
  type Schema,
  type SpecProblem,
  schemaProblems,
} from './openapi-document.js';

/** An answer as a fake server records it. */
export interface CheckedResponse {
  status: number;
  contentType?: string | undefined;
  /** Parsed JSON, the text when it is not JSON, undefined when empty. */
  body: unknown;
}

/** What is wrong with an answer: `response.status`, `response.body`, `response.<field>`. */
export type ResponseProblem = SpecProblem;

/**
 * Checks a fake's answers against an OpenAPI 3.1 document: the status is one the operation
 * documents (or covered by `default`), and the body matches the documented schema for it, formats
 * included. Fields the document does not list are not problems (its schemas are open); a field of
 * the wrong type, a missing required one or a bad format is.
 */
export function createOpenApiResponseValidator(document: OpenApiDocument | CompiledOpenApiDocument) {
  const compiled = 'findOperation' in document ? document : compileOpenApiDocument(document);

  return {
    check(request: { method: string; path: string }, response: CheckedResponse): ResponseProblem[] {
      const method = request.method.toUpperCase();
      const operation = compiled.findOperation(method, request.path);
      // An operation the document lacks is the request check's finding, not the answer's.
      if (operation === undefined) return [];
      const problems: ResponseProblem[] = [];
      const report = (field: string, message: string) =>
        problems.push({ method, path: operation.template, field, message });
      const responses = (operation.definition.responses ?? {}) as Record<string, unknown>;
      const statusKey = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find(
        (key) => key in responses,
      );
      if (statusKey === undefined) {
        report('response.status', `the document describes no ${response.status} answer`);
        return problems;
      }
      // A documented answer may be a reference to `components/responses`: its schema lives there.
      let answerPointer = `${operation.pointer}/responses/${pointerSegment(statusKey)}`;
      let answer = responses[statusKey] as { $ref?: unknown } | undefined;
      for (let depth = 0; depth < 20 && typeof answer?.$ref === 'string'; depth += 1) {
        const reference: string = answer.$ref;
        if (!reference.startsWith('#/')) break;
        answerPointer = reference;
        answer = compiled.resolve({ $ref: reference }) as { $ref?: unknown } | undefined;
      }
      const described = compiled.resolve(responses[statusKey]);
      const content = (described?.content ?? {}) as Record<string, Schema>;
      const mediaType =
        (response.contentType ?? 'application/json').split(';')[0]?.trim() ?? 'application/json';
      if (response.body === undefined || response.body === '') return problems;
      if (Object.keys(content).length === 0) {
        report('response.body', `the document describes no body for ${response.status}`);
        return problems;
      }
      if (!(mediaType in content)) {
        report('response.body', `the document describes no ${mediaType} body for ${response.status}`);
        return problems;
      }
      if (content[mediaType]?.schema === undefined) return problems;
      const validate = compiled.validatorAt(`${answerPointer}/content/${pointerSegment(mediaType)}/schema`);
      if (validate !== undefined && !validate(response.body)) {
        for (const problem of schemaProblems(validate.errors ?? [], 'response'))
          report(problem.field, problem.message);
      }
      return problems;
    },
  };
}
