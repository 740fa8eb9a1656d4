import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type SpecName = 'collection' | 'disbursement' | 'remittance' | 'provisioning';

const SPEC_FILES: Record<SpecName, string> = {
  collection: 'collection.json',
  disbursement: 'disbursement.json',
  remittance: 'remittance.json',
  provisioning: 'sandbox-provisioning-api.json',
};

/**
 * Where the emulator knowingly differs from MTN's OpenAPI files, because the live sandbox does
 * (momo-api.md). A response may only fail plain validation in one of these named ways.
 */
export const DOCUMENTED_DEVIATIONS = {
  'reason-as-string':
    'v1 results (and their callbacks) carry `reason` as a bare string, not an ErrorReason',
  'created-status': 'request-to-pay status CREATED (46733123454), not in the status enum',
  'flat-apiuser-result': 'GET /v1_0/apiuser/{id} answers a flat targetEnvironment string',
  'token-type-access-token': 'token_type is the literal "access_token", not "Bearer"',
  'auth-401': '401 (APIM subscription key, invalid bearer token) on operations that declare none',
  'length-required-411': '411 with an HTML body for body-less POSTs without Content-Length',
  'service-unavailable-503': '503 SERVICE_UNAVAILABLE on operations that declare no 503',
  'rate-limit-429': 'APIM 429 when a rate-limit fault is configured',
  'accountholder-not-found-404':
    'account-holder lookups answer 404 RESOURCE_NOT_FOUND (46733123450)',
  'unknown-path-404': 'APIM 404 for paths that are not MTN operations',
  'extra-reason-codes':
    'reason codes MTN documents but its enum lacks (COULD_NOT_PERFORM_TRANSACTION)',
} as const;
export type DeviationName = keyof typeof DOCUMENTED_DEVIATIONS;

interface Operation {
  spec: SpecName;
  method: string;
  template: string;
  regex: RegExp;
  literalChars: number;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface ValidationResult {
  operation?: string;
  deviations: DeviationName[];
  errors: string[];
}

function pointer(...segments: string[]): string {
  return segments
    .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Schemas the definitions name as components but forgot to attach to a response. */
const INTENDED_SCHEMAS: Record<string, string> = {
  'provisioning GET /v1_0/apiuser/{X-Reference-Id} 200': 'ApiUserResult',
  'collection GET /v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active 200':
    'BooleanResult',
  'disbursement GET /v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active 200':
    'BooleanResult',
  'remittance GET /v1_0/accountholder/{accountHolderIdType}/{accountHolderId}/active 200':
    'BooleanResult',
};

const V1_RESULT_PATHS =
  /^\/v1_0\/(requesttopay|requesttowithdraw|transfer|deposit|refund)\/\{referenceId\}$/;

/** Validates emulator responses against MTN's OpenAPI 3.0 definitions (refs resolved per file). */
export class OpenApiValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly reasonEnums = new Map<SpecName, string[]>();

  constructor(directory = join(__dirname, '..', 'fixtures', 'mtn-openapi')) {
    addFormats(this.ajv);
    for (const [name, file] of Object.entries(SPEC_FILES) as [SpecName, string][]) {
      const spec = JSON.parse(readFileSync(join(directory, file), 'utf8')) as {
        paths: Record<string, Record<string, { responses?: Operation['responses'] }>>;
        components: { schemas: Record<string, { properties?: { code?: { enum?: string[] } } }> };
      };
      this.ajv.addSchema(spec, `${name}.json`);
      this.reasonEnums.set(name, spec.components.schemas.ErrorReason?.properties?.code?.enum ?? []);
      for (const [template, methods] of Object.entries(spec.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          if (!op.responses) continue;
          const regex = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          this.operations.push({
            spec: name,
            method: method.toUpperCase(),
            template,
            regex,
            literalChars: template.replace(/\{[^}]+\}/g, '').length,
            responses: op.responses,
          });
        }
      }
    }
  }

  operationNames(): string[] {
    return this.operations.map((o) => `${o.spec} ${o.method} ${o.template}`);
  }

  private find(method: string, fullPath: string): Operation | undefined {
    const [, first] = fullPath.split('/');
    const spec: SpecName =
      first === 'collection' || first === 'disbursement' || first === 'remittance'
        ? first
        : 'provisioning';
    const path = spec === 'provisioning' ? fullPath : fullPath.slice(spec.length + 1);
    return this.operations
      .filter((o) => o.spec === spec && o.method === method && o.regex.test(path))
      .sort((a, b) => b.literalChars - a.literalChars)[0];
  }

