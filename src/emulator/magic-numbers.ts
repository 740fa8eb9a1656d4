import { defaultHttpStatus, type ReasonCode } from './mtn-errors';
import {
  failsWith,
  SUCCESS,
  type AcceptOutcome,
  type LookupOutcome,
  type Outcome,
} from './outcomes';
import type { Party } from './validation';

/**
 * Which table of MTN's sandbox use cases applies to an operation:
 * `payer-request` (request to pay, withdraw, invoice, payment), `deposit` (same row, party is
 * the payee), `preapproval`, `transfer` (disbursement and remittance transfers, cash transfer).
 */
export type OperationFamily = 'payer-request' | 'deposit' | 'preapproval' | 'transfer';

const MTN_PREFIX = '467331234';

/** Rows 450–454 as the live sandbox behaves (momo-api.md §8.3 c), shared by every family. */
function liveRow(suffix: string): AcceptOutcome | undefined {
  switch (suffix) {
    case '50':
      return failsWith('INTERNAL_PROCESSING_ERROR');
    case '51':
      return failsWith('APPROVAL_REJECTED');
    case '52':
      return failsWith('EXPIRED');
    case '53':
      return failsWith('EXPIRED', 'long-pending');
    case '54':
      return { type: 'accept', initial: 'CREATED', final: 'SUCCESSFUL', timing: 'created' };
    default:
      return undefined;
  }
}

/** Rows 455 onwards of MTN's table (a), per family: each is a FAILED with that reason. */
const TABLE_A: Record<OperationFamily, readonly ReasonCode[]> = {
  'payer-request': [
    'PAYER_NOT_FOUND',
    'PAYEE_NOT_ALLOWED_TO_RECEIVE',
    'NOT_ALLOWED',
    'NOT_ALLOWED_TARGET_ENVIRONMENT',
    'INVALID_CALLBACK_URL_HOST',
    'INVALID_CURRENCY',
    'INTERNAL_PROCESSING_ERROR',
    'SERVICE_UNAVAILABLE',
    'COULD_NOT_PERFORM_TRANSACTION',
  ],
  deposit: [
    'PAYEE_NOT_FOUND',
    'PAYEE_NOT_ALLOWED_TO_RECEIVE',
    'NOT_ALLOWED',
    'NOT_ALLOWED_TARGET_ENVIRONMENT',
    'INVALID_CALLBACK_URL_HOST',
    'INVALID_CURRENCY',
    'INTERNAL_PROCESSING_ERROR',
    'SERVICE_UNAVAILABLE',
    'COULD_NOT_PERFORM_TRANSACTION',
  ],
  preapproval: [
    'PAYER_NOT_FOUND',
    'NOT_ALLOWED',
    'NOT_ALLOWED_TARGET_ENVIRONMENT',
    'INVALID_CALLBACK_URL_HOST',
    'INVALID_CURRENCY',
    'INTERNAL_PROCESSING_ERROR',
    'SERVICE_UNAVAILABLE',
  ],
  transfer: [
    'NOT_ENOUGH_FUNDS',
    'PAYER_LIMIT_REACHED',
    'PAYEE_NOT_FOUND',
    'NOT_ALLOWED',
    'NOT_ALLOWED_TARGET_ENVIRONMENT',
    'INVALID_CALLBACK_URL_HOST',
    'INVALID_CURRENCY',
    'INTERNAL_PROCESSING_ERROR',
    'SERVICE_UNAVAILABLE',
  ],
};

function mtnTransactionOutcome(family: OperationFamily, msisdn: string): Outcome | undefined {
  if (msisdn.length !== 11 || !msisdn.startsWith(MTN_PREFIX)) return undefined;
  const suffix = msisdn.slice(MTN_PREFIX.length);
  const live = liveRow(suffix);
  if (live) return live;
  const reason = TABLE_A[family][Number(suffix) - 55];
  return reason ? failsWith(reason) : undefined;
}

/**
 * The emulator's own reserved numbers, usable with any country code so that numbers pass the
 * gateway's per-country validation: the last seven digits are `0000` + mode + two reason digits
 * (Uganda 256770000101, Ghana 233240000101, Rwanda 250780000101 …).
 *   mode 1: accepted (202), then FAILED with the reason
 *   mode 2: refused at once with HTTP 500/503/409 and the reason's code; nothing is created
 *   mode 3: accepted, PENDING for longPendingMs, then FAILED with the reason
 * Reason digits 00 mean success (mode 3: a slow success).
 */
