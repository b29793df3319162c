import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

/** Agent's OpenAPI document, kept with the tests so they run on any clone. */
export const OPENAPI_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../fixtures/agent-openapi.yaml',
);

type Json = Record<string, unknown>;

/**
 * Validates requests and responses against an OpenAPI 3.1 document. OpenAPI 3.1 schemas are JSON
 * Schema 2020-12, so the whole document is registered with Ajv as one schema and each operation's
 * parts are compiled from JSON pointers into it (`#/components/...` refs resolve in place).
 */
export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly document: Json;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Every operation a test validated, as `METHOD path`. */
  readonly covered = new Set<string>();

  constructor(path = OPENAPI_PATH) {
    this.document = parse(readFileSync(path, 'utf8')) as Json;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    this.ajv.addSchema({ ...this.document, $id: 'openapi' });
  }

  /** The operations the document defines, as `METHOD path`. */
  operations(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.document.paths as Json)) {
      for (const method of Object.keys(item as Json)) out.push(`${method.toUpperCase()} ${path}`);
    }
    return out;
  }

  private operation(method: string, path: string): Json {
    const op = ((this.document.paths as Json)[path] as Json | undefined)?.[method.toLowerCase()] as
      | Json
      | undefined;
    if (!op) throw new Error(`The OpenAPI document has no operation ${method} ${path}.`);
    return op;
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `openapi#${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate;
  }

  /** Problems with a request: its JSON body against `requestBody`, query values against `parameters`. */
  requestProblems(
    method: string,
    path: string,
    request: { query?: Record<string, string | string[]>; body?: unknown; contentType?: string },
  ): string[] {
    const op = this.operation(method, path);
    const problems: string[] = [];
    const parameters = (op.parameters as Json[] | undefined) ?? [];
    parameters.forEach((parameter, index) => {
      if (parameter.in !== 'query') return;
      const value = request.query?.[parameter.name as string];
      if (value === undefined) {
        if (parameter.required) problems.push(`query parameter ${parameter.name} is required`);
        return;
      }
      const pointer = `/paths/${pointerSegment(path)}/${method.toLowerCase()}/parameters/${index}/schema`;
      const schema = parameter.schema as Json;
      const values = Array.isArray(value) ? value : [value];
      const typed =
        schema.type === 'array'
          ? [values.map((v) => coerce(v, schema.items as Json))]
          : values.map((v) => coerce(v, schema));
      for (const v of typed) {
        const validate = this.validator(pointer);
        if (!validate(v)) problems.push(`query ${parameter.name}: ${this.ajv.errorsText(validate.errors)}`);
      }
    });
    const content = (op.requestBody as Json | undefined)?.content as Json | undefined;
    const type = request.contentType ?? 'application/json';
    if (content && request.body !== undefined) {
      if (!(type in content)) problems.push(`request content type ${type} is not documented`);
      else {
        const validate = this.validator(
          `/paths/${pointerSegment(path)}/${method.toLowerCase()}/requestBody/content/${pointerSegment(type)}/schema`,
        );
        if (!validate(request.body)) problems.push(`request body: ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    return problems;
  }

  /** Problems with a response: the status must be documented, and a JSON body must fit its schema. */
  responseProblems(
    method: string,
    path: string,
    status: number,
    contentType: string,
    body: string,
  ): string[] {
    this.covered.add(`${method.toUpperCase()} ${path}`);
    const op = this.operation(method, path);
    const response = (op.responses as Json)[String(status)] as Json | undefined;
    if (!response) return [`status ${status} is not documented for ${method} ${path}`];
    const content = response.content as Json | undefined;
    if (!content) return [];
    const mediaType = contentType.split(';')[0]!.trim();
    if (!(mediaType in content)) return [`content type ${mediaType} is not documented for ${status}`];
    const media = content[mediaType] as Json;
    if (!media.schema) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return [`the ${status} body is not JSON: ${body.slice(0, 80)}`];
    }
    const validate = this.validator(
      `/paths/${pointerSegment(path)}/${method.toLowerCase()}/responses/${status}/content/${pointerSegment(mediaType)}/schema`,
    );
    return validate(parsed) ? [] : [`response body: ${this.ajv.errorsText(validate.errors)}`];
  }
}

function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function coerce(value: string, schema: Json | undefined): unknown {
  if (schema?.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (schema?.type === 'integer' || schema?.type === 'number') return Number(value);
  return value;
}