  private validator(ref: string): ValidateFunction {
    let fn = this.compiled.get(ref);
    if (!fn) {
      fn = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, fn);
    }
    return fn;
  }

  private schemaRef(op: Operation, status: string): string | undefined {
    const intended = INTENDED_SCHEMAS[`${op.spec} ${op.method} ${op.template} ${status}`];
    if (intended) return `${op.spec}.json#/components/schemas/${intended}`;
    const content = op.responses[status]?.content ?? {};
    const types = Object.keys(content);
    const chosen =
      types.find((t) => t === 'application/json' && content[t]?.schema) ??
      types.find((t) => content[t]?.schema);
    if (!chosen) return undefined;
    return `${op.spec}.json#/${pointer('paths', op.template, op.method.toLowerCase(), 'responses', status, 'content', chosen, 'schema')}`;
  }

  private check(ref: string, body: unknown): string[] {
    const fn = this.validator(ref);
    if (fn(body)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }

  validate(method: string, path: string, status: number, text: string): ValidationResult {
    const deviations: DeviationName[] = [];
    const op = this.find(method, path.split('?')[0] ?? path);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!op) {
      const apim404 = status === 404 && isObject(body) && body.statusCode === 404;
      return apim404
        ? { deviations: ['unknown-path-404'], errors: [] }
        : { deviations, errors: [`no MTN operation ${method} ${path}`] };
    }
    const opName = `${op.spec} ${op.method} ${op.template}`;
    const result = (errors: string[]): ValidationResult => ({
      operation: opName,
      deviations,
      errors,
    });
    const errorReason = `${op.spec}.json#/components/schemas/ErrorReason`;
    if (!op.responses[String(status)]) {
      if (
        status === 401 &&
        isObject(body) &&
        (body.statusCode === 401 || typeof body.error === 'string')
      ) {
        deviations.push('auth-401');
        return result([]);
      }
      if (status === 411 && typeof body === 'string' && body.includes('Length Required')) {
        deviations.push('length-required-411');
        return result([]);
      }
      if (status === 429 && isObject(body) && body.statusCode === 429) {
        deviations.push('rate-limit-429');
        return result([]);
      }
      if (status === 503) {
        deviations.push('service-unavailable-503');
        return result(this.check(errorReason, body));
      }
      if (status === 404 && op.template.includes('/accountholder/')) {
        deviations.push('accountholder-not-found-404');
        return result(this.check(errorReason, body));
      }
      return result([`status ${status} is not declared for ${opName}`]);
    }
    if (op.template === '/token/' && isObject(body) && body.token_type === 'access_token') {
      deviations.push('token-type-access-token');
    }
    if (body === undefined) return result([]);
    const ref = this.schemaRef(op, String(status));
    if (!ref) return result([]);
    if (isObject(body)) body = this.normalize(op, body, deviations);
    return result(this.check(ref, body));
  }

  private normalize(
    op: Operation,
    input: Record<string, unknown>,
    deviations: DeviationName[],
  ): Record<string, unknown> {
    const body = { ...input };
    const enumCodes = this.reasonEnums.get(op.spec) ?? [];
    if (op.method === 'GET' && V1_RESULT_PATHS.test(op.template)) {
      if (typeof body.reason === 'string') {
        deviations.push('reason-as-string');
        body.reason = { code: body.reason };
      }
      if (body.status === 'CREATED' && op.template.startsWith('/v1_0/requesttopay')) {
        deviations.push('created-status');
        body.status = 'PENDING';
      }
    }
    for (const key of ['reason', 'errorReason']) {
      const reason = body[key];
      if (isObject(reason) && typeof reason.code === 'string' && !enumCodes.includes(reason.code)) {
        deviations.push('extra-reason-codes');
        body[key] = { ...reason, code: enumCodes[0] };
      }
    }
    if (
      op.template === '/v1_0/apiuser/{X-Reference-Id}' &&
      typeof body.targetEnvironment === 'string'
    ) {
      deviations.push('flat-apiuser-result');
      delete body.targetEnvironment;
    }
    return body;
  }
}
