import { Client } from 'pg';
import type { RunningEmulator } from '../../../src/emulator/emulator';
import type { Transaction } from '../../../src/emulator/transactions';
import { eventually } from './scale';

/** A gateway row as the invariants need it. */
export interface StoredRow {
  id: string;
  product: string;
  operation: string;
  status: string;
  amount: string;
  externalId: string;
  mtnAccepted: boolean;
  reason: string | null;
}

export async function storedRows(databaseUrl: string): Promise<StoredRow[]> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query<StoredRow>(
      `SELECT id, product, operation, status, amount::text AS amount, external_id AS "externalId", mtn_accepted AS "mtnAccepted", reason
         FROM momo_transactions`,
    );
    return r.rows;
  } finally {
    await c.end();
  }
}

/** Every transaction MTN (the emulator) holds for this API user. */
export function mtnTransactions(emulator: RunningEmulator, apiUser: string): Transaction[] {
  return [...emulator.state.transactions.all()].filter((t) => t.apiUser === apiUser);
}

/** What one client order ended with: the id of an accepted (202) transaction, if any. */
export interface Order {
  product: 'collection' | 'disbursement' | 'remittance';
  externalId: string;
  amount: string;
  /** Ids answered with 202 (more than one only if the order was retried after a FAILED). */
  accepted: string[];
  /** Every status answered, for the report. */
  statuses: number[];
}

/**
 * Starts a reconciliation run over everything created since `from` and waits for it to finish
 * (bounded). Returns the run as GET /v1/reconciliation/runs/{id} shows it.
 */
export async function reconcile(
  url: string,
  apiKey: string,
  from: Date,
  timeoutMs = 300_000,
): Promise<{
  id: string;
  status: string;
  progress: { processed: number; total: number };
  outcomes: Record<string, number>;
}> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  // The window's end must not be in the future; a millisecond's wait keeps `to` after the last row.
  const to = new Date(Date.now() - 1);
  const res = await fetch(`${url}/v1/reconciliation/runs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      kind: 'window',
      from: new Date(from.getTime() - 1000).toISOString(),
      to: to.toISOString(),
    }),
  });
  const started = (await res.json()) as { id?: string; code?: string; message?: string };
  if (!started.id)
    throw new Error(`reconciliation did not start: ${res.status} ${JSON.stringify(started)}`);
  return eventually(
    'the reconciliation run to finish',
    async () => {
      const r = await fetch(`${url}/v1/reconciliation/runs/${started.id}`, { headers });
      const run = (await r.json()) as {
        id: string;
        status: string;
        progress: { processed: number; total: number };
        outcomes: Record<string, number>;
      };
      return run.status !== 'RUNNING' ? run : undefined;
    },
    timeoutMs,
    200,
  );
}

/** Decimal strings summed exactly (amounts have at most 6 decimals). */
export function sumDecimals(values: string[]): string {
  let units = 0n;
  for (const v of values) {
    const [whole, frac = ''] = v.split('.');
    units += BigInt(whole ?? '0') * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6));
  }
  const whole = units / 1_000_000n;
  const frac = (units % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** The emulator ledger's net movement of an API user's product account (what MTN says moved). */
export function accountMovement(
  emulator: RunningEmulator,
  apiUser: string,
  product: string,
  currency = 'EUR',
): string {
  const id = `account/${apiUser}/${product}/${currency}`;
  const account = emulator.state.ledger.snapshot().accounts.find((a) => a.id === id);
  if (!account) return '0';
  const toUnits = (s: string): bigint => {
    const [w, f = ''] = s.split('.');
    return BigInt(w ?? '0') * 10_000n + BigInt(f.padEnd(4, '0').slice(0, 4));
  };
  const diff = toUnits(account.balance) - toUnits(account.issued);
  const abs = diff < 0n ? -diff : diff;
  const frac = (abs % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  return `${abs / 10_000n}${frac ? `.${frac}` : ''}`;
}

/**
 * "Nothing lost, nothing doubled", as lists of violations (empty when all hold), so a failure
 * names the transactions:
 * - every order answered 202 exists at the gateway;
 * - every transaction MTN holds exists at the gateway (and was not created twice: MTN keys them by
 *   the gateway's id, so one MTN transaction per gateway transaction);
 * - per product and externalId at most one transaction that did not fail, at the gateway and at MTN;
 * - (final) every gateway transaction MTN knows is final and has MTN's status and amount, and one
 *   MTN never got is FAILED.
 */
export function violations(
  rows: StoredRow[],
  mtn: Transaction[],
  orders: Order[],
  options: { final: boolean },
): string[] {
  const out: string[] = [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const o of orders)
    for (const id of o.accepted)
      if (!byId.has(id))
        out.push(`lost: ${o.product} ${o.externalId} was accepted as ${id} but is not stored`);
  for (const t of mtn)
    if (!byId.has(t.referenceId))
      out.push(
        `unknown: MTN holds ${t.kind} ${t.referenceId} (${t.status}) that the gateway does not`,
      );
  const live = new Map<string, string[]>();
  for (const r of rows) {
    if (r.status === 'FAILED') continue;
    const key = `${r.product} ${r.externalId}`;
    live.set(key, [...(live.get(key) ?? []), r.id]);
  }
  for (const [key, ids] of live)
    if (ids.length > 1)
      out.push(
        `doubled at the gateway: ${key} has ${ids.length} live transactions ${ids.join(', ')}`,
      );
  const paid = new Map<string, string[]>();
  for (const t of mtn) {
    if (t.status === 'FAILED') continue;
    const key = `${t.product} ${String(t.request.externalId)}`;
    paid.set(key, [...(paid.get(key) ?? []), t.referenceId]);
  }
  for (const [key, ids] of paid)
    if (ids.length > 1)
      out.push(
        `doubled at MTN: ${key} has ${ids.length} transactions that did not fail ${ids.join(', ')}`,
      );
  if (options.final) {
    const mtnById = new Map(mtn.map((t) => [t.referenceId, t]));
    for (const r of rows) {
      const t = mtnById.get(r.id);
      if (r.status === 'PENDING') {
        out.push(
          `not final: ${r.product} ${r.id} is still PENDING (MTN: ${t?.status ?? 'unknown'})`,
        );
        continue;
      }
      if (!t) {
        if (r.status !== 'FAILED')
          out.push(`paid without MTN: ${r.id} is ${r.status} but MTN never got it`);
        continue;
      }
      if (t.status !== r.status)
        out.push(`differs: ${r.id} is ${r.status} at the gateway, ${t.status} at MTN`);
      if (t.amount !== undefined && sumDecimals([t.amount]) !== sumDecimals([r.amount]))
        out.push(`amount differs: ${r.id} ${r.amount} vs MTN ${t.amount}`);
    }
  }
  return out;
}
