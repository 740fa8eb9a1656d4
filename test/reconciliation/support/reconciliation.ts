import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RunDetailView } from '../../../src/reconciliation/report/run.views';
import { startGateway, type GatewayOptions, type TestGateway } from '../../support/gateway';

/** The poller and the crons stay out of the way: each test drives its runs itself. */
export const QUIET_ENV = { POLL_ENABLED: 'false', RECONCILIATION_SCHEDULE_ENABLED: 'false' };

export function startReconciliationGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  return startGateway({ ...options, env: { ...QUIET_ENV, ...(options.env ?? {}) } });
}

/** Runs SQL on the gateway's database (fixtures and checks the API does not expose). */
export async function sql<T = Record<string, unknown>>(
  gw: TestGateway,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export function uniqueExternalId(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface Collection {
  id: string;
  status: string;
  externalId: string;
  amount: string;
}

/** A request to pay through the API (Uganda, UGX; EUR at MTN in sandbox mode). */
export async function collect(
  gw: TestGateway,
  overrides: Record<string, string> = {},
): Promise<Collection> {
  const res = await gw.request<Collection>('POST', '/v1/collections', {
    amount: '1000',
    currency: 'UGX',
    phoneNumber: '256774123456',
    externalId: uniqueExternalId('RECO'),
    ...overrides,
  });
  if (res.status !== 202)
    throw new Error(`collection refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Requests to pay whose callbacks MTN never delivers: settled at MTN, PENDING here until a poll or
 * a reconciliation asks (tests start their gateways with polling off).
 */
export async function collectLosingCallbacks(
  gw: TestGateway,
  count = 1,
  overrides: Record<string, string> = {},
): Promise<Collection[]> {
  await emulatorPatch(gw, '/_emulator/config', { callbackDropRate: 1 });
  try {
    const made: Collection[] = [];
    for (let i = 0; i < count; i += 1) made.push(await collect(gw, overrides));
    await gw.emulator.callbacksIdle();
    return made;
  } finally {
    await emulatorPatch(gw, '/_emulator/config', { callbackDropRate: 0 });
  }
}

export async function collectLosingCallback(
  gw: TestGateway,
  overrides: Record<string, string> = {},
): Promise<Collection> {
  return (await collectLosingCallbacks(gw, 1, overrides))[0]!;
}

/** Waits until the callback (or anything) has settled it. */
export async function settled(gw: TestGateway, id: string): Promise<Collection> {
  return gw.waitFor<Collection>(`/v1/collections/${id}`, (t) => t.status !== 'PENDING');
}

/** Moves a transaction's creation time, e.g. into a past window or beyond the stale threshold. */
export async function createdAt(gw: TestGateway, ids: string[], at: Date): Promise<void> {
  await sql(gw, 'UPDATE momo_transactions SET created_at = $2 WHERE id = ANY($1::uuid[])', [
    ids,
    at.toISOString(),
  ]);
}

/**
 * A PENDING collection MTN never saw: the row a crash between our insert and MTN's 202 leaves.
 */
export async function orphan(
  gw: TestGateway,
  at: Date,
  externalId = uniqueExternalId('ORPHAN'),
): Promise<string> {
  const id = randomUUID();
  await sql(
    gw,
    `INSERT INTO momo_transactions (id, product, operation, status, amount, currency, country, msisdn, external_id,
       request_hash, mtn_currency, account_id, callback_token, created_at, updated_at)
     VALUES ($1, 'collection', 'requestToPay', 'PENDING', '1000', 'UGX', 'UG', '256774123456', $2,
       repeat('0', 64), 'EUR', 'default', 'token', $3, $3)`,
    [id, externalId, at.toISOString()],
  );
  return id;
}

/** A run as GET /v1/reconciliation/runs/:id answers (and POST, with `created`). */
export type RunBody = RunDetailView & { created?: boolean };

/** Polls the run until it is no longer RUNNING (bounded). */
export async function finished(
  gw: TestGateway,
  runId: string,
  timeoutMs = 30_000,
): Promise<RunBody> {
  return gw.waitFor<RunBody>(
    `/v1/reconciliation/runs/${runId}`,
    (r) => r.status !== 'RUNNING',
    timeoutMs,
  );
}

/** Starts a run through the API and waits for its end. */
export async function reconcile(gw: TestGateway, body: Record<string, string>): Promise<RunBody> {
  const started = await gw.request<RunBody>('POST', '/v1/reconciliation/runs', body);
  if (started.status !== 202)
    throw new Error(`run refused: ${started.status} ${JSON.stringify(started.body)}`);
  return finished(gw, started.body.id);
}

/** A window of one hour, `hoursAgo` hours back from the current hour: each test gets its own. */
export function pastHour(hoursAgo: number): { from: Date; to: Date; inside: Date } {
  const hour = 3_600_000;
  const from = new Date((Math.floor(Date.now() / hour) - hoursAgo) * hour);
  return { from, to: new Date(from.getTime() + hour), inside: new Date(from.getTime() + hour / 2) };
}

/** MTN status calls the emulator received for one reference. */
export async function statusCalls(gw: TestGateway, referenceId: string): Promise<number> {
  const res = await fetch(
    `${gw.emulator.url}/_emulator/requests?method=GET&pathPrefix=/collection/v1_0/requesttopay/${referenceId}`,
  );
  const body = (await res.json()) as unknown[] | { requests?: unknown[] };
  return Array.isArray(body) ? body.length : (body.requests ?? []).length;
}

export async function emulatorPatch(gw: TestGateway, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${gw.emulator.url}${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
}

export async function emulatorPost(gw: TestGateway, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${gw.emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
}
