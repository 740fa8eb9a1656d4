import type { Balance, BasicUserInfo, MomoStatus } from '../momo.types';
import { errorCodeForReason, reasonCodeOf } from './mtn-error.mapper';

/**
 * MTN's 200 bodies in our terms. Amounts and ids stay strings (the spec's examples show numbers;
 * a number is turned into its decimal text, never into arithmetic).
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Null when the body is not a status object at all. */
export function toMomoStatus(body: unknown): MomoStatus | null {
  if (!isObject(body)) return null;
  const rawStatus = text(body.status);
  if (rawStatus === undefined || rawStatus.trim() === '') return null;
  const word = rawStatus.trim().toUpperCase();
  // CREATED, PENDING and any word MTN may add later are not final: only these two are.
  const status = word === 'SUCCESSFUL' ? 'SUCCESSFUL' : word === 'FAILED' ? 'FAILED' : 'PENDING';
  const reason = reasonCodeOf(body.reason ?? body.errorReason);
  const reasonCode = reason !== undefined ? errorCodeForReason(reason) : undefined;
  const party = isObject(body.payer) ? body.payer : isObject(body.payee) ? body.payee : undefined;
  const result: MomoStatus = { status, rawStatus };
  const optional: Partial<MomoStatus> = {
    reason,
    reasonCode,
    financialTransactionId: text(body.financialTransactionId),
    amount: text(body.amount),
    currency: text(body.currency),
    externalId: text(body.externalId),
    partyId: party ? text(party.partyId) : undefined,
    partyIdType: party ? text(party.partyIdType) : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (result as unknown as Json)[key] = value;
  }
  return result;
}

export function toBalance(body: unknown): Balance | null {
  if (!isObject(body)) return null;
  const availableBalance = text(body.availableBalance);
  const currency = text(body.currency);
  return availableBalance !== undefined && currency !== undefined
    ? { availableBalance, currency }
    : null;
}

/** `{"result": true}`; some MTN builds answer a bare boolean. */
export function toActiveFlag(body: unknown): boolean | null {
  if (typeof body === 'boolean') return body;
  if (isObject(body) && typeof body.result === 'boolean') return body.result;
  return null;
}

export function toBasicUserInfo(body: unknown): BasicUserInfo | null {
  if (!isObject(body)) return null;
  const info: BasicUserInfo = {};
  const pairs: Array<[keyof BasicUserInfo, unknown]> = [
    ['givenName', body.given_name],
    ['familyName', body.family_name],
    ['name', body.name],
    ['birthDate', body.birthdate],
    ['locale', body.locale],
    ['gender', body.gender],
    ['status', body.status],
  ];
  for (const [key, value] of pairs) {
    const v = text(value);
    if (v !== undefined) info[key] = v;
  }
  return info;
}

export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
}

/** MTN's token answer; `token_type` is the literal `access_token`, so it is not checked. */
export function toTokenGrant(body: unknown): TokenGrant | null {
  if (!isObject(body)) return null;
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') return null;
  const expires = Number(body.expires_in);
  // MTN documents 3600 s; a missing or silly value is treated as that rather than as "never".
  const expiresInSeconds = Number.isFinite(expires) && expires > 0 ? expires : 3600;
  return { accessToken, expiresInSeconds };
}
