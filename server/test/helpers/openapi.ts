/**
 * Contract checking against a vendor's OpenAPI document: finds the operation for a recorded
 * exchange (method + path template) and validates the request body and the response body with ajv.
 * OpenAPI 3.0 `nullable` is honoured; unknown keywords (example, xml, discriminator) are ignored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { Exchange } from '../../src/sandboxes/recorder';

/** Vendor contract files, copied into the repository with their sources (server/specs/SOURCES.md). */
export const specsDir = join(import.meta.dirname, '../../specs');

type Json = Record<string, any>;

export interface ContractProblem {
  operation: string;
  direction: 'request' | 'response';
  status?: number;
  errors: string;
}

export class OpenApiContract {
  private readonly ajv: Ajv;
  private readonly id: string;
  private readonly operations: Array<{ method: string; pattern: RegExp; template: string }>;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(
    readonly doc: Json,
    options: { stripPathPrefix?: string } = {},
  ) {
    this.id = `spec-${Math.random().toString(36).slice(2)}`;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, discriminator: false });
    addFormats(this.ajv);
    this.ajv.addKeyword({ keyword: 'x-max-decimals' });
    this.ajv.addSchema(toJsonSchemaDialect(doc), this.id);
    this.operations = [];
    for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        if (!item[method]) continue;
        const regex = template
          .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
          .replace(/\\?\{[^}]+\\?\}/g, '[^/]+')
          .replace(/\{[^}]+\}/g, '[^/]+');
        this.operations.push({ method, template, pattern: new RegExp(`^${regex}$`) });
      }
    }
    this.stripPrefix = options.stripPathPrefix ?? '';
  }

  private readonly stripPrefix: string;

  static load(relativePath: string, options?: { stripPathPrefix?: string }): OpenApiContract {
    const text = readFileSync(join(specsDir, relativePath), 'utf8');
    const doc = relativePath.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    return new OpenApiContract(doc, options);
  }

  /** The path template the spec declares for `method path`, or undefined. Exact templates win over patterns. */
  findOperation(method: string, path: string): string | undefined {
    const p = this.stripPrefix && path.startsWith(this.stripPrefix) ? path.slice(this.stripPrefix.length) : path;
    const m = method.toLowerCase();
    const candidates = this.operations.filter((op) => op.method === m && op.pattern.test(p));
    candidates.sort((a, b) => literalLength(b.template) - literalLength(a.template));
    return candidates[0]?.template;
  }

  /** Validates a JSON request body against the operation's requestBody schema. */
  validateRequest(method: string, template: string, body: unknown, contentType = 'application/json'): string | null {
    const op = this.doc.paths[template][method.toLowerCase()];
    const content = op.requestBody?.content;
    if (!content) return body === undefined || isEmpty(body) ? null : 'operation declares no request body';
    const mediaKey = Object.keys(content).find((k) => k.startsWith(contentType)) ?? Object.keys(content)[0];
    if (!content[mediaKey]?.schema) return null;
    const pointer = `#/paths/${escape(template)}/${method.toLowerCase()}/requestBody/content/${escape(mediaKey)}/schema`;
    return this.run(pointer, body);
  }

  /** Validates a response body against the schema declared for its status (or `default`). */
  validateResponse(method: string, template: string, status: number, body: unknown): string | null {
    const op = this.doc.paths[template][method.toLowerCase()];
    const statusKey = op.responses?.[String(status)]
      ? String(status)
      : op.responses?.[`${String(status)[0]}XX`]
        ? `${String(status)[0]}XX`
        : op.responses?.default
          ? 'default'
          : undefined;
    if (!statusKey) return `status ${status} is not declared for ${method.toUpperCase()} ${template}`;
    let response = op.responses[statusKey];
    let base = `#/paths/${escape(template)}/${method.toLowerCase()}/responses/${escape(statusKey)}`;
    if (response.$ref) {
      base = response.$ref;
      response = resolvePointer(this.doc, response.$ref);
    }
    const content = response.content;
    if (!content) return null;
    const mediaKey = Object.keys(content).find((k) => k.includes('json'));
    if (!mediaKey || !content[mediaKey].schema) return null;
    return this.run(`${base}/content/${escape(mediaKey)}/schema`, body);
  }

  /** Checks every recorded exchange in both directions; returns the problems (empty = conforming). */
  check(exchanges: Exchange[], options: { skip?: (e: Exchange) => boolean } = {}): ContractProblem[] {
    const problems: ContractProblem[] = [];
    for (const e of exchanges) {
      if (options.skip?.(e)) continue;
      const template = this.findOperation(e.method, e.path);
      const operation = `${e.method} ${e.path}`;
      if (!template) {
        problems.push({ operation, direction: 'request', errors: 'no such operation in the spec' });
        continue;
      }
      const contentType = String(e.requestHeaders['content-type'] ?? 'application/json');
      const requestErrors = isJsonLike(contentType) ? this.validateRequest(e.method, template, e.requestBody, contentType.split(';')[0]) : null;
      if (requestErrors) problems.push({ operation, direction: 'request', errors: requestErrors });
      if (e.responseContentType?.includes('json')) {
        const responseErrors = this.validateResponse(e.method, template, e.status, e.responseBody);
        if (responseErrors) problems.push({ operation, direction: 'response', status: e.status, errors: responseErrors });
      }
    }
    return problems;
  }

  private run(pointer: string, data: unknown): string | null {
    let validate = this.cache.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.id}${pointer}` });
      this.cache.set(pointer, validate);
    }
    return validate(data) ? null : this.ajv.errorsText(validate.errors, { separator: '; ' });
  }
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(doc: Json, ref: string): Json {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, key) => node[key], doc);
}

function isEmpty(body: unknown): boolean {
  return body === null || (typeof body === 'object' && Object.keys(body as object).length === 0);
}

function isJsonLike(contentType: string): boolean {
  return contentType.includes('json') || contentType.includes('x-www-form-urlencoded');
}

/**
 * OpenAPI 3.0 schema objects are almost JSON Schema: map `nullable: true` to a union with null
 * (ajv's own `nullable` support requires `type` beside it) and drop `example`s.
 */
function toJsonSchemaDialect(node: any): any {
  if (Array.isArray(node)) return node.map(toJsonSchemaDialect);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'x-codeSamples') continue;
    out[key] = toJsonSchemaDialect(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref || out.allOf || out.oneOf || out.anyOf) return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}
