import { DataSource } from 'typeorm';
import type { Transaction } from '../../src/emulator/transactions';
import type { RequestLogEntry, RequestLogFilter } from '../../src/emulator/request-log';
import { TransactionPoller } from '../../src/payments/transaction-poller.service';
import { WebhookService } from '../../src/payments/webhook.service';
import type { TransactionDiscrepancy } from '../../src/transactions/transaction-discrepancy.entity';
import type { TransactionEvent } from '../../src/transactions/transaction-event.entity';
import { TransactionsService } from '../../src/transactions/transactions.service';
import type { TestGateway } from '../support/gateway';

/** Helpers shared by the product suites: routes, test numbers, the emulator's logs and ledger. */

export type Country = 'UG' | 'GH' | 'RW';
export const COUNTRIES: readonly Country[] = ['UG', 'GH', 'RW'];

/** The guide's always-succeed numbers. */
export const ALWAYS_OK: Record<Country, string> = { UG: '256774123456', GH: '233244000000', RW: '250788123456' };
export const CURRENCY: Record<Country, string> = { UG: 'UGX', GH: 'GHS', RW: 'RWF' };
/** A valid amount in each market's basic tier. */
export const AMOUNT: Record<Country, string> = { UG: '5000', GH: '12.50', RW: '2500' };

const RESERVED_PREFIX: Record<Country, string> = { UG: '25677', GH: '23324', RW: '25078' };

/** docs/emulator.md: last seven digits `0000` + mode + two reason digits. */
export function reservedNumber(country: Country, mode: 1 | 2 | 3, reasonDigits: string): string {
  return `${RESERVED_PREFIX[country]}0000${mode}${reasonDigits}`;
}

/** Another ordinary (always successful) number of the market, so tests do not share wallets. */
export function ordinaryNumber(country: Country, n: number): string {
  const local = String(1_000_000 + n).slice(-6);
  return { UG: `256772${local}`, GH: `233244${local}`, RW: `250788${local}` }[country];
}

/** The integration guide's reason table, with the reserved-number digits that produce each. */
export const GUIDE_REASONS = [
  { reason: 'PAYER_NOT_FOUND', digits: '01', retryable: false },
  { reason: 'PAYEE_NOT_FOUND', digits: '02', retryable: false },
  { reason: 'NOT_ALLOWED', digits: '03', retryable: false },
  { reason: 'NOT_ENOUGH_FUNDS', digits: '04', retryable: false },
  { reason: 'PAYER_LIMIT_REACHED', digits: '05', retryable: false },
  { reason: 'PAYMENT_NOT_APPROVED', digits: '06', retryable: false },
  { reason: 'RESOURCE_ALREADY_EXIST', digits: '07', retryable: false },
  { reason: 'INTERNAL_PROCESSING_ERROR', digits: '08', retryable: true },
  { reason: 'SERVICE_UNAVAILABLE', digits: '09', retryable: true },
  { reason: 'EXPIRED', digits: '10', retryable: false },
  { reason: 'TRANSACTION_CANCELED', digits: '11', retryable: false },
] as const;

export interface ProductRoute {
  name: string;
  product: 'collection' | 'disbursement' | 'remittance';
  /** Where the transaction is created. */
  post: string;
  /** The product's GET /:id and list. */
  base: string;
  /** MTN's create path (the emulator's request log). */
  mtnCreate: string;
  /** Which side of the ledger the customer's wallet is on. */
  direction: 'in' | 'out';
}

