import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { canonicalAmount } from '../common/money';
import type { Product } from '../common/product';
import { uniqueViolation } from '../database/unique-violation';
import { MomoTransaction } from './momo-transaction.entity';
import { hydrate } from './hydrate';
import { autocommitRows, sqlRows } from './sql-rows';
import { TRANSACTION_COLUMNS } from './transaction-columns';
import type { CreatePendingInput, InsertReservation } from './transaction.inputs';
import { OPERATIONS_BY_PRODUCT, type TransactionOperation } from './transaction.types';

/** Thrown inside the creating DB transaction when a concurrent duplicate won the insert race. */
export class InsertRaced extends Error {
  constructor() {
    super('A concurrent request created the same transaction first');
    this.name = 'InsertRaced';
  }
}

/** The row to insert, before it has an id; `amount` already canonical. */
export interface PendingValues {
  product: Product;
  operation: TransactionOperation;
  amount: string;
  currency: string;
  country: string;
  msisdn: string;
  externalId: string;
  idempotencyKey: string | null;
  requestHash: string;
  payerMessage: string | null;
  payeeNote: string | null;
  kycLevel: string | null;
  parentId: string | null;
  mtnCurrency: string;
  accountId: string;
  apiKeyId: string | null;
}

function invalid(
  code: 'VALIDATION_FAILED' | 'INVALID_PHONE_NUMBER',
  field: string,
  message: string,
): DomainError {
  return new DomainError(code, `Invalid ${field}: ${message}`, { details: [{ field, message }] });
}

/**
 * The last guard before the database: the product's DTO validation runs first, so a failure here
 * is a request that slipped through, answered as a 4xx rather than a constraint error (500).
 */
export function checkPendingInput(
  input: Pick<
    CreatePendingInput,
    'product' | 'operation' | 'msisdn' | 'country' | 'externalId' | 'currency' | 'mtnCurrency'
  >,
): void {
  if (!OPERATIONS_BY_PRODUCT[input.product].includes(input.operation)) {
    throw new Error(`${input.operation} is not an operation of ${input.product}`);
  }
  if (!/^[0-9]{6,15}$/.test(input.msisdn)) {
    throw invalid('INVALID_PHONE_NUMBER', 'phoneNumber', 'must be 6 to 15 digits, no +');
  }
  if (!/^[A-Z]{2}$/.test(input.country)) {
    throw invalid('VALIDATION_FAILED', 'country', 'must be an ISO 3166 alpha-2 code');
  }
  if (input.externalId.length === 0) {
    throw invalid('VALIDATION_FAILED', 'externalId', 'must not be empty');
  }
  for (const [field, value] of [
    ['currency', input.currency],
    ['mtnCurrency', input.mtnCurrency],
  ] as const) {
    if (!/^[A-Z]{3}$/.test(value)) {
      throw invalid('VALIDATION_FAILED', field, 'must be an ISO 4217 code');
    }
  }
}

export function canonicalPendingAmount(
  input: Pick<CreatePendingInput, 'amount' | 'currency'>,
): string {
  return canonicalAmount(input.amount, input.currency);
}

const REPLAY_BY_KEY_SQL = `
  SELECT ${TRANSACTION_COLUMNS}, callback_token FROM momo_transactions
   WHERE product = $1 AND idempotency_key = $2
   LIMIT 1`;

const REPLAY_BY_EXTERNAL_ID_SQL = `
  SELECT ${TRANSACTION_COLUMNS}, callback_token FROM momo_transactions
   WHERE product = $1 AND external_id = $2 AND status <> 'FAILED'
   LIMIT 1`;

/** One earlier transaction, its callback token included (a replay sends MTN the same URL). */
async function findWithToken(
  manager: EntityManager,
  sql: string,
  parameters: string[],
): Promise<MomoTransaction | undefined> {
  // Inside the creating transaction when there is one (a refund holds its collection's lock).
  const rows = manager.queryRunner
    ? await sqlRows<Record<string, unknown>>(manager, sql, parameters)
    : await autocommitRows<Record<string, unknown>>(manager.connection, sql, parameters);
  const row = rows[0];
  if (!row) return undefined;
  const found = hydrate(manager.connection, MomoTransaction, row);
  if (typeof row.callback_token === 'string') found.callbackToken = row.callback_token;
  return found;
}

export async function findReplay(
  manager: EntityManager,
  values: Pick<PendingValues, 'product' | 'idempotencyKey' | 'externalId' | 'requestHash'>,
): Promise<MomoTransaction | undefined> {
  if (values.idempotencyKey !== null) {
    const byKey = await findWithToken(manager, REPLAY_BY_KEY_SQL, [
      values.product,
      values.idempotencyKey,
    ]);
    if (byKey) {
      if (byKey.requestHash === values.requestHash) return byKey;
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request',
        {
          details: [{ field: 'Idempotency-Key', message: 'use a new key for a different request' }],
        },
      );
    }
  }
  const byExternalId = await findWithToken(manager, REPLAY_BY_EXTERNAL_ID_SQL, [
    values.product,
    values.externalId,
  ]);
  if (!byExternalId) return undefined;
  if (byExternalId.requestHash === values.requestHash) return byExternalId;
  throw new DomainError(
    'DUPLICATE_EXTERNAL_ID',
    'A transaction with this externalId already exists and is not FAILED',
    {
      details: [
        {
          field: 'externalId',
          message: 'already used by another request',
          transactionId: byExternalId.id,
        },
      ],
    },
  );
}