export const RESERVED_REASONS: Readonly<Record<string, ReasonCode>> = {
  '01': 'PAYER_NOT_FOUND',
  '02': 'PAYEE_NOT_FOUND',
  '03': 'NOT_ALLOWED',
  '04': 'NOT_ENOUGH_FUNDS',
  '05': 'PAYER_LIMIT_REACHED',
  '06': 'PAYMENT_NOT_APPROVED',
  '07': 'RESOURCE_ALREADY_EXIST',
  '08': 'INTERNAL_PROCESSING_ERROR',
  '09': 'SERVICE_UNAVAILABLE',
  '10': 'EXPIRED',
  '11': 'TRANSACTION_CANCELED',
  '12': 'APPROVAL_REJECTED',
  '13': 'PAYEE_NOT_ALLOWED_TO_RECEIVE',
  '14': 'NOT_ALLOWED_TARGET_ENVIRONMENT',
  '15': 'INVALID_CURRENCY',
  '16': 'INVALID_CALLBACK_URL_HOST',
  '17': 'COULD_NOT_PERFORM_TRANSACTION',
};

const RESERVED = /^\d{3,8}0000([123])(\d\d)$/;

interface Reserved {
  mode: '1' | '2' | '3';
  /** undefined for "00": the success variant of the mode. */
  reason?: ReasonCode;
}

function reserved(msisdn: string): Reserved | undefined {
  const match = RESERVED.exec(msisdn);
  if (!match) return undefined;
  const mode = match[1] as Reserved['mode'];
  const digits = match[2] ?? '';
  if (digits === '00') return { mode };
  const reason = RESERVED_REASONS[digits];
  return reason ? { mode, reason } : undefined;
}

function reservedTransactionOutcome(msisdn: string): Outcome | undefined {
  const r = reserved(msisdn);
  if (!r) return undefined;
  switch (r.mode) {
    case '1':
      return r.reason ? failsWith(r.reason) : SUCCESS;
    case '2':
      return r.reason
        ? { type: 'reject', code: r.reason, httpStatus: defaultHttpStatus(r.reason) }
        : SUCCESS;
    case '3':
      return r.reason
        ? failsWith(r.reason, 'long-pending')
        : { ...SUCCESS, timing: 'long-pending' };
  }
}

/** Outcome of a create naming `party`; ordinary parties succeed. */
export function transactionOutcome(family: OperationFamily, party: Party | undefined): Outcome {
  if (party?.partyIdType !== 'MSISDN') return SUCCESS;
  return (
    mtnTransactionOutcome(family, party.partyId) ??
    reservedTransactionOutcome(party.partyId) ??
    SUCCESS
  );
}

function lookupError(code: ReasonCode): LookupOutcome {
  return { type: 'error', code, httpStatus: defaultHttpStatus(code) };
}

/** MTN's account-holder row: NotFound, NotActive, NotAllowed, NotAllowedTargetEnvironment, … */
const HOLDER_ROW: readonly LookupOutcome[] = [
  lookupError('RESOURCE_NOT_FOUND'),
  { type: 'found', active: false },
  lookupError('NOT_ALLOWED'),
  lookupError('NOT_ALLOWED_TARGET_ENVIRONMENT'),
  lookupError('INTERNAL_PROCESSING_ERROR'),
  lookupError('SERVICE_UNAVAILABLE'),
];

const HOLDER_EMAILS = [
  'notfound@email.com',
  'notactive@email.com',
  'notallowed@email.com',
  'notallowedtargetenvironment@email.com',
  'internalprocessingerror@email.com',
  'serviceunavailable@email.com',
];

const HOLDER_PARTY_CODES = [
  '5cecb5a7-8bd0-4f49-87b1-8eb9ecc7b7bc',
  'b0040b3c-b426-4a90-af6e-673e65861cd7',
  '4d5f500f-c385-4901-9be5-25b6d36ad220',
  'd2265f9b-0c22-496d-908f-79a65ad66266',
  '8f548a78-ceb8-4d12-a243-5640b91e91a4',
  '585c07a4-2c80-42f7-9e73-e586b36dee68',
];