export const ROUTES = {
  requestToPay: { name: 'collection request to pay', product: 'collection', post: '/v1/collections', base: '/v1/collections', mtnCreate: '/collection/v1_0/requesttopay', direction: 'in' },
  withdrawal: { name: 'collection request to withdraw', product: 'collection', post: '/v1/collections/withdrawals', base: '/v1/collections', mtnCreate: '/collection/v2_0/requesttowithdraw', direction: 'in' },
  transfer: { name: 'disbursement transfer', product: 'disbursement', post: '/v1/disbursements', base: '/v1/disbursements', mtnCreate: '/disbursement/v1_0/transfer', direction: 'out' },
  deposit: { name: 'disbursement deposit', product: 'disbursement', post: '/v1/disbursements/deposits', base: '/v1/disbursements', mtnCreate: '/disbursement/v2_0/deposit', direction: 'out' },
  remittance: { name: 'remittance transfer', product: 'remittance', post: '/v1/remittances', base: '/v1/remittances', mtnCreate: '/remittance/v1_0/transfer', direction: 'out' },
  cashTransfer: { name: 'remittance cash transfer', product: 'remittance', post: '/v1/remittances/cash-transfers', base: '/v1/remittances', mtnCreate: '/remittance/v2_0/cashtransfer', direction: 'out' },
} as const satisfies Record<string, ProductRoute>;

/** The sender details a cash transfer needs on top of a payment request. */
export const CASH_SENDER = {
  originatingCountry: 'GB',
  originalAmount: '20.00',
  originalCurrency: 'GBP',
  payerIdentificationType: 'PASS',
  payerIdentificationNumber: 'P1234567',
  payerFirstName: 'Jane',
  payerSurName: 'Doe',
};

let sequence = 0;
/** A unique externalId (letters, digits and _ only). */
export function externalId(prefix: string): string {
  sequence += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${sequence}`;
}

export function paymentBody(route: ProductRoute, country: Country, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: AMOUNT[country],
    currency: CURRENCY[country],
    phoneNumber: ALWAYS_OK[country],
    externalId: externalId(route.product.slice(0, 3).toUpperCase()),
    ...(route.mtnCreate.endsWith('cashtransfer') ? CASH_SENDER : {}),
    ...overrides,
  };
}

export function mtnRequests(gw: TestGateway, filter: RequestLogFilter = {}): RequestLogEntry[] {
  return gw.emulator.state.requestLog.query(filter);
}

/** The emulator's sequence number now: pass as `sinceSeq` to see only what follows. */
export function mtnMark(gw: TestGateway): number {
  const all = gw.emulator.state.requestLog.query({});
  return all[all.length - 1]?.seq ?? 0;
}

export function mtnCreates(gw: TestGateway, since: number, path?: string): RequestLogEntry[] {
  return mtnRequests(gw, { method: 'POST', sinceSeq: since }).filter((e) =>
    path ? e.path === path : /\/v[12]_0\/(requesttopay|requesttowithdraw|transfer|deposit|refund|cashtransfer)$/.test(e.path),
  );
}

export function referenceIdOf(entry: RequestLogEntry): string | undefined {
  const value = entry.headers['x-reference-id'];
  return Array.isArray(value) ? value[0] : value;
}

/** What MTN (the emulator) holds under a reference id, whichever API user created it. */
export function mtnTransactions(gw: TestGateway, referenceId: string): Transaction[] {
  return gw.emulator.state.transactions.list({ referenceId });
}

/**
 * Sends a create the gateway gave up on (a held or timed-out attempt in the request log) to MTN
 * after all, with its own headers: what a network that delivered it late would have done.
 */
export async function deliverLate(gw: TestGateway, entry: RequestLogEntry, body: string): Promise<number> {
  const names = ['authorization', 'ocp-apim-subscription-key', 'x-reference-id', 'x-target-environment', 'x-callback-url'];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of names) {
    const value = entry.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const res = await fetch(`${gw.emulator.url}${entry.path}`, { method: 'POST', headers, body });
  return res.status;
}

/** The emulator's control API (`/_emulator/...`), JSON in and out. */
export async function emulatorControl(gw: TestGateway, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${gw.emulator.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`emulator ${method} ${path} answered ${res.status}: ${text}`);
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export const addFault = (gw: TestGateway, fault: Record<string, unknown>) => emulatorControl(gw, 'POST', '/_emulator/faults', fault);
export const clearFaults = (gw: TestGateway) => emulatorControl(gw, 'DELETE', '/_emulator/faults');
export const patchEmulator = (gw: TestGateway, settings: Record<string, unknown>) => emulatorControl(gw, 'PATCH', '/_emulator/config', settings);

/** Exact ledger arithmetic: 1/10000 units, as the emulator keeps them. */
export function units(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const value = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0').slice(0, 4));
  return amount.startsWith('-') ? -value : value;
}

export interface LedgerView {
  balance(id: string): bigint;
  totals: Record<string, { balance: string; issued: string }>;
  postingsFor(referenceId: string): { amount: string; currency: string; from: string; to: string }[];
}

export function ledger(gw: TestGateway): LedgerView {
  const snapshot = gw.emulator.state.ledger.snapshot();
  const byId = new Map(snapshot.accounts.map((a) => [a.id, a.balance]));
  return {
    totals: snapshot.totals,
    balance: (id) => {
      const found = byId.get(id);
      // Accounts open lazily with the opening balance: one not yet touched holds exactly that.
      return found === undefined ? units(gw.emulator.state.settings[id.startsWith('wallet/') ? 'walletOpeningBalance' : 'accountOpeningBalance']) : units(found);
    },
    postingsFor: (referenceId) => snapshot.postings.filter((p) => p.referenceId === referenceId),
  };
}

/** Per currency, the ledger's balances add up to what was issued: nothing created or lost. */
export function expectConserved(view: LedgerView): void {
  for (const [currency, total] of Object.entries(view.totals)) {
    expect({ currency, balance: total.balance }).toEqual({ currency, balance: total.issued });
  }
}

export const walletId = (msisdn: string, currency: string) => `wallet/MSISDN/${msisdn}/${currency}`;
export const accountLedgerId = (apiUser: string, product: string, currency: string) => `account/${apiUser}/${product}/${currency}`;

export function apiUserOf(gw: TestGateway, product: 'collection' | 'disbursement' | 'remittance'): string {
  const user = gw.config.momo.credentials[product]?.apiUser;
  if (!user) throw new Error(`no ${product} credentials in the gateway's configuration`);
  return user;
}