// One statement, one round trip: the row, its creation event, and the row back for hydration.
// A data-modifying CTE runs to completion even though the outer SELECT does not read it, and the
// event's foreign key is checked at the end of the statement, when the row exists. `ON CONFLICT
// DO NOTHING` without a target covers every unique index, the partial ones included: the
// Idempotency-Key per product and the live (non-FAILED) externalId per product. On a conflict
// `t` is empty, so no event is written and no row comes back.
const PENDING_COLUMNS = `
      id, product, operation, status, amount, currency, country, msisdn, external_id,
      idempotency_key, request_hash, payer_message, payee_note, kyc_level, parent_id,
      mtn_currency, account_id, api_key_id, callback_token`;

// The creation event of the row `t` returned (none when it returned none), and that row.
const WITH_CREATION_EVENT = `
  e AS (
    INSERT INTO transaction_events (transaction_id, source, from_status, to_status)
    SELECT id, 'api', NULL, 'PENDING' FROM t
  )
  SELECT * FROM t`;

const INSERT_PENDING_SQL = `
  WITH t AS (
    INSERT INTO momo_transactions (${PENDING_COLUMNS})
    VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
    ON CONFLICT DO NOTHING
    RETURNING *
  ),${WITH_CREATION_EVENT}`;

// The same insert fed by a reservation's row: one row when it was taken, none when refused. The
// values are cast to their columns' types (an INSERT … SELECT does not infer them). No ON CONFLICT:
// a duplicate must fail the statement, so that the reservation before it is undone with it.
const INSERT_RESERVED_SQL = (reservation: string) => `
  WITH r AS (${reservation}),
  t AS (
    INSERT INTO momo_transactions (${PENDING_COLUMNS})
    SELECT $1::uuid, $2::varchar, $3::varchar, 'PENDING', $4::numeric, $5::char(3), $6::char(2),
           $7::varchar, $8::text, $9::text, $10::char(64), $11::text, $12::text, $13::varchar,
           $14::uuid, $15::char(3), $16::varchar, $17::uuid, $18::varchar
      FROM r
    RETURNING *
  ),${WITH_CREATION_EVENT}`;

const INSERT_PARAMETERS = 18;

/** The reservation's own `$n` moved past the insert's parameters. */
function shifted(sql: string): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + INSERT_PARAMETERS}`);
}

// Reservations are constant texts (the daily limit's is one): build each statement once, not on
// every create.
const reservedStatements = new Map<string, string>();

function reservedStatement(reservation: string): string {
  let sql = reservedStatements.get(reservation);
  if (sql === undefined) {
    sql = INSERT_RESERVED_SQL(shifted(reservation));
    reservedStatements.set(reservation, sql);
  }
  return sql;
}

/**
 * The reservation and the insert of the row and its event as one autocommit statement (one round
 * trip instead of BEGIN, reservation, insert, COMMIT): both happen or neither. A refused
 * reservation calls its `refused()`; a duplicate (unique index) throws `InsertRaced`, after which
 * nothing of the statement remains.
 */
export async function insertPendingReserved(
  dataSource: DataSource,
  values: PendingValues,
  reservation: InsertReservation,
): Promise<{ transaction: MomoTransaction; callbackToken: string }> {
  const callbackToken = randomBytes(32).toString('base64url');
  let rows: Record<string, unknown>[];
  try {
    rows = await autocommitRows<Record<string, unknown>>(
      dataSource,
      reservedStatement(reservation.sql),
      [...pendingParameters(randomUUID(), values, callbackToken), ...reservation.parameters],
    );
  } catch (error) {
    if (uniqueViolation(error) !== undefined) throw new InsertRaced();
    throw error;
  }
  const row = rows[0];
  if (!row) return reservation.refused();
  return { transaction: hydrate(dataSource, MomoTransaction, row), callbackToken };
}

function pendingParameters(id: string, values: PendingValues, callbackToken: string): unknown[] {
  return [
    id,
    values.product,
    values.operation,
    values.amount,
    values.currency,
    values.country,
    values.msisdn,
    values.externalId,
    values.idempotencyKey,
    values.requestHash,
    values.payerMessage,
    values.payeeNote,
    values.kycLevel,
    values.parentId,
    values.mtnCurrency,
    values.accountId,
    values.apiKeyId,
    callbackToken,
  ];
}

/**
 * Inserts the PENDING row and its creation event in one statement and hydrates the row it
 * returns (no reload). `ON CONFLICT DO NOTHING` makes a concurrent or earlier duplicate (same key
 * or same live externalId, from any replica) a non-event here: `InsertRaced` is thrown, and the
 * caller rolls back and resolves the request against the winner's committed row.
 */
export async function insertPending(
  manager: EntityManager,
  values: PendingValues,
): Promise<{ transaction: MomoTransaction; callbackToken: string }> {
  const id = randomUUID();
  const callbackToken = randomBytes(32).toString('base64url');
  const rows = await sqlRows<Record<string, unknown>>(
    manager,
    INSERT_PENDING_SQL,
    pendingParameters(id, values, callbackToken),
  );
  const row = rows[0];
  if (!row) throw new InsertRaced();
  return { transaction: hydrate(manager.connection, MomoTransaction, row), callbackToken };
}
