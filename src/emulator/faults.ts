import { randomUUID } from 'node:crypto';
import {
  APIM_INVALID_KEY,
  apimRateLimited,
  EmulatorHttpError,
  errorReasonBody,
  isReasonCode,
} from './mtn-errors';
import { pathOwner, type PathOwner } from './products';
import type { Random } from './prng';
import { isObject } from './validation';

export const FAULT_KINDS = [
  'error',
  'latency',
  'timeout',
  'reset',
  'lost-answer',
  'rate-limit',
  'token-failure',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  id: string;
  kind: FaultKind;
  /** collection | disbursement | remittance | provisioning; absent = every MTN path. */
  product?: PathOwner;
  pathPrefix?: string;
  method?: string;
  /** error and token-failure: the status to answer (defaults 500). */
  status?: number;
  /** error: the body to answer (defaults to MTN's body for the status). */
  body?: unknown;
  latencyMs?: number;
  requestsPerMinute?: number;
  windowMs?: number;
  /** Apply to the next N matching requests only, then retire (deterministic faults). */
  remaining?: number;
  /** Apply to this share of matching requests (seeded PRNG). */
  rate?: number;
  hits: number;
  windowStart?: number;
  windowCount?: number;
}

export type FaultAction =
  | { type: 'answer'; error: EmulatorHttpError }
  | { type: 'timeout' }
  | { type: 'reset' }
  // MTN did the work (a create is stored, its callback goes out) but the answer never arrives.
  | { type: 'lost-answer' };

export interface FaultDecision {
  latencyMs: number;
  action?: FaultAction;
}

function defaultErrorBody(status: number): unknown {
  switch (status) {
    case 401:
      return APIM_INVALID_KEY;
    case 404:
      return errorReasonBody('RESOURCE_NOT_FOUND');
    case 409:
      return errorReasonBody('RESOURCE_ALREADY_EXIST');
    case 503:
      return errorReasonBody('SERVICE_UNAVAILABLE');
    default:
      return status >= 500
        ? errorReasonBody('INTERNAL_PROCESSING_ERROR')
        : { message: 'Injected fault' };
  }
}

function isTokenPath(path: string): boolean {
  return /^\/(collection|disbursement|remittance)\/(oauth2\/)?token\/$/.test(path);
}

/**
 * Faults injected in front of MTN's paths: errors, latency, held requests, reset connections,
 * rate limits and token failures, each scoped by product, path prefix and method, and either
 * counted (next N requests) or random at a seeded rate.
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => Random) {}

  list(): FaultRule[] {
    return this.rules;
  }

  add(input: unknown): FaultRule {
    const rule = parseRule(input);
    this.rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  evaluate(method: string, path: string): FaultDecision | undefined {
    if (this.rules.length === 0) return undefined;
    const owner = pathOwner(path);
    let latencyMs = 0;
    let action: FaultAction | undefined;
    let retired = false;
    for (const rule of this.rules) {
      if (!matches(rule, method, path, owner)) continue;
      if (rule.kind === 'rate-limit') {
        action ??= this.rateLimit(rule);
        continue;
      }
      if (action && rule.kind !== 'latency') continue;
      if (rule.rate !== undefined && this.random()() >= rule.rate) continue;
      rule.hits += 1;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) retired = true;
      }
      if (rule.kind === 'latency') latencyMs += rule.latencyMs ?? 0;
      else action = toAction(rule);
    }
    if (retired)
      this.rules = this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
    return latencyMs > 0 || action ? { latencyMs, action } : undefined;
  }

  private rateLimit(rule: FaultRule): FaultAction | undefined {
    const now = Date.now();
    const windowMs = rule.windowMs ?? 60_000;
    if (rule.windowStart === undefined || now - rule.windowStart >= windowMs) {
      rule.windowStart = now;
      rule.windowCount = 0;
    }
    rule.windowCount = (rule.windowCount ?? 0) + 1;
    if (rule.windowCount <= (rule.requestsPerMinute ?? 0)) return undefined;
    rule.hits += 1;
    const retryAfter = Math.max(1, Math.ceil((rule.windowStart + windowMs - now) / 1000));
    return { type: 'answer', error: apimRateLimited(retryAfter) };
  }
}

function matches(rule: FaultRule, method: string, path: string, owner: PathOwner): boolean {
  if (rule.product !== undefined && rule.product !== owner) return false;
  if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) return false;
  if (rule.method !== undefined && rule.method !== method) return false;
  if (rule.kind === 'token-failure' && !isTokenPath(path)) return false;
  return true;
}

function toAction(rule: FaultRule): FaultAction | undefined {
  switch (rule.kind) {
    case 'error': {
      const status = rule.status ?? 500;
      const body = rule.body ?? defaultErrorBody(status);
      return {
        type: 'answer',
        error: new EmulatorHttpError(status, typeof body === 'string' ? body : (body as object)),
      };
    }
    case 'token-failure': {
      const status = rule.status ?? 500;
      return {
        type: 'answer',
        error: new EmulatorHttpError(status, {
          error: status === 401 ? 'invalid_client' : 'login_failed',
        }),
      };
    }
    case 'timeout':
      return { type: 'timeout' };
    case 'reset':
      return { type: 'reset' };
    case 'lost-answer':
      return { type: 'lost-answer' };
    case 'latency':
    case 'rate-limit':
      return undefined;
  }
}

function optionalNumber(
  input: Record<string, unknown>,
  key: string,
  valid: (n: number) => boolean,
): number | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) {
    throw new Error(`${key} is invalid`);
  }
  return value;
}

function parseRule(input: unknown): FaultRule {
  if (!isObject(input)) throw new Error('a fault must be a JSON object');
  const kind = input.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const product = input.product;
  if (
    product !== undefined &&
    (typeof product !== 'string' ||
      !['collection', 'disbursement', 'remittance', 'provisioning'].includes(product))
  ) {
    throw new Error('product must be collection, disbursement, remittance or provisioning');
  }
  const pathPrefix = input.pathPrefix;
  if (pathPrefix !== undefined && (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/'))) {
    throw new Error('pathPrefix must be a path starting with /');
  }
  const method = input.method;
  if (method !== undefined && typeof method !== 'string')
    throw new Error('method must be a string');
  const status = optionalNumber(
    input,
    'status',
    (n) => Number.isInteger(n) && n >= 100 && n <= 599,
  );
  const code = input.code;
  if (code !== undefined && !isReasonCode(code)) throw new Error('code is not an MTN reason code');
  const body =
    input.body ?? (code !== undefined && isReasonCode(code) ? errorReasonBody(code) : undefined);
  const rule: FaultRule = {
    id: randomUUID(),
    kind: kind as FaultKind,
    product: product as PathOwner | undefined,
    pathPrefix,
    method: method?.toUpperCase(),
    status,
    body,
    latencyMs: optionalNumber(input, 'latencyMs', (n) => n >= 0),
    requestsPerMinute: optionalNumber(
      input,
      'requestsPerMinute',
      (n) => Number.isInteger(n) && n >= 0,
    ),
    windowMs: optionalNumber(input, 'windowMs', (n) => n > 0),
    remaining: optionalNumber(input, 'count', (n) => Number.isInteger(n) && n > 0),
    rate: optionalNumber(input, 'rate', (n) => n >= 0 && n <= 1),
    hits: 0,
  };
  if (rule.kind === 'latency' && rule.latencyMs === undefined)
    throw new Error('latencyMs is required');
  if (rule.kind === 'rate-limit' && rule.requestsPerMinute === undefined) {
    throw new Error('requestsPerMinute is required');
  }
  return rule;
}