const ACTIVE: LookupOutcome = { type: 'found', active: true };

/**
 * Account-holder lookups. Reserved numbers: mode 2 fails the lookup like the create; modes 1
 * and 3 with a not-found reason (01, 02) report an inactive holder; everything else is active.
 */
export function accountHolderOutcome(idType: string, id: string): LookupOutcome {
  switch (idType) {
    case 'email':
      return HOLDER_ROW[HOLDER_EMAILS.indexOf(id.toLowerCase())] ?? ACTIVE;
    case 'party_code':
    case 'id':
      return HOLDER_ROW[HOLDER_PARTY_CODES.indexOf(id.toLowerCase())] ?? ACTIVE;
    case 'msisdn': {
      if (id.length === 11 && id.startsWith(MTN_PREFIX)) {
        return HOLDER_ROW[Number(id.slice(MTN_PREFIX.length)) - 50] ?? ACTIVE;
      }
      const r = reserved(id);
      if (!r?.reason) return ACTIVE;
      if (r.mode === '2') return lookupError(r.reason);
      const notFound = r.reason === 'PAYER_NOT_FOUND' || r.reason === 'PAYEE_NOT_FOUND';
      return notFound ? { type: 'found', active: false } : ACTIVE;
    }
    default:
      return ACTIVE;
  }
}

/** The tables above as data, for GET /_emulator/magic-numbers and the docs. */
export function magicNumberTables(): object {
  const mtn = (family: OperationFamily): Record<string, string> => {
    const rows: Record<string, string> = {
      '46733123450': 'FAILED INTERNAL_PROCESSING_ERROR',
      '46733123451': 'FAILED APPROVAL_REJECTED',
      '46733123452': 'FAILED EXPIRED',
      '46733123453': 'PENDING for longPendingMs, then FAILED EXPIRED',
      '46733123454': 'CREATED for createdToSuccessfulMs, then SUCCESSFUL',
    };
    TABLE_A[family].forEach((code, i) => {
      rows[`${MTN_PREFIX}${55 + i}`] = `FAILED ${code}`;
    });
    return rows;
  };
  return {
    alwaysSuccessful: [
      '256774123456',
      '233244000000',
      '250788123456',
      '260964000000',
      '56733123453',
    ],
    mtn: {
      requestToPayWithdrawInvoicePayment: mtn('payer-request'),
      deposit: mtn('deposit'),
      preApproval: mtn('preapproval'),
      transferAndCashTransfer: mtn('transfer'),
      accountHolder: {
        msisdn: Object.fromEntries(
          HOLDER_ROW.map((o, i) => [`${MTN_PREFIX}${50 + i}`, describeLookup(o)]),
        ),
        email: Object.fromEntries(HOLDER_EMAILS.map((e, i) => [e, describeLookup(HOLDER_ROW[i])])),
        partyCode: Object.fromEntries(
          HOLDER_PARTY_CODES.map((c, i) => [c, describeLookup(HOLDER_ROW[i])]),
        ),
      },
    },
    reserved: {
      pattern:
        '<any country code and prefix, 3-8 digits> + 0000 + <mode 1|2|3> + <reason 2 digits>',
      modes: {
        '1': 'accepted (202), then FAILED with the reason after processingDelayMs',
        '2': 'refused at once: HTTP 500 (503 SERVICE_UNAVAILABLE, 409 RESOURCE_ALREADY_EXIST) with the code',
        '3': 'accepted, PENDING for longPendingMs, then FAILED with the reason',
      },
      reasons: { '00': 'success', ...RESERVED_REASONS },
      examples: {
        uganda: '256770000101 (PAYER_NOT_FOUND after 202), 256770000201 (500 PAYER_NOT_FOUND)',
        ghana: '233240000104 (NOT_ENOUGH_FUNDS after 202)',
        rwanda: '250780000209 (503 SERVICE_UNAVAILABLE)',
      },
    },
  };
}

function describeLookup(outcome: LookupOutcome | undefined): string {
  if (!outcome) return 'active';
  if (outcome.type === 'found') return outcome.active ? 'active' : '{"result":false}';
  return `HTTP ${outcome.httpStatus} ${outcome.code}`;
}
