import type { FastifyRequest } from 'fastify';
import { parseAmount } from './money';
import { badRequest, mtnError } from './mtn-errors';

export interface Party {
  partyIdType: 'MSISDN' | 'EMAIL' | 'PARTY_CODE';
  partyId: string;
}

export interface Amount {
  /** As the caller wrote it; MTN echoes amounts back verbatim. */
  text: string;
  units: bigint;
}

export type JsonObject = Record<string, unknown>;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MSISDN = /^\d{5,15}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CURRENCY = /^[A-Z]{3}$/;
/** Characters MTN is known to reject in payer messages and payee notes. */
const FORBIDDEN_TEXT = /[&']/;
export const MAX_TEXT_LENGTH = 160;

export function isUuidV4(value: string): boolean {
  return UUID_V4.test(value);
}

export function isUuid(value: string): boolean {
  return ANY_UUID.test(value);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function readHeader(req: FastifyRequest, name: string): string | undefined {
  return header(req, name);
}

export function requireReferenceIdHeader(req: FastifyRequest): string {
  const value = header(req, 'x-reference-id');
  if (value === undefined || value === '') throw badRequest('X-Reference-Id header is required.');
  if (!isUuidV4(value)) throw badRequest('X-Reference-Id must be a UUID version 4.');
  return value;
}

export function requireReferenceIdParam(value: string): string {
  if (!isUuidV4(value)) throw badRequest('The reference id must be a UUID version 4.');
  return value;
}

/** The raw body text (the emulator parses bodies itself), or undefined when there is none. */
export function rawBody(req: FastifyRequest): string | undefined {
  const body = req.body;
  return typeof body === 'string' && body.length > 0 ? body : undefined;
}

export function parseJsonBody(req: FastifyRequest): unknown {
  const text = rawBody(req);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

/** A JSON object with at least one member: MTN answers 400 to a missing or empty body. */
export function requireObjectBody(req: FastifyRequest): JsonObject {
  const body = parseJsonBody(req);
  if (!isObject(body) || Object.keys(body).length === 0) {
    throw badRequest('The request body must be a non-empty JSON object.');
  }
  return body;
}

export function parseFormBody(req: FastifyRequest): URLSearchParams {
  return new URLSearchParams(rawBody(req) ?? '');
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string.`);
  return value;
}

export function requireString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw badRequest(`${field} is required.`);
  return value;
}

/** Amounts are strings holding a positive decimal; numbers are refused so floats never creep in. */
export function requireAmount(body: JsonObject, field = 'amount'): Amount {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw badRequest(`${field} is required and must be a decimal string.`);
  }
  const units = parseAmount(value);
  if (units === undefined || units <= 0n) {
    throw badRequest(`${field} must be a positive decimal with at most 4 decimals.`);
  }
  return { text: value, units };
}

export function requireCurrency(body: JsonObject, field = 'currency'): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw badRequest(`${field} is required.`);
  if (!CURRENCY.test(value)) throw badRequest(`${field} must be an ISO 4217 code.`);
  return value;
}

/** payerMessage, payeeNote and similar free texts. */
export function optionalText(body: JsonObject, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (value.length > MAX_TEXT_LENGTH) {
    throw badRequest(`${field} must be at most ${MAX_TEXT_LENGTH} characters.`);
  }
  if (FORBIDDEN_TEXT.test(value)) throw badRequest(`${field} contains unsupported characters.`);
  return value;
}

export type PartyRole = 'payer' | 'payee';

/**
 * A missing party is a 400; a party object without its members was answered with a 500 by the
 * live sandbox, reported here as the role's not-found code.
 */
export function requireParty(body: JsonObject, field: string, role: PartyRole): Party {
  const value = body[field];
  if (value === undefined || value === null) throw badRequest(`${field} is required.`);
  if (!isObject(value)) throw badRequest(`${field} must be an object.`);
  const { partyIdType, partyId } = value;
  if (partyIdType === undefined || partyId === undefined || partyId === '') {
    throw mtnError(role === 'payer' ? 'PAYER_NOT_FOUND' : 'PAYEE_NOT_FOUND');
  }
  if (typeof partyId !== 'string') throw badRequest(`${field}.partyId must be a string.`);
  if (partyIdType === 'MSISDN') {
    if (!MSISDN.test(partyId)) throw badRequest(`${field}.partyId is not a valid MSISDN.`);
    return { partyIdType, partyId };
  }
  if (partyIdType === 'EMAIL') {
    if (!EMAIL.test(partyId)) throw badRequest(`${field}.partyId is not a valid e-mail.`);
    return { partyIdType, partyId };
  }
  if (partyIdType === 'PARTY_CODE') {
    if (!isUuid(partyId)) throw badRequest(`${field}.partyId is not a valid party code.`);
    return { partyIdType, partyId };
  }
  throw badRequest(`${field}.partyIdType must be MSISDN, EMAIL or PARTY_CODE.`);
}

export function isValidMsisdn(value: string): boolean {
  return MSISDN.test(value);
}

export function isValidEmail(value: string): boolean {
  return EMAIL.test(value);
}