/** Waits (bounded polling of the gateway) until the transaction is SUCCESSFUL or FAILED. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by assertions
export function settled(gw: TestGateway, base: string, id: string, timeoutMs?: number): Promise<any> {
  return gw.waitFor(`${base}/${id}`, (t: { status: string }) => t.status !== 'PENDING', timeoutMs);
}

export function events(gw: TestGateway, id: string): Promise<TransactionEvent[]> {
  return gw.app.get(TransactionsService).events(id);
}

export function discrepancies(gw: TestGateway, id: string): Promise<TransactionDiscrepancy[]> {
  return gw.app.get(TransactionsService).discrepancies(id);
}

export const poller = (gw: TestGateway) => gw.app.get(TransactionPoller);
export const webhookStats = (gw: TestGateway) => gw.app.get(WebhookService).stats();

let pollRound = 0;
/**
 * A poll round as if the poll interval had passed for every PENDING row. Each round is an hour
 * later than the one before, so rows an earlier round pushed ahead are due again.
 */
export function pollNow(gw: TestGateway): Promise<number> {
  pollRound += 1;
  return poller(gw).pollOnce(new Date(Date.now() + 3_600_000 * pollRound));
}

/** Rows of a product straight from the database (nothing else filters them). */
export async function storedCount(gw: TestGateway, where: string, params: unknown[] = []): Promise<number> {
  const rows = await gw.app.get(DataSource).query<{ n: number }[]>(`SELECT count(*)::int AS n FROM momo_transactions WHERE ${where}`, params);
  return rows[0]?.n ?? 0;
}

/** Bounded wait for a condition outside the gateway (the emulator's memory). */
export async function eventually<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
