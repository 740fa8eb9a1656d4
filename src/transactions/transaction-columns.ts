/**
 * The columns of `momo_transactions` a find loads, for the SELECT lists and RETURNING clauses of
 * the raw statements whose rows go through `hydrate`: every column of `MomoTransaction` except
 * `callback_token` (`select: false`), which only `findByCallbackToken` and the replay lookup
 * read. test/transactions/read-path.test.ts checks it against the entity's metadata, so a column
 * added to the entity and not here fails a test rather than going missing from reads.
 */
export const TRANSACTION_COLUMNS = `id, product, operation, status, reason, reason_message, amount,
  currency, country, msisdn, external_id, idempotency_key, request_hash, payer_message,
  payee_note, kyc_level, parent_id, mtn_currency, account_id, financial_transaction_id,
  api_key_id, poll_attempts, next_poll_at, mtn_accepted, created_at, updated_at, completed_at`;
