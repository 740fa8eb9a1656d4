import { randomUUID } from 'node:crypto';
import { defaultHttpStatus, isReasonCode } from './mtn-errors';
import type { Outcome } from './outcomes';
import { isObject } from './validation';

export interface ScriptedOutcome {
  id: string;
  pathPrefix?: string;
  partyId?: string;
  remaining: number;
  outcome: Outcome;
}

/**
 * Outcomes forced on the next N creates that match a path prefix (and optionally a party id):
 * the deterministic way to give a refund, payment or any other create a chosen fate, whatever
 * numbers it names. Scripted outcomes win over magic numbers.
 */
export class ScriptedOutcomes {
  private rules: ScriptedOutcome[] = [];

  list(): ScriptedOutcome[] {
    return this.rules;
  }

  add(input: unknown): ScriptedOutcome {
    const rule = parse(input);
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  take(path: string, partyId: string | undefined): Outcome | undefined {
    if (this.rules.length === 0) return undefined;
    const rule = this.rules.find(
      (r) =>
        (r.pathPrefix === undefined || path.startsWith(r.pathPrefix)) &&
        (r.partyId === undefined || r.partyId === partyId),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.outcome;
  }
}

function parse(input: unknown): ScriptedOutcome {
  if (!isObject(input)) throw new Error('an outcome rule must be a JSON object');
  const { pathPrefix, partyId, count, outcome } = input;
  if (pathPrefix !== undefined && (typeof pathPrefix !== 'string' || !pathPrefix.startsWith('/'))) {
    throw new Error('pathPrefix must be a path starting with /');
  }
  if (partyId !== undefined && typeof partyId !== 'string')
    throw new Error('partyId must be a string');
  if (count !== undefined && !(Number.isInteger(count) && (count as number) > 0)) {
    throw new Error('count must be a positive integer');
  }
  return {
    id: randomUUID(),
    pathPrefix,
    partyId,
    remaining: (count as number | undefined) ?? 1,
    outcome: parseOutcome(outcome),
  };
}

function parseOutcome(input: unknown): Outcome {
  if (!isObject(input)) throw new Error('outcome must be a JSON object');
  const { type, code, reason, status, initial, delayMs, httpStatus } = input;
  if (type === 'reject') {
    if (!isReasonCode(code)) throw new Error('outcome.code must be an MTN reason code');
    const http = httpStatus ?? defaultHttpStatus(code);
    if (!Number.isInteger(http) || (http as number) < 400 || (http as number) > 599) {
      throw new Error('outcome.httpStatus must be an HTTP error status');
    }
    return { type: 'reject', code, httpStatus: http as number };
  }
  if (type !== 'accept') throw new Error('outcome.type must be accept or reject');
  const final = status ?? (reason === undefined ? 'SUCCESSFUL' : 'FAILED');
  if (final !== 'SUCCESSFUL' && final !== 'FAILED') {
    throw new Error('outcome.status must be SUCCESSFUL or FAILED');
  }
  if (reason !== undefined && !isReasonCode(reason)) {
    throw new Error('outcome.reason must be an MTN reason code');
  }
  if (final === 'FAILED' && reason === undefined)
    throw new Error('a FAILED outcome needs a reason');
  if (initial !== undefined && initial !== 'PENDING' && initial !== 'CREATED') {
    throw new Error('outcome.initial must be PENDING or CREATED');
  }
  if (delayMs !== undefined && delayMs !== null && !(typeof delayMs === 'number' && delayMs >= 0)) {
    throw new Error('outcome.delayMs must be a non-negative number or null');
  }
  return {
    type: 'accept',
    initial: initial ?? 'PENDING',
    final,
    reason: final === 'FAILED' ? reason : undefined,
    timing: delayMs === undefined ? 'processing' : { afterMs: delayMs },
  };
}
